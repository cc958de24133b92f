// Endpoints for the SSO OIDC, SSO portal and STS APIs, the SDK clients that call them, and the partition rule.
//
// Every client gets an explicit endpoint. Left to itself the SDK would also honour an
// `endpoint_url` in the user's config file (`[default]`, a profile or `[services]`) and send
// the bearer token there; we only honour the documented service-specific variables, and only
// over https (or plain http to this machine).
import type { SSOClient } from '@aws-sdk/client-sso';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { STSClient } from '@aws-sdk/client-sts';
import { SsoError } from './errors';
import type { HandlerSettings, Network } from './network';
import { oidcSdk, portalSdk, stsSdk } from './sdk';
import { checkSecureUrl } from './urls';

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

export function assertRegion(region: string): void {
  if (!REGION_RE.test(region)) {
    throw new SsoError('InvalidInput', `"${region}" is not an AWS region name (for example us-east-1).`);
  }
}

/** An AWS partition: its own DNS suffix, sign-in and console hosts, and its own accounts and credentials. */
export interface Partition {
  id: 'aws' | 'aws-cn' | 'aws-us-gov';
  /** Service endpoints are `<service>.<region>.<dnsSuffix>`. */
  dnsSuffix: string;
  /** The console sign-in (federation) host. */
  signin: string;
  console: string;
}

const PARTITIONS: Record<Partition['id'], Partition> = {
  aws: { id: 'aws', dnsSuffix: 'amazonaws.com', signin: 'https://signin.aws.amazon.com', console: 'https://console.aws.amazon.com' },
  'aws-cn': { id: 'aws-cn', dnsSuffix: 'amazonaws.com.cn', signin: 'https://signin.amazonaws.cn', console: 'https://console.amazonaws.cn' },
  'aws-us-gov': {
    id: 'aws-us-gov',
    dnsSuffix: 'amazonaws.com',
    signin: 'https://signin.amazonaws-us-gov.com',
    console: 'https://console.amazonaws-us-gov.com',
  },
};

/** The partition a region belongs to: `cn-*` is China, `us-gov-*` GovCloud, everything else the commercial one. */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return PARTITIONS['aws-cn'];
  if (region.startsWith('us-gov-')) return PARTITIONS['aws-us-gov'];
  return PARTITIONS.aws;
}

function override(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  if (!v) return undefined;
  // The bearer token travels to this endpoint.
  checkSecureUrl(v, name);
  return v.replace(/\/+$/, '');
}

/** The SSO OIDC endpoint: `AWS_ENDPOINT_URL_SSO_OIDC`, else `https://oidc.REGION.amazonaws.com`. */
export function oidcEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const o = override(env, 'AWS_ENDPOINT_URL_SSO_OIDC');
  if (o) return o;
  assertRegion(region);
  return `https://oidc.${region}.${partitionOf(region).dnsSuffix}`;
}

/** The SSO portal endpoint: `AWS_ENDPOINT_URL_SSO`, else `https://portal.sso.REGION.amazonaws.com`. */
export function portalEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const o = override(env, 'AWS_ENDPOINT_URL_SSO');
  if (o) return o;
  assertRegion(region);
  return `https://portal.sso.${region}.${partitionOf(region).dnsSuffix}`;
}

/**
 * The STS endpoint: `AWS_ENDPOINT_URL_STS`, else the region's `https://sts.REGION.amazonaws.com`
 * (never an `endpoint_url` from the config file: role credentials travel there).
 */
export function stsEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const o = override(env, 'AWS_ENDPOINT_URL_STS');
  if (o) return o;
  assertRegion(region);
  return `https://sts.${region}.${partitionOf(region).dnsSuffix}`;
}

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  /** Per-request socket timeout in ms. */
  requestTimeoutMs?: number;
  /** The command line's proxy and certificate authorities (./network networkPort); the editor gives none. */
  network?: Network;
}

function requestHandler(endpoint: string, opts: ClientOptions) {
  const settings: HandlerSettings = { requestTimeout: opts.requestTimeoutMs ?? 30_000, connectionTimeout: 10_000, throwOnRequestTimeout: true };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return opts.network ? (opts.network.requestHandler(endpoint, settings) as any) : settings;
}

export function createOidcClient(region: string, opts: ClientOptions = {}): SSOOIDCClient {
  const endpoint = oidcEndpoint(region, opts.env);
  return new (oidcSdk().SSOOIDCClient)({
    region,
    endpoint,
    // Our flows own retries and deadlines (RFC 8628 polling, refresh); the SDK's retry
    // quota must not decide for us.
    maxAttempts: 1,
    requestHandler: requestHandler(endpoint, opts),
  });
}

export function createPortalClient(region: string, opts: ClientOptions = {}): SSOClient {
  const endpoint = portalEndpoint(region, opts.env);
  return new (portalSdk().SSOClient)({
    region,
    endpoint,
    // The portal fan-out has its own adaptive limiter and deadline-bounded retries; a
    // per-client retry quota would starve it under throttling.
    maxAttempts: 1,
    requestHandler: requestHandler(endpoint, opts),
  });
}

/** An STS client that signs with `credentials` (a role's short-term keys) and nothing else. */
export function createStsClient(
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
  opts: ClientOptions = {},
): STSClient {
  const endpoint = stsEndpoint(region, opts.env);
  return new (stsSdk().STSClient)({
    region,
    endpoint,
    // Explicit keys: the SDK never looks for others (environment, files, instance metadata). Only
    // the three keys: the SDK reads an `expiration` as a Date.
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
    maxAttempts: 1,
    requestHandler: requestHandler(endpoint, opts),
  });
}
