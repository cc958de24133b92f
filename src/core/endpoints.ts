// Endpoints for the SSO OIDC and SSO portal APIs, and the SDK clients that call them.
//
// Every client gets an explicit endpoint. Left to itself the SDK would also honour an
// `endpoint_url` in the user's config file (`[default]`, a profile or `[services]`) and send
// the bearer token there; we only honour the documented service-specific variables.
import type { SSOClient } from '@aws-sdk/client-sso';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { SsoError } from './errors';

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

export function assertRegion(region: string): void {
  if (!REGION_RE.test(region)) {
    throw new SsoError('InvalidInput', `"${region}" is not an AWS region name (for example us-east-1).`);
  }
}

function dnsSuffix(region: string): string {
  if (region.startsWith('cn-')) return 'amazonaws.com.cn';
  return 'amazonaws.com';
}

/** The SSO OIDC endpoint: `AWS_ENDPOINT_URL_SSO_OIDC`, else `https://oidc.REGION.amazonaws.com`. */
export function oidcEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.AWS_ENDPOINT_URL_SSO_OIDC;
  if (override) return override.replace(/\/+$/, '');
  assertRegion(region);
  return `https://oidc.${region}.${dnsSuffix(region)}`;
}

/** The SSO portal endpoint: `AWS_ENDPOINT_URL_SSO`, else `https://portal.sso.REGION.amazonaws.com`. */
export function portalEndpoint(region: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.AWS_ENDPOINT_URL_SSO;
  if (override) return override.replace(/\/+$/, '');
  assertRegion(region);
  return `https://portal.sso.${region}.${dnsSuffix(region)}`;
}

export interface ClientOptions {
  env?: NodeJS.ProcessEnv;
  /** Per-request socket timeout in ms. */
  requestTimeoutMs?: number;
}

/** Lazily loads the SDK so that nothing on the editor's activation path pays for it. */
export function createOidcClient(region: string, opts: ClientOptions = {}): SSOOIDCClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SSOOIDCClient } = require('@aws-sdk/client-sso-oidc') as typeof import('@aws-sdk/client-sso-oidc');
  return new SSOOIDCClient({
    region,
    endpoint: oidcEndpoint(region, opts.env),
    // Our flows own retries and deadlines (RFC 8628 polling, refresh); the SDK's retry
    // quota must not decide for us.
    maxAttempts: 1,
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 30_000, connectionTimeout: 10_000, throwOnRequestTimeout: true },
  });
}

export function createPortalClient(region: string, opts: ClientOptions = {}): SSOClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SSOClient } = require('@aws-sdk/client-sso') as typeof import('@aws-sdk/client-sso');
  return new SSOClient({
    region,
    endpoint: portalEndpoint(region, opts.env),
    // The portal fan-out has its own adaptive limiter and deadline-bounded retries; a
    // per-client retry quota would starve it under throttling.
    maxAttempts: 1,
    requestHandler: { requestTimeout: opts.requestTimeoutMs ?? 30_000, connectionTimeout: 10_000, throwOnRequestTimeout: true },
  });
}
