// Helpers of the UI flow test (test/ui/flow.ui.mjs): what the fake organisation holds, the
// hand-written AWS config the test starts from, reading the Sessions tree out of the DOM, and
// cutting one [profile] section out of a config text; the migration walk the UI tests share.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { REPO } from '../../scripts/codeServer.mjs';

/**
 * The accounts (name, id, roles) the fake Identity Center serves for `count` and `seed`, straight
 * from its generator (test/fakes/org.ts), so the test knows the expected tree without asking the UI.
 */
export function fakeOrg(count, seed = 1) {
  const r = spawnSync(
    process.execPath,
    [
      '--import', 'tsx', '--input-type=module', '-e',
      `import m from './test/fakes/org.ts'; process.stdout.write(JSON.stringify(m.generateOrg(${Number(count)}, ${Number(seed)})));`,
    ],
    { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`could not generate the fake organisation: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

/** The order the extension sorts names in (src/ui/tree/sessionListing.ts). */
export const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * Appended by the harness after its `[sso-session sandbox]` section, before the editor starts:
 * comments of both kinds, odd spacing, an inline comment, a nested `s3 =` block and a section
 * after it, none of which a profile write may touch.
 */
export const HAND_WRITTEN = [
  '',
  '# Written by hand. Keep this comment, the odd spacing and the nested block below.',
  '[default]',
  'region = eu-west-1',
  'output=json   ; inline comment stays',
  '',
  '; a semicolon comment between sections',
  '[profile legacy-keys]',
  'region   =   us-west-2',
  's3 =',
  '    max_concurrent_requests = 20',
  '    addressing_style = path',
  'cli_pager =',
  '',
  '[services local-dev]',
  'dynamodb =',
  '  endpoint_url = http://127.0.0.1:8000',
  '',
].join('\n');

/**
 * The rows of the Sessions tree the list has rendered (it renders the visible ones), top to bottom:
 * `{ level, label, description, expanded, aria }`.
 */
export async function treeRows(page) {
  return page.locator('.part.sidebar .monaco-list-row').evaluateAll((rows) =>
    rows
      .map((r) => ({
        top: Number.parseFloat(r.style.top || '0'),
        level: Number(r.getAttribute('aria-level')),
        label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
        expanded: r.getAttribute('aria-expanded'),
        aria: r.getAttribute('aria-label') ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...rest }) => rest),
  );
}

/** Polls `probe` until it returns something truthy; throws with `what` after `timeout` ms. */
export async function until(what, probe, timeout = 30_000, every = 200) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last: ${last instanceof Error ? last.message : JSON.stringify(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * Splits `text` at the `[profile NAME]` section: the section itself (header up to the next section
 * header or the end), and the text without it. Undefined when there is no such section.
 */
export function cutProfileSection(text, name) {
  const lines = text.split(/(?<=\n)/);
  const header = (l) => /^\s*\[[^\]]*\]\s*$/.test(l.replace(/[\r\n]+$/, ''));
  const start = lines.findIndex((l) => l.replace(/[\r\n]+$/, '').trim() === `[profile ${name}]`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !header(lines[end])) end++;
  return { section: lines.slice(start, end).join(''), rest: lines.slice(0, start).join('') + lines.slice(end).join('') };
}

/** `key = value` pairs of a section's text (top-level keys only), in order. */
export function sectionPairs(section) {
  return section
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => /^[^\s#;][^=]*=/.test(l))
    .map((l) => {
      const i = l.indexOf('=');
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    });
}

/**
 * Runs a command from the palette (F1, type, Enter), like harness.runCommand, but waits for the
 * palette to list it first (on a loaded machine the list can take longer than runCommand's fixed
 * settle time to filter), and only presses Enter when it is the top, focused entry.
 */
export async function runPaletteCommand(ed, label, timeout = 60_000) {
  const is = (e) => e === label || e.startsWith(`${label},`);
  await until(
    `"${label}" at the top of the command palette`,
    async () => {
      const entries = await ed.commandPalette(label, { settleMs: 300 });
      if (entries.length > 0 && is(entries[0])) return true;
      await ed.closeQuickInput();
      return false;
    },
    timeout,
    500,
  );
  await ed.page.keyboard.press('Enter');
}

/**
 * Check for Long-Term Access Keys, by keyboard, on a home whose `legacy` keys are used by `legacy-admin`
 * (source_profile = legacy): picks the keys, confirms Back Up and Remove, and takes the first fix offered
 * for legacy-admin (Use SSO profile sso-admin). Returns the aria-labels of the fixes offered, for asserting.
 */
export async function migrateLegacyKeys(ed) {
  const page = ed.page;
  await runPaletteCommand(ed, 'AWS SSO: Check for Long-Term Access Keys');
  const picker = page.locator('.quick-input-widget');
  const rows = picker.locator('.quick-input-list .monaco-list-row');
  await until('the keys listed', async () => (await picker.isVisible()) && (await rows.count()) === 1 && /legacy/.test(await rows.first().innerText()), 30_000);
  assert.match(await rows.first().innerText(), /legacy-admin/, 'the profile using the keys is named');
  await page.keyboard.press('Enter');

  const confirm = page.locator('.monaco-dialog-box').filter({ hasText: /Remove the access keys of 1 profile/ });
  await confirm.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await confirm.innerText(), /legacy-admin/);
  await confirm.locator('.monaco-button', { hasText: 'Back Up and Remove' }).hover();
  await page.keyboard.press('Enter');
  await confirm.waitFor({ state: 'hidden', timeout: 15_000 });

  const title = picker.locator('.quick-input-title');
  await until('the pick for legacy-admin', async () => (await picker.isVisible()) && /legacy-admin assumes its role from legacy/.test(await title.innerText()), 30_000);
  const labels = await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
  assert.ok(/Use SSO profile sso-admin/.test(labels[0]), labels.join(' | '));
  await page.keyboard.press('Enter');
  await ed.notification('legacy-admin now starts from sso-admin', 30_000);
  return labels;
}
