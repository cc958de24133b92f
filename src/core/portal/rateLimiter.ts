// Client-side pacing for the SSO portal: a queue of waiters released through a token bucket and a concurrency bound, at the rate the estimator learns from 429s.
//
// The queue is the machinery (waiters, priorities, timers, abort signals, the client bucket); every
// judgement about the server's throttle is RateEstimator's (rateEstimator.ts), which it asks before each grant.

import { Clock, Sleep, abortError, realSleep, systemClock } from '../ports';
import { preciseSleep } from './preciseSleep';
import { LimiterPhase, PermitOutcome, RateEstimator } from './rateEstimator';

export type { PermitOutcome } from './rateEstimator';

export interface Permit {
  /** Clock time at which the permit was granted (the request was sent). */
  readonly sentAt: number;
  /** Frees the concurrency slot and reports the outcome; later calls are ignored. */
  release(outcome: PermitOutcome): void;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Served before ordinary waiters: page requests, retries of calls already started, user-initiated calls. */
  priority?: boolean;
}

export interface AdaptiveRateLimiterOptions {
  /** Requests per second before the first 429; grows while demand waits. Default: `maxRate`, to spend the server's burst. */
  initialRate?: number;
  /** Floor of the rate, requests per second. Default 1. */
  minRate?: number;
  /** Ceiling of the rate, requests per second. Default 1000. */
  maxRate?: number;
  /** Capacity of the client-side bucket: requests that may go out back to back until the server's limit is met (afterwards they keep the rate's spacing). Default 4. */
  burst?: number;
  /** Requests in flight at most. Default 8. */
  concurrency?: number;
  /** Share of the measured server rate to pace at after a 429. Default 0.97. */
  backoffShare?: number;
  clock?: Clock;
  sleep?: Sleep;
  /** A sleep exact to a fraction of a millisecond (see ./preciseSleep.ts); default that, or `sleep` when given. */
  preciseSleep?: Sleep;
}

export interface LimiterSnapshot {
  rate: number;
  /** The learnt server rate, once measured over enough successes. */
  estimate?: number;
  phase: LimiterPhase;
  inFlight: number;
  queued: number;
  granted: number;
  throttled: number;
}

