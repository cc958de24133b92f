// The OIDC client registration (RegisterClient), cached in the CLI's format and renewed when needed.
//
// A cached registration is used until 15 minutes before it expires, and replaced once when the
// service no longer knows it.
import { describeError, errorName, SsoError } from '../errors';
import type { AwsPaths } from '../paths';
import type { Clock, Log } from '../ports';
import type { Registration, SsoSession } from '../types';
import { OidcClientLike, oidcFailure, registerClient } from './clients';
import {
  formatCliTime,
  readRegistrationFile,
  registrationCacheKey,
  registrationFilePath,
  removeIfPresent,
  writeRegistrationFile,
} from './tokenCache';

const CLIENT_NAME = 'aws-sso-profiles';
export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';
export const PKCE_GRANT_TYPES: readonly string[] = ['authorization_code', 'refresh_token'];
/** Loopback redirect registered once; the service accepts any port on it (RFC 8252 §7.3). */
const PKCE_REGISTERED_REDIRECT_URI = 'http://127.0.0.1/oauth/callback';
/** A cached registration this close to expiry is replaced, as the CLI does (its 15-minute window). */
const REGISTRATION_MARGIN_MS = 15 * 60_000;

export type RegistrationKind = 'device' | 'pkce';

export interface RegistrationContext {
  paths: AwsPaths;
  client: OidcClientLike;
  clock: Clock;
  log?: Log;
  signal?: AbortSignal;
}

export function registrationKey(session: SsoSession, kind: RegistrationKind): string {
  return registrationCacheKey(session, kind === 'pkce' ? PKCE_GRANT_TYPES : undefined);
}

function usable(reg: Registration, kind: RegistrationKind, now: number): boolean {
  if (reg.expiresAt - now <= REGISTRATION_MARGIN_MS) return false;
  // Another tool may have stored a registration with restricted grants under the same key.
  if (kind === 'pkce') return !!reg.grantTypes && PKCE_GRANT_TYPES.every((g) => reg.grantTypes!.includes(g));
  return !reg.grantTypes || reg.grantTypes.includes(DEVICE_GRANT_TYPE);
}

/** Returns a cached registration that is still good, else registers a new client and caches it. */
export async function getRegistration(
  ctx: RegistrationContext,
  session: SsoSession,
  kind: RegistrationKind,
  opts: { forceNew?: boolean } = {},
): Promise<Registration> {
  const key = registrationKey(session, kind);
  if (!opts.forceNew) {
    const cached = await readRegistrationFile(ctx.paths, key);
    if (cached && usable(cached, kind, ctx.clock.now())) return cached;
  }
  const scopes = session.scopes.length > 0 ? [...session.scopes] : undefined;
  let out;
  try {
    out = await registerClient(
      ctx.client,
      kind === 'pkce'
        ? {
            clientName: CLIENT_NAME,
            clientType: 'public',
            scopes,
            grantTypes: [...PKCE_GRANT_TYPES],
            redirectUris: [PKCE_REGISTERED_REDIRECT_URI],
            issuerUrl: session.startUrl,
          }
        : { clientName: CLIENT_NAME, clientType: 'public', scopes },
      ctx.signal,
    );
  } catch (e) {
    const err = oidcFailure(e, session, 'registering this client', ctx.signal);
    if (err.code !== 'Cancelled') ctx.log?.(`sso: RegisterClient failed for ${sessionLabel(session)} (${session.region}): ${describeError(e)}`, 'error');
    throw err;
  }
  if (!out?.clientId || !out.clientSecret || typeof out.clientSecretExpiresAt !== 'number') {
    throw new SsoError('BadResponse', 'IAM Identity Center answered RegisterClient without a client id, secret or expiry.');
  }
  const reg: Registration = {
    clientId: out.clientId,
    clientSecret: out.clientSecret,
    expiresAt: out.clientSecretExpiresAt * 1000,
  };
  if (scopes) reg.scopes = scopes;
  if (kind === 'pkce') reg.grantTypes = [...PKCE_GRANT_TYPES];
  await writeRegistrationFile(ctx.paths, key, reg);
  ctx.log?.(`sso: registered a ${kind} client for ${sessionLabel(session)} (${session.region}), valid until ${formatCliTime(reg.expiresAt)}`, 'debug');
  return reg;
}

export async function forgetRegistration(paths: AwsPaths, session: SsoSession, kind: RegistrationKind): Promise<void> {
  await removeIfPresent(registrationFilePath(paths, registrationKey(session, kind)));
}

/** True when the service no longer accepts the client id/secret we hold. */
export function isClientRejected(e: unknown): boolean {
  const n = errorName(e);
  return n === 'InvalidClientException' || n === 'UnauthorizedClientException';
}

/**
 * Runs `fn` with a registration; when the service rejects the client (deleted, expired early),
 * registers a new one and runs `fn` once more.
 */
export async function withRegistration<T>(
  ctx: RegistrationContext,
  session: SsoSession,
  kind: RegistrationKind,
  fn: (reg: Registration) => Promise<T>,
): Promise<T> {
  const reg = await getRegistration(ctx, session, kind);
  try {
    return await fn(reg);
  } catch (e) {
    if (!isClientRejected(e)) throw e;
    ctx.log?.(`sso: the cached client registration for ${sessionLabel(session)} was rejected (${describeError(e)}); registering again`, 'warn');
    return fn(await getRegistration(ctx, session, kind, { forceNew: true }));
  }
}

export function sessionLabel(session: Pick<SsoSession, 'name' | 'startUrl'>): string {
  return session.name ? `session "${session.name}"` : `start URL ${session.startUrl}`;
}
