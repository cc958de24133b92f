// 7. Idle cost (issue 10): what the extension costs while nothing happens, in a real editor (code-server +
// headless Chromium through scripts/code-server-test-host.mjs, bench/host/idle.bench.ts as the extension
// tests entry). Three signed-in sessions (token files written straight into the temp HOME's cache, hours
// from expiry), then an idle window of N minutes with our view closed, and with it open (one session's
// accounts and roles listed first); a third editor without our extension is the baseline of the extension
// host's own cost. The three editors run at once, so the full bench spends the idle window only once.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeTokenFile } from '../src/core/auth/tokenCache';
import { resolveAwsPaths } from '../src/core/paths';
import type { SsoSession } from '../src/core/types';
import { buildEntry, extensionCopy } from './editor';
import { FakeProcess, REPO } from './lib';

export type IdleVariant = 'closed' | 'open' | 'baseline';
export const IDLE_VARIANTS: readonly IdleVariant[] = ['closed', 'open', 'baseline'];

export interface IdleRun {
  variant: IdleVariant;
  /** The idle window as measured inside the extension host. */
  idleMs?: number;
  /** Extension-host CPU time (user + system, every thread) over the window. */
  cpuMs?: number;
  cpuUserMs?: number;
  cpuSystemMs?: number;
  /** The same from /proc/<pid>/stat (utime + stime), in clock ticks. */
  procStatTicks?: number;
  /** Our wake-ups over the window, by source (TestApi.wakeUps); absent for the baseline. */
  wakeUps?: Record<string, number>;
  /** Their CPU time, by source, ms. */
  wakeUpCpuMs?: Record<string, number>;
  statusText?: string;
  signedIn?: number;
  viewVisible?: boolean;
  listedAccounts?: number;
  rolesComplete?: boolean;
  error?: string;
}

export interface IdleFigures {
  minutes: number;
  settleS: number;
  sessions: number;
  runs: IdleRun[];
}

const SESSIONS: SsoSession[] = ['dev', 'prod', 'sandbox'].map((name, i) => ({
  name,
  startUrl: `https://d-90670000${i + 1}0.awsapps.com/start`,
  region: 'us-east-1',
  scopes: ['sso:account:access'],
}));

/** A development extension that is not ours, so the baseline editor runs the same harness without us. */
function stubExtension(dir: string): string {
  const stub = join(dir, 'baseline-extension');
  mkdirSync(stub, { recursive: true });
  writeFileSync(join(stub, 'package.json'), JSON.stringify({ name: 'idle-baseline', publisher: 'bench', version: '0.0.0', engines: { vscode: '^1.100.0' } }));
  return stub;
}

export async function benchIdle(opts: { minutes: number; settleS: number; productionDist: string; log: (s: string) => void; profileDir?: string }): Promise<IdleFigures> {
  const { runExtensionTestsInCodeServer } = (await import(pathToFileURL(join(REPO, 'scripts/code-server-test-host.mjs')).href)) as {
    runExtensionTestsInCodeServer: (o: Record<string, unknown>) => Promise<number>;
  };
  const idleMs = Math.round(opts.minutes * 60_000);
  const settleMs = Math.round(opts.settleS * 1000);
  const scratch = mkdtempSync(join(tmpdir(), 'aws-sso-bench-idle-'));
  // Only the open variant's first listing talks to it; nothing should while idle.
  const fake = await FakeProcess.start({ accounts: 20, seed: 5 });
  try {
    const entry = await buildEntry(scratch, 'idle');
    const ext = await extensionCopy(scratch, opts.productionDist);
    const stub = stubExtension(scratch);
    opts.log(`  ${IDLE_VARIANTS.length} editors at once (${IDLE_VARIANTS.join(', ')}): ${opts.settleS} s to settle, then ${opts.minutes} idle minute(s)`);
    const runs = await Promise.all(
      IDLE_VARIANTS.map(async (variant): Promise<IdleRun> => {
        const home = join(scratch, `home-${variant}`);
        mkdirSync(join(home, '.aws'), { recursive: true });
        const configFile = join(home, '.aws', 'config');
        writeFileSync(
          configFile,
          SESSIONS.map((s) => `[sso-session ${s.name}]\nsso_start_url = ${s.startUrl}\nsso_region = ${s.region}\nsso_registration_scopes = sso:account:access\n`).join('\n'),
          { mode: 0o600 },
        );
        const env = {
          HOME: home,
          USERPROFILE: home,
          AWS_CONFIG_FILE: configFile,
          AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
          ...fake.env,
          AWS_SSO_FAKE_URL: fake.url,
          AWS_SSO_BENCH_RESULT: join(scratch, `result-${variant}.json`),
          AWS_SSO_BENCH_IDLE_VARIANT: variant,
          AWS_SSO_BENCH_IDLE_MS: String(idleMs),
          AWS_SSO_BENCH_IDLE_SETTLE_MS: String(settleMs),
          AWS_SSO_BENCH_IDLE_SESSIONS: String(SESSIONS.length),
          ...(opts.profileDir ? { AWS_SSO_BENCH_IDLE_PROFILE: join(opts.profileDir, `idle-${variant}.cpuprofile`) } : {}),
        };
        // Hours from expiry, each at its own second of the minute (each tooltip line ticks at its own time).
        for (const [i, s] of SESSIONS.entries()) {
          await writeTokenFile(resolveAwsPaths(env), s, { startUrl: s.startUrl, region: s.region, accessToken: await fake.mintToken(), expiresAt: Date.now() + (8 + i) * 3_600_000 + (17 + 19 * i) * 1000 });
        }
        let report = '';
        const code = await runExtensionTestsInCodeServer({
          extensionDevelopmentPath: variant === 'baseline' ? stub : ext,
          extensionTestsPath: entry,
          env,
          timeoutMs: idleMs + settleMs + 240_000,
          out: (s: string) => (report += s),
        });
        let run: IdleRun;
        try {
          run = JSON.parse(readFileSync(env.AWS_SSO_BENCH_RESULT, 'utf8')) as IdleRun;
        } catch {
          run = { variant, error: `no result (exit ${code}): ${report.trim().split('\n').slice(-15).join(' | ')}` };
        }
        if (code !== 0 && !run.error) run.error = `exit ${code}`;
        opts.log(
          `  ${variant}: ` +
            (run.cpuMs !== undefined ? `extension host CPU ${run.cpuMs.toFixed(0)} ms over ${((run.idleMs ?? 0) / 60_000).toFixed(2)} min` : '') +
            (run.wakeUps ? `; our wake-ups ${JSON.stringify(run.wakeUps)} taking ${ourCpuMs(run).toFixed(1)} ms` : '') +
            (run.statusText ? `; status bar "${run.statusText}"` : '') +
            (run.error ? ` ERROR ${run.error.split('\n')[0]}` : ''),
        );
        return run;
      }),
    );
    return { minutes: opts.minutes, settleS: opts.settleS, sessions: SESSIONS.length, runs };
  } finally {
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Our wake-ups other than the status bar's ticks: polls, file events, throttles (0 while idle). */
export function otherWakeUps(w: Record<string, number> | undefined): number {
  return Object.entries(w ?? {}).reduce((n, [k, v]) => (k === 'status' ? n : n + v), 0);
}

/** CPU time of our wake-ups over the window, ms. */
export function ourCpuMs(r: IdleRun): number {
  return Object.values(r.wakeUpCpuMs ?? {}).reduce((a, b) => a + b, 0);
}
