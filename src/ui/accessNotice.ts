// The notice that access changed ("2 new roles, 1 removed in 'my-org-sso'"), told once per change
// when a listing completes, with Review opening Create Profiles for All Roles' preview. No `vscode`
// import: the editor's parts come in as ports, so the rules are unit-tested.
import { plural } from '../core/plural';
import { accessChanges, accessFingerprint } from '../core/accessChanges';
import { listProfiles } from '../core/config/read';
import type { Listing } from '../core/portal/portal';
import type { Translate } from './errorAdvice';
import type { UiSession } from './sessionsModel';

/** globalState key: per session, the fingerprint of the last difference told (core/accessChanges.ts). */
export const ACCESS_NOTICE_KEY = 'awsSsoProfiles.accessNotices';

export interface AccessNoticePorts {
  memory: { get<T>(key: string): T | undefined; update(key: string, value: unknown): Thenable<void> };
  configText(): Promise<string>;
  /** Shows the notice with a Review button; resolves true when the user picked Review. */
  show(text: string, review: string): Promise<boolean>;
  /** Create Profiles for All Roles of the session, pruning (after its preview) when `prune`. */
  review(session: UiSession, prune: boolean): Promise<unknown>;
  t: Translate;
}

/** "2 new roles, 1 removed in 'my-org-sso'": each count in words that read naturally. */
export function accessNoticeText(t: Translate, added: number, removed: number, session: string): string {
  const parts: string[] = [];
  if (added > 0) parts.push(plural(added, t('1 new role'), t('{0} new roles', added)));
  if (removed > 0) parts.push(plural(removed, t('1 removed'), t('{0} removed', removed)));
  return t("{0} in '{1}'", parts.join(', '), session);
}

export class AccessNotices {
  /** Sessions whose Create Profiles for All Roles runs now: its own preview tells the change. */
  private readonly reviewing = new Map<string, number>();

  constructor(private readonly ports: AccessNoticePorts) {}

  /**
   * A listing of every account and role of `session` completed: tells what changed, unless this
   * very difference was told before. Resolves once the notice is answered (or not shown).
   */
  async listed(session: UiSession, listing: Listing): Promise<void> {
    const { t } = this.ports;
    const text = await this.ports.configText();
    const unknown = [...listing.failed.keys(), ...listing.accounts.filter((a) => !listing.roles.has(a.accountId)).map((a) => a.accountId)];
    const c = accessChanges(text, session, { accounts: listing.accounts, roles: listing.roles, unknownAccounts: unknown });
    // Someone who keeps no profiles for this session (console and credentials only) is not told
    // about every role they have; stale profiles are told either way.
    const keepsProfiles = listProfiles(text).some((p) => p.ssoSession === session.name);
    const added = keepsProfiles ? c.added : [];
    const print = accessFingerprint({ added, removed: c.removed });
    const all = { ...(this.ports.memory.get<Record<string, string>>(ACCESS_NOTICE_KEY) ?? {}) };
    if (print === all[session.name]) return;
    if (print === undefined) delete all[session.name];
    else all[session.name] = print;
    // Remembered before asking: a second listing while the notice shows must not repeat it.
    await this.ports.memory.update(ACCESS_NOTICE_KEY, all);
    if (print === undefined || this.reviewing.has(session.name)) return;
    const review = t('Review');
    if (await this.ports.show(accessNoticeText(t, added.length, c.removed.length, session.name), review)) {
      await this.ports.review(session, c.removed.length > 0);
    }
  }

  /** While Create Profiles for All Roles runs for `session`; call the result when it ends. */
  reviewingSession(session: string): () => void {
    this.reviewing.set(session, (this.reviewing.get(session) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.reviewing.get(session) ?? 1) - 1;
      if (n <= 0) this.reviewing.delete(session);
      else this.reviewing.set(session, n);
    };
  }
}
