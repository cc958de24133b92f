// Laptop entry for the extension-host tests with a real desktop VS Code downloaded by
// @vscode/test-electron (needs internet; not used in CI, which runs scripts/runHostTests.mjs on
// code-server). Same suites, same fake Identity Center and temp HOME.
//
//   node test/host/runWithTestElectron.mjs [--version 1.100.3] [--grep smoke]
//
// On Linux without a display, wrap it: xvfb-run -a node test/host/runWithTestElectron.mjs
import { runTests } from '@vscode/test-electron';
import { REPO } from '../../scripts/codeServer.mjs';
import { buildExtension, buildHostTests, dropRealAwsEnv, HOST_TESTS_ENTRY, prepareWorld } from '../../scripts/hostTestSetup.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);

dropRealAwsEnv();
buildExtension();
await buildHostTests();
const world = await prepareWorld();
let code = 1;
try {
  code = await runTests({
    version: option('version') ?? '1.100.3', // the engine floor in package.json
    extensionDevelopmentPath: REPO,
    extensionTestsPath: HOST_TESTS_ENTRY,
    // Desktop VS Code prints the extension host's console to this terminal; the report file is a bonus.
    extensionTestsEnv: { ...world.env, ...(option('grep') ? { AWS_SSO_HOST_TEST_GREP: option('grep') } : {}) },
    launchArgs: ['--disable-extensions'], // other installed extensions stay out of the run
  });
} catch (e) {
  code = typeof e?.code === 'number' ? e.code : 1;
} finally {
  await world.stop();
}
process.exit(code);
