// Runs inside the extension host (code-server), as the `--extensionTestsPath` of bench/idle.ts: what the
// extension costs while nothing happens. Writes JSON to AWS_SSO_BENCH_RESULT.
//
// AWS_SSO_BENCH_IDLE_VARIANT: 'closed' (our view not shown), 'open' (our view shown, one session's
// accounts and roles listed first, as a user expanding it would), or 'baseline' (our extension not
// there at all: what the host's own extensions cost). After a settling time, the extension host's CPU
// time (process.cpuUsage(): user + system of every thread, what /proc/<pid>/stat's utime + stime count)
// and our wake-ups by source with their CPU time (TestApi.wakeUps(), core/wakeUps.ts) are read before
// and after the idle window. This file's only timer in the window is the one that ends it.
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/ui/testing';
import { startProfile } from './cpuProfile';

const EXTENSION_ID = 'aws-sso-profiles.aws-sso-profiles';
const VIEW_CONTAINER_COMMAND = 'workbench.view.extension.awsSsoProfiles';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Clock ticks of user + system time from /proc/self/stat (fields 14 and 15), for the record. */
function procStatTicks(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

export async function run(): Promise<void> {
  const out = process.env.AWS_SSO_BENCH_RESULT;
  if (!out) throw new Error('AWS_SSO_BENCH_RESULT is not set');
  const variant = process.env.AWS_SSO_BENCH_IDLE_VARIANT ?? 'closed';
  const idleMs = Number(process.env.AWS_SSO_BENCH_IDLE_MS ?? 60_000);
  const settleMs = Number(process.env.AWS_SSO_BENCH_IDLE_SETTLE_MS ?? 10_000);
  const sessions = Number(process.env.AWS_SSO_BENCH_IDLE_SESSIONS ?? 3);
  const result: Record<string, unknown> = { variant, pid: process.pid };
  try {
    let api: TestApi | undefined;
    if (variant !== 'baseline') {
      const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
      if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
      api = await ext.activate();
      if (!api) throw new Error('no test API: is the extension running in ExtensionMode.Test?');
      const a = api;
      await until(`${sessions} signed-in sessions`, () => a.store.sessions.length === sessions && a.store.sessions.every((s) => a.store.phase(s.name) === 'signedIn'), 30_000);
    } else if (vscode.extensions.getExtension(EXTENSION_ID)) {
      throw new Error('the baseline editor has our extension');
    }

    if (variant === 'open') {
      await vscode.commands.executeCommand(VIEW_CONTAINER_COMMAND);
      const a = api!;
      if (a.viewVisible) await until('the Sessions view to show', () => a.viewVisible(), 15_000);
      // A user expanded the first session: its accounts, then every role in the background.
      const first = (await a.tree.getChildren()).find((n) => n.kind === 'session');
      if (!first || first.kind !== 'session') throw new Error('no session in the tree');
      const accounts = await a.tree.getChildren(first);
      await a.tree.listing(first.session).prefetchRoles();
      result.listedAccounts = accounts.length;
      result.rolesComplete = a.tree.listing(first.session).complete;
    } else {
      await vscode.commands.executeCommand('workbench.action.closeSidebar');
    }
    await sleep(settleMs);
    if (api?.viewVisible) result.viewVisible = api.viewVisible();

    const profileTo = process.env.AWS_SSO_BENCH_IDLE_PROFILE;
    const stopProfile = profileTo ? startProfile(1000) : undefined;
    // An older bundle (measured for comparison) has no counters: its CPU figures still count.
    const counters = () => (api?.wakeUps ? api.wakeUps() : { counts: {}, cpuMs: {} });
    const w0 = counters();
    const ticks0 = procStatTicks();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(idleMs);
    const c = process.cpuUsage(c0);
    const wallMs = performance.now() - t0;
    const ticks1 = procStatTicks();
    const w1 = counters();
    if (stopProfile) writeFileSync(profileTo!, JSON.stringify(await stopProfile()));

    const since = (after: Record<string, number>, before: Record<string, number>) =>
      Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)]).filter(([, n]) => n !== 0));
    const wakeUps = since(w1.counts, w0.counts);
    const wakeUpCpuMs = since(w1.cpuMs, w0.cpuMs);
    Object.assign(result, {
      idleMs: wallMs,
      cpuUserMs: c.user / 1000,
      cpuSystemMs: c.system / 1000,
      cpuMs: (c.user + c.system) / 1000,
      procStatTicks: ticks0 !== undefined && ticks1 !== undefined ? ticks1 - ticks0 : undefined,
      wakeUps: api?.wakeUps ? wakeUps : undefined,
      wakeUpCpuMs: api?.wakeUps ? wakeUpCpuMs : undefined,
      statusText: api?.status.current.text,
      signedIn: api ? api.store.sessions.filter((s) => api!.store.phase(s.name) === 'signedIn').length : undefined,
    });
  } catch (e) {
    result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  writeFileSync(out, JSON.stringify(result, null, 2));
  if (result.error) throw new Error(String(result.error));
}
