// A sleep exact to a fraction of a millisecond, for the rate limiter's waits against a server that holds no burst (kept out of ports.ts, which activation loads).
import { Sleep, abortError, realSleep } from '../ports';

// Node's timers wake in whole milliseconds of the event loop's clock: up to one early or late.
const TIMER_GRAIN_MS = 1;

/** What a precise sleep is made of: a fractional clock, a coarse sleep, and one event-loop turn. */
export interface PreciseSleepParts {
  now(): number;
  sleep: Sleep;
  turn(fn: () => void): void;
}

/**
 * Waits `ms` to a fraction of a millisecond: a coarse sleep to within the timer grain of the deadline,
 * then one event-loop turn at a time until it is reached (at most about a millisecond of turns).
 */
export function makePreciseSleep(p: PreciseSleepParts): Sleep {
  return (ms, signal) => {
    const until = p.now() + ms;
    // setTimeout(x) wakes at the loop's whole-millisecond clock (≤ now) + ⌈x⌉: within (x − 1, x + 1) of now.
    const coarse = ms - TIMER_GRAIN_MS;
    return (coarse > 0 ? p.sleep(coarse, signal) : Promise.resolve()).then(
      () =>
        new Promise<void>((resolve, reject) => {
          const turn = () => {
            if (signal?.aborted) reject(abortError(signal));
            else if (p.now() >= until) resolve();
            else p.turn(turn);
          };
          turn();
        }),
    );
  };
}

/**
 * For the few waits where a fraction of a millisecond decides an outcome (pacing against a server that
 * holds no burst); its turns cost CPU, so not for anything else.
 */
export const preciseSleep: Sleep = makePreciseSleep({ now: () => performance.now(), sleep: realSleep, turn: (fn) => setImmediate(fn) });
