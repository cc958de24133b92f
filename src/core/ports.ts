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

export function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('The operation was cancelled.');
  e.name = 'AbortError';
  return e;
}
