// Access changes noticed from the tree's own listing: the notice's text, Review → the diff preview
// of Create Profiles for All Roles with pruning, and each difference told once; per-account regions.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/ui/testing';
import type { AccountNode, RoleNode, SessionNode } from '../../../src/ui/tree/nodes';
import { configText, inHarness, recordFailures, SESSION, signIn, testApi, waitFor } from './uiHelpers';

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
    const accounts = (await api.tree.getChildren(await sessionNode())).filter((n): n is AccountNode => n.kind === 'account');
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
    const acct = (await api.tree.getChildren(s)).find((n): n is AccountNode => n.kind === 'account')!;
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
