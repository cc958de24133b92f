// Daily use (issue 12): access changes noticed from the tree's own listing (the notice, Review → the
// diff preview with pruning, each difference told once), per-account regions, Open Console…, keybindings.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/ui/testing';
import type { AccountNode, RoleNode, SessionNode } from '../../../src/ui/tree/nodes';
import { configText, EXTENSION_ID, inHarness, listedAccounts, recordFailures, SESSION, signIn, testApi, waitFor } from './uiHelpers';

describe('access changes: noticed from a listing, reviewed through the diff preview', () => {
  let api: TestApi;
  let original: string;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
    original = configText();
  });

  afterEach(() => api?.answers.clear());

  after(async () => {
    if (!api) return;
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
    await api.store.reload();
  });

  async function sessionNode(): Promise<SessionNode> {
    return (await api.tree.getChildren()).find((n): n is SessionNode => n.kind === 'session' && n.session.name === SESSION)!;
  }

  /** Lists the session afresh, as expanding it does; resolves when every role is known. */
  async function listAfresh(): Promise<AccountNode[]> {
    const s = await sessionNode();
    api.tree.refresh(s.session);
    const accounts = (await listedAccounts(api, await sessionNode()));
    await waitFor('every role listed', () => api.tree.listing(s.session).complete, 20_000);
    return accounts;
  }

  function stale(accountId: string, name: string): string {
    return `\n[profile ${name}]\nsso_session = ${SESSION}\nsso_account_id = ${accountId}\nsso_role_name = Withdrawn${name}\naws_sso_profiles_managed = true\n`;
  }

  const notices = () => api.answers.asked.filter((a) => a.id === 'accessChanged').map((a) => a.text);

  it('tells new and removed roles with Review, which previews and writes only on confirm', async function () {
    this.timeout(60_000);
    const failures = recordFailures(api);
    try {
      const accounts = await listAfresh();
      const first = accounts[0].account.accountId;
      writeFileSync(process.env.AWS_CONFIG_FILE!, configText() + stale(first, 'old-one'));
      await api.store.reload();
      const listing = api.tree.listing((await sessionNode()).session).snapshot();
      const unprofiled = [...listing.roles.values()].flat().filter((r) => !api.store.profileFor(SESSION, r.accountId, r.roleName)).length;
      assert.ok(unprofiled > 1, 'the fake has roles without profiles');

      api.answers.push('accessChanged', 'Review');
      api.answers.push('confirmPopulate', 'Write Profiles');
      await listAfresh();
      await waitFor('the stale profile pruned', () => !configText().includes('[profile old-one]'), 20_000);
      assert.deepEqual(notices(), [`${unprofiled} new roles, 1 removed in '${SESSION}'`]);
      const confirm = api.answers.asked.find((a) => a.id === 'confirmPopulate');
      assert.match(confirm?.text ?? '', new RegExp(`\\b${unprofiled} new\\b.*\\b1 removed\\b`));
      assert.ok(!api.answers.asked.some((a) => a.id === 'populateMode'), 'Review already said to prune');
      assert.deepEqual(failures.errors, []);
    } finally {
      failures.dispose();
    }
  });

  it('tells the same difference once, and a new one again; declining writes nothing', async function () {
    this.timeout(90_000);
    const accounts = await listAfresh();
    const first = accounts[0].account.accountId;
    writeFileSync(process.env.AWS_CONFIG_FILE!, configText() + stale(first, 'gone-a'));
    await api.store.reload();
    const before = configText();
    api.answers.push('accessChanged', undefined, undefined);
    await listAfresh();
    await waitFor('the first notice', () => notices().length === 1);
    await listAfresh(); // the same difference: not told
    writeFileSync(process.env.AWS_CONFIG_FILE!, before + stale(first, 'gone-b'));
    await api.store.reload();
    await listAfresh(); // another difference: told
    await waitFor('the second notice', () => notices().length === 2);
    assert.deepEqual(notices(), [`1 removed in '${SESSION}'`, `2 removed in '${SESSION}'`]);
    assert.equal(configText(), before + stale(first, 'gone-b'), 'dismissed: nothing written');
  });
});

describe('per-account region: awsSsoProfiles.profileRegions', () => {
  let api: TestApi;
  let original: string;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
    original = configText();
  });

  afterEach(async () => {
    api?.answers.clear();
    await vscode.workspace.getConfiguration('awsSsoProfiles').update('profileRegions', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    if (!api) return;
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
    await api.store.reload();
  });

  async function firstRole(): Promise<RoleNode> {
    const s = (await api.tree.getChildren()).find((n): n is SessionNode => n.kind === 'session' && n.session.name === SESSION)!;
    const acct = (await listedAccounts(api, s))[0];
    return (await api.tree.getChildren(acct)).find((n): n is RoleNode => n.kind === 'role')!;
  }

  it('Create Profile writes the region the first matching key gives; a wrong region writes nothing', async function () {
    this.timeout(30_000);
    const failures = recordFailures(api);
    try {
      const role = await firstRole();
      const settings = vscode.workspace.getConfiguration('awsSsoProfiles');
      await settings.update('profileRegions', { 'no-such-account-*': 'ap-south-1', [role.account.accountId]: 'eu-west-3', '*': 'us-west-2' }, vscode.ConfigurationTarget.Global);
      if (api.store.profileFor(SESSION, role.account.accountId, role.role.roleName)) api.answers.push('profileExists', 'Create Another');
      api.answers.push('profileName', 'regional');
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role), 'regional');
      assert.ok(
        configText().includes(`[profile regional]\nsso_session = ${SESSION}\nsso_account_id = ${role.account.accountId}\nsso_role_name = ${role.role.roleName}\nregion = eu-west-3\n`),
        configText(),
      );
      assert.deepEqual(failures.errors, []);

      const before = configText();
      await settings.update('profileRegions', { '*': 'Paris' }, vscode.ConfigurationTarget.Global);
      api.answers.push('profileExists', 'Create Another');
      api.answers.push('profileName', 'regional-2');
      await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role);
      assert.equal(failures.errors.length, 1);
      assert.match(String((failures.errors[0] as Error).message), /profileRegions: "Paris" is not an AWS region name/);
      assert.equal(configText(), before);
    } finally {
      failures.dispose();
    }
  });
});

