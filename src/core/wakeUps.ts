// Counts, by source, each time the extension's code runs without being asked (a timer firing, a
// file event arriving), so the idle cost can be tested on virtual time and measured in the editor.
import type { Timers } from './timers';
import type { WatchFs } from './watch';

export class WakeUps {
  private readonly counts = new Map<string, number>();

  /** `base`: the timers every source shares (real ones in the editor, fake ones in tests). */
  constructor(private readonly base: Timers) {}

  /** One wake-up of `source` (e.g. an editor event the extension listens to). */
  note(source: string): void {
    this.counts.set(source, (this.counts.get(source) ?? 0) + 1);
  }

  /** The shared timers, counting each run of a callback under `source`. */
  timers(source: string): Timers {
    const counted =
      (fn: () => unknown) =>
      (): unknown => {
        this.note(source);
        return fn();
      };
    return {
      timeout: (fn, ms) => this.base.timeout(counted(fn), ms),
      interval: (fn, ms) => this.base.interval(counted(fn), ms),
    };
  }

  /** `inner` (fs.watch), counting each event it delivers under `source`. */
  watchFs(source: string, inner: WatchFs): WatchFs {
    return (dir, opts, listener) =>
      inner(dir, opts, (event, filename) => {
        this.note(source);
        listener(event, filename);
      });
  }

  /** Every count so far, by source. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
