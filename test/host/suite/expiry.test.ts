// The heads-up before a session ends and the notice when it has ended (with Sign In Again), and
// the status bar and its menu with several sessions: what the user sees, driven by token files.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { serializeToken, tokenFilePath } from '../../../src/core/auth/tokenCache';
import type { TestApi } from '../../../src/ui/testing';
import { configText, inHarness, SESSION, signIn, testApi, waitFor } from './uiHelpers';

const A = { name: 'expiry-a', startUrl: 'https://d-6666666661.awsapps.com/start', region: 'eu-west-1' };
const B = { name: 'expiry-b', startUrl: 'https://d-6666666662.awsapps.com/start', region: 'eu-west-1' };

describe('expiry: heads-up, ended notice, several sessions in the status bar', () => {
  let api: TestApi;
  let original: string;

  function writeToken(s: { name: string; startUrl: string; region: string }, expiresAt: number): void {
    const file = tokenFilePath(api.paths(), s);
    mkdirSync(dirname(file), { recursive: true });
    // No refresh token: the session cannot renew itself.
    writeFileSync(file, serializeToken({ startUrl: s.startUrl, region: s.region, accessToken: 'not-a-real-token', expiresAt }), { mode: 0o600 });
  }

  const asked = (id: string) => api.answers.asked.filter((a) => a.id === id).map((a) => a.text);
  const hhmm = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await vscode.commands.executeCommand('awsSsoProfiles.signOutAll');
    original = configText();
    writeFileSync(
      process.env.AWS_CONFIG_FILE!,
      `${original}\n[sso-session ${A.name}]\nsso_start_url = ${A.startUrl}\nsso_region = ${A.region}\n\n[sso-session ${B.name}]\nsso_start_url = ${B.startUrl}\nsso_region = ${B.region}\n`,
    );
    await api.store.reload();
    api.hooks.focused = () => true;
    api.answers.clear();
  });

  after(async function () {
    if (!api) return;
    this.timeout(30_000);
    api.hooks.focused = undefined;
    api.answers.clear();
    for (const s of [A, B]) rmSync(tokenFilePath(api.paths(), s), { force: true });
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
    await api.store.reload();
    await signIn(api);
  });

  it('shows the session ending first, and the menu lists each session with its time left', async function () {
    this.timeout(20_000);
    writeToken(A, Date.now() + 3 * 3_600_000);
    writeToken(B, Date.now() + 2 * 3_600_000);
    await api.store.reloadTokens();
    assert.match(api.statusBarItem().text, /^\$\(cloud\) AWS SSO: (2h 0m|1h 59m)$/);
    let rows: string[] = [];
    api.answers.push('statusAction', (items) => {
      rows = items.filter((i) => i.label.startsWith('$(cloud)')).map((i) => `${i.label} | ${i.description}`);
      return undefined;
    });
    await vscode.commands.executeCommand('awsSsoProfiles.showStatusActions');
    assert.deepEqual(rows.slice(0, 2).map((r) => r.replace(/\d+h \d+m/, 'T')), [`$(cloud) ${B.name} | expires in T`, `$(cloud) ${A.name} | expires in T`]);
    assert.ok(rows.some((r) => r === `$(cloud) ${SESSION} | signed out`), rows.join('\n'));
    assert.deepEqual(asked('expiryEnding'), [], 'hours left: no heads-up');
  });

  it('one heads-up inside the warning minutes, never repeated; a new sign-in re-arms it', async function () {
    this.timeout(20_000);
    const first = Date.now() + 10 * 60_000;
    api.answers.push('expiryEnding', undefined, undefined);
    writeToken(A, first);
    await api.store.reloadTokens();
    assert.deepEqual(asked('expiryEnding'), [`Your AWS session '${A.name}' ends at ${hhmm(first)}.`]);
    await api.store.reload();
    api.notices.update();
    assert.equal(asked('expiryEnding').length, 1, `once per session and expiry: ${asked('expiryEnding').join(' / ')}`);
    const second = first + 60_000;
    writeToken(A, second);
    await api.store.reloadTokens();
    assert.deepEqual(asked('expiryEnding'), [`Your AWS session '${A.name}' ends at ${hhmm(first)}.`, `Your AWS session '${A.name}' ends at ${hhmm(second)}.`]);
  });

  it('says when a session has ended, and Sign In Again signs in at once', async function () {
    this.timeout(30_000);
    let prompts = 0;
    api.hooks.deviceCode = async () => {
      prompts++;
      return true;
    };
    try {
      const s = api.store.find(SESSION)!;
      api.answers.push('expiryEnding', undefined);
      api.answers.push('expiryEnded', 'Sign In Again');
      // Ends in a second or two (the file holds whole seconds): the heads-up at once, the end from the notices' timer.
      const end = (Math.floor(Date.now() / 1000) + 2) * 1000;
      writeToken(s, end);
      await api.store.reloadTokens();
      assert.deepEqual(asked('expiryEnding').filter((x) => x.includes(`'${SESSION}'`)), [`Your AWS session '${SESSION}' ends at ${hhmm(end)}.`]);
      assert.equal(api.notices.nextWakeAt, end, 'one timer, at the end');
      await waitFor('the ended notice', () => asked('expiryEnded').length > 0, 10_000);
      assert.deepEqual(asked('expiryEnded'), [`Your AWS session '${SESSION}' has ended.`]);
      await waitFor('signed in again', () => api.store.phase(SESSION) === 'signedIn', 20_000);
      assert.equal(prompts, 1, 'the sign-in started at once');
      // Signed in through the fake, the session renews itself: no heads-up for it, ever.
      api.notices.update();
      assert.equal(api.answers.asked.filter((a) => a.text.includes(`'${SESSION}' ends at`)).length, 1, 'only the one before');
    } finally {
      api.hooks.deviceCode = undefined;
    }
  });
});