describe('Open Console…: a destination and a region, remembered per role', () => {
  let api: TestApi;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
  });

  afterEach(() => api?.answers.clear());

  async function aRole(): Promise<RoleNode> {
    const s = (await api.tree.getChildren()).find((n): n is SessionNode => n.kind === 'session' && n.session.name === SESSION)!;
    const acct = (await listedAccounts(api, s))[2];
    return (await api.tree.getChildren(acct)).find((n): n is RoleNode => n.kind === 'role')!;
  }

  it('opens a service in a region, offers both first next time, takes a pasted console page; the plain action opens the home page', async function () {
    this.timeout(30_000);
    const role = await aRole();
    const failures = recordFailures(api);
    const saved = process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
    process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = process.env.AWS_SSO_FAKE_URL;
    const destinations: string[] = [];
    api.hooks.openExternal = async (url) => {
      destinations.push(new URL(url).searchParams.get('Destination')!);
      return true;
    };
    try {
      api.answers.push('consoleDestination', 'EC2');
      api.answers.push('consoleRegion', 'eu-west-1');
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.openConsoleAt', role), true);
      assert.equal(destinations.at(-1), 'https://console.aws.amazon.com/ec2/home?region=eu-west-1');

      let firstDestination = '';
      let firstRegion = '';
      api.answers.push('consoleDestination', (items) => {
        firstDestination = `${items[0].label} (${items[0].description})`;
        return items.find((i) => i.label.endsWith('Paste a Console URL…'));
      });
      api.answers.push('consoleUrl', 'https://eu-west-2.console.aws.amazon.com/lambda/home?region=eu-west-2#/functions');
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.openConsoleAt', role), true);
      assert.equal(firstDestination, 'EC2 (last used)');
      assert.equal(destinations.at(-1), 'https://eu-west-2.console.aws.amazon.com/lambda/home?region=eu-west-2#/functions');

      api.answers.push('consoleDestination', (items) => {
        firstDestination = String(items[0].description);
        return items.find((i) => /Console Home/.test(i.label));
      });
      api.answers.push('consoleRegion', (items) => {
        firstRegion = items[0].label;
        return items.find((i) => i.label === 'us-west-2');
      });
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.openConsoleAt', role), true);
      assert.equal(firstDestination, 'last used', 'the pasted page is offered first');
      assert.equal(firstRegion, 'us-east-1', 'a pasted page remembers no region: the default comes first');
      assert.equal(destinations.at(-1), 'https://console.aws.amazon.com/console/home?region=us-west-2');

      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.openConsole', role), true);
      assert.equal(destinations.at(-1), 'https://console.aws.amazon.com/console/home?region=us-east-1');
      assert.equal(api.answers.asked.length, 6, 'the plain action asks nothing');
      assert.deepEqual(failures.errors, []);
    } finally {
      failures.dispose();
      api.hooks.openExternal = undefined;
      if (saved === undefined) delete process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
      else process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = saved;
    }
  });
});

describe('keyboard: keybindings run the command on the role selected in the view', () => {
  let api: TestApi;
  let original: string;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
    original = configText();
  });

  afterEach(() => api?.answers.clear());

  after(async () => {
    if (!api) return;
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
    await api.store.reload();
  });

  it('contributes the keybindings, and Create Profile without an argument takes the selected role', async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const keys = (ext.packageJSON.contributes.keybindings as { command: string; when?: string }[]).map((k) => `${k.command} ${k.when ?? ''}`.trim());
    assert.deepEqual(keys, [
      'awsSsoProfiles.signIn',
      'awsSsoProfiles.find',
      'awsSsoProfiles.createProfile focusedView == awsSsoProfiles.sessions',
      'awsSsoProfiles.openConsoleAt focusedView == awsSsoProfiles.sessions',
    ]);
    // Select a role the keyboard way: Find, then Escape at its actions.
    const s = (await api.tree.getChildren()).find((n): n is SessionNode => n.kind === 'session' && n.session.name === SESSION)!;
    const acct = (await listedAccounts(api, s))[6];
    const role = (await api.tree.getChildren(acct)).find((n): n is RoleNode => n.kind === 'role')!;
    api.answers.push('find', (items) => items.find((i) => i.label === `$(key) ${role.role.roleName}` && i.description === `${acct.account.accountName} · ${acct.account.accountId}`));
    api.answers.push('roleAction', undefined);
    await vscode.commands.executeCommand('awsSsoProfiles.find');
    assert.deepEqual(api.selection(), [role.id]);

    if (api.store.profileFor(SESSION, role.account.accountId, role.role.roleName)) api.answers.push('profileExists', 'Create Another');
    api.answers.push('profileName', 'from-the-keyboard');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfile'), 'from-the-keyboard');
    assert.ok(configText().includes(`[profile from-the-keyboard]\nsso_session = ${SESSION}\nsso_account_id = ${role.account.accountId}\nsso_role_name = ${role.role.roleName}\n`));
  });
});