interface Waiter {
  resolve(p: Permit): void;
  reject(e: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

// Defaults of the options, measured like the estimator's constants (see rateEstimator.ts: the listing
// twin on virtual time, bench/limiterTwin.ts).
// Ceiling, and so the start's pace until the first 429: it must exceed the fastest server. Measured: 100
// → fast (400/s) 4.09×; 10,000 → halving at 500 accounts 429s 1.9 → 2.1 % (the start's in-flight cap bounds it anyway).
const DEFAULT_MAX_RATE = 1000;
// Floor: no run of 429s pushes the rate below it. A guess: no case reaches it (0.5 and 2 changed nothing).
const DEFAULT_MIN_RATE = 1;
// Client bucket: requests that may go out back to back until the server's limit is met (spending its
// burst; afterwards they keep the rate's spacing). Measured: 1 and 2 → halving 50/s, 500 accounts 429s
// 2.1-2.5 %, 40 ms fixed window 1.02 → 1.09×; 8 → halving at 500 accounts 429s 2.1 %.
const DEFAULT_BURST = 4;
// Eight in flight send 20/s at 400 ms round trips: the portal's rate at its slowest round trips.
// Measured: 4 → portal 400 ms 1.04 → 2.06×; 16 → 1.01×, but its 429s 0 → 3.8 % and portal 120 ms 1.5 → 1.9 %.
const DEFAULT_CONCURRENCY = 8;
// Pace at this share of the learnt server rate. Measured: 0.94 → halving 50/s, 500 accounts 1.02 → 1.114×;
// 0.985 → three grid cases over 2 % of 429s, 40 ms fixed window 1.02 → 1.12×.
const DEFAULT_SHARE = 0.97;
// Epoch milliseconds carry ~0.0002 ms of precision; a token that is this short of 1 is a whole token.
// Not tuned: rounding, not pacing.
const TOKEN_EPSILON = 1e-6;
// Shortest timer the pump sets while waiting for a token, ms: a zero wait would spin. Not tuned.
const MIN_WAIT_MS = 0.01;

/**
 * The system clock in fractions of a millisecond. Date.now() moves in whole milliseconds, a twentieth of the
 * spacing at 50 requests/s: against a server that holds no burst, that alone decides between a 200 and a 429.
 */
const preciseClock: Clock = { now: () => performance.timeOrigin + performance.now() };

export class AdaptiveRateLimiter {
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly preciseSleep: Sleep;
  private readonly capacity: number;
  private readonly estimator: RateEstimator;

  /** The client bucket: tokens refill at the estimator's rate up to `capacity`. */
  private tokens: number;
  private refilledAt: number;
  private inFlight = 0;
  private readonly high: Waiter[] = [];
  private readonly normal: Waiter[] = [];
  private timer: AbortController | undefined;
  private grantedCount = 0;
  private throttledCount = 0;
  /** Since when demand with a free slot has been waiting for tokens, i.e. held back by the rate alone. */
  private rateWaitFrom: number | undefined;

  constructor(opts: AdaptiveRateLimiterOptions = {}) {
    this.clock = opts.clock === undefined || opts.clock === systemClock ? preciseClock : opts.clock;
    this.sleep = opts.sleep ?? realSleep;
    this.preciseSleep = opts.preciseSleep ?? (opts.sleep === undefined ? preciseSleep : opts.sleep);
    const minRate = positive(opts.minRate, DEFAULT_MIN_RATE, 'minRate');
    const maxRate = positive(opts.maxRate, DEFAULT_MAX_RATE, 'maxRate');
    if (maxRate < minRate) throw new RangeError('maxRate must not be below minRate');
    this.capacity = Math.max(1, positive(opts.burst, DEFAULT_BURST, 'burst'));
    const maxInFlight = Math.max(1, Math.floor(positive(opts.concurrency, DEFAULT_CONCURRENCY, 'concurrency')));
    const share = opts.backoffShare ?? DEFAULT_SHARE;
    if (!(share > 0 && share <= 1)) throw new RangeError('backoffShare must be in (0, 1]');
    this.tokens = this.capacity;
    this.refilledAt = this.clock.now();
    this.estimator = new RateEstimator({ initialRate: opts.initialRate ?? maxRate, minRate, maxRate, share, maxInFlight, now: this.refilledAt });
  }

  /** Current pacing rate, requests per second. */
  get rate(): number {
    return this.estimator.rate;
  }

  /** Requests in flight at most. */
  get concurrency(): number {
    return this.estimator.maxInFlight;
  }

  /** The server rate learnt from 429s, once trusted. */
  get estimate(): number | undefined {
    return this.estimator.estimate;
  }

  snapshot(): LimiterSnapshot {
    return {
      rate: this.estimator.rate,
      estimate: this.estimator.estimate,
      phase: this.estimator.phase,
      inFlight: this.inFlight,
      queued: this.queued(),
      granted: this.grantedCount,
      throttled: this.throttledCount,
    };
  }

  /** Resolves when a request may be sent; rejects with an AbortError when `signal` aborts first. */
  acquire(opts: AcquireOptions = {}): Promise<Permit> {
    const { signal, priority } = opts;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    this.noticeIdle();
    return new Promise<Permit>((resolve, reject) => {
      const w: Waiter = { resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          for (const q of [this.high, this.normal]) {
            const i = q.indexOf(w);
            if (i >= 0) q.splice(i, 1);
          }
          reject(abortError(signal));
          // Nobody left to wait for: drop the pending timer so it does not hold the process.
          if (this.queued() === 0) this.kick();
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      (priority ? this.high : this.normal).push(w);
      this.pump();
    });
  }

  /** Runs `fn` under a permit, reporting a 429 (as judged by `isThrottle`) back to the limiter. */
  async run<T>(fn: () => Promise<T>, opts: AcquireOptions & { isThrottle?: (e: unknown) => boolean } = {}): Promise<T> {
    const permit = await this.acquire(opts);
    try {
      const v = await fn();
      permit.release('ok');
      return v;
    } catch (e) {
      permit.release(opts.isThrottle?.(e) ? 'throttled' : 'failed');
      throw e;
    }
  }

  // ---- granting ---------------------------------------------------------------------------------

  private queued(): number {
    return this.high.length + this.normal.length;
  }

  private refill(now: number): void {
    if (now > this.refilledAt) {
      // Once the server's limit has been met, requests keep their spacing: catching up after a late timer
      // would send two closer together than the rate, which a server that holds no burst answers with a 429.
      const capacity = this.estimator.phase === 'tracking' ? 1 : this.capacity;
      this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) * this.estimator.rate) / 1000);
      this.refilledAt = now;
    }
  }

