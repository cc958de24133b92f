// When a token is due for renewal and whether it can renew itself: the rules alone, without the
// refresh (which needs the SDK), so the status bar can ask them at activation.
import type { CachedToken } from '../types';

/** botocore's _REFRESH_WINDOW: refresh when less than this remains. */
export const REFRESH_WINDOW_MS = 15 * 60_000;

export function needsRefresh(token: CachedToken, now: number): boolean {
  return token.expiresAt - now < REFRESH_WINDOW_MS;
}

/**
 * Until when the token can be renewed without the user: its client registration's expiry.
 * Undefined when it cannot be renewed at all: botocore's SSOTokenProvider needs all of
 * refreshToken, clientId, clientSecret and registrationExpiresAt (a token from an older
 * `aws sso login` has none of them). The one definition of "refreshable" for the CLI, the editor
 * and the refresh itself.
 */
export function refreshableUntil(token: CachedToken | undefined): number | undefined {
  if (!token?.refreshToken || !token.clientId || !token.clientSecret || token.registrationExpiresAt === undefined) return undefined;
  return token.registrationExpiresAt;
}

/** Whether the token can be renewed at `now` (its registration has not expired). */
export function canRefresh(token: CachedToken | undefined, now: number): boolean {
  return stillRenewable(refreshableUntil(token), now);
}

/**
 * canRefresh for callers that keep only `refreshableUntil(token)` (the editor's session state):
 * undefined means the token can never be renewed.
 */
export function stillRenewable(until: number | undefined, now: number): boolean {
  return until !== undefined && now < until;
}
