// The sandbox: the extension in a real VS Code (code-server, in your browser) against a fake IAM
// Identity Center with a 40-account organisation, in a throwaway HOME. Nothing touches your ~/.aws.
//
//   npm run sandbox                      # sign-ins are approved automatically
//   npm run sandbox -- --manual-approve  # approve each sign-in yourself on the fake's /device page
//   npm run sandbox -- --watch           # extension under development: esbuild --watch, then
//                                        # "Developer: Reload Window" picks up every rebuild
//   npm run sandbox -- --accounts 300 --port 8080 --keep
//
// Prints the URL to open and runs until Ctrl+C, then stops everything and deletes the temp HOME
// (unless --keep).
import { spawn } from 'node:child_process';
import { REPO, ensureCodeServer, startCodeServer } from './codeServer.mjs';
import { makeAwsHome, SANDBOX_REGION, SANDBOX_SESSION, SANDBOX_START_URL, startFakeIdentityCenter } from './fakeEnv.mjs';
import { buildExtension, dropRealAwsEnv } from './hostTestSetup.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
if (flag('help') || flag('h')) {
  console.log('usage: npm run sandbox -- [--manual-approve] [--watch] [--accounts N] [--port N] [--keep]');
  process.exit(0);
}
const manual = flag('manual-approve');
const watch = flag('watch');
const keep = flag('keep');
const accounts = Number(option('accounts') ?? 40);
const port = option('port') ? Number(option('port')) : undefined;

dropRealAwsEnv();
const cleanups = [];
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nstopping the sandbox...\n');
  while (cleanups.length) await cleanups.pop()().catch((e) => console.error(String(e)));
  process.stdout.write('stopped.\n');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

try {
  ensureCodeServer();
  buildExtension();

  let watcher;
  if (watch) {
    watcher = spawn(process.execPath, ['esbuild.config.mjs', '--watch'], { cwd: REPO, detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
    cleanups.push(async () => {
      try { process.kill(-watcher.pid, 'SIGTERM'); } catch { /* gone */ }
    });
  }

  const fake = await startFakeIdentityCenter({ accounts, autoApprove: !manual, interval: 1 });
  cleanups.push(() => fake.stop());
  const home = await makeAwsHome({ prefix: 'aws-sso-sandbox-home-' });
  if (!keep) cleanups.push(() => home.cleanup());

  const cs = await startCodeServer({
    port,
    // The explorer shows the temp HOME, so ~/.aws/config is right there to watch.
    folder: home.dir,
    env: { ...home.env, ...fake.env },
    installExtension: !watch, // --watch: developed from the repository instead (URL payload)
    settings: { 'files.exclude': { '**/.cache': true, '**/.config': true, '**/.local': true } },
    keep,
  });
  cleanups.push(() => cs.stop());
  cs.exited.then((e) => {
    if (!stopping) {
      console.error(`code-server exited unexpectedly (${JSON.stringify(e)}):\n${cs.output.slice(-20).join('\n')}`);
      void shutdown(1);
    }
  });

  const url = watch ? cs.workbenchUrl({ folder: home.dir, extensionDevelopmentPath: REPO }) : cs.workbenchUrl({ folder: home.dir });
  const approve = manual
    ? `approve each sign-in at ${fake.url}/device (device code) or follow the browser tab the extension opens`
    : 'sign-ins are approved automatically (use --manual-approve to click through the approval page)';
  console.log(`
AWS SSO Profiles sandbox is running.

  Open:             ${url}
  Identity Center:  ${fake.url}  (fake, ${accounts} accounts; ${approve})
  HOME:             ${home.dir}
  ~/.aws/config:    [sso-session ${SANDBOX_SESSION}] sso_start_url = ${SANDBOX_START_URL}, sso_region = ${SANDBOX_REGION}
  Extension:        ${watch ? 'developed from this repository (esbuild --watch; run "Developer: Reload Window" after a rebuild)' : 'freshly built copy of dist/ (restart the sandbox after changes, or use --watch)'}

  On a remote machine, forward both ports first: ssh -L ${cs.port}:127.0.0.1:${cs.port} -L ${new URL(fake.url).port}:127.0.0.1:${new URL(fake.url).port} <host>
  Press Ctrl+C to stop${keep ? ' (--keep: the temp HOME stays)' : ' (the temp HOME is deleted)'}.
`);
} catch (e) {
  console.error(`sandbox failed to start: ${e instanceof Error ? e.message : String(e)}`);
  await shutdown(1);
}
