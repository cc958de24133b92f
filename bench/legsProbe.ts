// Measures the two legs of a portal round trip as the listing pays them (grant → the fake's throttle → release), for the limiter's twin.
//
//   node --import tsx bench/legsProbe.ts [--accounts 500] [--rate 50] [--burst 1]
//
// The fake runs in its own process (as in the listing bench); it stamps each throttle decision with the
// epoch clock, and the client stamps each permit's grant and release. Prints each leg's percentiles and,
// for every 429, how far its arrival followed the last admitted one.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Portal } from '../src/core/portal/portal';
import { AdaptiveRateLimiter, Permit } from '../src/core/portal/rateLimiter';
import { epochNow } from './lib';

const arg = (name: string, d: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : d;
};

async function child(): Promise<void> {
  const { FakeIdentityCenter } = await import('../test/fakes/identityCenter');
  const opts = JSON.parse(process.argv[3]);
  const fake = await FakeIdentityCenter.start(opts);
  const arrivals: { at: number; ok: boolean }[] = [];
  const f = fake as unknown as { takeThrottleToken(): boolean };
  const take = f.takeThrottleToken.bind(fake);
  f.takeThrottleToken = () => {
    const ok = take();
    arrivals.push({ at: epochNow(), ok });
    return ok;
  };
  process.on('message', (m: string) => {
    if (m === 'token') process.send!({ token: fake.mintToken().accessToken });
    if (m === 'arrivals') process.send!({ arrivals }, () => process.exit(0));
  });
  process.send!({ env: fake.env() });
}

async function parent(): Promise<void> {
  const accounts = arg('accounts', 500);
  const rate = arg('rate', 50);
  const burst = arg('burst', 1);
  const c = fork(__filename, ['child', JSON.stringify({ accounts, throttle: { kind: 'bucket', rate, burst } })], { execArgv: ['--import', 'tsx'] });
  const next = <T>() => new Promise<T>((r) => c.once('message', (m) => r(m as T)));
  const { env } = await next<{ env: Record<string, string> }>();
  c.send('token');
  const { token } = await next<{ token: string }>();
  require('@aws-sdk/client-sso');
  const grants: { at: number; back?: number; outcome?: string }[] = [];
  const portal = new Portal({ region: 'us-east-1', env });
  const limiter = (portal as unknown as { limiter: AdaptiveRateLimiter }).limiter;
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = async (o) => {
    const p = await acquire(o);
    const g: { at: number; back?: number; outcome?: string } = { at: epochNow() };
    grants.push(g);
    return {
      sentAt: p.sentAt,
      release(outcome) {
        g.back = epochNow();
        g.outcome = outcome;
        p.release(outcome);
      },
    } satisfies Permit;
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await portal.listAll(token);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  portal.dispose();
  c.send('arrivals');
  const { arrivals } = await next<{ arrivals: { at: number; ok: boolean }[] }>();
  const n = Math.min(grants.length, arrivals.length);
  const out: number[] = [];
  const back: number[] = [];
  let misordered = 0;
  for (let i = 0; i < n; i++) {
    const g = grants[i];
    const a = arrivals[i];
    if ((g.outcome === 'ok') !== a.ok) misordered++;
    out.push(a.at - g.at);
    if (g.back !== undefined) back.push(g.back - a.at);
  }
  const pct = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2);
    return `p1 ${q(0.01)} p10 ${q(0.1)} p50 ${q(0.5)} p90 ${q(0.9)} p98 ${q(0.98)} p99 ${q(0.99)} max ${q(1)}`;
  };
  console.log(`listing ${accounts} accounts at ${rate}/s burst ${burst}: ${(wall / 1000).toFixed(2)} s (client CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms), ${grants.length} grants, ${arrivals.length} arrivals, ${arrivals.filter((a) => !a.ok).length} 429s, outcome mismatches ${misordered}`);
  console.log(`grant → arrival (ms, includes a clock offset between processes): ${pct(out)}`);
  console.log(`arrival → release (ms): ${pct(back)}`);
  const excess = (rtts: number[]) => {
    const s = [...rtts].sort((x, y) => x - y);
    const floor = s[Math.floor(0.02 * s.length)];
    return (rtts.reduce((a, r) => a + Math.max(0, r - floor), 0) / rtts.length).toFixed(3);
  };
  const ok = grants.slice(0, n).map((g) => ({ g })).filter(({ g }) => g.back !== undefined);
  console.log(`mean round-trip excess over its 2nd percentile (ms; what the limiter waits after each request against a server without burst): ${excess(ok.map(({ g }) => g.back! - g.at))}`);
  const gaps: number[] = [];
  let last: number | undefined;
  const rejected: string[] = [];
  for (const a of arrivals) {
    if (a.ok) {
      if (last !== undefined) gaps.push(a.at - last);
      last = a.at;
    } else if (last !== undefined) rejected.push((a.at - last).toFixed(1));
  }
  console.log(`admitted arrival gaps (ms): ${pct(gaps)}`);
  console.log(`429 arrivals after the last admitted (ms): ${rejected.join(' ')}`);
  const sends: number[] = [];
  for (let i = 1; i < grants.length; i++) sends.push(grants[i].at - grants[i - 1].at);
  console.log(`grant gaps (ms): ${pct(sends)}`);
}

if (process.argv[2] === 'child') void child();
else parent().catch((e) => {
  console.error(e);
  process.exit(1);
});
