// `npm run package`: a production bundle and a .vsix, built in a staging folder so the
// development build in dist/ (which the tests use) is left alone.
//
//   npm run package                 # → aws-sso-profiles-<version>.vsix in the repository root
//   npm run package -- --out F      # elsewhere
//   npm run test:vsix               # package, then prove it: install the .vsix into code-server with
//                                   # `code-server --install-extension`, open the workbench in
//                                   # Chromium and wait for the extension's "AWS SSO" status-bar entry
//   node scripts/package.mjs --verify-only F.vsix   # the same check on an existing .vsix
//
// README images are relative links in the repository; vsce rewrites them to the `repository` of
// package.json, so the screenshots stay out of the .vsix (which keeps it under 250 KB).
import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  QUIET_SETTINGS,
  REPO,
  cleanEnv,
  ensureCodeServer,
  freePort,
  launchBrowser,
  trackProcessGroup,
  waitForWorkbench,
} from './codeServer.mjs';
import { makeAwsHome } from './fakeEnv.mjs';

/** What the staging folder gets from the repository (the .vscodeignore allow-list picks from it). */
const STAGED = ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', 'l10n'];
const VSCE = join(REPO, 'node_modules/@vscode/vsce/vsce');

/**
 * The README the .vsix carries: the user's part, which the editor and the Marketplace show as the
 * extension's page; the contributors' part (architecture, tests, benchmarks) stays in the
 * repository. 7 KB of the .vsix, compressed.
 */
