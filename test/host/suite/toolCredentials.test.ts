// Credentials for tools that cannot sign in, in the real editor against the fake: a credential_process
// profile, and a kept-fresh credentials-file section (written, listed in the status menu with its
// expiry, removed when turned off and on sign-out, written again after sign-in).
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { listProfiles } from '../../../src/core/config/read';
import { ACCEPT } from '../../../src/ui/prompter';
import type { TestApi } from '../../../src/ui/testing';
import type { AccountNode, RoleNode } from '../../../src/ui/tree/nodes';
import { configText, inHarness, listedAccounts, recordFailures, SESSION, signIn, testApi, waitFor } from './uiHelpers';

describe('tool credentials: credential_process profile, kept-fresh credentials file', () => {
  let api: TestApi;
  let original: string;
  let failures: ReturnType<typeof recordFailures>;
  const credentialsText = () => {
    try {
      return readFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8');
    } catch {
      return '';
    }
  };

  before(async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    api = await testApi();
    await signIn(api);
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
    await api.store.reload();
  });

  async function firstRole(): Promise<RoleNode> {
    const roots = await api.tree.getChildren();
    const session = roots.find((n) => n.kind === 'session' && n.session.name === SESSION)!;
    const account = (await listedAccounts(api, session))[0];
    return (await api.tree.getChildren(account)).find((n): n is RoleNode => n.kind === 'role')!;
  }

  it('Add credential_process Profile writes [profile NAME-process] of ours that runs the role\u2019s profile', async function () {
    this.timeout(60_000);
    const role = await firstRole();
    // The role's profile is created first when it has none.
    api.answers.push('profileName', ACCEPT);
    api.answers.push('processProfileName', ACCEPT);
    const name = await vscode.commands.executeCommand<string>('awsSsoProfiles.addProcessProfile', role);
    assert.ok(name?.endsWith('-process'), name);
    const source = name.slice(0, -'-process'.length);
    const p = listProfiles(configText()).find((x) => x.name === name)!;
    assert.ok(p.managed);
    assert.match(p.keys.credential_process, new RegExp(`(configure export-credentials|credentials) --profile ${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --format process$`));
    assert.deepEqual(failures.errors, []);
  });

  it('Keep Credentials Fresh: written private and marked, listed in the status menu, removed when turned off', async function () {
    this.timeout(60_000);
    const role = await firstRole();
    const before = credentialsText();
    api.answers.push('credentialsProfileName', 'kept-fresh');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.keepCredentialsFresh', role), 'kept-fresh');
    const text = credentialsText();
    assert.match(text, /\[kept-fresh\]\naws_access_key_id = \S+\naws_secret_access_key = \S+\naws_session_token = \S+\nregion = \S+\naws_sso_profiles_managed = true\n/);
    if (process.platform !== 'win32') assert.equal(statSync(process.env.AWS_SHARED_CREDENTIALS_FILE!).mode & 0o777, 0o600);

    let labels: string[] = [];
    api.answers.push('statusAction', (items) => {
      labels = items.map((i) => `${i.label} | ${i.description ?? ''}`);
      return undefined;
    });
    await vscode.commands.executeCommand('awsSsoProfiles.showStatusActions');
    assert.ok(labels.some((l) => /Stop Keeping \[kept-fresh\] Fresh \| keys until /.test(l)), labels.join('\n'));

    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.stopKeepingCredentialsFresh', 'kept-fresh'), 'kept-fresh');
    assert.equal(credentialsText(), before);
    assert.deepEqual(failures.errors, []);
  });

  it('Sign Out removes the kept-fresh keys; signing in again writes them again', async function () {
    this.timeout(60_000);
    const role = await firstRole();
    api.answers.push('credentialsProfileName', 'kept-across');
    await vscode.commands.executeCommand('awsSsoProfiles.keepCredentialsFresh', role);
    assert.match(credentialsText(), /\[kept-across\]/);
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.signOut', SESSION), true);
    assert.doesNotMatch(credentialsText(), /\[kept-across\]/);
    await signIn(api);
    await waitFor('the kept-fresh section written after sign-in', () => /\[kept-across\]/.test(credentialsText()));
    await vscode.commands.executeCommand('awsSsoProfiles.stopKeepingCredentialsFresh', 'kept-across');
    assert.doesNotMatch(credentialsText(), /\[kept-across\]/);
    assert.deepEqual(failures.errors, []);
  });

  it('a credentials-file section with keys under the role\u2019s profile name shows as shadowing it, and stops when removed', async function () {
    this.timeout(60_000);
    const role = await firstRole();
    let profile = api.store.profileFor(role.session.name, role.account.accountId, role.role.roleName)?.name;
    if (!profile) {
      api.answers.push('profileName', ACCEPT);
      profile = await vscode.commands.executeCommand<string>('awsSsoProfiles.createProfile', role);
    }
    assert.ok(profile);
    const item = () => api.tree.getTreeItem(role);
    assert.doesNotMatch(String(item().description), /shadowed/);
    const before = credentialsText();
    // Written from outside (a terminal, another tool): the file watcher sees it, nothing is refreshed by hand.
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, `${before}\n[${profile}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`, { mode: 0o600 });
    await waitFor('the role shown as shadowed', () => String(item().description).includes(`${profile} · shadowed by [${profile}] in the credentials file`), 10_000);
    const tip = (item().tooltip as vscode.MarkdownString).value;
    assert.match(tip, /holds keys under the same name/);
    assert.match(tip, /AWS SDK for JavaScript v3/);
    assert.match(String(item().accessibilityInformation?.label), /shadowed by a section of the credentials file/);
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, before, { mode: 0o600 });
    await waitFor('the shadow gone', () => !String(item().description).includes('shadowed'), 10_000);
    assert.doesNotMatch((item().tooltip as vscode.MarkdownString).value, /holds keys under the same name/);
    assert.deepEqual(failures.errors, []);
  });

  it('no key written to the credentials file reaches the log', async function () {
    this.timeout(60_000);
    const role = await firstRole();
    api.answers.push('credentialsProfileName', 'kept-leak-check');
    await vscode.commands.executeCommand('awsSsoProfiles.keepCredentialsFresh', role);
    const section = /\[kept-leak-check\]\naws_access_key_id = (\S+)\naws_secret_access_key = (\S+)\naws_session_token = (\S+)\n/.exec(credentialsText());
    assert.ok(section);
    await vscode.commands.executeCommand('awsSsoProfiles.stopKeepingCredentialsFresh', 'kept-leak-check');
    const log = api.logLines().join('\n');
    assert.match(log, /kept-fresh: \[kept-leak-check\]/);
    for (const secret of section.slice(1)) assert.ok(!log.includes(secret), 'a key reached the log');
  });
});
