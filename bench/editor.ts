// 2. Activation and 5. the tree with 5,000 accounts, in a real editor: code-server + headless Chromium
// through the host-test harness (scripts/code-server-test-host.mjs), with bench/host/activation.bench.ts
// as the extension tests entry. Each repeat is a fresh editor (activation happens once per host).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeTokenFile } from '../src/core/auth/tokenCache';
import { resolveAwsPaths } from '../src/core/paths';
import type { SsoSession } from '../src/core/types';
import { FakeProcess, median, REPO } from './lib';
import { writeStartupHome } from './load';
import { buildConfig } from './size';

export interface EditorRun {
  activation?: {
    bundleLoadMs: number;
    activateCallMs: number;
    loadPlusActivateMs?: number;
    /** The extension's files in Node's module cache when activate() returned, and once the status bar showed. */
    parsedAtActivate?: { file: string; bytes: number }[];
    parsedWhenShown?: { file: string; bytes: number }[];
    chunksRequiredDuringLoadOrActivate?: string[];
    activateToStatusBarMs: number | null;
    hostActivateMs: number;
    statusText: string;
    sdkLoadedByStatusBar: boolean | null;
    sdkRequiredDuringLoadOrActivate: boolean;
    /** The sessions a previous start of this editor remembered were there at activation. */
    remembered?: boolean;
  };
  tree?: {
    accounts: number;
    /** How many accounts the first answer of the tree held (the pages so far). */
    firstShownAccounts?: number;
    pages: number;
    /** First ListAccounts response (headers, http.request) → first accounts returned with their TreeItems. */
    firstPageToShownMs: number | null;
    /** First page handed to the tree's listing (its 'accountsPage' event) → first accounts returned. */
    firstPageEventToShownMs?: number | null;
    /** Last page's response → every account listed and sorted. */
    lastPageToAllShownMs?: number | null;
    /** Asking the tree → every account listed. */
    listedMs?: number;
    askToShownMs: number;
    heapAccountsMB: number;
    heapBeforeGcMB: number;
    rolesComplete: boolean;
    prefetchS: number;
    heapCompleteMB: number;
  };
  /** Node modules bench/plain/hostBuiltins.cjs says the host has loaded, that it had not. */
  hostBuiltinsNotLoaded?: string[];
  error?: string;
}

export interface EditorFigures {
  runs: EditorRun[];
  activateToStatusBarMs?: number;
  activateCallMs?: number;
  bundleLoadMs?: number;
  loadPlusActivateMs?: number;
  bytesAtActivate?: number;
  filesAtActivate?: string[];
  bytesWhenShown?: number;
  hostBuiltinsNotLoaded?: string[];
  sessions: number;
  profiles: number;
  sdkLoaded?: boolean;
  treeAccounts: number;
  firstPageToShownMs?: number;
  askToShownMs?: number;
  heapAccountsMB?: number;
  heapCompleteMB?: number;
  bundle: string;
}

const SESSION: SsoSession = { name: 'bench', startUrl: 'https://d-9067000000.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };

/** Bundles a bench/host/NAME.bench.ts extension-tests entry into `dir`. */
export async function buildEntry(dir: string, name = 'activation'): Promise<string> {
  const esbuild = await import('esbuild');
  const entry = join(dir, 'host', `${name}.bench.js`);
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: [join(REPO, `bench/host/${name}.bench.ts`)],
    outfile: entry,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['vscode'],
  });
  return entry;
}

