// Which sessions VS Code's Accounts menu lists, and what changed between two looks: the signed-in
// sessions whose registration scopes include the ones asked for. No `vscode` import: unit-tested.
import { scopesOrDefault } from '../core/scopes';
import type { SignInPhase, UiSession } from './sessionsModel';

export interface AccountEntry {
  /** The session's name: the AuthenticationSession's id and its account's label. */
  name: string;
  /** The scopes the session registers with (sso_registration_scopes, or the default). */
  scopes: string[];
  /** The token's expiry: a change is a new sign-in or a renewal. */
  expiresAt: number;
}

/** Whether the session registers (sso_registration_scopes, or the default) every scope asked for; none asked: yes. */
export function holdsScopes(session: Pick<UiSession, 'scopes'>, scopes?: readonly string[]): boolean {
  const have = scopesOrDefault(session.scopes);
  return !scopes || scopes.every((x) => have.includes(x));
}

/** The sessions the Accounts menu shows: signed in, holding every scope asked for (none: all). */
export function accountEntries(
  sessions: readonly UiSession[],
  state: (name: string) => { phase: SignInPhase; expiresAt?: number },
  scopes?: readonly string[],
): AccountEntry[] {
  const out: AccountEntry[] = [];
  for (const s of sessions) {
    const st = state(s.name);
    if (st.phase !== 'signedIn' || st.expiresAt === undefined) continue;
    if (!holdsScopes(s, scopes)) continue;
    out.push({ name: s.name, scopes: scopesOrDefault(s.scopes), expiresAt: st.expiresAt });
  }
  return out;
}

/** What onDidChangeSessions tells: sessions signed in, signed out, and renewed or replaced. */
export function diffEntries(before: readonly AccountEntry[], after: readonly AccountEntry[]): { added: AccountEntry[]; removed: AccountEntry[]; changed: AccountEntry[] } {
  const was = new Map(before.map((e) => [e.name, e]));
  const now = new Map(after.map((e) => [e.name, e]));
  return {
    added: after.filter((e) => !was.has(e.name)),
    removed: before.filter((e) => !now.has(e.name)),
    changed: after.filter((e) => was.has(e.name) && (was.get(e.name)!.expiresAt !== e.expiresAt || was.get(e.name)!.scopes.join(' ') !== e.scopes.join(' '))),
  };
}
