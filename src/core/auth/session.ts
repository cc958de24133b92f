// SsoAuth: the one object the CLI and the extension use to sign in, get a token and sign out.
import { plural } from '../plural';
import { createOidcClient, createPortalClient } from '../endpoints';
import { describeError, isSsoError, SsoError } from '../errors';
import type { AwsPaths } from '../paths';
import type { Network } from '../network';
import { Clock, Log, realSleep, Sleep, systemClock } from '../ports';
import type { CachedToken, SsoSession } from '../types';
import type { OidcClientLike, PortalClientLike } from './clients';
import { deviceCodeLogin, DeviceFlowOptions } from './deviceFlow';
import { logoutSession, RoleRef } from './logout';
import { pkceLogin, PkceOptions } from './pkceFlow';
import { refreshRecentlyFailed, refreshToken } from './refresh';
import { needsRefresh } from './renewable';
import { sessionLabel } from './registration';
import { formatCliTime, readTokenFile, writeTokenFile } from './tokenCache';

/** A token with less than this left is not handed out when its refresh fails. */
export const MIN_USABLE_MS = 60_000;

export interface SsoAuthOptions {
  paths: AwsPaths;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Every wait for the user or the service: device-code polling, the browser's return (PKCE). */
  sleep?: Sleep;
  oidcClient?: (region: string) => OidcClientLike;
  portalClient?: (region: string) => PortalClientLike;
  /** Receives non-secret facts only: session names, regions, expiry times, error names, request IDs. */
  log?: Log;
  /** The command line's proxy and certificate authorities (../network networkPort); the editor gives none. */
  network?: Network;
}

export class SsoAuth {
  private readonly paths: AwsPaths;
  private readonly env: NodeJS.ProcessEnv;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly log?: Log;

  constructor(private readonly opts: SsoAuthOptions) {
    this.paths = opts.paths;
    this.env = opts.env ?? process.env;
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? realSleep;
    this.log = opts.log;
  }

  /** Clients we create are destroyed after use (they hold sockets); injected ones belong to the caller. */
  private async withOidc<T>(region: string, fn: (c: OidcClientLike) => Promise<T>): Promise<T> {
    if (this.opts.oidcClient) return fn(this.opts.oidcClient(region));
    const client = createOidcClient(region, { env: this.env, network: this.opts.network });
    try {
      return await fn(client);
    } finally {
      client.destroy();
    }
  }

  private async withPortal<T>(region: string, fn: (c: PortalClientLike) => Promise<T>): Promise<T> {
    if (this.opts.portalClient) return fn(this.opts.portalClient(region));
    const client = createPortalClient(region, { env: this.env, network: this.opts.network });
    try {
      return await fn(client);
    } finally {
      client.destroy();
    }
  }

  /** The cached token, expired or not; undefined when there is none. Never loads the AWS SDK. */
  readToken(session: SsoSession): Promise<CachedToken | undefined> {
    return readTokenFile(this.paths, session);
  }

  /**
   * A usable access token: the cached one, refreshed first when less than 15 minutes remain.
   * When the refresh fails but the token still has more than a minute, that token is returned
   * (as the CLI does). Rejects with SsoError 'NotSignedIn' (also when signed out meanwhile),
   * 'SessionEnded', 'Network', 'Throttled', 'BadResponse', 'Unexpected', 'Cancelled'.
   */
  async getAccessToken(session: SsoSession, o: { signal?: AbortSignal } = {}): Promise<CachedToken> {
    const token = await this.readToken(session);
    if (!token) {
      throw new SsoError('NotSignedIn', `Not signed in to ${sessionLabel(session)}. Sign in first.`);
    }
    const now = this.clock.now();
    if (!needsRefresh(token, now)) return token;
    const stillUsable = token.expiresAt - now > MIN_USABLE_MS;
    if (stillUsable && refreshRecentlyFailed(this.paths, session, now)) return token;
    try {
      return await refreshToken(
        { paths: this.paths, clock: this.clock, withClient: (r, fn) => this.withOidc(r, fn), log: this.log },
        session,
        o.signal,
      );
    } catch (e) {
      if (isSsoError(e, 'Cancelled') || isSsoError(e, 'NotSignedIn') || !stillUsable) throw e;
      this.log?.(`sso: using the current token of ${sessionLabel(session)} until ${formatCliTime(token.expiresAt)} (${describeError(e)})`, 'warn');
      return token;
    }
  }

  /** Device-code sign-in; the token is written to the CLI's cache. See deviceCodeLogin for errors. */
  async loginWithDeviceCode(
    session: SsoSession,
    o: DeviceFlowOptions,
  ): Promise<CachedToken> {
    const token = await this.withOidc(session.region, (client) =>
      deviceCodeLogin({ paths: this.paths, client, clock: this.clock, sleep: this.sleep, log: this.log }, session, o),
    );
    return this.store(session, token);
  }

  /** Browser sign-in with PKCE; the token is written to the CLI's cache. See pkceLogin for errors. */
  async loginWithPkce(
    session: SsoSession,
    o: PkceOptions,
  ): Promise<CachedToken> {
    const token = await this.withOidc(session.region, (client) =>
      pkceLogin({ paths: this.paths, client, clock: this.clock, sleep: this.sleep, env: this.env, log: this.log }, session, o),
    );
    return this.store(session, token);
  }

  /**
   * Revokes the token (best effort) and deletes the session's token file and the CLI's cached
   * credentials of `roles` (the account/role pairs of the profiles using this session).
   */
  async logout(session: SsoSession, o: { roles?: RoleRef[] } = {}): Promise<void> {
    const deleted = await logoutSession(
      { paths: this.paths, withPortal: (r, fn) => this.withPortal(r, fn), log: this.log },
      session,
      o.roles ?? [],
    );
    this.log?.(`sso: removed ${plural(deleted.length, '1 cached file', `${deleted.length} cached files`)} of ${sessionLabel(session)}`, 'debug');
  }

  private async store(session: SsoSession, token: CachedToken): Promise<CachedToken> {
    await writeTokenFile(this.paths, session, token);
    this.log?.(`sso: signed in to ${sessionLabel(session)} (${session.region}), token expires ${formatCliTime(token.expiresAt)}`);
    return token;
  }
}
