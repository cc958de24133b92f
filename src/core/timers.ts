// Timers as an injected port, so tests drive time instead of waiting for it.

export interface Timer {
  /** Cancels the timer; harmless when it already ran or was cancelled. */
  dispose(): void;
}

export interface Timers {
  /** Runs `fn` once after `ms`. A promise `fn` returns is the caller's to handle (fakes await it). */
  timeout(fn: () => unknown, ms: number): Timer;
  /** Runs `fn` every `ms`. */
  interval(fn: () => unknown, ms: number): Timer;
}

/**
 * setTimeout / setInterval. Without `keepAlive` the timers are unref'ed: a watcher must never be
 * what keeps a CLI or a test process running.
 */
export function realTimers(opts: { keepAlive?: boolean } = {}): Timers {
  const keepAlive = opts.keepAlive ?? true;
  const hold = (h: NodeJS.Timeout) => (keepAlive ? h : h.unref());
  return {
    timeout(fn, ms) {
      const h = hold(setTimeout(fn, ms));
      return { dispose: () => clearTimeout(h) };
    },
    interval(fn, ms) {
      const h = hold(setInterval(fn, ms));
      return { dispose: () => clearInterval(h) };
    },
  };
}
