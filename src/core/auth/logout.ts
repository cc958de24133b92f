// Signing out: revoke the token, then delete this session's token and cached role-credential files.
//
// Other sessions' files are left alone, unlike `aws sso logout`, which sweeps every session.
import { describeError } from '../errors';
import type { AwsPaths } from '../paths';
import type { Log } from '../ports';
import type { SsoSession } from '../types';
import { portalLogout, PortalClientLike } from './clients';
import { markSignedOut } from './refresh';
import { sessionLabel } from './registration';
import { RoleRef, roleCredentialFilePath } from './roleCredentialCache';
import { readCacheJson, removeIfPresent, tokenFilePath } from './tokenCache';

// The role-credential cache's key and file live with its format (roleCredentialCache.ts).
export { roleCredentialCacheKey, roleCredentialFilePath } from './roleCredentialCache';
export type { RoleRef } from './roleCredentialCache';

export interface LogoutContext {
  paths: AwsPaths;
  withPortal: <T>(region: string, fn: (client: PortalClientLike) => Promise<T>) => Promise<T>;
  log?: Log;
}

/**
 * Returns the files it deleted. A failed Logout call (expired token, network) is logged, not thrown.
 * A refresh of this session in flight in this process no longer writes once this has started.
 */
export async function logoutSession(ctx: LogoutContext, session: SsoSession, roles: readonly RoleRef[] = []): Promise<string[]> {
  markSignedOut(ctx.paths, session);
  const tokenFile = tokenFilePath(ctx.paths, session);
  const raw = await readCacheJson(tokenFile);
  const accessToken = typeof raw?.accessToken === 'string' ? raw.accessToken : undefined;
  const region = typeof raw?.region === 'string' && raw.region ? raw.region : session.region;
  if (accessToken) {
    try {
      await ctx.withPortal(region, (client) => portalLogout(client, { accessToken }));
      ctx.log?.(`sso: signed out of ${sessionLabel(session)} (${region})`);
    } catch (e) {
      // The token may have expired or the service be unreachable; the local sign-out goes on.
      ctx.log?.(`sso: the Logout call for ${sessionLabel(session)} failed (${describeError(e)}); removing the local files anyway`, 'warn');
    }
  }
  const deleted: string[] = [];
  for (const file of [tokenFile, ...roles.map((r) => roleCredentialFilePath(ctx.paths, session, r))]) {
    if (await removeIfPresent(file)) deleted.push(file);
  }
  return deleted;
}
