// The world the editor runs in during host tests, UI tests and the sandbox: the fake IAM Identity
// Center as a child process (test/fakes/serve.ts) and a throwaway HOME with ~/.aws/config.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO, trackProcessGroup } from './codeServer.mjs';

export const SANDBOX_START_URL = 'https://d-1234567890.awsapps.com/start';
export const SANDBOX_REGION = 'us-east-1';
export const SANDBOX_SESSION = 'sandbox';

/**
 * Starts the fake Identity Center (`node --import tsx test/fakes/serve.ts ...`).
 * @returns {Promise<{url: string, env: Record<string,string>, pid: number, stop: () => Promise<void>}>}
 */
export async function startFakeIdentityCenter({ accounts = 40, autoApprove = true, interval = 1, seed = 1, port = 0, onStderr } = {}) {
  const args = ['--import', 'tsx', join(REPO, 'test/fakes/serve.ts'), '--accounts', String(accounts), '--interval', String(interval), '--seed', String(seed), '--port', String(port)];
  if (autoApprove) args.push('--auto-approve');
  const child = spawn(process.execPath, args, { cwd: REPO, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (d) => {
    const s = d.toString();
    stderr.push(s);
    onStderr?.(s);
  });
  let exited = null;
  const untrack = trackProcessGroup(child.pid);
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => { untrack(); r((exited = { code, signal })); }));
  const env = {};
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`fake Identity Center did not start in 20 s: ${stderr.join('')}`)), 20_000);
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      if (line.startsWith('{')) {
        clearTimeout(timer);
        resolveUrl(JSON.parse(line).url);
      } else {
        const i = line.indexOf('=');
        if (i > 0) env[line.slice(0, i)] = line.slice(i + 1);
      }
    });
    exitPromise.then((e) => {
      clearTimeout(timer);
      reject(new Error(`fake Identity Center exited (${JSON.stringify(e)}): ${stderr.join('')}`));
    });
  });
  return {
    url,
    env,
    pid: child.pid,
    async stop() {
      if (exited) return;
      try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
      const done = await Promise.race([exitPromise.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
      if (!done) {
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
        await exitPromise;
      }
    },
  };
}

/**
 * A temp HOME whose ~/.aws/config has one [sso-session] (pointing at the fake through the
 * AWS_ENDPOINT_URL_SSO* variables, which carry the endpoints).
 * @returns {Promise<{dir: string, env: Record<string,string>, configFile: string, cleanup: () => Promise<void>}>}
 */
export async function makeAwsHome({ session = SANDBOX_SESSION, startUrl = SANDBOX_START_URL, region = SANDBOX_REGION, prefix = 'aws-sso-home-', extraConfig = '' } = {}) {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(dir, '.aws'), { recursive: true });
  const configFile = join(dir, '.aws', 'config');
  const config = [
    `[sso-session ${session}]`,
    `sso_start_url = ${startUrl}`,
    `sso_region = ${region}`,
    'sso_registration_scopes = sso:account:access',
    '',
  ].join('\n') + extraConfig;
  await writeFile(configFile, config, { mode: 0o600 });
  return {
    dir,
    configFile,
    env: {
      HOME: dir,
      USERPROFILE: dir,
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'),
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
