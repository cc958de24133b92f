// Runs the extension in a real editor: code-server (VS Code 1.100 in the browser) on 127.0.0.1
// plus headless Chromium driven by playwright-core. Used by the extension-host tests
// (scripts/runHostTests.mjs), the UI tests (test/ui/harness.mjs) and the sandbox (scripts/sandbox.mjs).
//
//   const cs = await startCodeServer({ env: { HOME, AWS_CONFIG_FILE, ...fake.env } });
//   const browser = await launchBrowser();
//   await browser.page.goto(cs.workbenchUrl({ folder, extensionDevelopmentPath: REPO }));
//   ...
//   await browser.close(); await cs.stop();
//
// Every process is started in its own process group and stopped by group, so nothing outlives a run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CODE_SERVER_VERSION = '4.100.3';

const INSTALLED_BIN = join(REPO, '.tools/code-server/node_modules/.bin/code-server');

/** Path of the code-server executable; installs it (scripts/install-code-server.sh) when missing. */
export function ensureCodeServer({ install = true } = {}) {
  if (process.env.CODE_SERVER_PATH) return process.env.CODE_SERVER_PATH;
  if (existsSync(join(REPO, `.tools/code-server/.installed-${CODE_SERVER_VERSION}`)) && existsSync(INSTALLED_BIN)) {
    return INSTALLED_BIN;
  }
  if (!install) throw new Error('code-server is not installed: run `npm run install:editor`');
  const r = spawnSync(join(REPO, 'scripts/install-code-server.sh'), { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/install-code-server.sh failed (exit ${r.status})`);
  return r.stdout.trim().split('\n').pop();
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Process groups started here (code-server, the fake): killed when this process exits, even through
// process.exit() or an uncaught error, so no server outlives its test run.
const liveGroups = new Set();
const liveDirs = new Set();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ }
  }
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});
/** Registers a detached child's process group for the exit-time kill; returns the unregister function. */
export function trackProcessGroup(pid) {
  liveGroups.add(pid);
  return () => liveGroups.delete(pid);
}

/** The inherited environment minus anything that could reach a real AWS account or a parent editor. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('AWS_') || k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'GITHUB_TOKEN') continue;
    if (k.startsWith('npm_')) continue; // keep `npm run` details out of the extension host
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Editor settings that keep a test or sandbox workbench quiet and offline. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  // The remote server's port-forwarding finder scans /proc and runs `ps` every few seconds in the
  // extension host (code-server's own tunnel provider keeps it on unless the source is 'output'):
  // noise in every idle measurement, and nothing a test uses.
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsSource': 'output',
  'typescript.disableAutomaticTypeAcquisition': true,
  'window.commandCenter': true,
};

/**
 * Copies the built extension (the files a .vsix would hold, see .vscodeignore) into an extensions
 * folder, as `code --install-extension` would. Returns the installed folder.
 */
export async function installExtensionCopy(extensionsDir, { source = REPO } = {}) {
  const pkg = JSON.parse(await readFile(join(source, 'package.json'), 'utf8'));
  const target = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase());
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  for (const entry of ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist', 'media']) {
    if (existsSync(join(source, entry))) {
      await cp(join(source, entry), join(target, entry), {
        recursive: true,
        filter: (src) => !src.endsWith('.map') && !src.includes('/media/screenshots'),
      });
    }
  }
  return target;
}

/**
 * Starts code-server on a free 127.0.0.1 port.
 *
 * @param {object} [o]
 * @param {Record<string,string>} [o.env]  extra environment for code-server and its extension host
 *        (HOME, AWS_CONFIG_FILE, AWS_ENDPOINT_URL_SSO, ...). HOME defaults to a temp folder.
 * @param {string} [o.folder]  workspace folder opened by default (created empty in the temp folder if omitted)
 * @param {number} [o.port]
 * @param {object} [o.settings]  user settings, merged over QUIET_SETTINGS
 * @param {boolean} [o.installExtension]  copy the built extension into the extensions dir (sandbox)
 * @param {boolean} [o.keep]  keep the temp folder after stop (for debugging)
 * @param {(line:string)=>void} [o.onOutput]  code-server's stdout/stderr lines
 */
export async function startCodeServer(o = {}) {
  const bin = ensureCodeServer();
  const base = await mkdtemp(join(tmpdir(), 'aws-sso-editor-'));
  if (!o.keep) liveDirs.add(base);
  const dirs = {
    base,
    home: join(base, 'home'),
    tmp: join(base, 'tmp'),
    userData: join(base, 'user-data'),
    extensions: join(base, 'extensions'),
    workspace: o.folder ?? join(base, 'workspace'),
  };
  for (const d of [dirs.home, dirs.tmp, join(dirs.userData, 'User'), dirs.extensions, dirs.workspace]) {
    await mkdir(d, { recursive: true });
  }
  await writeFile(join(dirs.userData, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...o.settings }, null, 2));
  if (o.installExtension) await installExtensionCopy(dirs.extensions);

  const home = o.env?.HOME ?? dirs.home;
  const env = cleanEnv({
    HOME: home,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local/share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    XDG_STATE_HOME: join(dirs.home, '.local/state'),
    TMPDIR: dirs.tmp,
    // Extension gallery requests would only time out offline.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '', itemUrl: '', resourceUrlTemplate: '' }),
    ...o.env,
  });

  const port = o.port ?? (await freePort());
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    dirs.workspace,
  ];
  const child = spawn(bin, args, { env, cwd: dirs.workspace, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const onLine = (chunk) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      output.push(line);
      if (output.length > 2000) output.shift();
      o.onOutput?.(line);
    }
  };
  child.stdout.on('data', onLine);
  child.stderr.on('data', onLine);
  let exited = null;
  const untrack = trackProcessGroup(child.pid);
  const exitPromise = new Promise((r) => child.on('exit', (code, signal) => r((exited = { code, signal }))));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group empty */ }
      untrack();
      return cleanup();
    }
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
    const done = await Promise.race([exitPromise.then(() => true), sleep(5000).then(() => false)]);
    if (!done) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      await exitPromise;
    }
    // The extension host is a child in the same group; make sure none of the group lingers.
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group empty */ }
    untrack();
    return cleanup();
  };
  const cleanup = async () => {
    if (!o.keep) await rm(base, { recursive: true, force: true }).catch(() => {});
    liveDirs.delete(base);
  };

  // Ready when /healthz answers.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group empty */ }
      untrack();
      await cleanup();
      // Another process may have taken the free port between freePort() and code-server's listen().
      const attempt = o.attempt ?? 0;
      if (o.port === undefined && attempt < 3 && output.some((l) => l.includes('EADDRINUSE'))) {
        return startCodeServer({ ...o, attempt: attempt + 1 });
      }
      throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${output.join('\n')}`);
    }
    try {
      const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not become ready in 30 s:\n${output.join('\n')}`);
    }
    await sleep(100);
  }

  const remoteUri = (path) => `vscode-remote://127.0.0.1:${port}${resolve(path)}`;
  return {
    url,
    port,
    pid: child.pid,
    dirs,
    home,
    output,
    exited: exitPromise,
    /** vscode-remote URI of a path on this (server) machine, as the web workbench wants it. */
    remoteUri,
    /**
     * Workbench URL. extensionDevelopmentPath / extensionTestsPath are local paths, turned into the
     * `payload` query parameter the web workbench reads (same meaning as the desktop flags).
     */
    workbenchUrl({ folder = dirs.workspace, extensionDevelopmentPath, extensionTestsPath } = {}) {
      const q = new URLSearchParams();
      if (folder) q.set('folder', resolve(folder));
      const payload = [];
      if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(extensionDevelopmentPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(extensionTestsPath)]);
      if (payload.length) q.set('payload', JSON.stringify(payload));
      return `${url}/?${q}`;
    },
    stop,
  };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Headless Chromium (Debian's /usr/bin/chromium) through playwright-core.
 * @returns {Promise<{context, page, console: string[], close: () => Promise<void>}>}
 */
export async function launchBrowser({ headless = true, viewport = { width: 1400, height: 900 }, onConsole } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'aws-sso-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    viewport,
    args: CHROMIUM_ARGS,
    // Keep Chromium's caches (dconf, ...) out of the real home.
    env: { ...process.env, XDG_CACHE_HOME: join(profile, '.cache'), XDG_CONFIG_HOME: join(profile, '.config') },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines = [];
  page.on('console', (m) => {
    const line = `[${m.type()}] ${m.text()}`;
    consoleLines.push(line);
    if (consoleLines.length > 5000) consoleLines.shift();
    onConsole?.(line, m);
  });
  page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
  let closed = false;
  return {
    context,
    page,
    console: consoleLines,
    async close() {
      if (closed) return;
      closed = true;
      // Leaving the workbench first lets the server shut its extension host down instead of
      // keeping it around for a reconnect.
      for (const p of context.pages()) await p.goto('about:blank', { timeout: 5000 }).catch(() => {});
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    },
  };
}

/** Waits until the workbench has rendered (activity bar and status bar present). */
export async function waitForWorkbench(page, timeout = 60_000) {
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout });
}
