// Runs a snippet of TypeScript as the unprivileged `nobody`, so permission tests mean something
// when the suite runs as root (root reads and writes through any chmod).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NOBODY = 65534;
const ROOT_DIR = join(__dirname, '..', '..');

/** Why dropping to nobody is impossible here, or undefined when it works. */
export function cannotDropPrivileges(): string | undefined {
  if (process.platform === 'win32') return 'not POSIX';
  if (process.getuid?.() !== 0) return 'not root: plain chmod tests cover this (test/unit/config)';
  if (!existsSync('/usr/bin/setpriv')) return 'setpriv is not installed';
  return undefined;
}

export interface AsUserResult<T> {
  status: number | null;
  /** What the snippet printed with `report(value)`. */
  value?: T;
  stderr: string;
}

/**
 * Runs `body` (TypeScript, inside an async function with `report(value)` in scope) as nobody
 * with `env`. Imports use absolute paths: `SRC` is the repository's src folder.
 */
export async function runAsNobody<T>(body: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<AsUserResult<T>> {
  const code = `
const SRC = ${JSON.stringify(join(ROOT_DIR, 'src'))};
const TEST = ${JSON.stringify(join(ROOT_DIR, 'test'))};
const report = (v: unknown) => process.stdout.write('@@' + JSON.stringify(v) + '@@');
(async () => {
${body}
})().catch((e) => { report({ thrown: true, name: e?.name, code: e?.code, message: String(e?.message ?? e) }); });
`;
  // tsx transforms files, not `-e` code: the snippet goes to a file nobody can read.
  const dir = mkdtempSync(join(tmpdir(), 'trust-asuser-'));
  chmodSync(dir, 0o755);
  const file = join(dir, 'snippet.ts');
  writeFileSync(file, code, { mode: 0o644 });
  try {
    // Asynchronous: the fake Identity Center may run in this very process.
    return await new Promise<AsUserResult<T>>((resolve, reject) => {
      const child = spawn(
        '/usr/bin/setpriv',
        [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '--no-warnings', '--import', 'tsx', file],
        { cwd: ROOT_DIR, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('close', (status) => {
        const m = /@@(.*)@@/s.exec(out);
        resolve({ status, value: m ? (JSON.parse(m[1]) as T) : undefined, stderr: err.slice(0, 2000) });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
