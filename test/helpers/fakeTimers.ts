// Timers that run only when a test moves time on, for code that takes the Timers port.
import type { Clock } from '../../src/core/ports';
import type { Timers } from '../../src/core/timers';

interface Entry {
  at: number;
  n: number;
  every?: number;
  fn: () => unknown;
}

export class FakeTimers implements Timers {
  private t: number;
  private n = 0;
  private entries: Entry[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  readonly clock: Clock = { now: () => this.t };

  /** Timers not yet run or cancelled (an interval counts until disposed). */
  get pending(): number {
    return this.entries.length;
  }

  timeout(fn: () => unknown, ms: number) {
    return this.add({ at: this.t + Math.max(0, ms), n: this.n++, fn });
  }

  interval(fn: () => unknown, ms: number) {
    const every = Math.max(1, ms);
    return this.add({ at: this.t + every, n: this.n++, every, fn });
  }

  /**
   * Moves the clock `ms` on, running each timer that falls due in time order and awaiting what
   * it returns (an async callback finishes before the next timer runs).
   */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = this.entries.reduce<Entry | undefined>((a, e) => (!a || e.at < a.at || (e.at === a.at && e.n < a.n) ? e : a), undefined);
      if (!next || next.at > end) break;
      this.t = next.at;
      if (next.every) next.at += next.every;
      else this.entries = this.entries.filter((e) => e !== next);
      await next.fn();
    }
    this.t = end;
  }

  private add(e: Entry) {
    this.entries.push(e);
    return { dispose: () => void (this.entries = this.entries.filter((x) => x !== e)) };
  }
}
