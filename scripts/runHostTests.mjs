// Extension-host tests in a real VS Code (code-server 1.100 + headless Chromium), here and in CI.
//
//   npm run test:host                      # build, run every test/host/suite/*.test.ts
//   npm run test:host -- --grep smoke      # only matching tests
//   npm run test:host -- --no-build        # reuse dist/ (out/test/host is always rebuilt)
//   npm run test:host -- --verbose         # stream code-server output and the browser console
//
// Same entry as a laptop run with a downloaded VS Code (test/host/runWithTestElectron.mjs): both call
// @vscode/test-electron's runTests; here its `vscodeExecutablePath` is scripts/code-server-test-host.mjs,
// which maps --extensionDevelopmentPath/--extensionTestsPath to code-server's workbench `payload`.
// Exit code: the suite's (0 = all passed); 1 on failure or timeout (AWS_SSO_HOST_TEST_TIMEOUT_MS, 5 min).
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ensureCodeServer, REPO } from './codeServer.mjs';
import { buildExtension, buildHostTests, dropRealAwsEnv, HOST_TESTS_ENTRY, prepareWorld } from './hostTestSetup.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

dropRealAwsEnv();
ensureCodeServer(); // installs into .tools/code-server on first use
if (!flag('no-build')) buildExtension();
const { suites } = await buildHostTests();
console.log(`[host-tests] built ${suites} suite file(s) into out/test/host (${elapsed()})`);

const world = await prepareWorld();
const shim = join(REPO, 'scripts/code-server-test-host.mjs');
chmodSync(shim, 0o755); // in case a checkout lost the executable bit

let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath: shim,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: HOST_TESTS_ENTRY,
    extensionTestsEnv: {
      ...world.env,
      ...(option('grep') ? { AWS_SSO_HOST_TEST_GREP: option('grep') } : {}),
      ...(flag('verbose') ? { AWS_SSO_HOST_TEST_VERBOSE: '1' } : {}),
    },
  });
} catch (e) {
  code = typeof e?.code === 'number' ? e.code : 1;
  if (typeof e?.code !== 'number') console.error(`[host-tests] ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await world.stop();
}
console.log(`[host-tests] ${code === 0 ? 'passed' : 'FAILED'} in ${elapsed()}`);
process.exit(code);
