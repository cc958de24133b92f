// The Sessions view against the fake Identity Center: sessions → accounts (sorted by name, with
// ID and email) → roles, and a listing failure shown as an item with a retry action.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { generateOrg } from '../../fakes/org';
import type { TestApi } from '../../../src/ui/testing';
import type { TreeNode } from '../../../src/ui/tree/nodes';
import { configText, inHarness, recordFailures, SESSION, signIn, testApi, waitFor } from './uiHelpers';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

describe('tree: sessions, accounts, roles', () => {
  let api: TestApi;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
  });

  async function sessionNode(name = SESSION): Promise<TreeNode> {
    const roots = await api.tree.getChildren();
    const s = roots.find((n) => n.kind === 'session' && n.session?.name === name);
    assert.ok(s, `session ${name} in the tree: ${roots.map((n) => n.id).join(', ')}`);
    return s;
  }

  it('lists the sessions of the config file at the root', async () => {
    const roots = await api.tree.getChildren();
    const item = api.tree.getTreeItem(await sessionNode());
    assert.ok(roots.length >= 1);
    assert.equal(item.label, SESSION);
    assert.match(String(item.contextValue), /(^|;)awsSession;/);
    assert.match(String(item.contextValue), /(^|;)signedIn;/);
    assert.equal(item.description, 'signed in');
    assert.ok(item.accessibilityInformation?.label.includes(SESSION));
    // Signed in just now: the status bar counts down from the session's length.
    assert.match(api.statusBarItem().text, /^\$\(cloud\) AWS SSO: \d+h \d+m/);
  });

  it('lists the accounts sorted by name, with ID and email as description', async function () {
    this.timeout(30_000);
    // Pinned and Recent (other suites use roles) come first and draw without waiting for the
    // listing: the accounts are what follows, once listed.
    await api.tree.listing(api.store.find(SESSION)!).loadAccounts();
    const accounts = (await api.tree.getChildren(await sessionNode())).filter((n) => n.kind === 'account');
    const org = generateOrg(40, 1);
    const expected = [...org].sort((a, b) => collator.compare(a.accountName, b.accountName) || a.accountId.localeCompare(b.accountId));
    assert.deepEqual(
      accounts.map((n) => api.tree.getTreeItem(n).label),
      expected.map((a) => a.accountName),
    );
    for (const [i, n] of accounts.entries()) {
      const item = api.tree.getTreeItem(n);
      assert.equal(item.description, `${expected[i].accountId} · ${expected[i].emailAddress}`);
      assert.match(String(item.contextValue), /(^|;)awsAccount;/);
      assert.ok(item.accessibilityInformation?.label, 'accounts carry an accessibility label');
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    }
  });

  it('lists the roles of an account when it expands', async function () {
    this.timeout(30_000);
    const org = generateOrg(40, 1);
    // Pinned and Recent (other suites use roles) come first and draw without waiting for the
    // listing: the accounts are what follows, once listed.
    await api.tree.listing(api.store.find(SESSION)!).loadAccounts();
    const accounts = (await api.tree.getChildren(await sessionNode())).filter((n) => n.kind === 'account');
    for (const acct of accounts.slice(0, 5)) {
      const roles = await api.tree.getChildren(acct);
      const want = org.find((a) => a.accountId === (acct.kind === 'account' ? acct.account.accountId : ''))!.roles;
      assert.deepEqual(
        roles.map((r) => api.tree.getTreeItem(r).label),
        [...want].sort((a, b) => collator.compare(a, b)),
      );
      for (const r of roles) {
        const item = api.tree.getTreeItem(r);
        assert.match(String(item.contextValue), /(^|;)awsRole;/);
        assert.ok(item.accessibilityInformation?.label);
        assert.equal(item.id, r.id);
      }
    }
  });

  it('prefetches the roles of every account in the background', async function () {
    this.timeout(60_000);
    const s = await sessionNode();
    await api.tree.getChildren(s);
    const listing = api.tree.listing(api.store.find(SESSION)!);
    await waitFor('every account listed', () => listing.complete, 50_000);
    assert.equal(listing.snapshot().failed.size, 0);
  });

  it('Find reveals a picked account, and offers the actions of a picked role', async function () {
    this.timeout(30_000);
    const target = generateOrg(40, 1)[5];
    api.answers.clear();
    api.answers.push('find', (items) => items.find((i) => i.label.endsWith(` ${target.accountName}`) && i.description === target.accountId));
    // The account's actions follow; Escape leaves it shown.
    api.answers.push('accountAction', undefined);
    await vscode.commands.executeCommand('awsSsoProfiles.find');
    assert.deepEqual(api.selection(), [`session/${SESSION}/${target.accountId}`]);
    assert.deepEqual(api.answers.asked.map((a) => a.id), ['find', 'accountAction']);

    const role = [...target.roles].sort((a, b) => collator.compare(a, b))[0];
    let copied = '';
    api.hooks.clipboard = async (text) => {
      copied = text;
    };
    try {
      api.answers.push('find', (items) => items.find((i) => i.label === `$(key) ${role}` && i.description === `${target.accountName} · ${target.accountId}`));
      api.answers.push('roleAction', (items) => items.find((i) => i.label.endsWith('Copy Account ID')));
      await vscode.commands.executeCommand('awsSsoProfiles.find');
    } finally {
      api.hooks.clipboard = undefined;
      api.answers.clear();
    }
    assert.deepEqual(api.selection(), [`session/${SESSION}/${target.accountId}/${role}`]);
    assert.equal(copied, target.accountId);
  });

  it('shows a signed-out session with a sign-in item, not an empty tree', async function () {
    const text = configText();
    const name = 'tree-signed-out';
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${text}\n[sso-session ${name}]\nsso_start_url = https://d-9999999999.awsapps.com/start\nsso_region = eu-west-1\n`);
    try {
      await api.store.reload();
      const children = await api.tree.getChildren(await sessionNode(name));
      assert.equal(children.length, 1);
      const item = api.tree.getTreeItem(children[0]);
      assert.equal(item.command?.command, 'awsSsoProfiles.signIn');
      assert.ok(item.accessibilityInformation?.label);
    } finally {
      writeFileSync(process.env.AWS_CONFIG_FILE!, text);
      await api.store.reload();
    }
  });

  it('keeps listing when [default] and [profile default] both exist, and says so at the top', async function () {
    const text = configText();
    // The AWS CLI reads this file (the later section wins); the view must too, and warn.
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${text}\n[default]\nregion = eu-west-1\n\n[profile default]\nregion = us-west-2\n`);
    try {
      await api.store.reload();
      const roots = await api.tree.getChildren();
      const warning = roots.find((n) => n.kind === 'message' && n.message === 'configWarning');
      assert.ok(warning, `a warning at the top: ${roots.map((n) => n.id).join(', ')}`);
      const item = api.tree.getTreeItem(warning);
      assert.equal(item.label, 'The AWS config file defines a name twice');
      assert.match(String(item.tooltip), /\[default\].*\[profile default\]/);
      assert.equal(item.command?.command, 'awsSsoProfiles.openConfigFile');
      assert.equal(api.tree.getTreeItem(await sessionNode()).description, 'signed in', 'the session still lists, signed in');
      assert.ok((await api.tree.getChildren(await sessionNode())).some((n) => n.kind === 'account'), 'its accounts still show');
    } finally {
      writeFileSync(process.env.AWS_CONFIG_FILE!, text);
      await api.store.reload();
    }
    assert.ok(!(await api.tree.getChildren()).some((n) => n.kind === 'message' && n.message === 'configWarning'), 'gone once fixed');
  });

  it('drops the background-listing message when the session signs out mid-listing, for good', async function () {
    this.timeout(60_000);
    // A slow Identity Center of its own, so the prefetch is still running when the sign-out comes.
    const fake = await FakeIdentityCenter.start({ accounts: 400, seed: 11, autoApprove: true, deviceInterval: 1, latencyMs: 40 });
    const saved = { sso: process.env.AWS_ENDPOINT_URL_SSO, oidc: process.env.AWS_ENDPOINT_URL_SSO_OIDC };
    const text = configText();
    const name = 'tree-prefetch';
    try {
      Object.assign(process.env, fake.env());
      writeFileSync(process.env.AWS_CONFIG_FILE!, `${text}\n[sso-session ${name}]\nsso_start_url = https://d-6666666666.awsapps.com/start\nsso_region = ca-central-1\n`);
      await signIn(api, name);
      await api.tree.getChildren(await sessionNode(name));
      const listing = api.tree.listing(api.store.find(name)!);
      await waitFor('the listing message', () => api.treeMessage()?.includes(name), 20_000, 20);
      assert.ok(listing.prefetchRunning, 'still listing when the sign-out comes');
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.signOut', name), true);
      assert.equal(api.treeMessage(), undefined, 'gone at sign-out');
      // The calls that were in flight settle after the sign-out; none of them brings it back,
      // not even for a moment (looked at every 20 ms until well past the progress throttle).
      const seen = new Set<string>();
      const look = () => {
        const m = api.treeMessage();
        if (m !== undefined) seen.add(m);
      };
      await waitFor('the old listing to stop', () => (look(), !listing.prefetchRunning), 20_000, 20);
      const until = Date.now() + 600;
      await waitFor('the progress throttle to pass', () => (look(), Date.now() > until), 5_000, 20);
      assert.deepEqual([...seen], [], 'never shown again');
    } finally {
      if (api.store.phase(name) !== 'signedOut') await vscode.commands.executeCommand('awsSsoProfiles.signOut', name);
      process.env.AWS_ENDPOINT_URL_SSO = saved.sso;
      process.env.AWS_ENDPOINT_URL_SSO_OIDC = saved.oidc;
      writeFileSync(process.env.AWS_CONFIG_FILE!, text);
      await api.store.reload();
      await fake.close();
    }
  });

  it('shows a failed role listing as an item with a retry action, and retries', async function () {
    this.timeout(60_000);
    // A second Identity Center in this process, so a fault can be injected; a session in another
    // region gets its own portal client, which reads the endpoint when created.
    const fake = await FakeIdentityCenter.start({ accounts: 3, seed: 7, autoApprove: true, deviceInterval: 1 });
    const saved = { sso: process.env.AWS_ENDPOINT_URL_SSO, oidc: process.env.AWS_ENDPOINT_URL_SSO_OIDC };
    const text = configText();
    const name = 'tree-faulty';
    const failures = recordFailures(api);
    try {
      Object.assign(process.env, fake.env());
      writeFileSync(process.env.AWS_CONFIG_FILE!, `${text}\n[sso-session ${name}]\nsso_start_url = https://d-7777777777.awsapps.com/start\nsso_region = ap-southeast-2\n`);
      // Every role listing of this session fails once (status 400: not retried by the portal).
      fake.injectFault({ op: 'roles', status: 400, errorType: 'ValidationException', times: 3 });
      await signIn(api, name);
      const again = await api.tree.getChildren(await sessionNode(name));
      assert.equal(again.length, 3);
      const listing = api.tree.listing(api.store.find(name)!);
      await waitFor('background listing done', () => !listing.prefetchRunning, 20_000);
      const failed = await api.tree.getChildren(again[0]);
      assert.equal(failed.length, 1);
      const item = api.tree.getTreeItem(failed[0]);
      assert.match(String(item.label), /Could not list roles/);
      assert.match(String(item.contextValue), /(^|;)awsRetry;/);
      assert.equal(item.command?.command, 'awsSsoProfiles.retry');
      await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
      const roles = await api.tree.getChildren(again[0]);
      assert.ok(roles.length >= 1 && roles.every((r) => r.kind === 'role'), 'roles after retry');
    } finally {
      failures.dispose();
      await vscode.commands.executeCommand('awsSsoProfiles.signOut', name);
      process.env.AWS_ENDPOINT_URL_SSO = saved.sso;
      process.env.AWS_ENDPOINT_URL_SSO_OIDC = saved.oidc;
      writeFileSync(process.env.AWS_CONFIG_FILE!, text);
      await api.store.reload();
      await fake.close();
    }
  });
});
