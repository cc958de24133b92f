// Turns a CreateToken answer into the token we cache, checking that it holds what we need.
import { SsoError } from '../errors';
import type { CachedToken, Registration, SsoSession } from '../types';

export interface TokenGrant {
  accessToken?: string;
  expiresIn?: number;
  refreshToken?: string;
}

/**
 * The cached token for a grant. The expiry is cut to whole seconds, the precision of the cache
 * file, so the token returned equals the one read back later.
 */
export function tokenFromGrant(
  session: Pick<SsoSession, 'startUrl' | 'region'>,
  client: { clientId: string; clientSecret: string; registrationExpiresAt?: number },
  grant: TokenGrant | undefined,
  now: number,
): CachedToken {
  if (!grant?.accessToken || typeof grant.expiresIn !== 'number' || !(grant.expiresIn > 0)) {
    throw new SsoError('BadResponse', 'IAM Identity Center answered CreateToken without an access token or expiry.');
  }
  const token: CachedToken = {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: grant.accessToken,
    expiresAt: Math.floor((now + grant.expiresIn * 1000) / 1000) * 1000,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
  };
  if (client.registrationExpiresAt !== undefined) token.registrationExpiresAt = client.registrationExpiresAt;
  if (grant.refreshToken) token.refreshToken = grant.refreshToken;
  return token;
}

export function registrationClient(reg: Registration) {
  return { clientId: reg.clientId, clientSecret: reg.clientSecret, registrationExpiresAt: reg.expiresAt };
}
