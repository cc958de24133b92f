// Small shared pieces of the benchmark: statistics, the fake Identity Center process, formatting.
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { FakeOptions } from '../test/fakes/identityCenter';

export const REPO = join(__dirname, '..');

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Epoch ms with sub-millisecond precision (comparable across processes of one machine). */
export const epochNow = () => performance.timeOrigin + performance.now();

export interface FakeStatsView {
  requests: Record<string, number>;
  throttled: number;
  maxConcurrent: number;
}

/** The fake Identity Center in a child process (bench/fakeWorker.ts), driven over IPC. */
export class FakeProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (v: unknown) => void>();
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly env: Record<string, string>,
  ) {
    child.on('message', (m: { id?: number; value?: unknown }) => {
      if (m.id === undefined) return;
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      w?.(m.value);
    });
  }

  static start(opts: FakeOptions): Promise<FakeProcess> {
    const child = fork(join(__dirname, 'fakeWorker.ts'), [JSON.stringify(opts)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the fake Identity Center process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: { ready?: boolean; url: string; env: Record<string, string> }) => {
        child.off('exit', onExit);
        resolve(new FakeProcess(child, m.url, m.env));
      });
    });
  }

  private call<T>(op: string, arg?: string): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('the fake Identity Center process is gone'));
      this.waiting.set(id, resolve as (v: unknown) => void);
      this.child.send({ id, op, arg });
    });
  }

  /** A fresh access token (never printed). */
  mintToken(): Promise<string> {
    return this.call('mint');
  }
  stats(): Promise<FakeStatsView> {
    return this.call('stats');
  }
  resetStats(): Promise<void> {
    return this.call('reset');
  }
  /** The throttle starts afresh, as for a new caller (windows and a halving's clock start at the next request). */
  resetThrottle(): Promise<void> {
    return this.call('resetThrottle');
  }
  approve(userCode: string): Promise<{ ok: boolean; at: number }> {
    return this.call('approve', userCode);
  }
  pendingUserCodes(): Promise<string[]> {
    return this.call('pending');
  }
  /** Arrival time (epoch ms) of the first answered ListAccounts request since the last reset. */
  firstAccountsPage(): Promise<number | undefined> {
    return this.call('firstAccountsPage');
  }
  /** Arrival of every 429'd portal request, ms after the first portal request since the last reset. */
  throttledAt(): Promise<number[]> {
    return this.call('throttledAt');
  }
  async close(): Promise<void> {
    if (!this.child.connected) return;
    await Promise.race([this.call('close'), sleep(3000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

export function fmt(n: number | undefined, digits = 2): string {
  if (n === undefined || !Number.isFinite(n)) return '–';
  return n.toFixed(digits);
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
