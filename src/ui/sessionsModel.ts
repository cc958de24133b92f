// Sessions as the UI lists them: the config file's and the settings', merged by the core.
import { refreshableUntil } from '../core/auth/renewable';
import type { NamedSession } from '../core/sessions';
import type { CachedToken } from '../core/types';
import { mergeSessions, SessionSetting as CoreSessionSetting } from '../core/sessionSources';
import type { SessionSetting } from './settingsModel';

/** 'config' also covers a session both define: the config file is what the AWS CLI reads. */
export type SessionSource = 'config' | 'settings';

export interface UiSession extends NamedSession {
  /** Where the session is defined; a settings-only session gets an [sso-session] when a profile needs it. */
  source: SessionSource;
}

export function combineSessions(
  fromConfig: readonly NamedSession[],
  fromSettings: readonly SessionSetting[],
): { sessions: UiSession[]; problems: string[] } {
  // Entries of any shape: the core checks each one and reports the bad ones as problems.
  const merged = mergeSessions(fromConfig, fromSettings as readonly CoreSessionSetting[]);
  return {
    sessions: merged.sessions.map((s) => ({
      name: s.name,
      startUrl: s.startUrl,
      region: s.region,
      scopes: [...s.scopes],
      source: s.source === 'settings' ? 'settings' : 'config',
    })),
    problems: merged.problems.map((p) => p.message),
  };
}

export interface TokenState {
  /** Epoch ms; undefined when there is no token. */
  expiresAt?: number;
  /**
   * Until when the token can renew itself (the client registration's expiry); undefined when it
   * never can (no refresh token or client). Ask core/auth/refresh.ts stillRenewable.
   */
  refreshableUntil?: number;
}

export type SignInPhase = 'signedIn' | 'expired' | 'signedOut';


export function tokenState(t: CachedToken | undefined): TokenState {
  if (!t) return {};
  const until = refreshableUntil(t);
  const s: TokenState = { expiresAt: t.expiresAt };
  if (until !== undefined) s.refreshableUntil = until;
  return s;
}

export function phaseOf(t: TokenState | undefined, now: number): SignInPhase {
  if (t?.expiresAt === undefined || !Number.isFinite(t.expiresAt)) return 'signedOut';
  return t.expiresAt > now ? 'signedIn' : 'expired';
}
