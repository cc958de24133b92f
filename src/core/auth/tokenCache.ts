// The AWS CLI's SSO cache (~/.aws/sso/cache): token and client-registration files, byte-compatible.
//
// Formats follow botocore (awscli/customizations/sso/utils.py, botocore/utils.py SSOTokenFetcher,
// botocore/tokens.py SSOTokenProvider), so that `aws` and this extension share one sign-in.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rm } from '../fsp';
import { join } from 'node:path';
import { SsoError } from '../errors';
import { describeFsError, ensurePrivateDir, prepareFileWrite, PreparedWrite, writeFileAtomic } from '../fsutil';
import type { AwsPaths } from '../paths';
import type { CachedToken, Registration, SsoSession } from '../types';
import { pyJsonDumps } from './pyjson';

export function sha1Hex(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

/** `YYYY-MM-DDTHH:MM:SSZ`: what the CLI's `strftime('%Y-%m-%dT%H:%M:%SZ')` writes (fraction dropped). */
export function formatCliTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Parses the times found in real cache files: the CLI's `…Z`, the SDK's `….123Z`, Python's
 * `isoformat()` (`+00:00`, microseconds) and botocore's older `%Z` output (`…UTC`). A time without
 * a zone is taken as UTC. Anything else is undefined, never an exception.
 */
export function parseCliTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TIME_RE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.floor(Number(('0.' + frac)) * 1000) : 0;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && /^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    const off = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
    t -= (zone[0] === '-' ? -1 : 1) * off * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** The token file's name: sha1 of the sso-session name, or of the start URL for a legacy profile. */
export function tokenCacheKey(session: Pick<SsoSession, 'name' | 'startUrl'>): string {
  return sha1Hex(session.name ?? session.startUrl);
}

export function tokenFilePath(paths: AwsPaths, session: Pick<SsoSession, 'name' | 'startUrl'>): string {
  return join(paths.ssoCacheDir, `${tokenCacheKey(session)}.json`);
}

/** A cache file's JSON object; undefined when missing, unreadable or not an object. */
export async function readCacheJson(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  return parseCacheJson(text);
}

function parseCacheJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    // A truncated or hand-edited file means "no token", as it does for the CLI.
    return undefined;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Parses a token file's content. Undefined when it lacks an access token or a readable expiry.
 * The startUrl stored in it is not compared with the session's: botocore's SSOTokenLoader finds
 * the file by name and uses it whatever it says (see sessions.ts startUrlKey), and so do we.
 */
function parseTokenFile(raw: Record<string, unknown>, session: SsoSession): CachedToken | undefined {
  const accessToken = str(raw.accessToken);
  const expiresAt = parseCliTime(raw.expiresAt);
  if (!accessToken || expiresAt === undefined) return undefined;
  const startUrl = str(raw.startUrl) ?? session.startUrl;
  const token: CachedToken = { startUrl, region: str(raw.region) ?? session.region, accessToken, expiresAt };
  const clientId = str(raw.clientId);
  const clientSecret = str(raw.clientSecret);
  const registrationExpiresAt = parseCliTime(raw.registrationExpiresAt);
  const refreshToken = str(raw.refreshToken);
  if (clientId) token.clientId = clientId;
  if (clientSecret) token.clientSecret = clientSecret;
  if (registrationExpiresAt !== undefined) token.registrationExpiresAt = registrationExpiresAt;
  if (refreshToken) token.refreshToken = refreshToken;
  return token;
}

export async function readTokenFile(paths: AwsPaths, session: SsoSession): Promise<CachedToken | undefined> {
  const raw = await readCacheJson(tokenFilePath(paths, session));
  return raw ? parseTokenFile(raw, session) : undefined;
}

/** readTokenFile for the editor's activation path, where the status bar is drawn before any await. */
export function readTokenFileSync(paths: AwsPaths, session: SsoSession): CachedToken | undefined {
  let text: string;
  try {
    text = readFileSync(tokenFilePath(paths, session), 'utf8');
  } catch {
    return undefined;
  }
  const raw = parseCacheJson(text);
  return raw ? parseTokenFile(raw, session) : undefined;
}

/** The file content, key order and spacing as the CLI's `json.dumps` produces them. */
export function serializeToken(token: CachedToken): string {
  const out: Record<string, unknown> = {
    startUrl: token.startUrl,
    region: token.region,
    accessToken: token.accessToken,
    expiresAt: formatCliTime(token.expiresAt),
  };
  if (token.clientId !== undefined) out.clientId = token.clientId;
  if (token.clientSecret !== undefined) out.clientSecret = token.clientSecret;
  if (token.registrationExpiresAt !== undefined) out.registrationExpiresAt = formatCliTime(token.registrationExpiresAt);
  if (token.refreshToken !== undefined) out.refreshToken = token.refreshToken;
  return pyJsonDumps(out);
}

export async function writeTokenFile(paths: AwsPaths, session: SsoSession, token: CachedToken): Promise<string> {
  const file = tokenFilePath(paths, session);
  await writeCacheFile(paths, file, serializeToken(token));
  return file;
}

/**
 * Replaces the token file with `token` only if `stillCurrent` accepts what the file holds right
 * before the rename (its JSON, undefined when it is gone or unreadable). The check and the rename
 * run synchronously, with no `await` between them, so nothing else in this process can write or
 * delete the file in between; another process can only win the race by a few microseconds.
 * Returns whether it replaced the file and, when it did not, the token the file holds.
 */
export async function replaceTokenFileIf(
  paths: AwsPaths,
  session: SsoSession,
  token: CachedToken,
  stillCurrent: (onDisk: Record<string, unknown> | undefined) => boolean,
): Promise<{ replaced: boolean; current?: CachedToken }> {
  const file = tokenFilePath(paths, session);
  let prepared: PreparedWrite;
  try {
    await ensurePrivateDir(paths.ssoCacheDir);
    prepared = await prepareFileWrite(file, serializeToken(token), 0o600);
  } catch (e) {
    throw cacheWriteError(file, e);
  }
  const onDisk = readCacheJsonSync(file);
  if (!stillCurrent(onDisk)) {
    await prepared.abort();
    const current = onDisk ? parseTokenFile(onDisk, session) : undefined;
    return current ? { replaced: false, current } : { replaced: false };
  }
  try {
    prepared.commitSync();
  } catch (e) {
    throw cacheWriteError(file, e);
  }
  return { replaced: true };
}

function readCacheJsonSync(file: string): Record<string, unknown> | undefined {
  try {
    return parseCacheJson(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Writes one file of the SSO cache (0600 in a 0700 folder). A file-system failure becomes a
 * ConfigFile error naming the path: without this it would read as "could not reach the service".
 */
async function writeCacheFile(paths: AwsPaths, file: string, data: string): Promise<void> {
  try {
    await ensurePrivateDir(paths.ssoCacheDir);
    await writeFileAtomic(file, data, 0o600);
  } catch (e) {
    throw cacheWriteError(file, e);
  }
}

function cacheWriteError(file: string, e: unknown): SsoError {
  const why = describeFsError(e) ?? (e instanceof Error ? e.message : String(e));
  return new SsoError('ConfigFile', `Cannot write the AWS SSO cache file ${file}: ${why}, then try again.`, { cause: e });
}

export async function removeIfPresent(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Registration cache key, as SSOTokenFetcher._registration_cache_key computes it: sha1 of Python's
 * `json.dumps({tool, startUrl, region, scopes, session_name}, sort_keys=True)`. A legacy profile has
 * `session_name: null`. `grantTypes` is our own addition for PKCE registrations only, so they never
 * take the key of a device-code registration the CLI would reuse.
 */
export function registrationCacheKey(
  session: Pick<SsoSession, 'name' | 'startUrl' | 'region' | 'scopes'>,
  grantTypes?: readonly string[],
): string {
  const args: Record<string, unknown> = {
    tool: 'botocore',
    startUrl: session.startUrl,
    region: session.region,
    scopes: session.scopes.length > 0 ? [...session.scopes] : null,
    session_name: session.name ?? null,
  };
  if (grantTypes) args.grantTypes = [...grantTypes];
  return sha1Hex(pyJsonDumps(args, { sortKeys: true }));
}

export function registrationFilePath(paths: AwsPaths, key: string): string {
  return join(paths.ssoCacheDir, `${key}.json`);
}

export async function readRegistrationFile(paths: AwsPaths, key: string): Promise<Registration | undefined> {
  const raw = await readCacheJson(registrationFilePath(paths, key));
  if (!raw) return undefined;
  const clientId = str(raw.clientId);
  const clientSecret = str(raw.clientSecret);
  const expiresAt = parseCliTime(raw.expiresAt);
  if (!clientId || !clientSecret || expiresAt === undefined) return undefined;
  const reg: Registration = { clientId, clientSecret, expiresAt };
  const strings = (v: unknown) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);
  const scopes = strings(raw.scopes);
  const grantTypes = strings(raw.grantTypes);
  if (scopes) reg.scopes = scopes;
  if (grantTypes) reg.grantTypes = grantTypes;
  return reg;
}

/** `{"clientId", "clientSecret", "expiresAt", "scopes"}` as the CLI writes it; grantTypes only for ours. */
export function serializeRegistration(reg: Registration): string {
  const out: Record<string, unknown> = {
    clientId: reg.clientId,
    clientSecret: reg.clientSecret,
    expiresAt: formatCliTime(reg.expiresAt),
  };
  if (reg.scopes && reg.scopes.length > 0) out.scopes = reg.scopes;
  if (reg.grantTypes) out.grantTypes = reg.grantTypes;
  return pyJsonDumps(out);
}

export async function writeRegistrationFile(paths: AwsPaths, key: string, reg: Registration): Promise<void> {
  await writeCacheFile(paths, registrationFilePath(paths, key), serializeRegistration(reg));
}
