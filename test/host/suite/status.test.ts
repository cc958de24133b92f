// The status bar's model over time, driven by short-lived tokens written into the CLI's cache,
// and by "another process" signing in and out (as `aws sso login` / `aws sso logout` would).
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { serializeToken, tokenFilePath } from '../../../src/core/auth/tokenCache';
import type { StatusView } from '../../../src/ui/status/statusText';
import type { TestApi } from '../../../src/ui/testing';
import { escapeMarkdown } from '../../../src/ui/util/markdown';
import { configText, inHarness, testApi, waitFor } from './uiHelpers';

const NAME = 'status-a';
const START_URL = 'https://d-5555555555.awsapps.com/start';
const REGION = 'us-west-2';

describe('status bar: countdown, colours, terminal sign-in', () => {
  let api: TestApi;
  let original: string;
  let tokenFile: string;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    // Only this suite's session counts for the text: sign everything else out.
    await vscode.commands.executeCommand('awsSsoProfiles.signOutAll');
    original = configText();
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${original}\n[sso-session ${NAME}]\nsso_start_url = ${START_URL}\nsso_region = ${REGION}\n`);
    await api.store.reload();
    tokenFile = tokenFilePath(api.paths(), { name: NAME, startUrl: START_URL });
    rmSync(tokenFile, { force: true });
    await api.store.reloadTokens();
    api.status.update();
  });

  after(async () => {
    if (!api) return;
    rmSync(tokenFile, { force: true });
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
    await api.store.reload();
  });

  /** A token as the CLI writes it; no refresh token, so nothing renews it behind the test's back. */
  function tokenJson(expiresInMs: number): string {
    return serializeToken({ startUrl: START_URL, region: REGION, accessToken: 'not-a-real-token', expiresAt: Date.now() + expiresInMs });
  }

  function writeToken(expiresInMs: number): void {
    mkdirSync(dirname(tokenFile), { recursive: true });
    writeFileSync(tokenFile, tokenJson(expiresInMs), { mode: 0o600 });
  }

  const view = (): StatusView => api.status.current;

  /** What the user sees in the status bar. */
  const shown = () => api.statusBarItem();

  it('says signed out while there is no token', () => {
    assert.equal(view().text, 'AWS SSO: signed out');
    assert.deepEqual([shown().text, shown().visible], ['$(cloud) AWS SSO: signed out', true]);
    // The tooltip is Markdown: names are escaped in it.
    assert.ok(shown().tooltip.includes(escapeMarkdown(`${NAME} (d-5555555555.awsapps.com, us-west-2): signed out`)), shown().tooltip);
    assert.equal(view().severity, 'none');
    assert.ok(view().tooltip.some((l) => l.startsWith(`${NAME} (`) && l.endsWith('signed out')), view().tooltip.join('\n'));
    assert.ok(view().accessibilityLabel.length > 0);
  });

  it('counts down a short token and turns to the error colour when it expires, from one timer', async function () {
    this.timeout(20_000);
    writeToken(5_000);
    await api.store.reloadTokens();
    assert.match(view().text, /^AWS SSO: [1-5]s$/);
    assert.equal(view().severity, 'warning', 'under the warning threshold and not renewable');
    assert.ok(api.status.nextWakeAt !== undefined && api.status.nextWakeAt <= Date.now() + 5_000, 'a timer is set for the next change');
    const seen = new Set<string>();
    const sub = api.status.onDidChange((v) => seen.add(v.text));
    try {
      await waitFor('the expired state', () => view().text === 'AWS SSO: expired', 10_000);
    } finally {
      sub.dispose();
    }
    assert.equal(view().severity, 'error');
    assert.ok(seen.size >= 2, `the countdown was shown: ${[...seen].join(', ')}`);
    assert.ok(view().tooltip.some((l) => l.includes(NAME) && l.includes('expired')));
  });

  it('warns under the configured threshold only', async function () {
    this.timeout(20_000);
    writeToken(10 * 60_000);
    await api.store.reloadTokens();
    assert.match(view().text, /^AWS SSO: (10|9)m$/);
    assert.equal(view().severity, 'warning');
    const config = vscode.workspace.getConfiguration('awsSsoProfiles');
    await config.update('expiryWarningMinutes', 5, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the ok colour with a 5-minute threshold', () => view().severity === 'ok', 5_000);
    } finally {
      await config.update('expiryWarningMinutes', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the warning again', () => view().severity === 'warning', 5_000);
  });

  it('with hours left, wakes up once a minute at most, not every second', async function () {
    this.timeout(10_000);
    writeToken(2 * 3_600_000);
    await api.store.reloadTokens();
    assert.match(view().text, /^AWS SSO: (2h 0m|1h 59m)$/);
    assert.match(shown().text, /^\$\(cloud\) AWS SSO: (2h 0m|1h 59m)$/);
    assert.equal(view().severity, 'ok');
    const wake = api.status.nextWakeAt;
    assert.ok(wake !== undefined && wake > Date.now() && wake <= Date.now() + 60_001, `next wake-up at +${(wake ?? 0) - Date.now()} ms`);
    let changes = 0;
    const sub = api.status.onDidChange(() => changes++);
    await new Promise((r) => setTimeout(r, 2_500));
    sub.dispose();
    assert.ok(changes <= 1, `${changes} updates in 2.5 s`);
  });

  it('picks up a sign-in and a sign-out by another process within seconds', async function () {
    this.timeout(30_000);
    rmSync(tokenFile, { force: true });
    await api.store.reloadTokens();
    assert.equal(api.store.phase(NAME), 'signedOut');
    // Like `aws sso login` in a terminal: a separate process writes the cache file.
    const started = Date.now();
    execFileSync(process.execPath, ['-e', `require('fs').mkdirSync(process.argv[1], {recursive: true}); require('fs').writeFileSync(process.argv[2], process.argv[3], {mode: 0o600})`, dirname(tokenFile), tokenFile, tokenJson(3 * 3_600_000)], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    await waitFor('the terminal sign-in', () => api.store.phase(NAME) === 'signedIn', 8_000);
    assert.match(view().text, /^AWS SSO: (3h 0m|2h 59m)$/);
    assert.match(shown().text, /^\$\(cloud\) AWS SSO: (3h 0m|2h 59m)$/);
    const item = api.tree.getTreeItem(api.tree.sessionNode(NAME)!);
    assert.match(String(item.contextValue), /(^|;)signedIn;/);
    assert.equal(item.description, 'signed in');
    const tookMs = Date.now() - started;
    // Like `aws sso logout`: the file goes.
    execFileSync(process.execPath, ['-e', `require('fs').rmSync(process.argv[1])`, tokenFile], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    await waitFor('the terminal sign-out', () => api.store.phase(NAME) === 'signedOut', 8_000);
    assert.equal(view().text, 'AWS SSO: signed out');
    assert.equal(shown().text, '$(cloud) AWS SSO: signed out');
    assert.equal(api.tree.getTreeItem(api.tree.sessionNode(NAME)!).description, 'signed out');
    assert.ok(tookMs < 8_000, `noticed after ${tookMs} ms`);
  });

  it('shows the profile used in new terminals', async function () {
    this.timeout(10_000);
    await vscode.commands.executeCommand('awsSsoProfiles.useProfile', 'status-profile');
    try {
      assert.equal(api.activeProfile(), 'status-profile');
      assert.match(view().text, / · status-profile$/);
      assert.match(shown().text, / · status-profile$/);
      assert.ok(view().accessibilityLabel.includes('status-profile'));
    } finally {
      await vscode.commands.executeCommand('awsSsoProfiles.stopUsingProfile');
    }
    assert.equal(api.activeProfile(), undefined);
    assert.doesNotMatch(view().text, /status-profile/);
  });
});
