// `npm run bench`: how we scale, side by side with the strategies other tools use (issue 5).
//
//   npm run bench                        # everything (~40 min, 27 of them listing; the editor part needs code-server + Chromium)
//   npm run bench -- --only listing,config   # listing, editor, size, config, signin
//   npm run bench -- --only listing --shapes fixed-window,halving --rates 50 --sizes 500   # part of the listing grid
//   npm run bench -- --ref-budget 15     # seconds each reference strategy may run before being projected (0: none)
//   npm run bench -- --repeats 3         # runs of ours per listing case (the median is judged)
//   npm run bench:smoke                  # tiny sizes, no references, no editor: seconds; proves the script works
//
// The listing grid: every throttle shape (bucket-b20, bucket-b1, fixed-window, sliding-window, halving; see
// test/fakes/throttle.ts) × 20 and 50 req/s × 500 and 2,000 accounts. One run of ours per case and 15 s per
// reference take ~27 min; ours alone (--ref-budget 0) ~17 min, of which the halving cases ~4.
//
// Prints a table and writes bench-results/summary.json (smoke: bench-results/smoke-summary.json; --out DIR
// to change the folder). Figures are ratios, counts and medians of repeats, as absolute times vary with the
// machine and its load. Exit code: 0 whatever the figures; 1 only when a part of the script itself failed.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchConfig, ConfigFigures } from './config';
import { benchEditor, EditorFigures } from './editor';
import { REPO, fmt, kb } from './lib';
import { describeThrottle, throttleShapes } from '../test/fakes/throttle';
import { benchListing, callsFor, ListingCase, ListingFigures } from './listing';
import { benchSignIn, SignInFigures } from './signin';
import { benchSize, bundleComposition, SizeFigures } from './size';

// The SDK warns about Node 20 on load; nothing to do with what is measured.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'NodeVersionSupportWarning' && !w.message.includes('NodeVersionSupportWarning') && !/require node >=22/.test(w.message)) process.stderr.write(`${w.name}: ${w.message}\n`);
});

const argv = process.argv.slice(2);
const flag = (n: string) => argv.includes(`--${n}`);
const option = (n: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : undefined);
const smoke = flag('smoke');
const ALL = ['listing', 'editor', 'size', 'config', 'signin'] as const;
type Part = (typeof ALL)[number];
const only = (option('only')?.split(',') ?? (smoke ? ALL.filter((p) => p !== 'editor') : [...ALL])) as Part[];
for (const p of only) {
  if (!ALL.includes(p)) {
    process.stderr.write(`unknown part "${p}"; parts: ${ALL.join(', ')}\n`);
    process.exit(2);
  }
}
const outDir = option('out') ?? join(REPO, 'bench-results');
const refBudgetS = Number(option('ref-budget') ?? 15);
const repeatsOurs = Number(option('repeats') ?? 1);
const list = (n: string) => option(n)?.split(',').filter((x) => x !== '');
const SHAPES = throttleShapes(1, 1).map((s) => s.name);
const shapes = list('shapes') ?? SHAPES;
const rates = (list('rates') ?? ['20', '50']).map(Number);
const sizes = (list('sizes') ?? ['500', '2000']).map(Number);
for (const s of shapes) {
  if (!SHAPES.includes(s)) {
    process.stderr.write(`unknown throttle shape "${s}"; shapes: ${SHAPES.join(', ')}\n`);
    process.exit(2);
  }
}
if ([...rates, ...sizes].some((x) => !(x > 0))) {
  process.stderr.write('--rates and --sizes take positive numbers\n');
  process.exit(2);
}
const log = (s: string) => process.stdout.write(`${s}\n`);

interface Summary {
  mode: 'full' | 'smoke';
  startedAt: string;
  machine: { cpus: number; loadavg1AtStart: number; node: string };
  listing?: ListingFigures[];
  editor?: EditorFigures;
  size?: SizeFigures;
  config?: ConfigFigures;
  signin?: SignInFigures;
  errors: Record<string, string>;
  table: Row[];
}

interface Row {
  part: string;
  figure: string;
  measured: string;
  goal: string;
  /** true = meets the goal, false = misses it, null = no goal (context). */
  ok: boolean | null;
}

