// A sleep exact to a fraction of a millisecond, for the rate limiter's waits against a server that holds no burst (kept out of ports.ts, which activation loads).
import { Sleep, abortError, realSleep } from '../ports';

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
