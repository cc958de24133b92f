// Discrete-event virtual time for portal tests: concurrent sleepers wake in time order while the clock jumps.
//
// fakeTime() advances the clock on every sleep, which is right for one sequential caller but not for many
// concurrent ones. Here the clock only moves to the earliest pending timer once every promise chain has
// settled (a macrotask turn drains all microtasks), so a simulated server and a paced client share one timeline.
import { Clock, Sleep, abortError } from '../../src/core/ports';

interface Timer {
  at: number;
  n: number;
  fire(): void;
}

export class VirtualTime {
  private t: number;
  private n = 0;
  private timers: Timer[] = [];
  /** Every sleep requested, in order. */
  readonly slept: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  readonly clock: Clock = { now: () => this.t };

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      this.slept.push(ms);
      const onAbort = () => {
        this.timers = this.timers.filter((x) => x !== timer);
        reject(abortError(signal!));
      };
      const timer: Timer = {
        at: this.t + Math.max(0, ms),
        n: this.n++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.insert(timer);
    });

  /**
   * A sleep that wakes as Node's setTimeout does: its clock is the event loop's whole milliseconds (the
   * time it was set at, truncated) and a delay is rounded up to whole milliseconds (under 1 counts as 1),
   * so it wakes up to a millisecond early or late against the fractional clock, plus the loop's own
   * wake-up delay (`overhead()`, ms). Measured here: setTimeout(20.6) from a timer's callback waits
   * 20.2-20.5 ms (median 20.29), one in a hundred much longer when the machine is busy.
   */
  nodeSleep(overhead: () => number = () => 0): Sleep {
    return (ms, signal) => {
      const wake = Math.floor(this.t) + Math.ceil(Math.max(1, ms)) + overhead();
      return this.sleep(wake - this.t, signal);
    };
  }

  /** Runs `fn` in virtual time on this timeline. */
  at(ms: number, fn: () => void): void {
    this.insert({ at: this.t + ms, n: this.n++, fire: fn });
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Drives virtual time until `p` settles; fails if nothing is left to wake it or `limitMs` passes. */
  async run<T>(p: Promise<T>, limitMs = 24 * 3600_000): Promise<T> {
    let done = false;
    p.then(
      () => (done = true),
      () => (done = true),
    );
    const end = this.t + limitMs;
    for (;;) {
      await new Promise<void>((r) => setImmediate(r));
      if (done) return p;
      const next = this.timers.shift();
      if (!next) throw new Error('virtual time: nothing scheduled, but the promise is still pending');
      if (next.at > end) throw new Error(`virtual time: still pending after ${limitMs} ms`);
      this.t = Math.max(this.t, next.at);
      next.fire();
    }
  }

  private insert(timer: Timer): void {
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1].at > timer.at || (this.timers[i - 1].at === timer.at && this.timers[i - 1].n > timer.n))) i--;
    this.timers.splice(i, 0, timer);
  }
}