async function main(): Promise<number> {
  const summary: Summary = {
    mode: smoke ? 'smoke' : 'full',
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg1AtStart: loadavg()[0], node: process.version },
    errors: {},
    table: [],
  };
  const t0 = performance.now();
  const part = async (name: Part, fn: () => Promise<void>) => {
    if (!only.includes(name)) return;
    log(`== ${name}`);
    const s = performance.now();
    try {
      await fn();
    } catch (e) {
      summary.errors[name] = e instanceof Error ? (e.stack ?? e.message) : String(e);
      log(`  ${name} FAILED: ${e instanceof Error ? e.message : String(e)}`);
    }
    log(`  (${((performance.now() - s) / 1000).toFixed(0)} s)`);
  };

  let productionDist: string | undefined;
  let sizeScratch: string | undefined;
  try {
    await part('listing', async () => {
      const grid = (names: string[], rs: number[], ns: number[]): ListingCase[] =>
        ns.flatMap((accounts) =>
          rs.flatMap((rate) =>
            throttleShapes(rate, callsFor(accounts))
              .filter((t) => names.includes(t.name))
              .map((t) => ({ accounts, rate, shape: t.name, model: t.model })),
          ),
        );
      const cases = smoke ? grid(['bucket-b20'], [50], [60]) : grid(shapes, rates, sizes);
      summary.listing = [];
      for (const c of cases) {
        summary.listing.push(
          await benchListing(c, { repeatsOurs: smoke ? 1 : repeatsOurs, repeatsRefs: smoke ? 0 : 1, refBudgetMs: smoke ? 0 : refBudgetS * 1000, log }),
        );
      }
      if (summary.listing.length > 1) log('\n' + listingGrid(summary.listing));
    });
    // Size builds the production bundle the editor part then runs.
    if (only.includes('size') || only.includes('editor')) {
      await part('size', async () => {
        const s = benchSize({ vsix: !smoke, log });
        sizeScratch = s.scratch;
        productionDist = join(s.scratch, 'dist');
        const { scratch: _scratch, ...figures } = s;
        summary.size = figures;
        if (!smoke) summary.size.bundleByPackage = (await bundleComposition()).slice(0, 12);
        log(`  extension.js ${kb(s.extensionBundleBytes)}, cli.js ${kb(s.cliBundleBytes)}${s.vsixBytes ? `, .vsix ${kb(s.vsixBytes)}` : ''}`);
      });
    }
    await part('editor', async () => {
      if (!productionDist) throw new Error('no production bundle (the size part failed)');
      summary.editor = await benchEditor({ repeats: Number(option('editor-repeats') ?? 3), treeAccounts: 5000, productionDist, log });
    });
    await part('config', async () => {
      summary.config = smoke ? benchConfig([100, 200], 1, 64 * 1024, log) : benchConfig([1000, 5000, 20000], 5, 1024 * 1024, log);
    });
    await part('signin', async () => {
      summary.signin = await benchSignIn(smoke ? 1 : 5, log);
    });
  } finally {
    if (sizeScratch) rmSync(sizeScratch, { recursive: true, force: true });
  }

  summary.table = table(summary);
  log('');
  log(render(summary.table));
  for (const [k, v] of Object.entries(summary.errors)) log(`\nERROR in ${k}: ${v.split('\n').slice(0, 3).join(' / ')}`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, smoke ? 'smoke-summary.json' : 'summary.json');
  writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
  log(`\n${summary.mode} run: ${((performance.now() - t0) / 1000).toFixed(0)} s, load average ${summary.machine.loadavg1AtStart.toFixed(1)} on ${summary.machine.cpus} CPUs at the start; summary in ${file}`);
  return Object.keys(summary.errors).length > 0 ? 1 : 0;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function table(s: Summary): Row[] {
  const rows: Row[] = [];
  for (const l of s.listing ?? []) {
    const where = `1 listing ${l.shape} ${l.rate}/s N=${l.accounts}`;
    rows.push({ part: where, figure: `lower bound (${l.calls} calls, ${describeThrottle(l.model)})`, measured: `${fmt(l.lowerBoundS, 1)} s`, goal: '', ok: null });
    for (const st of l.strategies) {
      const m = st.median;
      const n = st.runs.length;
      const ours = st.strategy === 'ours';
      const note = m.projected ? ` (projected from ${(m.projected.completedShare * 100).toFixed(0)} % done in ${m.projected.budgetS} s)` : '';
      const rep = n > 1 ? `, median of ${n}` : '';
      rows.push({
        part: where,
        figure: `${st.label}: wall ÷ lower bound`,
        measured: `${fmt(m.ratio, 3)}${note}${rep}${n > 1 ? ` [${st.runs.map((r) => fmt(r.ratio, 2)).join(', ')}]` : ''}`,
        goal: ours ? '≤ 1.10' : '',
        ok: ours ? m.ratio <= 1.1 : null,
      });
      rows.push({
        part: where,
        figure: `${st.label}: 429 share`,
        measured: `${pct(m.share429)} (${m.throttled}/${m.requests}; ${m.throttledFirst2s ?? '–'} of them in the first 2 s)`,
        goal: ours ? '< 2 %' : '',
        ok: ours ? m.share429 < 0.02 : null,
      });
      rows.push({
        part: where,
        figure: `${st.label}: failed accounts`,
        measured: `${m.failed}${m.error ? ` (error: ${m.error})` : ''}`,
        goal: ours ? '0' : '',
        ok: ours ? m.failed === 0 && !m.error : null,
      });
    }
  }
  const e = s.editor;
  if (e) {
    rows.push({ part: '2 activation', figure: 'activate() → status bar shown (median)', measured: e.activateToStatusBarMs === undefined ? '–' : `${fmt(e.activateToStatusBarMs, 1)} ms [${e.runs.map((r) => fmt(r.activation?.activateToStatusBarMs ?? undefined, 0)).join(', ')}]`, goal: '≤ 15 ms', ok: e.activateToStatusBarMs === undefined ? false : e.activateToStatusBarMs <= 15 });
    rows.push({ part: '2 activation', figure: 'activate() call itself (sync)', measured: `${fmt(e.activateCallMs, 1)} ms`, goal: '', ok: null });
    rows.push({ part: '2 activation', figure: 'require of the bundle (before activate)', measured: `${fmt(e.bundleLoadMs, 1)} ms`, goal: '', ok: null });
    rows.push({ part: '2 activation', figure: 'AWS SDK loaded by then', measured: e.sdkLoaded === undefined ? '–' : e.sdkLoaded ? 'yes' : 'no', goal: 'no', ok: e.sdkLoaded === false });
    rows.push({ part: `5 tree, ${e.treeAccounts} accounts`, figure: 'first page arrives → accounts returned to the view (median)', measured: `${fmt(e.firstPageToShownMs, 0)} ms [${e.runs.map((r) => fmt(r.tree?.firstPageToShownMs ?? undefined, 0)).join(', ')}]`, goal: '≤ 300 ms', ok: e.firstPageToShownMs === undefined ? false : e.firstPageToShownMs <= 300 });
    rows.push({ part: `5 tree, ${e.treeAccounts} accounts`, figure: 'expand → accounts returned', measured: `${fmt(e.askToShownMs, 0)} ms`, goal: '', ok: null });
    rows.push({ part: `5 tree, ${e.treeAccounts} accounts`, figure: 'heap held: accounts / with all roles', measured: `${fmt(e.heapAccountsMB, 1)} MB / ${fmt(e.heapCompleteMB, 1)} MB`, goal: '(report)', ok: null });
  }
  const z = s.size;
  if (z) {
    rows.push({ part: '3 size', figure: 'dist/extension.js (minified)', measured: kb(z.extensionBundleBytes), goal: '≤ 500 KB', ok: z.extensionBundleBytes <= 500 * 1024 });
    rows.push({ part: '3 size', figure: 'dist/cli.js (minified)', measured: kb(z.cliBundleBytes), goal: '', ok: null });
    if (!smoke) {
      rows.push({ part: '3 size', figure: '.vsix', measured: z.vsixBytes ? kb(z.vsixBytes) : `– (${z.vsceError ?? 'not built'})`, goal: '≤ 250 KB', ok: z.vsixBytes !== undefined && z.vsixBytes <= 250 * 1024 });
      if (z.vsixByPart) {
        const parts = Object.entries(z.vsixByPart).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${kb(v)}`).join(', ');
        rows.push({ part: '3 size', figure: '.vsix by part (compressed)', measured: parts, goal: '', ok: null });
      }
      if (z.bundleByPackage) {
        const top = z.bundleByPackage.slice(0, 6).map((p) => `${p.name} ${kb(p.bytes)}`).join(', ');
        rows.push({ part: '3 size', figure: 'extension.js by package (top 6)', measured: top, goal: '', ok: null });
      }
      if (z.missing.length) rows.push({ part: '3 size', figure: 'vsce: missing', measured: z.missing.join('; '), goal: '', ok: null });
    }
  }
  const c = s.config;
  if (c) {
    for (const sz of c.sizes) {
      const is5k = sz.profiles === 5000;
      rows.push({
        part: `4 config (+${(c.baseBytes / 1024).toFixed(0)} KB hand-written)`,
        figure: `populate ${sz.profiles} profiles: CPU (wall), median of ${sz.runsMs.length}`,
        measured: `${fmt(sz.medianMs, 0)} ms (${fmt(sz.medianWallMs, 0)} ms); heap +${fmt(sz.heapDeltaMB, 1)} MB, RSS ${fmt(sz.rssMB, 0)} MB`,
        goal: is5k ? '≤ 250 ms' : '',
        ok: is5k ? sz.medianMs <= 250 : null,
      });
    }
    rows.push({ part: `4 config (+${(c.baseBytes / 1024).toFixed(0)} KB hand-written)`, figure: 'of which fixed: listProfiles of the hand-written file (CPU)', measured: `${fmt(c.baseListMs, 0)} ms`, goal: '', ok: null });
    for (const x of c.exponents) {
      rows.push({ part: `4 config (+${(c.baseBytes / 1024).toFixed(0)} KB hand-written)`, figure: `growth exponent ${x.from} → ${x.to} (CPU medians)`, measured: fmt(x.exponent, 2), goal: '≤ 1.1', ok: x.exponent <= 1.1 });
    }
  }
  const g = s.signin;
  if (g) {
    const goalMs = g.intervalS * 1000 + 100;
    rows.push({ part: `6 sign-in (interval ${g.intervalS} s)`, figure: `approval → token file (median of ${g.runsMs.length})`, measured: `${fmt(g.medianMs, 0)} ms [${g.runsMs.map((r) => r.toFixed(0)).join(', ')}]`, goal: `≤ ${goalMs} ms`, ok: g.medianMs <= goalMs });
    rows.push({ part: `6 sign-in (interval ${g.intervalS} s)`, figure: 'worst run', measured: `${fmt(g.maxMs, 0)} ms`, goal: `(≤ ${goalMs} ms)`, ok: g.maxMs <= goalMs });
  }
  return rows;
}

/** The listing's figures at a glance: one line per case, ours against its goals, the references beside. */
function listingGrid(ls: ListingFigures[]): string {
  const cell = (l: ListingFigures, which: string) => {
    const st = l.strategies.find((x) => x.strategy === which);
    if (!st) return '–';
    const m = st.median;
    const proj = m.projected ? '~' : '';
    // A strategy that gave accounts up finished early: its time says nothing.
    const ratio = m.failed > 0 && which !== 'ours' ? '–' : `${proj}${fmt(m.ratio, which === 'ours' ? 3 : 1)}`;
    return `${ratio}, ${pct(m.share429)}, ${Number.isFinite(m.failed) ? m.failed : '–'} failed`;
  };
  const ok = (l: ListingFigures) => {
    const m = l.strategies.find((x) => x.strategy === 'ours')?.median;
    return m && m.ratio <= 1.1 && m.share429 < 0.02 && m.failed === 0 && !m.error ? 'ok' : 'MISS';
  };
  const head = ['throttle', 'req/s', 'accounts', 'bound', 'ours: ÷ bound, 429s, failed (goal ≤ 1.10, < 2 %, 0)', '', 'fixed 5 req/s', 'Promise.all + SDK'];
  const rows = ls.map((l) => [l.shape, String(l.rate), String(l.accounts), `${fmt(l.lowerBoundS, 1)} s`, cell(l, 'ours'), ok(l), cell(l, 'fixed-5rps'), cell(l, 'naive-sdk')]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n') + '\n(~: projected from the time budget)';
}

function render(rows: Row[]): string {
  const head = ['part', 'figure', 'measured', 'goal', ''];
  const cells = rows.map((r) => [r.part, r.figure, r.measured, r.goal, r.ok === null ? '' : r.ok ? 'ok' : 'MISS']);
  const widths = head.map((h, i) => Math.min(i === 2 ? 70 : 60, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const line = (c: string[]) => '| ' + c.map((x, i) => x.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...cells.map(line)].join('\n');
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
