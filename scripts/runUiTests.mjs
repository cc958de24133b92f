// UI tests: builds the extension once, makes sure code-server and Chromium are there, then runs
// test/ui/**/*.ui.mjs with node's test runner, one file at a time (each starts its own editor).
//
//   npm run test:ui                 # all
//   npm run test:ui -- smoke        # files whose path contains "smoke"
//   npm run test:ui -- --no-build   # reuse dist/ (after `npm run build`)
//   AWS_SSO_UI_VERBOSE=1 npm run test:ui
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CHROMIUM, ensureCodeServer, REPO } from './codeServer.mjs';
import { buildExtension } from './hostTestSetup.mjs';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? find(join(dir, d.name)) : d.name.endsWith('.ui.mjs') ? [join(dir, d.name)] : [],
  );
}

const started = Date.now();
const noBuild = process.argv.includes('--no-build');
const filter = process.argv.slice(2).filter((a) => a !== '--no-build');
const files = find(join(REPO, 'test/ui'))
  .map((f) => relative(REPO, f))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no UI test files matched');
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  process.exit(1);
}
ensureCodeServer();
if (!noBuild) buildExtension();
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
  cwd: REPO,
  stdio: 'inherit',
  env: { ...process.env, AWS_SSO_UI_SKIP_BUILD: '1' },
});
console.log(`[ui-tests] ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(r.status ?? 1);
