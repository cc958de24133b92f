// UI-test harness: the fake Identity Center, a temp HOME with ~/.aws/config, code-server with this
// extension under development (the repository's dist/, like F5), and a Playwright page on the ready
// workbench. For node's test runner:
//
//   import { test, before, after } from 'node:test';
//   import { startEditor } from './harness.mjs';
//   let ed; before(async () => { ed = await startEditor(); }); after(() => ed?.stop());
//   test('...', async () => { await ed.runCommand('AWS SSO: Sign In'); await ed.screenshot('sign-in'); });
//
// Run them with `npm run test:ui` (builds once, then `node --test` over test/ui/**/*.ui.mjs).
// Knobs: AWS_SSO_UI_SKIP_BUILD=1 (set by the runner), AWS_SSO_UI_SCREENSHOTS=dir (default media/screenshots),
// AWS_SSO_UI_VERBOSE=1 (stream code-server output and the browser console).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { launchBrowser, REPO, startCodeServer, waitForWorkbench } from '../../scripts/codeServer.mjs';
import { makeAwsHome, startFakeIdentityCenter } from '../../scripts/fakeEnv.mjs';
import { buildExtension, dropRealAwsEnv } from '../../scripts/hostTestSetup.mjs';

export const SCREENSHOTS = process.env.AWS_SSO_UI_SCREENSHOTS ?? join(REPO, 'media/screenshots');

let built = false;

/**
 * The extension's manifest, read fresh, with `%key%` strings replaced from package.nls.json the way
 * the editor shows them.
 */
export async function manifest(root = REPO) {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const nls = await readFile(join(root, 'package.nls.json'), 'utf8').then(JSON.parse, () => ({}));
  const localize = (v) => {
    if (typeof v === 'string') {
      const m = /^%(.+)%$/.exec(v);
      return m && typeof nls[m[1]] === 'string' ? nls[m[1]] : v;
    }
    if (Array.isArray(v)) return v.map(localize);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, localize(x)]));
    return v;
  };
  return localize(pkg);
}

/**
 * @param {object} [o]
 * @param {number} [o.accounts]  accounts in the fake organisation (40)
 * @param {boolean} [o.autoApprove]  fake approves sign-ins by itself (true)
 * @param {object} [o.settings]  extra user settings
 * @param {string} [o.extraConfig]  text appended to ~/.aws/config
 * @param {{width:number,height:number}} [o.viewport]
 * @param {string} [o.extensionPath]  extension folder under development (the repository)
 */
export async function startEditor(o = {}) {
  dropRealAwsEnv();
  if (!built && process.env.AWS_SSO_UI_SKIP_BUILD !== '1') {
    buildExtension();
    built = true;
  }
  const verbose = process.env.AWS_SSO_UI_VERBOSE === '1';
  const stack = [];
  const stop = async () => {
    while (stack.length) await stack.pop()().catch(() => {});
  };
  try {
    const fake = await startFakeIdentityCenter({ accounts: o.accounts ?? 40, autoApprove: o.autoApprove ?? true, interval: 1 });
    stack.push(() => fake.stop());
    const home = await makeAwsHome({ prefix: 'aws-sso-uitest-home-', extraConfig: o.extraConfig });
    stack.push(() => home.cleanup());
    const codeServer = await startCodeServer({
      env: { ...home.env, ...fake.env, AWS_SSO_FAKE_URL: fake.url },
      settings: o.settings,
      onOutput: verbose ? (l) => process.stderr.write(`[code-server] ${l}\n`) : undefined,
    });
    stack.push(() => codeServer.stop());
    const browser = await launchBrowser({
      viewport: o.viewport,
      onConsole: verbose ? (l) => process.stderr.write(`[browser] ${l}\n`) : undefined,
    });
    stack.push(() => browser.close());
    const { page } = browser;
    const url = codeServer.workbenchUrl({ extensionDevelopmentPath: o.extensionPath ?? REPO });
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(page, 90_000);

    const editor = {
      page,
      browser,
      codeServer,
      fake,
      home,
      url,
      stop,

      /** Saves a PNG into media/screenshots (or AWS_SSO_UI_SCREENSHOTS) and returns its path. */
      async screenshot(name, opts = {}) {
        await mkdir(SCREENSHOTS, { recursive: true });
        const path = join(SCREENSHOTS, `${name}.png`);
        await page.screenshot({ path, ...opts });
        return path;
      },

      /** Opens the command palette and types `text` (no leading '>'); returns the visible entries. */
      async commandPalette(text, { settleMs = 500 } = {}) {
        await editor.closeQuickInput();
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input.input');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(`>${text}`);
        await page.waitForTimeout(settleMs);
        return page
          .locator('.quick-input-widget .quick-input-list .monaco-list-row')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
      },

      /** Runs a command through the palette by its full label ("Category: Title"). */
      async runCommand(label) {
        const entries = await editor.commandPalette(label);
        const match = entries.find((e) => e === label || e.startsWith(`${label},`));
        if (!match) throw new Error(`command "${label}" not in the palette; saw: ${entries.join(' | ')}`);
        await page.keyboard.press('Enter');
      },

      async closeQuickInput() {
        if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
      },

      /** The activity-bar entry of a view container, by its title. */
      activityBarItem(title) {
        return page.locator(`.part.activitybar .action-item a.action-label[aria-label^="${title.replace(/"/g, '\\"')}"]`);
      },

      /** Waits for a notification toast whose message contains `text`; returns it and its message. */
      async notification(text, timeout = 15_000) {
        const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
        await toast.waitFor({ state: 'visible', timeout });
        return { toast, message: await toast.locator('.notification-list-item-message').innerText() };
      },
    };
    return editor;
  } catch (e) {
    await stop();
    throw e;
  }
}
