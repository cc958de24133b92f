// The server-side throttle models of the fakes (HTTP fake, simulated portal, the bench and its twin) and the lower bound each puts on a listing.
//
// The portal's throttle is undocumented, so the limiter is judged against several shapes of the same rate:
// a token bucket (with a burst of 20, or of 1), a fixed one-second window, a sliding one-second window, and
// a token bucket whose rate halves partway through. Every model counts time from the first request it sees
// (after creation or reset): windows are aligned to it and a halving's `atMs` counts from it, so a run's
// lower bound does not depend on when the throttle was created.

export type ThrottleModel =
  | { kind: 'bucket'; rate: number; burst: number }
  /** At most `perSecond` admitted in each one-second window [t0 + k s, t0 + (k + 1) s); nothing carries over. */
  | { kind: 'fixedWindow'; perSecond: number }
  /** At most `perSecond` admitted in any one second (the last second before each request). */
  | { kind: 'slidingWindow'; perSecond: number }
  /** A token bucket whose rate halves `atMs` after the first request, or once `afterRequests` were admitted. */
  | { kind: 'halving'; rate: number; burst: number; atMs?: number; afterRequests?: number };

/** What the fakes accept: a model, or the original `{ rate, burst }` (a token bucket). */
export type ThrottleOption = ThrottleModel | { kind?: undefined; rate: number; burst: number };

export function throttleModel(o: ThrottleOption): ThrottleModel {
  if (o.kind === undefined) return { kind: 'bucket', rate: o.rate, burst: o.burst };
  if (o.kind === 'halving' && (o.atMs === undefined) === (o.afterRequests === undefined)) {
    throw new RangeError('a halving throttle needs exactly one of atMs and afterRequests');
  }
  return o;
}

export interface Throttle {
  readonly model: ThrottleModel;
  /** A request reaches the server at `now` (ms): true admits it, false answers 429 (and costs nothing). */
  admit(now: number): boolean;
  /** Back to the fresh state: a full bucket, empty windows, the halving's clock not started. */
  reset(): void;
}

export function createThrottle(o: ThrottleOption): Throttle {
  const model = throttleModel(o);
  let admit: (now: number) => boolean;
  const reset = () => {
    admit = admission(model);
  };
  reset();
  return { model, admit: (now) => admit(now), reset };
}

function admission(m: ThrottleModel): (now: number) => boolean {
  let t0: number | undefined;
  switch (m.kind) {
    case 'bucket':
    case 'halving': {
      let tokens = m.burst;
      let at = 0;
      let admitted = 0;
      let switchedAt: number | undefined;
      return (now) => {
        if (t0 === undefined) at = t0 = now;
        const halvesAt = m.kind === 'halving' ? (m.atMs !== undefined ? t0 + m.atMs : switchedAt) : undefined;
        // Refill at the rate in force over each part of the time since the last request.
        const refill = (from: number, to: number) => {
          if (to <= from) return 0;
          if (halvesAt === undefined || to <= halvesAt) return ((to - from) / 1000) * m.rate;
          if (from >= halvesAt) return ((to - from) / 1000) * (m.rate / 2);
          return ((halvesAt - from) / 1000) * m.rate + ((to - halvesAt) / 1000) * (m.rate / 2);
        };
        tokens = Math.min(m.burst, tokens + refill(at, now));
        at = Math.max(at, now);
        if (tokens < 1) return false;
        tokens -= 1;
        admitted++;
        if (m.kind === 'halving' && m.afterRequests !== undefined && switchedAt === undefined && admitted >= m.afterRequests) switchedAt = now;
        return true;
      };
    }
    case 'fixedWindow': {
      let window = 0;
      let count = 0;
      return (now) => {
        t0 ??= now;
        const w = Math.floor((now - t0) / 1000);
        if (w !== window) {
          window = w;
          count = 0;
        }
        if (count >= m.perSecond) return false;
        count++;
        return true;
      };
    }
    case 'slidingWindow': {
      const admitted: number[] = [];
      let head = 0;
      return (now) => {
        while (head < admitted.length && admitted[head] <= now - 1000) head++;
        if (head > 4096) admitted.splice(0, head), (head = 0);
        if (admitted.length - head >= m.perSecond) return false;
        admitted.push(now);
        return true;
      };
    }
  }
}

/**
 * The fastest any client can finish `calls` requests under the throttle, from its first request reaching
 * the server to the last answer back: the serving time plus one round trip (`rttMs`). The windows allow
 * `perSecond` at once at the start of each window; a halving is judged by the rates in force.
 */
export function lowerBoundMs(o: ThrottleOption, calls: number, rttMs = 0): number {
  const m = throttleModel(o);
  const serve = (): number => {
    switch (m.kind) {
      case 'bucket':
        return (Math.max(0, calls - m.burst) / m.rate) * 1000;
      case 'fixedWindow':
      case 'slidingWindow':
        return (Math.ceil(calls / m.perSecond) - 1) * 1000;
      case 'halving': {
        const r1 = m.rate;
        const r2 = m.rate / 2;
        if (m.atMs !== undefined) {
          // Admitted by time t at most: burst + r1·t until the switch, + r2 per second after it.
          const before = m.burst + (r1 * m.atMs) / 1000;
          if (calls <= before) return (Math.max(0, calls - m.burst) / r1) * 1000;
          return m.atMs + ((calls - before) / r2) * 1000;
        }
        // Switching after K admissions: fastest is to reach the K-th one with the bucket still full
        // (K / r1), then spend the burst and the slower refill.
        const k = m.afterRequests!;
        if (calls <= k) return (Math.max(0, calls - m.burst) / r1) * 1000;
        return (k / r1 + Math.max(0, calls - k - m.burst) / r2) * 1000;
      }
    }
  };
  return serve() + rttMs;
}

/** A short label, e.g. "bucket 20/s burst 20", "fixed 1 s window 50/s", "halving 20→10/s at 12.5 s". */
export function describeThrottle(o: ThrottleOption): string {
  const m = throttleModel(o);
  switch (m.kind) {
    case 'bucket':
      return `bucket ${m.rate}/s burst ${m.burst}`;
    case 'fixedWindow':
      return `fixed 1 s window ${m.perSecond}/s`;
    case 'slidingWindow':
      return `sliding 1 s window ${m.perSecond}/s`;
    case 'halving':
      return `bucket ${m.rate}→${m.rate / 2}/s burst ${m.burst}, halves ${m.atMs !== undefined ? `at ${(m.atMs / 1000).toFixed(1)} s` : `after ${m.afterRequests}`}`;
  }
}

/** The five shapes the limiter must handle (issue 10), at `rate` requests per second, for a listing of `calls` requests. */
export function throttleShapes(rate: number, calls: number): { name: string; model: ThrottleModel }[] {
  const burst = 20;
  return [
    { name: 'bucket-b20', model: { kind: 'bucket', rate, burst } },
    { name: 'bucket-b1', model: { kind: 'bucket', rate, burst: 1 } },
    { name: 'fixed-window', model: { kind: 'fixedWindow', perSecond: rate } },
    { name: 'sliding-window', model: { kind: 'slidingWindow', perSecond: rate } },
    // Halfway through the listing: at half the time the listing takes at the first rate.
    { name: 'halving', model: { kind: 'halving', rate, burst, atMs: Math.round(lowerBoundMs({ kind: 'bucket', rate, burst }, calls) / 2) } },
  ];
}
