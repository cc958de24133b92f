// 1. Listing every account and role at the fake portal's throttle limit, under several shapes of throttle: ours against two reference strategies.
//
// Lower bound: the fastest any client can serve the ⌈N/100⌉ account pages and N role listings under the
// fake's throttle (test/fakes/throttle.ts: a token bucket admits B at once and R per second after that,
// so (calls − B) / R; a one-second window admits R per window; a halving bucket is judged by the rates in
// force). The round trip on this machine (~1 ms) is left out.
import { Portal } from '../src/core/portal/portal';
import { ThrottleModel, lowerBoundMs } from '../test/fakes/throttle';
import { epochNow, FakeProcess, median, sleep } from './lib';

export interface ListingCase {
  accounts: number;
  /** The throttle's name in the tables (see throttleShapes). */
  shape: string;
  /** Requests per second the throttle admits (at first, for a halving one). */
  rate: number;
  model: ThrottleModel;
}

export interface RunFigures {
  wallS: number;
  /** wall ÷ lower bound; projected (see `projected`) when the run was cut by its time budget. */
  ratio: number;
  /** 429s ÷ portal requests (429s included). */
  share429: number;
  /** Accounts whose roles were not listed (or never listed at all). */
  failed: number;
  requests: number;
  throttled: number;
  /** 429s answered in the first 2 s of the run (when the fake's burst runs out), of `throttled`. */
  throttledFirst2s?: number;
  /** Share of the calls completed when the time budget ran out; the ratio is then extrapolated. */
  projected?: { completedShare: number; budgetS: number };
  error?: string;
}

export interface StrategyFigures {
  strategy: 'ours' | 'fixed-5rps' | 'naive-sdk';
  label: string;
  runs: RunFigures[];
  median: RunFigures;
}

export interface ListingFigures extends ListingCase {
  calls: number;
  lowerBoundS: number;
  strategies: StrategyFigures[];
}

const REGION = 'us-east-1';

export function callsFor(n: number): number {
  return Math.ceil(n / 100) + n;
}

export function lowerBoundS(c: ListingCase): number {
  return lowerBoundMs(c.model, callsFor(c.accounts)) / 1000;
}

type Runner = (fake: FakeProcess, token: string, budgetMs: number, n: number) => Promise<{ wallMs: number; failed: number; completedCalls: number; cut: boolean; error?: string }>;

/** Our Portal.listAll with its adaptive limiter, exactly as the extension and the CLI use it. */
const ours: Runner = async (fake, token, _budgetMs, expected) => {
  // Loaded before the clock starts, as the references load it: the first case would otherwise pay for it.
  require('@aws-sdk/client-sso');
  const portal = new Portal({ region: REGION, env: fake.env });
  const t0 = performance.now();
  try {
    const listing = await portal.listAll(token);
    const wallMs = performance.now() - t0;
    const n = listing.accounts.length;
    return { wallMs, failed: listing.failed.size + Math.max(0, expected - n), completedCalls: n + Math.ceil(n / 100), cut: false };
  } catch (e) {
    return { wallMs: performance.now() - t0, failed: NaN, completedCalls: 0, cut: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    portal.dispose();
  }
};

type Sso = typeof import('@aws-sdk/client-sso');

function plainClient(sdk: Sso, env: Record<string, string>) {
  // The SDK's defaults: maxAttempts 3, standard retry mode with its retry quota. Only the endpoint is
  // set (to the fake) and the logger silenced (the socket-capacity warnings of 2,000 parallel calls).
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  return new sdk.SSOClient({ region: REGION, endpoint: env.AWS_ENDPOINT_URL_SSO, logger: silent });
}

async function listAccountPages(sdk: Sso, client: InstanceType<Sso['SSOClient']>, token: string, before: () => Promise<void>, onCall: () => void) {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    await before();
    const out = await client.send(new sdk.ListAccountsCommand({ accessToken: token, maxResults: 100, nextToken }));
    onCall();
    for (const a of out.accountList ?? []) if (a.accountId) ids.push(a.accountId);
    nextToken = out.nextToken;
  } while (nextToken);
  return ids;
}

