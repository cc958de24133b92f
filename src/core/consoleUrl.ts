// Builds the one-time AWS Management Console sign-in URL for role credentials (federation).
//
// The AWS federation endpoint trades the credentials for a sign-in token, which goes into a
// one-time login URL.
//
// See "Enable custom identity broker access to the AWS console" in the IAM User Guide. The
// returned URL is itself a credential (anyone holding it in the next 15 minutes gets a console
// session): open it, never log it or show it in an error.
import { assertRegion, partitionOf } from './endpoints';
import { SsoError } from './errors';
import { RoleCredentials } from './types';
import { checkSecureUrl } from './urls';

const FEDERATION_ENDPOINT_ENV = 'AWS_SSO_PROFILES_FEDERATION_ENDPOINT';

export interface ConsoleSignInOptions {
  /**
   * The session's `sso_region`: it decides the partition, so the role's credentials only ever go to
   * the sign-in endpoint of the partition they belong to, whatever a setting says.
   */
  ssoRegion: string;
  /** The console opens in this region; it must be in the session's partition. Default: `ssoRegion`. */
  region?: string;
  /**
   * Where the console opens: an https URL, or a path (`/s3/home`) on the console of the
   * partition. Default: the console home page of `region`.
   */
  destination?: string;
  /**
   * Where the console sends the user when the session ends; pass the access portal's start
   * URL. Default: "aws-sso-profiles".
   */
  issuer?: string;
  /** The federation endpoint. Default: `AWS_SSO_PROFILES_FEDERATION_ENDPOINT`, else the partition's. */
  federationEndpoint?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Environment for the endpoint override. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Gives up on the endpoint after this long. Default 30 s. */
  timeoutMs?: number;
}

/** The federation endpoint in use: option, then the environment, then the partition's (of `ssoRegion`). */
export function federationEndpoint(ssoRegion: string, opts: Pick<ConsoleSignInOptions, 'federationEndpoint' | 'env'> = {}): string {
  const override = opts.federationEndpoint ?? (opts.env ?? process.env)[FEDERATION_ENDPOINT_ENV];
  if (override) {
    // A sign-in token is a credential: plain http only to this machine (tests, sandbox).
    const u = checkSecureUrl(override, 'The federation endpoint');
    // A bare `https://host` (as the fake's base URL is) means the standard `/federation` path;
    // a path given is used as it is.
    if (u.pathname === '/') u.pathname = '/federation';
    return u.toString();
  }
  return `${partitionOf(ssoRegion).signin}/federation`;
}

/** Services the Open Console… picker offers, with their console paths. */
export const CONSOLE_SERVICES: readonly { id: string; label: string; path: string }[] = [
  { id: 's3', label: 'S3', path: '/s3/home' },
  { id: 'ec2', label: 'EC2', path: '/ec2/home' },
  { id: 'cloudwatch', label: 'CloudWatch', path: '/cloudwatch/home' },
  { id: 'iam', label: 'IAM', path: '/iam/home' },
  { id: 'lambda', label: 'Lambda', path: '/lambda/home' },
  { id: 'cloudformation', label: 'CloudFormation', path: '/cloudformation/home' },
  { id: 'billing', label: 'Billing and Cost Management', path: '/billing/home' },
];

/** A service's console page in `region`, as a destination path (global services ignore the region). */
export function serviceDestination(id: string, region: string): string {
  const s = CONSOLE_SERVICES.find((x) => x.id === id);
  if (!s) throw new SsoError('InvalidInput', `"${id}" is not one of the console services offered.`);
  return `${s.path}?region=${encodeURIComponent(region)}`;
}

/**
 * Where the console opens, as a full URL, for `region`'s partition: its home page (empty), a path
 * on its console, or a pasted URL of that console (`console.aws.amazon.com` or a subdomain such as
 * `eu-west-1.console.aws.amazon.com`; GovCloud's and China's own). Anything else is refused: the
 * role signs in to its own partition's console only.
 */
export function consoleDestination(region: string, destination: string | undefined): string {
  const base = partitionOf(region).console;
  const d = destination?.trim();
  if (d === undefined || d === '') return `${base}/console/home?region=${encodeURIComponent(region)}`;
  let u: URL;
  try {
    u = d.startsWith('/') ? new URL(d, base) : new URL(d);
  } catch {
    throw new SsoError('InvalidInput', `The console destination "${d.split(/[?#]/)[0]}" is not a URL or a path.`);
  }
  if (u.protocol !== 'https:') throw new SsoError('InvalidInput', 'The console destination must be an https URL.');
  const host = new URL(base).hostname;
  if (u.username || u.password || u.port || (u.hostname !== host && !u.hostname.endsWith(`.${host}`))) {
    throw new SsoError('InvalidInput', `The console destination must be a page of ${host} (this session's partition), not ${u.host}.`);
  }
  return u.toString();
}

