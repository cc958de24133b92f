// VS Code's Accounts menu: the provider `awsSsoProfiles` is registered, lists the signed-in
// session, signs it out (the token file goes), and tells about a sign-in made in a terminal.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { tokenFilePath } from '../../../src/core/auth/tokenCache';
import type { TestApi } from '../../../src/ui/testing';
import { inHarness, SESSION, signIn, testApi, waitFor } from './uiHelpers';

describe('accounts menu: the awsSsoProfiles authentication provider', () => {
  let api: TestApi;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
  });

  after(async function () {
    if (!api) return;
    this.timeout(30_000);
    // The "terminal sign-in" put back a token the fake revoked at Sign Out: the file says signed in,
    // the service does not. Leave a real sign-in for the suites that follow.
    rmSync(tokenFilePath(api.paths(), api.store.find(SESSION)!), { force: true });
    await signIn(api);
  });

  it('is registered with VS Code and lists the signed-in session with its token', async () => {
    // Throws when no provider of that id is registered; silent: no prompt, no sign-in.
    await vscode.authentication.getSession('awsSsoProfiles', ['sso:account:access'], { silent: true });
    const sessions = await api.accounts.getSessions(['sso:account:access']);
    const s = sessions.find((x) => x.id === SESSION);
    assert.ok(s, `the signed-in session is listed: ${sessions.map((x) => x.id).join(', ')}`);
    assert.equal(s.account.label, SESSION);
    assert.ok(s.scopes.includes('sso:account:access'));
    const file = tokenFilePath(api.paths(), api.store.find(SESSION)!);
    assert.equal(s.accessToken, JSON.parse(readFileSync(file, 'utf8')).accessToken, 'the cached access token');
    assert.deepEqual(await api.accounts.getSessions(['no:such:scope']), []);
  });

  it('Sign Out there signs the session out (the token file goes); a terminal sign-in fires onDidChangeSessions', async function () {
    this.timeout(30_000);
    const file = tokenFilePath(api.paths(), api.store.find(SESSION)!);
    const saved = readFileSync(file, 'utf8');
    const events: { added: string[]; removed: string[] }[] = [];
    const sub = api.accounts.onDidChangeSessions((e) => events.push({ added: (e.added ?? []).map((x) => x.id), removed: (e.removed ?? []).map((x) => x.id) }));
    try {
      await api.accounts.removeSession(SESSION);
      assert.ok(!existsSync(file), 'the token file is gone');
      await waitFor('the sign-out told', () => events.some((e) => e.removed.includes(SESSION)));
      assert.ok(!(await api.accounts.getSessions()).some((x) => x.id === SESSION));
      // Like `aws sso login` in a terminal: another process writes the cache file (here, the token from before).
      execFileSync(process.execPath, ['-e', `require('fs').mkdirSync(process.argv[1], {recursive: true}); require('fs').writeFileSync(process.argv[2], process.argv[3], {mode: 0o600})`, dirname(file), file, saved], {
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
      await waitFor('the terminal sign-in told', () => events.some((e) => e.added.includes(SESSION)), 15_000);
      for (const e of events) assert.ok(![...e.added, ...e.removed].some((id) => id !== SESSION && id === ''), 'sessions are named');
    } finally {
      sub.dispose();
    }
  });
});
