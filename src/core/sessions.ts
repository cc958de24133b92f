// Finds SSO sessions in the config file: `[sso-session]` sections and legacy profiles that
// carry `sso_start_url` themselves.
import { listProfiles, listSsoSessions, ProfileInfo } from './config/read';
import { assertRegion, Partition, partitionOf } from './endpoints';
import { SsoError } from './errors';
import { SsoSession } from './types';

export interface NamedSession extends SsoSession {
  name: string;
}

/** The usable `[sso-session]` sections; scopes as listSsoSessions gives them (defaulted when none are written). */
export function sessionsInConfig(text: string): NamedSession[] {
  return listSsoSessions(text).map((s) => ({ name: s.name, startUrl: s.startUrl, region: s.region, scopes: s.scopes }));
}

/**
 * A start URL as a comparable key: the string itself, white space at the ends trimmed.
 *
 * This is what the AWS CLI and SDKs compare, and all they compare. botocore's SSOTokenLoader
 * (botocore/utils.py) finds the token file by the sha1 of the sso-session name (of the exact start
 * URL for a legacy profile) and never compares the startUrl stored inside it; its check that a
 * profile and its sso-session agree (credentials.py `_resolve_sso_session_reference`) is a plain
 * `!=` on the strings configparser read (already stripped). So `https://x/start` and
 * `https://X/start/` are two portals to the CLI, and to us. Anything a user types is normalised
 * once, on input (normalizeStartUrl), never at comparison.
 */
export function startUrlKey(url: string): string {
  return url.trim();
}

export function sameStartUrl(a: string, b: string): boolean {
  return startUrlKey(a) === startUrlKey(b);
}

export function findSession(text: string, name: string): NamedSession {
  const all = sessionsInConfig(text);
  const s = all.find((x) => x.name === name);
  if (!s) {
    const known = all.map((x) => x.name);
    throw new SsoError(
      'InvalidInput',
      known.length === 0
        ? `No [sso-session ${name}] in the config file. Add one with --start-url and --region, or with "aws configure sso-session".`
        : `No [sso-session ${name}] in the config file. Known sessions: ${known.join(', ')}.`,
    );
  }
  if (!s.startUrl || !s.region) {
    throw new SsoError('ConfigFile', `[sso-session ${name}] needs both sso_start_url and sso_region.`);
  }
  return s;
}

/** The account/role pairs of the profiles that use `sessionName` (for sign-out clean-up). */
export function rolesOfSession(text: string, sessionName: string): { accountId: string; roleName: string }[] {
  return rolesOf(listProfiles(text), sessionName);
}

/** rolesOfSession over profiles already listed (one listing for several sessions). */
export function rolesOf(profiles: readonly ProfileInfo[], sessionName: string): { accountId: string; roleName: string }[] {
  return profiles
    .filter((p) => p.ssoSession === sessionName && p.ssoAccountId && p.ssoRoleName)
    .map((p) => ({ accountId: p.ssoAccountId!, roleName: p.ssoRoleName! }));
}

/** Where IAM Identity Center runs, most used first; `us-east-1` is the default. */
export const SSO_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-south-1', 'ap-south-2', 'ap-east-1',
  'ca-central-1', 'ca-west-1', 'sa-east-1', 'me-south-1', 'me-central-1', 'af-south-1', 'il-central-1',
  'us-gov-west-1', 'us-gov-east-1', 'cn-north-1', 'cn-northwest-1',
];
export const DEFAULT_SSO_REGION = 'us-east-1';

/** A start URL as pasted, read: the URL to write, what was changed, and what it says about the region. */
export interface StartUrlReading {
  url: string;
  /** `http://` became `https://` (the start URL names the portal and carries no token). */
  upgraded: boolean;
  /** The portal's page part (`#/…`, and the `/` before it after `/start`) was cut off. */
  trimmed: boolean;
  /** The Identity Center region the URL names (`https://ssoins-….portal.REGION.app.aws`). */
  region?: string;
  /** The partition of a GovCloud or China portal: only its regions fit. */
  partition?: Partition['id'];
}

const SSOINS_HOST = /^ssoins-[0-9a-z]+\.portal\.([a-z0-9-]+)\.app\.aws$/;

/**
 * Reads what a user pastes or types as a start URL, once, on input: a bare host gets https, plain
 * http is upgraded, the portal page's `#/…` is cut (`…/start/#/` → `…/start`); other schemes and
 * a user name or password are refused. Otherwise the text is kept as typed: the AWS CLI compares
 * start URLs as exact strings (startUrlKey).
 */
export function readStartUrl(input: string): StartUrlReading {
  const raw = input.trim();
  if (raw === '') throw new SsoError('InvalidInput', 'The start URL is empty. It looks like https://d-1234567890.awsapps.com/start.');
  let text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new SsoError('InvalidInput', `"${raw}" is not a URL. A start URL looks like https://d-1234567890.awsapps.com/start.`);
  }
  const upgraded = u.protocol === 'http:';
  if (upgraded) text = `https://${text.slice(text.indexOf('://') + 3)}`;
  else if (u.protocol !== 'https:') {
    throw new SsoError('InvalidInput', `The start URL must use https (got ${u.protocol.replace(':', '')}).`);
  }
  if (u.username || u.password) throw new SsoError('InvalidInput', 'The start URL must not contain a user name or password.');
  const before = text;
  const hash = text.indexOf('#');
  if (hash !== -1) text = text.slice(0, hash);
  // `/start/#/` is the address bar's form of the portal's `/start`, which the AWS guides write. A
  // `/start/` typed without the page part is kept: to the AWS CLI it is another string.
  if (hash !== -1) text = text.replace(/(\/start)\/$/i, '$1');
  const host = u.hostname.toLowerCase();
  const m = SSOINS_HOST.exec(host);
  let region = m?.[1];
  if (region !== undefined) {
    try {
      assertRegion(region);
    } catch {
      region = undefined;
    }
  }
  const partition = region
    ? partitionOf(region).id
    : host.endsWith('.awsapps.cn') || host.endsWith('.amazonaws.cn')
      ? 'aws-cn'
      : host === 'us-gov-home.awsapps.com' || host.endsWith('.us-gov-home.awsapps.com')
        ? 'aws-us-gov'
        : undefined;
  return { url: text, upgraded, trimmed: text !== before, region, partition: partition === 'aws' ? undefined : partition };
}

/** readStartUrl's URL: what to write for what the user typed. */
export function normalizeStartUrl(input: string): string {
  return readStartUrl(input).url;
}

/** The Identity Center regions to offer for a start URL: its own first, its partition's only. */
export function regionsForStartUrl(r: Pick<StartUrlReading, 'region' | 'partition'>): string[] {
  const fits = r.partition ? SSO_REGIONS.filter((x) => partitionOf(x).id === r.partition) : [...SSO_REGIONS];
  return r.region ? [r.region, ...fits.filter((x) => x !== r.region)] : fits;
}

/** A session name suggested from the start URL's host: `d-123.awsapps.com` → `d-123`. */
export function suggestSessionName(startUrl: string): string {
  try {
    const host = new URL(startUrl).hostname;
    const first = host.endsWith('.awsapps.com') ? host.split('.')[0] : host.split('.').slice(0, -1).join('-') || host;
    return first.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'sso';
  } catch {
    return 'sso';
  }
}