/** The extension as users get it (production bundles), with no activation event of its own. */
export async function extensionCopy(dir: string, productionDist: string): Promise<string> {
  const ext = join(dir, 'extension');
  mkdirSync(ext, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg.activationEvents = [];
  writeFileSync(join(ext, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const f of ['package.nls.json', 'README.md', 'CHANGELOG.md']) if (existsSync(join(REPO, f))) cpSync(join(REPO, f), join(ext, f));
  if (existsSync(join(REPO, 'l10n'))) cpSync(join(REPO, 'l10n'), join(ext, 'l10n'), { recursive: true });
  cpSync(join(REPO, 'media'), join(ext, 'media'), { recursive: true });
  mkdirSync(join(ext, 'dist'));
  for (const f of (await buildConfig()).filesOf('extension.js')) cpSync(join(productionDist, f), join(ext, 'dist', f));
  return ext;
}

export async function benchEditor(opts: {
  repeats: number;
  treeAccounts: number;
  productionDist: string;
  log: (s: string) => void;
  profileDir?: string;
  tree?: boolean;
  /** The config file: [sso-session]s (the first one at the fake) and profiles. Default 50 and 500. */
  sessions?: number;
  profiles?: number;
}): Promise<EditorFigures> {
  const sessions = opts.sessions ?? 50;
  const profiles = opts.profiles ?? 500;
  const { runExtensionTestsInCodeServer } = (await import(pathToFileURL(join(REPO, 'scripts/code-server-test-host.mjs')).href)) as {
    runExtensionTestsInCodeServer: (o: Record<string, unknown>) => Promise<number>;
  };
  const scratch = mkdtempSync(join(tmpdir(), 'aws-sso-bench-editor-'));
  const fake = await FakeProcess.start({ accounts: opts.treeAccounts, seed: 3 });
  const runs: EditorRun[] = [];
  try {
    const entry = await buildEntry(scratch);
    const ext = await extensionCopy(scratch, opts.productionDist);
    for (let i = 0; i < opts.repeats; i++) {
      const home = join(scratch, `home-${i}`);
      // The other sessions' tokens have expired and cannot renew: nothing but the bench session goes to the network.
      const startup = await writeStartupHome(home, { sessions, profiles, first: SESSION, skipTokenOfFirst: true, signedIn: () => false });
      const env = {
        ...startup.env,
        ...fake.env,
        AWS_SSO_FAKE_URL: fake.url,
        AWS_SSO_BENCH_RESULT: join(scratch, `result-${i}.json`),
        AWS_SSO_BENCH_TREE: opts.tree === false ? '0' : '1',
        ...(opts.profileDir ? { AWS_SSO_BENCH_PROFILE: join(opts.profileDir, `activation-${i}.cpuprofile`) } : {}),
      };
      const accessToken = await fake.mintToken();
      await writeTokenFile(resolveAwsPaths(env), SESSION, {
        startUrl: SESSION.startUrl,
        region: SESSION.region,
        accessToken,
        expiresAt: Date.now() + 8 * 3600_000,
      });
      let report = '';
      const code = await runExtensionTestsInCodeServer({
        extensionDevelopmentPath: ext,
        extensionTestsPath: entry,
        env,
        timeoutMs: 240_000,
        out: (s: string) => (report += s),
      });
      let run: EditorRun;
      try {
        run = JSON.parse(readFileSync(env.AWS_SSO_BENCH_RESULT, 'utf8')) as EditorRun;
      } catch {
        run = { error: `no result (exit ${code}): ${report.trim().split('\n').slice(-15).join(' | ')}` };
      }
      if (code !== 0 && !run.error) run.error = `exit ${code}`;
      runs.push(run);
      const a = run.activation;
      const t = run.tree;
      opts.log(
        `  editor #${i + 1}: ` +
          (a ? `load ${a.bundleLoadMs.toFixed(1)} ms + activate() ${a.activateCallMs.toFixed(1)} ms, parsed ${((a.parsedAtActivate ?? []).reduce((n, f) => n + f.bytes, 0) / 1024).toFixed(1)} KB, to status bar ${a.activateToStatusBarMs?.toFixed(1) ?? '–'} ms, SDK ${a.sdkLoadedByStatusBar || a.sdkRequiredDuringLoadOrActivate ? 'LOADED' : 'not loaded'}; ` : '') +
          (t ? `tree ${t.accounts} accounts (${t.firstShownAccounts ?? t.accounts} at first), first page → shown ${t.firstPageToShownMs?.toFixed(0)} ms (from the page event ${t.firstPageEventToShownMs?.toFixed(1) ?? '–'} ms), all listed ${t.listedMs !== undefined ? (t.listedMs / 1000).toFixed(1) : '–'} s, heap ${t.heapAccountsMB.toFixed(1)} MB (complete ${t.heapCompleteMB.toFixed(1)} MB)` : '') +
          (run.error ? ` ERROR ${run.error.split('\n')[0]}` : ''),
      );
    }
  } finally {
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const ok = runs.filter((r) => r.activation);
  const okTree = runs.filter((r) => r.tree);
  const med = (xs: (number | null | undefined)[]) => {
    const v = xs.filter((x): x is number => typeof x === 'number');
    return v.length ? median(v) : undefined;
  };
  return {
    runs,
    activateToStatusBarMs: med(ok.map((r) => r.activation!.activateToStatusBarMs)),
    activateCallMs: med(ok.map((r) => r.activation!.activateCallMs)),
    bundleLoadMs: med(ok.map((r) => r.activation!.bundleLoadMs)),
    loadPlusActivateMs: med(ok.map((r) => r.activation!.loadPlusActivateMs)),
    bytesAtActivate: ok[0]?.activation!.parsedAtActivate?.reduce((n, f) => n + f.bytes, 0),
    filesAtActivate: ok[0]?.activation!.parsedAtActivate?.map((f) => f.file),
    bytesWhenShown: ok[0]?.activation!.parsedWhenShown?.reduce((n, f) => n + f.bytes, 0),
    hostBuiltinsNotLoaded: [...new Set(runs.flatMap((r) => r.hostBuiltinsNotLoaded ?? []))],
    sessions,
    profiles,
    sdkLoaded: ok.length ? ok.some((r) => r.activation!.sdkLoadedByStatusBar || r.activation!.sdkRequiredDuringLoadOrActivate) : undefined,
    treeAccounts: opts.treeAccounts,
    firstPageToShownMs: med(okTree.map((r) => r.tree!.firstPageToShownMs)),
    askToShownMs: med(okTree.map((r) => r.tree!.askToShownMs)),
    heapAccountsMB: med(okTree.map((r) => r.tree!.heapAccountsMB)),
    heapCompleteMB: med(okTree.map((r) => r.tree!.heapCompleteMB)),
    bundle: 'production (minified) dist/extension.js',
  };
}
