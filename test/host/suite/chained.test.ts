// Chained profiles in the editor, end to end against the fake (its STS trusts every SSO role for
// arn:aws:iam::999999999999:role/SandboxChained, see test/fakes/serve.ts): Create Chained Profile
// writes exactly the CLI's lines, the tree shows the profile under its role, and Copy Credentials,
// Open Console and Use Profile work on it; AccessDenied names the trust policy; no secret is logged.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { ACCEPT } from '../../../src/ui/prompter';
import type { TestApi } from '../../../src/ui/testing';
import type { AccountNode, ChainedNode, RoleNode, TreeNode } from '../../../src/ui/tree/nodes';
import { fakeBrowser } from '../../fakes/identityCenter';
import { configText, inHarness, listedAccounts, recordFailures, SESSION, signIn, testApi } from './uiHelpers';

const CHAINED_ROLE = 'arn:aws:iam::999999999999:role/SandboxChained';
const UNTRUSTING_ROLE = 'arn:aws:iam::999999999999:role/NobodyTrustsYou';

describe('chained profiles: create, tree, credentials, console, terminals', () => {
  let api: TestApi;
  let original: string;
  let failures: ReturnType<typeof recordFailures>;
  let role: RoleNode;
  let chainedName: string;

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
    original = configText();
    const roots = await api.tree.getChildren();
    const session = roots.find((n) => n.kind === 'session' && n.session.name === SESSION)!;
    const accounts = (await listedAccounts(api, session));
    role = (await api.tree.getChildren(accounts[3])).filter((n): n is RoleNode => n.kind === 'role')[0];
  });

  beforeEach(function () {
    if (!api) this.skip();
    api.answers.clear();
    failures = recordFailures(api);
  });

  afterEach(() => {
    failures?.dispose();
    api?.answers.clear();
    if (api) {
      api.hooks.clipboard = undefined;
      api.hooks.openExternal = undefined;
    }
  });

  after(async () => {
    if (!api) return;
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
    await api.store.reload();
  });

  async function chainedChildren(r: TreeNode): Promise<ChainedNode[]> {
    return (await api.tree.getChildren(r)).filter((n): n is ChainedNode => n.kind === 'chained');
  }

  it('Create Chained Profile writes the source profile (missing) and [profile X] in the CLI form, marked as ours', async function () {
    this.timeout(20_000);
    const before = configText();
    assert.equal(api.store.profileFor(SESSION, role.account.accountId, role.role.roleName), undefined, 'the role has no profile yet');
    api.answers.push('chainedRoleArn', CHAINED_ROLE);
    api.answers.push('chainedExternalId', '');
    api.answers.push('chainedSessionName', 'host-test');
    api.answers.push('chainedDuration', '1 hour');
    api.answers.push('chainedProfileName', ACCEPT);
    chainedName = (await vscode.commands.executeCommand<string>('awsSsoProfiles.createChainedProfile', role))!;
    const source = `${role.account.accountName}-${role.role.roleName}`;
    assert.equal(chainedName, `${source}-SandboxChained`);
    assert.equal(
      configText(),
      before +
        `\n[profile ${source}]\nsso_session = ${SESSION}\nsso_account_id = ${role.account.accountId}\nsso_role_name = ${role.role.roleName}\nregion = us-east-1\noutput = json\naws_sso_profiles_managed = true\n` +
        `\n[profile ${chainedName}]\nrole_arn = ${CHAINED_ROLE}\nsource_profile = ${source}\nrole_session_name = host-test\nduration_seconds = 3600\nregion = us-east-1\noutput = json\naws_sso_profiles_managed = true\n`,
    );
    assert.deepEqual(failures.errors, []);
  });

  it('the tree shows the chained profile under its role, with its own context value and label', async () => {
    const roleItem = api.tree.getTreeItem(role);
    assert.equal(roleItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(roleItem.contextValue), /(^|;)hasChained;/);
    const [node] = await chainedChildren(role);
    assert.equal(node.profileName, chainedName);
    const item = api.tree.getTreeItem(node);
    assert.equal(item.label, chainedName);
    assert.match(String(item.contextValue), /^awsChained;/);
    assert.match(String(item.accessibilityInformation?.label), /Chained profile .* assumes role SandboxChained in account 9 9 9/);
    assert.equal(api.tree.getParent(node), role);
  });

  it('Find reaches it without the mouse: role → its chained profile → Copy Credentials', async function () {
    this.timeout(30_000);
    const [node] = await chainedChildren(role);
    let copied = '';
    api.hooks.clipboard = async (text) => {
      copied = text;
    };
    api.answers.push('find', (items) => items.find((i) => i.label === `$(key) ${role.role.roleName}` && String(i.description).endsWith(role.account.accountId)));
    api.answers.push('roleAction', (items) => items.find((i) => i.label.includes(node.profileName)));
    api.answers.push('chainedAction', (items) => items.find((i) => i.label.endsWith('Copy Credentials…')));
    api.answers.push('shell', 'Environment variables for bash / zsh');
    await vscode.commands.executeCommand('awsSsoProfiles.find');
    assert.deepEqual(api.answers.asked.map((a) => a.id), ['find', 'roleAction', 'chainedAction', 'shell']);
    assert.deepEqual(api.selection(), [node.id], 'the chained profile is shown and selected');
    assert.match(copied, /^export AWS_ACCESS_KEY_ID='ASIA/m);
    assert.deepEqual(failures.errors, []);
  });

  it('Copy Credentials, Open Console and Use Profile work on it; the log holds none of its secrets', async function () {
    this.timeout(30_000);
    const [node] = await chainedChildren(role);
    const secrets: string[] = [];
    let copied = '';
    api.hooks.clipboard = async (text) => {
      copied = text;
      for (const m of text.matchAll(/^export AWS_(?:SECRET_ACCESS_KEY|SESSION_TOKEN|ACCESS_KEY_ID)='(.+)'$/gm)) secrets.push(m[1]);
    };
    api.answers.push('shell', 'Environment variables for bash / zsh');
    await vscode.commands.executeCommand('awsSsoProfiles.copyCredentials', node);
    assert.match(copied, /^export AWS_ACCESS_KEY_ID='ASIA/m);
    assert.equal(secrets.length, 3);

    const saved = process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
    process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = process.env.AWS_SSO_FAKE_URL;
    let visit: { status: number; body: string } | undefined;
    api.hooks.openExternal = async (url) => {
      secrets.push(url);
      visit = await fakeBrowser(url);
      return true;
    };
    try {
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.openConsole', node), true);
    } finally {
      if (saved === undefined) delete process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
      else process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = saved;
    }
    assert.equal(visit?.status, 200);
    assert.match(visit!.body, /Signed in/);

    await vscode.commands.executeCommand('awsSsoProfiles.useProfile', node);
    try {
      assert.equal(api.activeProfile(), chainedName);
      assert.match(String(api.tree.getTreeItem(node).contextValue), /(^|;)activeProfile;/);
    } finally {
      await vscode.commands.executeCommand('awsSsoProfiles.stopUsingProfile');
    }
    assert.deepEqual(failures.errors, []);
    const log = api.logLines().join('\n');
    for (const s of secrets) assert.ok(!log.includes(s), 'a secret reached the log');
  });

  it('a role whose trust policy does not allow it: the error names the trust policy', async function () {
    this.timeout(20_000);
    api.answers.push('chainedRoleArn', UNTRUSTING_ROLE);
    api.answers.push('chainedExternalId', '');
    api.answers.push('chainedSessionName', ACCEPT);
    api.answers.push('chainedDuration', '15 minutes');
    api.answers.push('chainedProfileName', 'untrusted-chain');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createChainedProfile', role), 'untrusted-chain');
    const node = (await chainedChildren(role)).find((n) => n.profileName === 'untrusted-chain')!;
    api.answers.push('shell', 'Environment variables for bash / zsh');
    await vscode.commands.executeCommand('awsSsoProfiles.copyCredentials', node);
    assert.equal(failures.errors.length, 1);
    assert.match(String((failures.errors[0] as Error).message), /trust policy of arn:aws:iam::999999999999:role\/NobodyTrustsYou must allow/);
  });

  it('refuses a role ARN of another partition or form', async () => {
    api.answers.push('chainedRoleArn', 'arn:aws-cn:iam::999999999999:role/X');
    await vscode.commands.executeCommand('awsSsoProfiles.createChainedProfile', role);
    assert.equal(failures.errors.length, 1);
    assert.match(String((failures.errors[0] as Error).message), /another AWS partition/);
  });
});
