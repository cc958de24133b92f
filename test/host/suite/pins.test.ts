// Pinned and Recent at the top of a session: what the tree shows (labels, screen-reader labels),
// drawn before the accounts are listed, and kept for the next start (a new store over the same globalState).
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateOrg } from '../../fakes/org';
import type { TestApi } from '../../../src/ui/testing';
import type { AccountNode, RoleNode, TreeNode } from '../../../src/ui/tree/nodes';
import { inHarness, recordFailures, SESSION, signIn, testApi, waitFor } from './uiHelpers';

describe('pins and recents in the tree', () => {
  let api: TestApi;

  async function clear(): Promise<void> {
    const s = api.store.find(SESSION)!;
    for (const p of api.pins.pins(s)) await api.pins.unpin(s, p.accountId, p.roleName);
    await api.context().globalState.update('awsSsoProfiles.recentRoles', undefined);
  }

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
    await clear();
  });

  after(async () => {
    if (api) await clear();
  });

  async function sessionChildren(): Promise<TreeNode[]> {
    const s = (await api.tree.getChildren()).find((n) => n.kind === 'session' && n.session.name === SESSION)!;
    return api.tree.getChildren(s);
  }

  it('Pin on an account and a role makes a Pinned group at the top, drawn before the accounts are listed', async function () {
    this.timeout(30_000);
    const failures = recordFailures(api);
    const org = [...generateOrg(40, 1)].sort((a, b) => a.accountName.localeCompare(b.accountName));
    const accounts = (await sessionChildren()).filter((n): n is AccountNode => n.kind === 'account');
    const whole = accounts.find((a) => a.account.accountId === org[3].accountId)!;
    const other = accounts.find((a) => a.account.accountId === org[7].accountId)!;
    const role = (await api.tree.getChildren(other)).find((n): n is RoleNode => n.kind === 'role')!;
    assert.equal(api.tree.getTreeItem(whole).contextValue, 'awsAccount;', 'not pinned yet: the menu offers Pin');
    await vscode.commands.executeCommand('awsSsoProfiles.pin', whole);
    await vscode.commands.executeCommand('awsSsoProfiles.pin', role);
    failures.dispose();
    assert.deepEqual(failures.errors, []);

    // Listed again from nothing: the groups come at once, the accounts as they arrive.
    api.tree.refresh(api.store.find(SESSION));
    const children = await sessionChildren();
    assert.equal(api.tree.listing(api.store.find(SESSION)!).accountsState.status, 'loading', 'drawn while the accounts are still listing');
    const group = children[0];
    assert.equal(group.kind, 'group');
    const gItem = api.tree.getTreeItem(group);
    assert.equal(gItem.label, 'Pinned');
    assert.equal(gItem.accessibilityInformation?.label, `Pinned accounts and roles of session ${SESSION}`);
    assert.equal(gItem.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);

    const pinned = await api.tree.getChildren(group);
    assert.deepEqual(
      pinned.map((n) => api.tree.getTreeItem(n).label),
      [org[3].accountName, org[7].accountName].sort((a, b) => a.localeCompare(b)),
    );
    const wholeItem = api.tree.getTreeItem(pinned.find((n) => n.kind === 'account' && n.account.accountId === org[3].accountId)!);
    assert.match(String(wholeItem.contextValue), /(^|;)pinned;/, 'the menu offers Unpin');
    assert.match(String(wholeItem.accessibilityInformation?.label), /, pinned$/);
    // An account with only a pinned role shows that role, listing nothing.
    const holder = pinned.find((n): n is AccountNode => n.kind === 'account' && n.account.accountId === org[7].accountId)!;
    const roles = await api.tree.getChildren(holder);
    assert.deepEqual(roles.map((r) => api.tree.getTreeItem(r).label), [role.role.roleName]);
    const rItem = api.tree.getTreeItem(roles[0]);
    assert.match(String(rItem.contextValue), /(^|;)pinned;/);
    assert.match(String(rItem.accessibilityInformation?.label), new RegExp(`^Role ${role.role.roleName} in account .*, pinned$`));
    assert.notEqual(roles[0].id, role.id, 'one id per place in the tree');

    // The next start reads the same pins.
    assert.deepEqual(api.freshPins().pinnedAccounts(api.store.find(SESSION)!), api.pins.pinnedAccounts(api.store.find(SESSION)!));

    await vscode.commands.executeCommand('awsSsoProfiles.unpin', pinned[0]);
    await vscode.commands.executeCommand('awsSsoProfiles.unpin', roles[0]);
    assert.ok(!(await sessionChildren()).some((n) => n.kind === 'group' && n.group === 'pinned'), 'no pins, no group');
  });

  it('the Console records the role in Recent, which names its account', async function () {
    this.timeout(30_000);
    // Other suites use roles too (a chained profile records the role it starts from): start empty.
    await clear();
    await waitFor('an empty Recent', () => api.pins.recent(api.store.find(SESSION)!).length === 0);
    const accounts = (await sessionChildren()).filter((n): n is AccountNode => n.kind === 'account');
    const role = (await api.tree.getChildren(accounts[2])).find((n): n is RoleNode => n.kind === 'role')!;
    // The console's sign-in URL comes from the fake's federation endpoint; the browser is the hook.
    const saved = process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
    process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = process.env.AWS_SSO_FAKE_URL;
    api.hooks.openExternal = async () => true;
    try {
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.openConsole', role), true);
    } finally {
      api.hooks.openExternal = undefined;
      if (saved === undefined) delete process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
      else process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = saved;
    }
    const group = (await sessionChildren()).find((n) => n.kind === 'group' && n.group === 'recent')!;
    assert.ok(group, 'a Recent group');
    assert.equal(api.tree.getTreeItem(group).label, 'Recent');
    assert.equal(api.tree.getTreeItem(group).accessibilityInformation?.label, `Recently used roles of session ${SESSION}`);
    const recent = await api.tree.getChildren(group);
    assert.equal(recent.length, 1);
    const item = api.tree.getTreeItem(recent[0]);
    assert.equal(item.label, role.role.roleName);
    assert.match(String(item.description), new RegExp(`^${accounts[2].account.accountName}`));
    assert.match(String(item.accessibilityInformation?.label), new RegExp(`^Recently used: Role ${role.role.roleName} in account ${accounts[2].account.accountName}`));
    assert.deepEqual(api.freshPins().recent(api.store.find(SESSION)!).map((r) => [r.accountId, r.roleName, r.use]), [[role.account.accountId, role.role.roleName, 'console']]);
  });
});
