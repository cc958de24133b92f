// One Portal.listAll against the simulated portal behind a throttle model, on virtual time: what the unit tier's throttle checks and bench/limiterTwin.ts measure.
import { Portal } from '../../src/core/portal/portal';
import { Sleep } from '../../src/core/ports';
import { AdaptiveRateLimiter } from '../../src/core/portal/rateLimiter';
import { ThrottleOption, createThrottle, lowerBoundMs } from '../fakes/throttle';
import { SimPortalClient, makeOrg, serviceError } from './portal-simClient';
import { VirtualTime } from './portal-virtualTime';

/** Park-Miller: the same figures on every run. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

export interface SimListingCase {
  /** Accounts (1-5 roles each); the listing makes ⌈n/100⌉ + n calls. */
  n: number;
  throttle: ThrottleOption;
  /** One-way latency, ms, jittered by ±`jitter` of itself. */
  latency: number;
  jitter: number;
  /**
   * Delays like the bench's on this machine (measured from the limiter's grant to the fake's arrival: median
   * 1.5 ms, 90th percentile 3 ms, 99th 6-8 ms, worst 15-25 ms): one leg in ten waits up to 3 ms more, one
   * in a hundred up to 15 ms.
   */
  tail?: boolean;
  seed: number;
  /**
   * The limiter's timers wake as Node's do (whole milliseconds, see VirtualTime.nodeSleep), with the
   * loop's wake-up delay up to 0.2 ms, one in a hundred up to 5 ms; otherwise they wake exactly on time.
   */
  nodeTimers?: boolean;
  /** Someone else spent the server's burst (or the window's quota) just before. */
  spent?: boolean;
  /** Every 7th request of the first 3 s answers 503. */
  faults?: boolean;
  /** One leg of an early request takes 10 s. */
  hang?: boolean;
  /** Idle gaps after which the same limiter lists again. */
  again?: number[];
}

export interface SimListingHooks {
  /** The limiter to use (e.g. one that records its decisions); default a fresh one on the case's clock. */
  limiter?: (vt: VirtualTime, now: () => number, sleep: Sleep) => AdaptiveRateLimiter;
  /** Each request as it reaches the server, ms after the start, and whether the throttle admitted it. */
  onAnswer?: (at: number, admitted: boolean, limiter: AdaptiveRateLimiter) => void;
  /** Each listing after an idle gap, with its wall time. */
  onAgain?: (gap: number, wallMs: number) => void;
}

export interface SimListing {
  /** Wall time of each listing, virtual ms. */
  walls: number[];
  /** 429s per listing. */
  throttledBy: number[];
  throttled: number;
  /** Calls one listing needs. */
  calls: number;
  /** Every request the server saw, 429s included. */
  requests: number;
  /** Accounts whose roles could not be listed (in the last listing). */
  failed: number;
  /** Sum of the listings' lower bounds: the throttle's serving time plus a round trip, each. */
  boundMs: number;
  ratio: number;
  share429: number;
  limiter: AdaptiveRateLimiter;
}

export async function simulateListing(c: SimListingCase, hooks: SimListingHooks = {}): Promise<SimListing> {
  const vt = new VirtualTime();
  const rnd = seeded(c.seed);
  const t0 = vt.clock.now();
  const now = () => vt.clock.now() - t0;
  let legs = 0;
  const client = new SimPortalClient({
    accounts: makeOrg(c.n),
    clock: vt.clock,
    sleep: vt.sleep,
    latencyMs: () => {
      if (c.hang && ++legs === 41) return 10_000;
      const base = c.latency * (1 - c.jitter + 2 * c.jitter * rnd());
      if (!c.tail) return base;
      const u = rnd();
      return base + (u < 0.01 ? 15 * rnd() : u < 0.1 ? 3 * rnd() : 0);
    },
  });
  const throttle = createThrottle(c.throttle);
  if (c.spent) while (throttle.admit(vt.clock.now()));
  const timerRnd = seeded(c.seed + 200);
  const limiterSleep = c.nodeTimers ? vt.nodeSleep(() => (timerRnd() < 0.01 ? 5 : 0.2) * timerRnd()) : vt.sleep;
  // The limiter's precise sleep (core/portal/preciseSleep.ts) wakes on time.
  const limiter = hooks.limiter?.(vt, now, limiterSleep) ?? new AdaptiveRateLimiter({ clock: vt.clock, sleep: limiterSleep, preciseSleep: vt.sleep });
  let served = 0;
  let throttled = 0;
  // The simulated portal's own answers, behind this case's throttle and faults.
  const sim = client as unknown as { answer(op: string, input: unknown): unknown };
  const answer = sim.answer.bind(client);
  sim.answer = (op, input) => {
    served++;
    if (c.faults && served % 7 === 3 && now() < 3000) throw serviceError(503, 'ServiceUnavailableException');
    const admitted = throttle.admit(vt.clock.now());
    hooks.onAnswer?.(now(), admitted, limiter);
    if (!admitted) {
      throttled++;
      throw serviceError(429, 'TooManyRequestsException');
    }
    return answer(op, input);
  };
  const portal = new Portal({ region: 'us-east-1', client, clock: vt.clock, sleep: vt.sleep, random: seeded(c.seed + 100), limiter });
  let r = await vt.run(portal.listAll('token'));
  const walls = [now()];
  const throttledBy = [throttled];
  for (const gap of c.again ?? []) {
    await vt.run(vt.sleep(gap));
    const t1 = vt.clock.now();
    r = await vt.run(portal.listAll('token'));
    walls.push(vt.clock.now() - t1);
    throttledBy.push(throttled - throttledBy.reduce((a, b) => a + b, 0));
    hooks.onAgain?.(gap, walls[walls.length - 1]);
  }
  const calls = Math.ceil(c.n / 100) + c.n;
  const boundMs = lowerBoundMs(c.throttle, calls, 2 * c.latency) * walls.length;
  const requests = calls * walls.length + throttled;
  return {
    walls,
    throttledBy,
    throttled,
    calls,
    requests,
    failed: r.failed.size + Math.max(0, c.n - r.accounts.length),
    boundMs,
    ratio: walls.reduce((a, b) => a + b, 0) / boundMs,
    share429: throttled / requests,
    limiter,
  };
}
