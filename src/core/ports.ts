// Injected dependencies of the core, so tests can drive time and I/O.

/** How much a log line matters; a line without one is 'info'. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The core's log: routine steps at 'debug', failures at 'warn'/'error'. Non-secret facts only. */
export type Log = (msg: string, level?: LogLevel) => void;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Waits `ms` milliseconds; rejects with an AbortError when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const systemClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

// Node's timers wake in whole milliseconds of the event loop's clock: up to one early or late.
const TIMER_GRAIN_MS = 1;

/**
 * Waits `ms` to a fraction of a millisecond: a timer to within Node's grain of the deadline, then one
 * event-loop turn at a time until it is reached (at most about a millisecond of turns). For the few waits
 * where that fraction decides an outcome (pacing against a server that holds no burst); costs CPU, so not
 * for anything else.
 */
export const preciseSleep: Sleep = (ms, signal) => {
  const until = performance.now() + ms;
  // setTimeout(x) wakes at the loop's whole-millisecond clock (≤ now) + ⌈x⌉: within (x − 1, x + 1) of now.
  const coarse = ms - TIMER_GRAIN_MS;
  return (coarse > 0 ? realSleep(coarse, signal) : Promise.resolve()).then(
    () =>
      new Promise<void>((resolve, reject) => {
        const turn = () => {
          if (signal?.aborted) reject(abortError(signal));
          else if (performance.now() >= until) resolve();
          else setImmediate(turn);
        };
        turn();
      }),
  );
};

export function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('The operation was cancelled.');
  e.name = 'AbortError';
  return e;
}
