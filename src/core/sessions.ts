// Finds SSO sessions in the config file: `[sso-session]` sections and legacy profiles that
// carry `sso_start_url` themselves.
import { listProfiles, listSsoSessions, ProfileInfo } from './config/read';
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

/**
 * Normalises what a user types as a start URL: `aws.example.com/` → `https://aws.example.com/`.
 * Anything but https is refused: the token would travel in clear text.
 */
export function normalizeStartUrl(input: string): string {
  const raw = input.trim();
  if (raw === '') throw new SsoError('InvalidInput', 'The start URL is empty. It looks like https://d-1234567890.awsapps.com/start.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new SsoError('InvalidInput', `"${raw}" is not a URL. A start URL looks like https://d-1234567890.awsapps.com/start.`);
  }
  if (u.protocol !== 'https:') {
    throw new SsoError('InvalidInput', `The start URL must use https (got ${u.protocol.replace(':', '')}).`);
  }
  if (u.username || u.password) throw new SsoError('InvalidInput', 'The start URL must not contain a user name or password.');
  return withScheme;
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
