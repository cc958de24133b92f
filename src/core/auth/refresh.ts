// Refreshing the access token with the refresh_token grant, as the CLI's SSOTokenProvider does.
//
// Inside the 15-minute window, once per session at a time, written back to the shared cache, and
// never after a sign-out: the write only replaces the token file if it still holds the token the
// refresh started from (another process may have signed out or renewed meanwhile), and a sign-out
// in this process stops every refresh in flight from writing at all.
import { describeError, errorName, failureError, isSsoError, SsoError } from '../errors';
import type { AwsPaths } from '../paths';
import type { Clock, Log } from '../ports';
import type { CachedToken, SsoSession } from '../types';
import { createToken, OidcClientLike } from './clients';
import { tokenFromGrant } from './grant';
import { sessionLabel } from './registration';
import { canRefresh, needsRefresh, refreshableUntil } from './renewable';
import { formatCliTime, readTokenFile, replaceTokenFileIf, tokenFilePath } from './tokenCache';


/** After a failed refresh, a still-valid token is used without retrying for this long (botocore: 60 s). */
const REFRESH_RETRY_AFTER_MS = 60_000;

export interface RefreshContext {
  paths: AwsPaths;
  clock: Clock;
  /** Runs `fn` with an OIDC client for `region`. */
  withClient: <T>(region: string, fn: (client: OidcClientLike) => Promise<T>) => Promise<T>;
  log?: Log;
}

// Keyed by token file, so every SsoAuth in this process shares one request per session.
const inflight = new Map<string, Promise<CachedToken>>();
const failedAt = new Map<string, number>();
// Bumped by every sign-out: a refresh that started under an older count never writes.
const signOuts = new Map<string, number>();

function signOutCount(key: string): number {
  return signOuts.get(key) ?? 0;
}

/** True when a refresh of this session failed less than REFRESH_RETRY_AFTER_MS ago. */
export function refreshRecentlyFailed(paths: AwsPaths, session: SsoSession, now: number): boolean {
  const t = failedAt.get(tokenFilePath(paths, session));
  return t !== undefined && now - t < REFRESH_RETRY_AFTER_MS;
}

/**
 * A sign-out of this session has begun: every refresh of it already in flight in this process
 * leaves the token file alone. Call it before deleting anything.
 */
export function markSignedOut(paths: AwsPaths, session: SsoSession): void {
  const key = tokenFilePath(paths, session);
  signOuts.set(key, signOutCount(key) + 1);
  failedAt.delete(key);
}

function sessionEnded(session: SsoSession, why: string, cause?: unknown): SsoError {
  return new SsoError('SessionEnded', `The sign-in for ${sessionLabel(session)} has ended (${why}). Sign in again.`, { cause });
}

function signedOut(session: SsoSession): SsoError {
  return new SsoError('NotSignedIn', `Signed out of ${sessionLabel(session)} while its token was being renewed. Sign in again.`);
}

/**
 * Refreshes the session's token and writes it to the cache. The refresh starts from the token
 * file as it is now (the caller's copy may be stale); concurrent calls for the same session share
 * one CreateToken request; a caller's signal only stops that caller from waiting.
 * Rejects with SsoError 'NotSignedIn' (no token file, or a sign-out won), 'SessionEnded' (no
 * refresh token, registration expired, grant or client rejected), 'Network', 'Throttled',
 * 'BadResponse', 'Unexpected' or 'Cancelled'.
 */
export function refreshToken(ctx: RefreshContext, session: SsoSession, signal?: AbortSignal): Promise<CachedToken> {
  const key = tokenFilePath(ctx.paths, session);
  let flight = inflight.get(key);
  if (!flight) {
    flight = doRefresh(ctx, session, key).then(
      (t) => {
        failedAt.delete(key);
        return t;
      },
      (e: unknown) => {
        failedAt.set(key, ctx.clock.now());
        throw e;
      },
    );
    const registered = flight;
    void registered.finally(() => inflight.delete(key)).catch(() => undefined);
    inflight.set(key, registered);
  }
  return signal ? untilAborted(flight, signal) : flight;
}

function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new SsoError('Cancelled', 'Cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SsoError('Cancelled', 'Cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function doRefresh(ctx: RefreshContext, session: SsoSession, key: string): Promise<CachedToken> {
  const generation = signOutCount(key);
  // Another process (the CLI, another window) may have refreshed, or signed out, since the caller read the file.
  const cur = await readTokenFile(ctx.paths, session);
  if (!cur) throw signedOut(session);
  if (!needsRefresh(cur, ctx.clock.now())) return cur;
  const now = ctx.clock.now();
  const until = refreshableUntil(cur);
  if (until === undefined) throw sessionEnded(session, 'the cached sign-in cannot be refreshed');
  if (until <= now) throw sessionEnded(session, 'the client registration expired');

  let grant;
  try {
    grant = await ctx.withClient(cur.region, (client) =>
      createToken(client, {
        grantType: 'refresh_token',
        clientId: cur.clientId,
        clientSecret: cur.clientSecret,
        refreshToken: cur.refreshToken,
      }),
    );
  } catch (e) {
    ctx.log?.(`sso: refreshing the token of ${sessionLabel(session)} failed: ${describeError(e)}`, 'warn');
    if (isSsoError(e)) throw e;
    // Another process (the AWS CLI, an SDK, another window) may have renewed with the same
    // refresh token first; the service rotates it, so ours is refused. Use what that process wrote.
    const latest = await readTokenFile(ctx.paths, session).catch(() => undefined);
    if (latest && latest.accessToken !== cur.accessToken && !needsRefresh(latest, ctx.clock.now())) {
      ctx.log?.(`sso: another process renewed the token of ${sessionLabel(session)}; using it`);
      return latest;
    }
    switch (errorName(e)) {
      case 'InvalidGrantException':
      case 'ExpiredTokenException':
      case 'AccessDeniedException':
        throw sessionEnded(session, 'the refresh token is no longer valid', e);
      case 'InvalidClientException':
      case 'UnauthorizedClientException':
        throw sessionEnded(session, 'the client registration is no longer valid', e);
    }
    throw failureError(e, { service: 'oidc', what: 'renewing the sign-in', region: cur.region });
  }
  const fresh = tokenFromGrant(
    { startUrl: session.startUrl, region: cur.region },
    { clientId: cur.clientId!, clientSecret: cur.clientSecret!, registrationExpiresAt: cur.registrationExpiresAt },
    grant,
    ctx.clock.now(),
  );
  // The service may not rotate the refresh token; the old one then stays valid and is kept.
  if (!fresh.refreshToken) fresh.refreshToken = cur.refreshToken;
  const written = await replaceTokenFileIf(
    ctx.paths,
    session,
    fresh,
    (onDisk) => signOutCount(key) === generation && onDisk?.accessToken === cur.accessToken,
  );
  if (!written.replaced) {
    const other = written.current;
    if (signOutCount(key) === generation && other && other.accessToken !== cur.accessToken && other.expiresAt > ctx.clock.now()) {
      ctx.log?.(`sso: another process wrote a new token for ${sessionLabel(session)} while this one renewed it; using theirs`);
      return other;
    }
    ctx.log?.(`sso: ${sessionLabel(session)} was signed out while its token was being renewed; the renewed token is dropped`);
    throw signedOut(session);
  }
  ctx.log?.(`sso: renewed the token of ${sessionLabel(session)} (${cur.region}), expires ${formatCliTime(fresh.expiresAt)}`, 'debug');
  return fresh;
}
