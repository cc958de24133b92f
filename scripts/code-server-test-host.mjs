#!/usr/bin/env node
// Runs an extension-host test suite in code-server + headless Chromium, and stands in for the VS Code
// executable of @vscode/test-electron: `runTests({ vscodeExecutablePath: <this file>, ... })` spawns it
// with `--extensionDevelopmentPath=... --extensionTestsPath=... [folder]`, which it maps to the web
// workbench's `payload` URL parameter. When the suite ends the workbench calls
// `window.codeAutomationExit(code)`; this process exits with that code.
//
// Used as a library by scripts/runHostTests.mjs; as an executable it reads its environment like VS Code
// would: everything the caller sets (HOME, AWS_*, AWS_SSO_HOST_TEST_*) reaches the extension host.
//
// Environment knobs: AWS_SSO_HOST_TEST_TIMEOUT_MS (whole run, default 300000),
// AWS_SSO_HOST_TEST_VERBOSE=1 (stream code-server output and browser console).
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, startCodeServer } from './codeServer.mjs';

/** Text of the `logs` argument of codeAutomationExit (file contents are strings or byte arrays). */
function logText(contents) {
  if (typeof contents === 'string') return contents;
  const bytes = contents?.buffer ?? contents;
  if (bytes && typeof bytes === 'object') {
    const arr = Array.isArray(bytes) ? bytes : Object.values(bytes);
    return Buffer.from(arr).toString('utf8');
  }
  return String(contents);
}

/**
 * @param {object} o
 * @param {string|string[]} o.extensionDevelopmentPath
 * @param {string} o.extensionTestsPath  the compiled runner exporting run()
 * @param {string} [o.folder]  workspace folder to open
 * @param {Record<string,string>} [o.env]  environment of code-server and so of the extension host
 * @param {number} [o.timeoutMs]
 * @param {boolean} [o.verbose]
 * @param {(s: string) => void} [o.out]  where the report goes (default stdout)
 * @returns {Promise<number>} the suite's exit code (1 on timeout or infrastructure failure)
 */
export async function runExtensionTestsInCodeServer(o) {
  const out = o.out ?? ((s) => process.stdout.write(s));
  const verbose = o.verbose ?? process.env.AWS_SSO_HOST_TEST_VERBOSE === '1';
  const timeoutMs = o.timeoutMs ?? Number(process.env.AWS_SSO_HOST_TEST_TIMEOUT_MS ?? 300_000);
  const scratch = await mkdtemp(join(tmpdir(), 'aws-sso-hosttest-'));
  const report = o.env?.AWS_SSO_HOST_TEST_REPORT ?? join(scratch, 'report.txt');
  const devPaths = [o.extensionDevelopmentPath].flat().map((p) => resolve(p));
  const started = Date.now();

  let cs;
  let browser;
  let stopping = false;
  const cleanup = async () => {
    if (stopping) return;
    stopping = true;
    await browser?.close().catch(() => {});
    await cs?.stop().catch(() => {});
    await rm(scratch, { recursive: true, force: true }).catch(() => {});
  };
  const onSignal = (sig) => {
    out(`\n[host-tests] ${sig}: stopping code-server and Chromium\n`);
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    cs = await startCodeServer({
      env: { ...o.env, AWS_SSO_HOST_TEST_REPORT: report },
      folder: o.folder,
      onOutput: verbose ? (l) => out(`[code-server] ${l}\n`) : undefined,
    });
    browser = await launchBrowser({ onConsole: verbose ? (l) => out(`[browser] ${l}\n`) : undefined });
    const { page } = browser;

    let finish;
    const finished = new Promise((r) => (finish = r));
    // The workbench looks the function up on its window (`typeof window.codeAutomationExit ==
    // 'function'`); exposeFunction defines it on every page load, before any page script runs.
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      finish({ code: Number(code), logs: Array.isArray(logs) ? logs : [] });
    });
    page.on('crash', () => finish({ code: 1, reason: 'the workbench page crashed' }));
    cs.exited.then((e) => finish({ code: 1, reason: `code-server exited: ${JSON.stringify(e)}` }));

    const url = cs.workbenchUrl({
      folder: o.folder,
      extensionDevelopmentPath: devPaths[0],
      extensionTestsPath: o.extensionTestsPath,
    });
    if (devPaths.length > 1) out('[host-tests] only the first extensionDevelopmentPath is used\n');
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    let timer;
    const timedOut = new Promise((r) => {
      timer = setTimeout(() => r({ code: 1, reason: `timed out after ${Math.round(timeoutMs / 1000)} s` }), Math.max(0, started + timeoutMs - Date.now()));
    });
    const result = await Promise.race([finished, timedOut]);
    clearTimeout(timer);

    if (existsSync(report)) out(readFileSync(report, 'utf8'));
    if (result.reason) out(`[host-tests] ${result.reason}\n`);
    if (result.code !== 0) {
      // Help the reader: the extension host's own log and the workbench's errors.
      for (const log of result.logs ?? []) {
        const name = String(log.relativePath ?? '');
        if (/exthost|remoteexthost|extension/i.test(name)) {
          const text = logText(log.contents).trim();
          if (text) out(`\n----- ${name} -----\n${text.split('\n').slice(-80).join('\n')}\n`);
        }
      }
      const errors = browser.console.filter((l) => /^\[(error|pageerror)\]/.test(l)).slice(-30);
      if (errors.length) out(`\n----- workbench console errors -----\n${errors.join('\n')}\n`);
      out(`\n----- code-server output (last 40 lines) -----\n${cs.output.slice(-40).join('\n')}\n`);
    }
    out(`[host-tests] exit code ${result.code} after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    return result.code;
  } catch (e) {
    out(`[host-tests] failed to run the suite: ${e instanceof Error ? e.stack : String(e)}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
  }
}

/** Parses the VS Code command line that @vscode/test-electron builds. */
export function parseVSCodeArgs(argv) {
  const devPaths = [];
  let testsPath;
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--extensionDevelopmentPath') devPaths.push(value());
    else if (flag === '--extensionTestsPath') testsPath = value();
    else if (['--extensions-dir', '--user-data-dir', '--folder-uri', '--locale'].includes(flag)) { if (inline === undefined) i++; }
    else if (a.startsWith('-')) { /* --no-sandbox, --disable-updates, ...: meaningless for code-server */ }
    else positional.push(a);
  }
  return { devPaths, testsPath, folder: positional[0] };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { devPaths, testsPath, folder } = parseVSCodeArgs(process.argv.slice(2));
  if (!testsPath || devPaths.length === 0) {
    process.stderr.write('usage: code-server-test-host.mjs --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [folder]\n');
    process.exit(2);
  }
  // Like VS Code, pass the caller's environment on to the extension host.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'HOME' || k === 'USERPROFILE' || k.startsWith('AWS_')));
  const code = await runExtensionTestsInCodeServer({ extensionDevelopmentPath: devPaths, extensionTestsPath: resolve(testsPath), folder, env });
  process.exit(code);
}
