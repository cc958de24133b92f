// Sessions: the Add SSO Session wizard, sessions an organisation ships in settings.json, sign-in
// with the browser (PKCE) and sign-out, and what a failed sign-in tells the user.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { tokenFilePath } from '../../../src/core/auth/tokenCache';
import { ACCEPT } from '../../../src/ui/prompter';
import type { TestApi } from '../../../src/ui/testing';
import type { RoleNode, TreeNode } from '../../../src/ui/tree/nodes';
import { fakeBrowser, FakeIdentityCenter } from '../../fakes/identityCenter';
import { configText, inHarness, recordFailures, SESSION, signIn, testApi, waitFor } from './uiHelpers';

describe('sessions: add, settings, sign in and out', () => {
  let api: TestApi;
  let original: string;
  let failures: ReturnType<typeof recordFailures>;

  before(async function () {
    if (!inHarness()) this.skip();
    api = await testApi();
    original = configText();
  });

  beforeEach(function () {
    if (!api) this.skip();
    api.answers.clear();
    failures = recordFailures(api);
  });

  afterEach(() => {
    failures?.dispose();
    api?.answers.clear();
  });

  after(async () => {
    if (!api) return;
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
    await vscode.workspace.getConfiguration('awsSsoProfiles').update('sessions', undefined, vscode.ConfigurationTarget.Global);
    await api.store.reload();
  });

  async function sessionNode(name: string): Promise<TreeNode | undefined> {
    return (await api.tree.getChildren()).find((n) => n.kind === 'session' && n.session.name === name);
  }

  it('Add SSO Session accepts a bare host, suggests a name, and writes an [sso-session]', async () => {
    const before = configText();
    api.answers.push('startUrl', 'aws.example.com/');
    api.answers.push('region', 'us-east-1');
    api.answers.push('sessionName', ACCEPT);
    api.answers.push('scopes', ACCEPT);
    const name = await vscode.commands.executeCommand<string>('awsSsoProfiles.addSession');
    assert.equal(name, 'aws-example');
    assert.equal(
      configText(),
      `${before}\n[sso-session aws-example]\nsso_start_url = https://aws.example.com/\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`,
    );
    const node = await sessionNode('aws-example');
    assert.ok(node, 'the new session is in the tree');
    assert.match(String(api.tree.getTreeItem(node).contextValue), /(^|;)signedOut;/);
    assert.deepEqual(failures.errors, []);
  });

  it('suggests the directory ID as the name of an awsapps.com start URL, offering the default region first', async () => {
    api.answers.push('startUrl', 'https://d-1111111111.awsapps.com/start');
    api.answers.push('region', (items) => {
      assert.equal(items[0].label, 'us-east-1', 'us-east-1 is offered first');
      return items.find((i) => i.label === 'eu-central-1');
    });
    api.answers.push('sessionName', ACCEPT);
    api.answers.push('scopes', 'sso:account:access, codewhisperer:completions');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.addSession'), 'd-1111111111');
    assert.ok(configText().includes('[sso-session d-1111111111]\nsso_start_url = https://d-1111111111.awsapps.com/start\nsso_region = eu-central-1\nsso_registration_scopes = sso:account:access,codewhisperer:completions\n'));
  });

  it('follows the config file on disk (an `aws configure sso-session` in a terminal)', async function () {
    this.timeout(15_000);
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${configText()}\n[sso-session from-terminal]\nsso_start_url = https://d-2222222222.awsapps.com/start\nsso_region = us-east-2\n`);
    await waitFor('the new session without a manual refresh', () => api.store.find('from-terminal'), 10_000);
    assert.ok(await sessionNode('from-terminal'));
  });

  it('refuses a start URL that is neither https nor http, with a message', async () => {
    const before = configText();
    api.answers.push('startUrl', 'ftp://aws.example.com/');
    await vscode.commands.executeCommand('awsSsoProfiles.addSession');
    assert.equal(failures.errors.length, 1);
    assert.match((failures.errors[0] as Error).message, /must use https/);
    assert.equal(configText(), before);
  });

  it('takes a pasted http://…/#/ start URL: writes the clean https URL and offers the region it names first', async () => {
    const before = configText();
    api.answers.push('startUrl', 'http://ssoins-7223c4b8f5e4a3d1.portal.eu-central-1.app.aws/#/');
    let offered: string[] = [];
    api.answers.push('region', (items) => {
      offered = items.map((i) => `${i.label}${i.description ? ` (${i.description})` : ''}`);
      return items[0];
    });
    api.answers.push('sessionName', 'pasted');
    api.answers.push('scopes', ACCEPT);
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.addSession'), 'pasted');
    assert.equal(offered[0], 'eu-central-1 (from the start URL)');
    assert.equal(
      configText(),
      `${before}\n[sso-session pasted]\nsso_start_url = https://ssoins-7223c4b8f5e4a3d1.portal.eu-central-1.app.aws/\nsso_region = eu-central-1\nsso_registration_scopes = sso:account:access\n`,
    );
    assert.ok(api.logLines().some((l) => l.includes('start URL upgraded to https: https://ssoins-7223c4b8f5e4a3d1.portal.eu-central-1.app.aws/')));
    assert.deepEqual(failures.errors, []);
  });

  it('offers only GovCloud regions for a GovCloud portal', async () => {
    api.answers.push('startUrl', 'https://start.us-gov-home.awsapps.com/directory/d-9067642ac7');
    let offered: string[] = [];
    api.answers.push('region', (items) => {
      offered = items.map((i) => i.label);
      return undefined;
    });
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.addSession'), undefined);
    assert.deepEqual(offered, ['us-gov-west-1', 'us-gov-east-1', 'Other region…']);
  });

  it('lists sessions from the awsSsoProfiles.sessions setting, and writes their [sso-session] with the first profile', async function () {
    this.timeout(30_000);
    await vscode.workspace
      .getConfiguration('awsSsoProfiles')
      .update('sessions', [{ name: 'org-settings', startUrl: 'https://d-4444444444.awsapps.com/start', region: 'eu-west-1' }], vscode.ConfigurationTarget.Global);
    await waitFor('the settings session', () => api.store.find('org-settings'), 5_000);
    const node = (await sessionNode('org-settings'))!;
    const item = api.tree.getTreeItem(node);
    assert.match(String(item.description), /from settings/);
    assert.match(String(item.contextValue), /(^|;)fromSettings;/);
    assert.ok(!configText().includes('[sso-session org-settings]'));

    await signIn(api, 'org-settings');
    const accounts = (await api.tree.getChildren((await sessionNode('org-settings'))!)).filter((n) => n.kind === 'account');
    const role = (await api.tree.getChildren(accounts[0])).find((n): n is RoleNode => n.kind === 'role')!;
    const before = configText();
    api.answers.push('addSessionToConfig', (items) => items.find((i) => i.label.startsWith('Add [sso-session org-settings]')));
    api.answers.push('profileName', 'from-settings');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role), 'from-settings');
    assert.equal(
      configText(),
      `${before}\n[sso-session org-settings]\nsso_start_url = https://d-4444444444.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n` +
        `\n[profile from-settings]\nsso_session = org-settings\nsso_account_id = ${role.account.accountId}\nsso_role_name = ${role.role.roleName}\nregion = eu-west-1\noutput = json\naws_sso_profiles_managed = true\n`,
    );
    await vscode.commands.executeCommand('awsSsoProfiles.signOut', 'org-settings');
  });

  it('signs in with the browser (authorization code with PKCE) and out again', async function () {
    this.timeout(30_000);
    await api.store.reload();
    if (api.store.phase(SESSION) !== 'signedOut') await vscode.commands.executeCommand('awsSsoProfiles.signOut', SESSION);
    let opened = 0;
    api.hooks.openExternal = async (url) => {
      opened++;
      // The browser: the fake approves at once and redirects to the loopback listener.
      await fakeBrowser(url);
      return true;
    };
    try {
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.signIn', { session: SESSION, flow: 'pkce' }), true);
    } finally {
      api.hooks.openExternal = undefined;
    }
    assert.equal(opened, 1);
    assert.equal(api.store.phase(SESSION), 'signedIn');
    const file = tokenFilePath(api.paths(), api.store.find(SESSION)!);
    assert.ok(existsSync(file), 'the token is in the CLI cache');

    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.signOut', SESSION), true);
    assert.equal(api.store.phase(SESSION), 'signedOut');
    assert.ok(!existsSync(file), 'sign-out deletes the cached token');
    assert.deepEqual(failures.errors, []);
  });

  it('reports an expired device code as such (the message says to sign in again)', async function () {
    this.timeout(30_000);
    const fake = await FakeIdentityCenter.start({ accounts: 1, deviceInterval: 1, deviceExpiresIn: 1 });
    const saved = { sso: process.env.AWS_ENDPOINT_URL_SSO, oidc: process.env.AWS_ENDPOINT_URL_SSO_OIDC };
    try {
      Object.assign(process.env, fake.env());
      api.hooks.deviceCode = async () => true;
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.signIn', { session: SESSION, flow: 'device' }), false);
    } finally {
      api.hooks.deviceCode = undefined;
      process.env.AWS_ENDPOINT_URL_SSO = saved.sso;
      process.env.AWS_ENDPOINT_URL_SSO_OIDC = saved.oidc;
      await fake.close();
    }
    assert.equal(failures.errors.length, 1);
    // The extension's own SsoError class (this suite is bundled separately): compare the code.
    assert.equal((failures.errors[0] as { code?: string }).code, 'ExpiredCode', String(failures.errors[0]));
  });

  it('cancelling the device-code dialog signs nothing in', async function () {
    this.timeout(20_000);
    api.hooks.deviceCode = async () => false;
    try {
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.signIn', { session: SESSION, flow: 'device' }), false);
    } finally {
      api.hooks.deviceCode = undefined;
    }
    assert.equal(api.store.phase(SESSION), 'signedOut');
    assert.deepEqual(failures.errors, [], 'a cancellation is not an error');
  });
});
