// Counts, by source, each time the extension's code runs without being asked (a timer firing, a
// file event arriving) and the CPU time it took, so the idle cost can be tested on virtual time and
// measured in the editor.
import type { Timers } from './timers';
import type { WatchFs } from './watch';

/** The process's CPU time so far (user + system, every thread), microseconds. */
export type CpuClock = () => number;

const processCpu: CpuClock = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

export class WakeUps {
  private readonly counts = new Map<string, number>();
  private readonly cpuUs = new Map<string, number>();

  /**
   * `base`: the timers every source shares (real ones in the editor, fake ones in tests). `cpu`:
   * the process's CPU clock; what a wake-up costs is the process's CPU time from its start to the
   * end of its work (a promise it returns settling), an upper bound when other work overlaps.
   */
  constructor(
    private readonly base: Timers,
    private readonly cpu: CpuClock = processCpu,
  ) {}

  /** One wake-up of `source` (e.g. an editor event the extension listens to). */
  note(source: string): void {
    this.counts.set(source, (this.counts.get(source) ?? 0) + 1);
  }

  /** The shared timers, counting each run of a callback, and its CPU time, under `source`. */
  timers(source: string): Timers {
    const counted = (fn: () => unknown) => () => this.run(source, fn);
    return {
      timeout: (fn, ms) => this.base.timeout(counted(fn), ms),
      interval: (fn, ms) => this.base.interval(counted(fn), ms),
    };
  }

  /** `inner` (fs.watch), counting each event it delivers under `source`. */
  watchFs(source: string, inner: WatchFs): WatchFs {
    return (dir, opts, listener) => inner(dir, opts, (event, filename) => this.run(source, () => listener(event, filename)));
  }

  /** Every count so far, by source. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** CPU time of the wake-ups so far, by source, milliseconds. */
  cpuMs(): Record<string, number> {
    return Object.fromEntries([...this.cpuUs].map(([k, us]) => [k, us / 1000]));
  }

  private run(source: string, fn: () => unknown): unknown {
    this.note(source);
    const start = this.cpu();
    const done = () => this.cpuUs.set(source, (this.cpuUs.get(source) ?? 0) + Math.max(0, this.cpu() - start));
    let result: unknown;
    try {
      result = fn();
    } catch (e) {
      done();
      throw e;
    }
    if (result instanceof Promise) return result.finally(done);
    done();
    return result;
  }
}
