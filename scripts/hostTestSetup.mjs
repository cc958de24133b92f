// Shared by scripts/runHostTests.mjs (code-server, here and in CI) and test/host/runWithTestElectron.mjs
// (a downloaded VS Code, on a laptop): build the extension and the host suites, and prepare the
// world the extension host runs in (fake Identity Center + temp HOME with ~/.aws/config).
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './codeServer.mjs';
import { makeAwsHome, startFakeIdentityCenter } from './fakeEnv.mjs';

export const HOST_OUT = join(REPO, 'out/test/host');
export const HOST_TESTS_ENTRY = join(HOST_OUT, 'index.js');

/** `npm run build`: dist/extension.js and dist/cli.js. */
export function buildExtension() {
  const r = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('extension build failed');
}

/** Bundles test/host/index.ts and test/host/suite/*.test.ts into out/test/host/ (vscode and mocha stay external). */
export async function buildHostTests() {
  const esbuild = await import('esbuild');
  rmSync(HOST_OUT, { recursive: true, force: true });
  const suites = readdirSync(join(REPO, 'test/host/suite'))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(REPO, 'test/host/suite', f));
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: [join(REPO, 'test/host/index.ts'), ...suites],
    outbase: join(REPO, 'test/host'),
    outdir: HOST_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    // `vscode` is the editor's; mocha is required from node_modules (it loads parts of itself dynamically).
    external: ['vscode', 'mocha'],
  });
  return { entry: HOST_TESTS_ENTRY, suites: suites.length };
}

const HARNESS_KNOBS = ['AWS_SSO_HOST_TEST_', 'AWS_SSO_UI_'];

/**
 * Drops AWS_* (a developer's real profile, keys, region) from this process's environment; keeps the
 * harness's own knobs (AWS_SSO_HOST_TEST_*, AWS_SSO_UI_*).
 */
export function dropRealAwsEnv() {
  for (const k of Object.keys(process.env)) {
    if (k.startsWith('AWS_') && !HARNESS_KNOBS.some((p) => k.startsWith(p))) delete process.env[k];
  }
}

/**
 * Fake Identity Center (40 accounts, auto-approve, 1 s poll interval) + temp HOME.
 * @returns {Promise<{env: Record<string,string>, fake, home, stop: () => Promise<void>}>}
 */
export async function prepareWorld({ accounts = 40, autoApprove = true } = {}) {
  const fake = await startFakeIdentityCenter({ accounts, autoApprove, interval: 1 });
  const home = await makeAwsHome({ prefix: 'aws-sso-hosttest-home-' });
  return {
    fake,
    home,
    env: { ...home.env, ...fake.env, AWS_SSO_FAKE_URL: fake.url },
    async stop() {
      await fake.stop();
      await home.cleanup();
    },
  };
}