export function vsixReadme(text) {
  const i = text.indexOf('\n# For contributors');
  if (i < 0) return text;
  return `${text.slice(0, i).trimEnd()}\n\n---\n\nHow it is built and tested (architecture, tests, benchmarks): the README in the repository.\n`;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    throw new Error(`${[cmd, ...args].join(' ')} failed (exit ${r.status}):\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
  return r.stdout;
}

/** Builds the production bundle and the .vsix; returns its path and size in bytes. */
export async function packageExtension({ out } = {}) {
  const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
  const target = resolve(out ?? join(REPO, `${pkg.name}-${pkg.version}.vsix`));
  const stage = await mkdtemp(join(tmpdir(), 'aws-sso-package-'));
  try {
    for (const entry of STAGED) await cp(join(REPO, entry), join(stage, entry), { recursive: true });
    await writeFile(join(stage, 'README.md'), vsixReadme(await readFile(join(REPO, 'README.md'), 'utf8')));
    // esbuild.config.mjs reads src/ and node_modules/ relative to its working directory.
    await symlink(join(REPO, 'src'), join(stage, 'src'));
    await symlink(join(REPO, 'node_modules'), join(stage, 'node_modules'));
    await cp(join(REPO, 'esbuild.config.mjs'), join(stage, 'esbuild.config.mjs'));
    process.stdout.write(run(process.execPath, ['esbuild.config.mjs', '--production'], { cwd: stage }));
    for (const entry of ['src', 'node_modules', 'esbuild.config.mjs']) await rm(join(stage, entry), { force: true });

    // The bundle carries the dependencies, so vsce needs no `npm list`; no network either way.
    const vsceOut = run(process.execPath, [VSCE, 'package', '--no-dependencies', '--out', target], { cwd: stage });
    process.stdout.write(vsceOut.trimEnd().replace(/^/gm, '[vsce] ') + '\n');
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  const { size } = await stat(target);
  return { path: target, size };
}

/** The files inside a .vsix (`unzip -Z1`). */
export function vsixEntries(vsix) {
  return run('unzip', ['-Z1', vsix]).split('\n').filter(Boolean);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Installs the .vsix into a fresh extensions folder with `code-server --install-extension`, starts
 * code-server on it (a HOME whose ~/.aws/config has one session, so the status bar has something to
 * say), opens the workbench in Chromium and waits for the "AWS SSO" status-bar entry: the extension
 * is installed as a user would have it, and it activated. Returns what it saw.
 */
export async function verifyVsix(vsix, { screenshot, timeoutMs = 120_000 } = {}) {
  const bin = ensureCodeServer();
  const base = await mkdtemp(join(tmpdir(), 'aws-sso-vsix-'));
  const dirs = {
    extensions: join(base, 'extensions'),
    userData: join(base, 'user-data'),
    workspace: join(base, 'workspace'),
    tmp: join(base, 'tmp'),
  };
  for (const d of [dirs.extensions, join(dirs.userData, 'User'), dirs.workspace, dirs.tmp]) await mkdir(d, { recursive: true });
  const home = await makeAwsHome({ prefix: 'aws-sso-vsix-home-' });
  const env = cleanEnv({
    ...home.env,
    XDG_CONFIG_HOME: join(home.dir, '.config'),
    XDG_DATA_HOME: join(home.dir, '.local/share'),
    XDG_CACHE_HOME: join(home.dir, '.cache'),
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '', itemUrl: '', resourceUrlTemplate: '' }),
  });
  let child;
  let untrack = () => {};
  let browser;
  try {
    const installed = run(bin, ['--install-extension', resolve(vsix), '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData], { env });
    await writeFile(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));

    const port = await freePort();
    child = spawn(
      bin,
      ['--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
        '--disable-getting-started-override', '--ignore-last-opened', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, dirs.workspace],
      { env, cwd: dirs.workspace, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    untrack = trackProcessGroup(child.pid);
    const output = [];
    child.stdout.on('data', (d) => output.push(String(d)));
    child.stderr.on('data', (d) => output.push(String(d)));
    const url = `http://127.0.0.1:${port}`;
    for (const until = Date.now() + 30_000; ; await sleep(200)) {
      if (child.exitCode !== null) throw new Error(`code-server exited early:\n${output.join('')}`);
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
      if (Date.now() > until) throw new Error(`code-server did not start:\n${output.join('')}`);
    }

    browser = await launchBrowser();
    const { page } = browser;
    await page.goto(`${url}/?folder=${encodeURIComponent(dirs.workspace)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(page, timeoutMs);
    // The status-bar entry appears only once the extension has activated and read ~/.aws/config.
    const entry = page.locator('.part.statusbar .statusbar-item', { hasText: 'AWS SSO' }).first();
    await entry.waitFor({ state: 'visible', timeout: timeoutMs });
    const statusText = (await entry.innerText()).trim();
    const statusLabel = await entry.locator('a, [role="button"]').first().getAttribute('aria-label').catch(() => null);
    // First activation of an installed copy: the walkthrough opens on its own.
    const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get Started with AWS SSO Profiles' }).first();
    const walkthroughOpened = await walkthrough.waitFor({ state: 'visible', timeout: 30_000 }).then(() => true, () => false);
    if (screenshot) await page.screenshot({ path: screenshot });
    return { installed: installed.trim(), statusText, statusLabel, walkthroughOpened, entries: vsixEntries(vsix).length };
  } finally {
    await browser?.close().catch(() => {});
    if (child) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5000)]);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group empty */ }
      untrack();
    }
    await home.cleanup();
    await rm(base, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
  try {
    let vsix = option('verify-only');
    if (!vsix) {
      const r = await packageExtension({ out: option('out') });
      vsix = r.path;
      console.log(`[package] ${r.path}: ${(r.size / 1024).toFixed(0)} KB (${r.size} bytes), ${vsixEntries(r.path).length} entries`);
    }
    if (args.includes('--verify') || option('verify-only')) {
      const started = Date.now();
      const v = await verifyVsix(vsix, { screenshot: option('screenshot') });
      console.log(`[verify] ${v.installed.split('\n').pop()}`);
      console.log(`[verify] status bar: "${v.statusText}" (aria-label: ${v.statusLabel ?? 'none'})`);
      if (!v.walkthroughOpened) throw new Error('the walkthrough did not open on the first activation of the installed .vsix');
      console.log(`[verify] walkthrough opened on first activation; passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } catch (e) {
    console.error(`[package] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
