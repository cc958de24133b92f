// When the status bar's words are worked out again and when tokens are renewed: describeStatus
// over the sessions, one timer at the next change, and silent token renewal inside the refresh
// window. No `vscode` import: unit-tested with a fake clock and timers.
import { REFRESH_WINDOW_MS, stillRenewable } from '../../core/auth/renewable';
import type { Clock } from '../../core/ports';
import type { Translate } from '../errorAdvice';
import { describeStatus, SessionState, StatusView } from './statusText';

export interface StatusScheduleDeps {
  clock: Clock;
  /** setTimeout; returns something to cancel it with. `fn` returns when its work ends (a promise). */
  setTimer(fn: () => unknown, ms: number): { dispose(): void };
  states(): SessionState[];
  options(): { warnMinutes: number; activeProfile?: string };
  /** vscode.l10n.t in the editor. */
  translate: Translate;
  /** Renews a session's token (SsoAuth.getAccessToken); must not reject. */
  renew(sessionName: string): Promise<void>;
  /** Called at every scheduled wake-up, before the view is recomputed (e.g. to re-read tokens). */
  onWake?(): Promise<void> | void;
}

/** After a renewal attempt, the next one waits this long (the core also backs off for 60 s). */
const RENEW_RETRY_MS = 60_000;
/** Renewal starts a little inside the CLI's window, so the core agrees it is due. */
const RENEW_MARGIN_MS = 5_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * A change of the tooltip alone waits up to this long for the status bar's own next change, so
 * that several sessions' countdowns in the tooltip ride on the bar's minute tick instead of each
 * waking the extension at its own second of the minute (issue 10: idle cost). The tooltip is
 * worked out again at every tick; between ticks it is at most this much behind.
 */
const TOOLTIP_LAG_MS = 60_000;

export class StatusSchedule {
  private view: StatusView = { text: '', severity: 'none', tooltip: [], accessibilityLabel: '' };
  private timer: { dispose(): void } | undefined;
  private wakeAt: number | undefined;
  private readonly lastRenewAttempt = new Map<string, number>();
  private readonly listeners = new Set<(v: StatusView) => void>();
  private disposed = false;

  constructor(private readonly deps: StatusScheduleDeps) {}

  get current(): StatusView {
    return this.view;
  }

  /** When the model will wake up next (epoch ms), for tests and diagnostics. */
  get nextWakeAt(): number | undefined {
    return this.wakeAt;
  }

  onDidChange(listener: (v: StatusView) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Recomputes the view now, renews what is due, and sets the one timer. */
  update(): void {
    if (this.disposed) return;
    const now = this.deps.clock.now();
    const states = this.deps.states();
    const view = describeStatus(states, now, this.deps.options(), this.deps.translate);
    const changed =
      view.text !== this.view.text ||
      view.severity !== this.view.severity ||
      view.accessibilityLabel !== this.view.accessibilityLabel ||
      view.tooltip.join('\n') !== this.view.tooltip.join('\n');
    this.view = view;
    const renewAt = this.renewDue(states, now);
    this.schedule(min(wakeFor(view), renewAt), now);
    if (changed) for (const l of this.listeners) l(view);
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.dispose();
    this.listeners.clear();
  }

  /** Starts renewals that are due; returns when the next one will be. */
  private renewDue(states: SessionState[], now: number): number | undefined {
    let next: number | undefined;
    const live = new Set(states.map((s) => `${s.name}@${s.expiresAt}`));
    for (const k of [...this.lastRenewAttempt.keys()]) if (!live.has(k)) this.lastRenewAttempt.delete(k);
    for (const s of states) {
      if (s.expiresAt === undefined || !stillRenewable(s.refreshableUntil, now)) continue;
      const expired = s.expiresAt <= now;
      const dueAt = s.expiresAt - REFRESH_WINDOW_MS + RENEW_MARGIN_MS;
      const last = this.lastRenewAttempt.get(`${s.name}@${s.expiresAt}`);
      if (now >= dueAt) {
        // Expired tokens are tried once; live ones again every minute until renewed or expired.
        if (last === undefined || (!expired && now - last >= RENEW_RETRY_MS)) {
          this.lastRenewAttempt.set(`${s.name}@${s.expiresAt}`, now);
          void this.deps.renew(s.name);
          if (!expired) next = min(next, now + RENEW_RETRY_MS);
        } else if (!expired) {
          next = min(next, last + RENEW_RETRY_MS);
        }
      } else {
        next = min(next, dueAt);
      }
    }
    return next;
  }

  private schedule(at: number | undefined, now: number): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.wakeAt = at;
    if (at === undefined) return;
    const ms = Math.min(MAX_TIMER_MS, Math.max(0, at - now));
    this.timer = this.deps.setTimer(() => {
      this.timer = undefined;
      // A failed re-read (told where it failed) still recomputes the view; the promise never rejects.
      const update = () => this.update();
      return Promise.resolve(this.deps.onWake?.()).then(update, update);
    }, ms);
  }
}

/** When the view must be worked out again: its next change, or the bar's own if that comes soon enough. */
function wakeFor(view: StatusView): number | undefined {
  const { nextChangeAt: any, nextBarChangeAt: bar } = view;
  return any !== undefined && bar !== undefined && bar - any <= TOOLTIP_LAG_MS ? bar : any;
}

function min(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
