// The heads-up before a session that cannot renew itself ends, and the notice when it has ended:
// when each is due, shown once per session and expiry (a new sign-in re-arms them), never for a
// session that renews itself. One timer, at the next moment a notice is due. No `vscode` import:
// unit-tested with a fake clock and timers.
import { stillRenewable } from '../../core/auth/renewable';
import type { Clock } from '../../core/ports';
import type { Timer, Timers } from '../../core/timers';
import type { SessionMemory } from '../sessionMemory';
import type { SessionState } from './statusText';

export interface ExpiryNotice {
  session: string;
  /** 'ending': the warning minutes before the end; 'ended': at the end. */
  kind: 'ending' | 'ended';
  expiresAt: number;
}

export interface ExpiryNoticesDeps {
  clock: Clock;
  timers: Timers;
  states(): SessionState[];
  /** awsSsoProfiles.expiryWarningMinutes; 0 turns both notices off. */
  warnMinutes(): number;
  /** Whether the editor window has focus. */
  focused(): boolean;
  show(notice: ExpiryNotice): void;
  /** What was shown, kept between starts and shared by the windows (globalState). */
  memory?: SessionMemory;
  /** When this window started watching (epoch ms): a session that ended before gets no "ended" notice. */
  since: number;
}

export const SHOWN_KEY = 'awsSsoProfiles.expiryNoticesShown';
const MAX_TIMER_MS = 2 ** 31 - 1;

export class ExpiryNotices {
  private timer: Timer | undefined;
  /** Sessions (at one expiry) whose renewal the service refused: they end unless the user signs in. */
  private readonly refused = new Set<string>();
  private disposed = false;

  constructor(private readonly deps: ExpiryNoticesDeps) {}

  /** The renewal of this session's current token was refused: it will end (SessionEnded). */
  renewalRefused(session: string): void {
    const s = this.deps.states().find((x) => x.name === session);
    if (s?.expiresAt === undefined) return;
    this.refused.add(key(s));
    this.update();
  }

  /** Shows what is due now and sets the one timer for the next. */
  update(): void {
    if (this.disposed) return;
    const now = this.deps.clock.now();
    const warnMs = Math.max(0, this.deps.warnMinutes()) * 60_000;
    const shown = new Set(this.remembered());
    const live = new Set<string>();
    const due: ExpiryNotice[] = [];
    let next: number | undefined;
    const mark = (k: string) => shown.add(k);
    for (const s of this.deps.states()) {
      if (s.expiresAt === undefined) continue;
      const id = key(s);
      live.add(id);
      if (warnMs === 0) continue;
      const renews = !this.refused.has(id) && stillRenewable(s.refreshableUntil, now);
      if (renews) {
        // When the registration runs out before the token, the token then ends like any other.
        if (s.refreshableUntil! < s.expiresAt) next = min(next, s.refreshableUntil!);
        continue;
      }
      if (now >= s.expiresAt) {
        if (!shown.has(`${id}#ended`)) {
          if (s.expiresAt >= this.deps.since) due.push({ session: s.name, kind: 'ended', expiresAt: s.expiresAt });
          mark(`${id}#ending`);
          mark(`${id}#ended`);
        }
        continue;
      }
      if (!shown.has(`${id}#ending`)) {
        const warnAt = s.expiresAt - warnMs;
        if (now >= warnAt) {
          mark(`${id}#ending`);
          // Not focused: the status bar's warning colour says it; a notification would wait unseen and pile up.
          if (this.deps.focused()) due.push({ session: s.name, kind: 'ending', expiresAt: s.expiresAt });
        } else {
          next = min(next, warnAt);
        }
      }
      next = min(next, s.expiresAt);
    }
    // Only the entries of the tokens there are now: a new sign-in (a new expiry) starts afresh.
    this.remember([...shown].filter((k) => live.has(k.slice(0, k.lastIndexOf('#')))));
    for (const k of [...this.refused]) if (!live.has(k)) this.refused.delete(k);
    this.schedule(next, now);
    for (const n of due) this.deps.show(n);
  }

  /** When the next notice may be due (epoch ms), for tests. */
  get nextWakeAt(): number | undefined {
    return this.wakeAt;
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.dispose();
    this.timer = undefined;
  }

  private wakeAt: number | undefined;

  private schedule(at: number | undefined, now: number): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.wakeAt = at;
    if (at === undefined) return;
    this.timer = this.deps.timers.timeout(() => {
      this.timer = undefined;
      this.update();
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - now)));
  }

  /** What this window showed, and what the memory says was shown (another window, an earlier start). */
  private remembered(): string[] {
    const v = this.deps.memory?.get<unknown>(SHOWN_KEY);
    return [...this.local, ...(Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])];
  }

  /**
   * What this window showed, kept here too: globalState's value can lag behind our own write
   * (another write's echo from the editor replaces it for a moment), and a notice must not repeat.
   */
  private local: string[] = [];

  private remember(keys: string[]): void {
    this.local = keys;
    const before = this.deps.memory?.get<unknown>(SHOWN_KEY);
    if (!this.deps.memory || (Array.isArray(before) && before.join('\n') === keys.join('\n'))) return;
    void Promise.resolve(this.deps.memory.update(SHOWN_KEY, keys)).catch(() => undefined);
  }
}

/** A session at one expiry: a new sign-in is a new key. */
function key(s: SessionState): string {
  return `${s.name}@${s.expiresAt}`;
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