function withQuery(endpoint: string, params: Array<[string, string]>): string {
  const u = new URL(endpoint);
  // encodeURIComponent for each value: the JSON and URLs must arrive as one parameter each.
  const q = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${u.origin}${u.pathname}?${u.search ? `${u.search.slice(1)}&` : ''}${q}`;
}

/**
 * The one-time console sign-in URL for `creds`. Throws SsoError: 'InvalidInput' (bad region,
 * endpoint or destination), 'BadResponse' (the endpoint refused the credentials or answered
 * something unusable), 'Network', 'Timeout' or 'Cancelled'. No message contains a credential or
 * the sign-in token. The result contains the sign-in token: callers must not log it.
 */
export async function consoleSignInUrl(creds: RoleCredentials, opts: ConsoleSignInOptions): Promise<string> {
  const { ssoRegion } = opts;
  assertRegion(ssoRegion);
  const region = opts.region ?? ssoRegion;
  assertRegion(region);
  const home = partitionOf(ssoRegion);
  if (partitionOf(region).id !== home.id) {
    throw new SsoError(
      'InvalidInput',
      `The console region ${region} is in the ${partitionOf(region).id} partition, but the session's region ${ssoRegion} is in ${home.id}: ` +
        `its roles can only open the console of ${home.id}. Choose a region of that partition.`,
    );
  }
  for (const [v, words] of [
    [creds.accessKeyId, 'access key ID'],
    [creds.secretAccessKey, 'secret access key'],
    [creds.sessionToken, 'session token'],
  ] as const) {
    if (typeof v !== 'string' || v === '') throw new SsoError('InvalidInput', `The role credentials have no ${words}.`);
  }
  const endpoint = federationEndpoint(ssoRegion, opts);
  const destination = consoleDestination(region, opts.destination);
  const session = JSON.stringify({ sessionId: creds.accessKeyId, sessionKey: creds.secretAccessKey, sessionToken: creds.sessionToken });
  // No SessionDuration: the endpoint refuses it for role credentials (it is only for
  // GetFederationToken credentials); the console session then lasts as the role session does.
  const tokenUrl = withQuery(endpoint, [
    ['Action', 'getSigninToken'],
    ['Session', session],
  ]);

  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const onAbort = () => timeout.abort();
  if (opts.signal?.aborted) {
    clearTimeout(timer);
    throw new SsoError('Cancelled', 'Opening the console was cancelled.');
  }
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let status: number;
  let body: string;
  try {
    const res = await doFetch(tokenUrl, { method: 'GET', headers: { accept: 'application/json' }, signal: timeout.signal, redirect: 'error' });
    status = res.status;
    body = await res.text();
  } catch (e) {
    if (opts.signal?.aborted) throw new SsoError('Cancelled', 'Opening the console was cancelled.');
    if (timeout.signal.aborted) {
      throw new SsoError('Timeout', `The AWS sign-in service (${new URL(endpoint).host}) did not answer within ${Math.round(timeoutMs / 1000)} s. Try again.`);
    }
    // The fetch error may quote the request URL, which carries the credentials: keep only
    // the low-level code, never the message or the error itself.
    const code = (e as { cause?: { code?: unknown } })?.cause?.code;
    throw new SsoError(
      'Network',
      `Cannot reach the AWS sign-in service (${new URL(endpoint).host})${typeof code === 'string' ? `: ${code}` : ''}. Check the network and try again.`,
    );
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  }

  if (status >= 500) {
    throw new SsoError('Network', `The AWS sign-in service failed (HTTP ${status}). Try again in a moment.`);
  }
  if (status !== 200) {
    throw new SsoError(
      'BadResponse',
      `The AWS sign-in service refused the role credentials (HTTP ${status}). They may have expired: get new ones and try again.`,
    );
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as { SigninToken?: unknown })?.SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '' || /[\x00-\x1f\x7f]/.test(token)) {
    throw new SsoError('BadResponse', 'The AWS sign-in service answered without a sign-in token.');
  }
  return withQuery(endpoint, [
    ['Action', 'login'],
    ['Issuer', opts.issuer ?? 'aws-sso-profiles'],
    ['Destination', destination],
    ['SigninToken', token],
  ]);
}