/** The naive strategy: every account's roles at once (Promise.all), retries left to the SDK's defaults. */
const naive: Runner = async (fake, token, budgetMs) => {
  const sdk = require('@aws-sdk/client-sso') as Sso;
  const client = plainClient(sdk, fake.env);
  const t0 = performance.now();
  let completed = 0;
  let failed = 0;
  try {
    const ids = await listAccountPages(sdk, client, token, async () => {}, () => completed++);
    let cut = false;
    const all = Promise.all(
      ids.map((accountId) =>
        client.send(new sdk.ListAccountRolesCommand({ accessToken: token, accountId, maxResults: 100 })).then(
          () => void completed++,
          () => void failed++,
        ),
      ),
    );
    const budget = sleep(Math.max(0, budgetMs - (performance.now() - t0))).then(() => (cut = true));
    await Promise.race([all, budget]);
    const wallMs = performance.now() - t0;
    // Calls still running when the budget ran out are neither done nor failed yet.
    return { wallMs, failed, completedCalls: completed, cut };
  } catch (e) {
    return { wallMs: performance.now() - t0, failed: NaN, completedCalls: completed, cut: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    client.destroy();
  }
};

/** Leapp's choice: a fixed pacer of 5 requests per second, one SDK call per tick, the SDK's default retries. */
const fixedPacer =
  (rps: number): Runner =>
  async (fake, token, budgetMs) => {
    const sdk = require('@aws-sdk/client-sso') as Sso;
    const client = plainClient(sdk, fake.env);
    const t0 = performance.now();
    const gap = 1000 / rps;
    let next = t0;
    let cut = false;
    const pace = async () => {
      const now = performance.now();
      const wait = Math.max(0, next - now);
      next = Math.max(next, now) + gap;
      if (wait > 0) await sleep(wait);
      if (performance.now() - t0 > budgetMs) {
        cut = true;
        throw new Error('budget');
      }
    };
    let completed = 0;
    let failed = 0;
    const inflight: Promise<void>[] = [];
    try {
      const ids = await listAccountPages(sdk, client, token, pace, () => completed++);
      for (const accountId of ids) {
        await pace();
        inflight.push(
          client.send(new sdk.ListAccountRolesCommand({ accessToken: token, accountId, maxResults: 100 })).then(
            () => void completed++,
            () => void failed++,
          ),
        );
      }
      await Promise.all(inflight);
      return { wallMs: performance.now() - t0, failed, completedCalls: completed, cut: false };
    } catch (e) {
      if (cut) {
        const wallMs = performance.now() - t0;
        return { wallMs, failed, completedCalls: completed, cut: true };
      }
      return { wallMs: performance.now() - t0, failed: NaN, completedCalls: completed, cut: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      // Calls in flight at the cut are abandoned with the client.
      client.destroy();
    }
  };

export interface ListingPlan {
  repeatsOurs: number;
  repeatsRefs: number;
  /** Time budget of each reference run, ms. 0 = no references. */
  refBudgetMs: number;
  log: (s: string) => void;
}

export async function benchListing(c: ListingCase, plan: ListingPlan): Promise<ListingFigures> {
  const fake = await FakeProcess.start({ accounts: c.accounts, seed: 7, throttle: c.model });
  const calls = callsFor(c.accounts);
  const lb = lowerBoundS(c);
  // Every run meets a fresh throttle (a full bucket, empty windows, the halving's clock not started), once
  // what an abandoned run left in flight has landed.
  const refill = async () => {
    await sleep(1000);
    await fake.resetThrottle();
  };
  const out: ListingFigures = { ...c, calls, lowerBoundS: lb, strategies: [] };
  try {
    const strategies: { strategy: StrategyFigures['strategy']; label: string; run: Runner; repeats: number }[] = [
      { strategy: 'ours', label: 'ours (adaptive limiter)', run: ours, repeats: plan.repeatsOurs },
    ];
    if (plan.refBudgetMs > 0 && plan.repeatsRefs > 0) {
      strategies.push(
        { strategy: 'fixed-5rps', label: 'fixed 5 req/s (Leapp)', run: fixedPacer(5), repeats: plan.repeatsRefs },
        { strategy: 'naive-sdk', label: 'Promise.all + SDK retries', run: naive, repeats: plan.repeatsRefs },
      );
    }
    for (const s of strategies) {
      const runs: RunFigures[] = [];
      for (let i = 0; i < s.repeats; i++) {
        await refill();
        const token = await fake.mintToken();
        await fake.resetStats();
        const started = epochNow();
        const r = await s.run(fake, token, plan.refBudgetMs, c.accounts);
        const st = await fake.stats();
        const throttledAt = await fake.throttledAt();
        const requests = (st.requests.accounts ?? 0) + (st.requests.roles ?? 0);
        const completedShare = r.completedCalls / calls;
        const projectedWall = r.cut && completedShare > 0 ? r.wallMs / completedShare : r.wallMs;
        // When cut, accounts not reached are not failures: they are extrapolated in the ratio instead.
        const f: RunFigures = {
          wallS: projectedWall / 1000,
          ratio: projectedWall / 1000 / lb,
          share429: requests > 0 ? st.throttled / requests : 0,
          failed: r.failed,
          requests,
          throttled: st.throttled,
          throttledFirst2s: throttledAt.filter((t) => t < 2000).length,
          ...(r.cut ? { projected: { completedShare, budgetS: plan.refBudgetMs / 1000 } } : {}),
          ...(r.error ? { error: r.error } : {}),
        };
        runs.push(f);
        plan.log(
          `  listing ${c.shape} N=${c.accounts} R=${c.rate}/s ${s.label} #${i + 1}: ${(r.wallMs / 1000).toFixed(1)} s` +
            `${r.cut ? ` (cut at ${(completedShare * 100).toFixed(0)} %, projected ${f.wallS.toFixed(0)} s)` : ''}` +
            `, ratio ${f.ratio.toFixed(3)}, 429s ${st.throttled}/${requests} (${f.throttledFirst2s} in the first 2 s), failed ${r.failed}${r.error ? `, error: ${r.error}` : ''}` +
            ` [${((epochNow() - started) / 1000).toFixed(0)} s]`,
        );
      }
      const pick = (k: 'ratio' | 'share429' | 'failed' | 'wallS') => median(runs.map((r) => r[k]));
      const med: RunFigures = {
        wallS: pick('wallS'),
        ratio: pick('ratio'),
        share429: pick('share429'),
        failed: pick('failed'),
        requests: median(runs.map((r) => r.requests)),
        throttled: median(runs.map((r) => r.throttled)),
        throttledFirst2s: median(runs.map((r) => r.throttledFirst2s ?? 0)),
        ...(runs.some((r) => r.projected) ? { projected: runs.find((r) => r.projected)!.projected } : {}),
        ...(runs.some((r) => r.error) ? { error: runs.find((r) => r.error)!.error } : {}),
      };
      out.strategies.push({ strategy: s.strategy, label: s.label, runs, median: med });
    }
  } finally {
    await fake.close();
  }
  return out;
}