  /** The estimator's verdict after an overload: the bucket holds `tokens` from `now` on. */
  private resetBucket(tokens: number, now: number): void {
    this.tokens = tokens;
    this.refilledAt = now;
  }

  /** The rate is what holds demand back: demand waits, a slot is free and the client bucket is empty. */
  private rateHoldsBack(now: number): boolean {
    if (this.queued() === 0 || this.inFlight >= this.estimator.inFlightCap()) return false;
    this.refill(now);
    return this.tokens < 1;
  }

  private noticeIdle(): void {
    if (this.queued() > 0) return;
    const now = this.clock.now();
    this.refill(now);
    this.estimator.demandResumes(now, this.tokens >= this.capacity, this.inFlight);
  }

  /** Wakes the pump if it is sleeping, so that it re-plans with the current state. */
  private kick(): void {
    const t = this.timer;
    this.timer = undefined;
    t?.abort();
    this.pump();
  }

  private pump(): void {
    if (this.timer) return;
    for (;;) {
      if (this.queued() === 0 || this.inFlight >= this.estimator.inFlightCap()) {
        // Not the rate holding demand back: that time does not count for the recovery.
        this.rateWaitFrom = undefined;
        return;
      }
      const now = this.clock.now();
      const until = this.estimator.holdUntil(now);
      if (until !== undefined) {
        this.wait(until - now);
        return;
      }
      if (this.estimator.phase === 'braking') {
        this.resetBucket(this.estimator.endBraking(now), now);
        continue;
      }
      this.refill(now);
      if (this.tokens < 1 - TOKEN_EPSILON) {
        this.rateWaitFrom ??= now;
        this.wait(Math.max(MIN_WAIT_MS, ((1 - this.tokens) * 1000) / this.estimator.rate));
        return;
      }
      this.tokens = Math.max(0, this.tokens - 1);
      if (this.rateWaitFrom !== undefined) this.estimator.heldBack(this.rateWaitFrom, now);
      this.rateWaitFrom = undefined;
      const w = (this.high.length > 0 ? this.high : this.normal).shift()!;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(this.grant(now));
    }
  }

  private wait(ms: number): void {
    const ctl = new AbortController();
    this.timer = ctl;
    // Against a server that holds no burst, a timer's millisecond grain decides between a 200 and a 429, and
    // waking late by half a millisecond a request costs 2-3 % of the listing at 50 requests/s.
    const sleep = this.estimator.spacingCritical ? this.preciseSleep : this.sleep;
    sleep(Math.max(0, ms), ctl.signal).then(
      () => {
        if (this.timer === ctl) {
          this.timer = undefined;
          this.pump();
        }
      },
      () => undefined,
    );
  }

  private grant(now: number): Permit {
    const sent = this.estimator.sent(now);
    this.inFlight++;
    this.grantedCount++;
    let released = false;
    return {
      sentAt: now,
      release: (outcome) => {
        if (released) return;
        released = true;
        this.inFlight--;
        const at = this.clock.now();
        this.estimator.released(sent, outcome, at);
        const late = this.estimator.lateness(sent);
        if (late > 0) {
          // The next request keeps its distance from when this one probably arrived.
          this.refill(at);
          this.tokens -= (late * this.estimator.rate) / 1000;
        }
        if (outcome === 'ok') this.estimator.succeeded(at, this.rateHoldsBack(at));
        else if (outcome === 'throttled') {
          this.throttledCount++;
          if (this.estimator.throttled(sent, at)) {
            // A hold ends with one request, not with what the bucket would save up meanwhile.
            const hold = this.estimator.phase === 'braking' ? undefined : this.estimator.holdUntil(at);
            this.resetBucket(hold === undefined ? 0 : 1, hold ?? at);
            this.kick();
          }
        }
        if (this.estimator.settle()) this.kick();
        this.pump();
      },
    };
  }
}

function positive(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${name} must be a positive number`);
  return v;
}
