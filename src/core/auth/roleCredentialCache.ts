// The AWS CLI's cache of SSO role credentials (~/.aws/cli/cache/<key>.json), byte-compatible with
// botocore (credentials.py SSOCredentialFetcher + CachedCredentialFetcher, utils.py JSONFileCache),
// so that our `credentials` command and `aws` share one copy, and sign-out (logout.ts) deletes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../fsutil';
import type { AwsPaths } from '../paths';
import type { RoleCredentials, SsoSession } from '../types';
import { pyJsonDumps } from './pyjson';
import { formatCliTime, parseCliTime, sha1Hex } from './tokenCache';

export interface RoleRef {
  accountId: string;
  roleName: string;
}

/**
 * The CLI's role-credential cache key (botocore SSOCredentialFetcher._create_cache_key): sha1 of
 * `json.dumps({accountId, roleName, sessionName | startUrl}, sort_keys=True, separators=(',', ':'))`.
 */
export function roleCredentialCacheKey(session: Pick<SsoSession, 'name' | 'startUrl'>, role: RoleRef): string {
  const args: Record<string, string> = { roleName: role.roleName, accountId: role.accountId };
  if (session.name) args.sessionName = session.name;
  else args.startUrl = session.startUrl;
  return sha1Hex(pyJsonDumps(args, { sortKeys: true, separators: [',', ':'] }));
}

export function roleCredentialFilePath(paths: AwsPaths, session: Pick<SsoSession, 'name' | 'startUrl'>, role: RoleRef): string {
  return join(paths.cliCacheDir, `${roleCredentialCacheKey(session, role)}.json`);
}

/**
 * botocore's CachedCredentialFetcher.DEFAULT_EXPIRY_WINDOW_SECONDS: credentials with less left
 * are fetched again, by the CLI and by us.
 */
export const ROLE_CACHE_WINDOW_MS = 15 * 60_000;

type SessionRef = Pick<SsoSession, 'name' | 'startUrl'>;

/**
 * The file's text, as botocore's JSONFileCache writes it: `json.dumps` with its default
 * separators of `{"ProviderType": "sso", "Credentials": {…, "Expiration": "…Z"}}`.
 */
export function serializeRoleCredentials(creds: RoleCredentials): string {
  return pyJsonDumps({
    ProviderType: 'sso',
    Credentials: {
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      SessionToken: creds.sessionToken,
      Expiration: formatCliTime(creds.expiration),
    },
  });
}

/** The credentials of a cache file's text; undefined when it is not one botocore would use. */
export function parseRoleCredentials(text: string): RoleCredentials | undefined {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return undefined;
  }
  const c = (j as { Credentials?: Record<string, unknown> } | null)?.Credentials;
  if (!c || typeof c !== 'object') return undefined;
  const { AccessKeyId, SecretAccessKey, SessionToken } = c;
  const expiration = parseCliTime(c.Expiration);
  if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof SessionToken !== 'string' || expiration === undefined) return undefined;
  if (!AccessKeyId || !SecretAccessKey || !SessionToken) return undefined;
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration };
}

/**
 * Cached credentials for the role with at least ROLE_CACHE_WINDOW_MS left at `now`, else
 * undefined. Synchronous: one small file, read on the command line's fast path.
 */
export function readCachedRoleCredentialsSync(paths: AwsPaths, session: SessionRef, role: RoleRef, now: number): RoleCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(roleCredentialFilePath(paths, session, role), 'utf8');
  } catch {
    return undefined;
  }
  const creds = parseRoleCredentials(text);
  return creds && creds.expiration - now >= ROLE_CACHE_WINDOW_MS ? creds : undefined;
}

/** Writes the cache file (0600, atomic; the folder private when we create it). */
export async function writeCachedRoleCredentials(paths: AwsPaths, session: SessionRef, role: RoleRef, creds: RoleCredentials): Promise<void> {
  await ensurePrivateDir(paths.cliCacheDir);
  await writeFileAtomic(roleCredentialFilePath(paths, session, role), serializeRoleCredentials(creds));
}
