// A controllable clock and sleep for tests: sleeping advances the clock instantly.
import { abortError, Clock, Sleep } from '../../src/core/ports';

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError(signal);
}

export interface FakeTime {
  clock: Clock;
  sleep: Sleep;
  advance(ms: number): void;
  /** Every sleep requested, in order. */
  slept: number[];
}

export function fakeTime(start = Date.UTC(2026, 0, 1)): FakeTime {
  let t = start;
  const slept: number[] = [];
  return {
    clock: { now: () => t },
    sleep: async (ms, signal) => {
      throwIfAborted(signal);
      slept.push(ms);
      t += ms;
      await Promise.resolve();
      throwIfAborted(signal);
    },
    advance: (ms) => {
      t += ms;
    },
    slept,
  };
}
