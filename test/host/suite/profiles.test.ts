// Profile creation from the tree, end to end against the fake: one role (exact lines, nothing
// else changes; clash → rename / overwrite), all roles of an account or a session (diff preview,
// confirm, prune), and the role's other actions (terminals, credentials, console).
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { tokenFilePath } from '../../../src/core/auth/tokenCache';
import { PREVIEW_SCHEME } from '../../../src/ui/util/preview';
import { ACCEPT } from '../../../src/ui/prompter';
import type { TestApi } from '../../../src/ui/testing';
import type { AccountNode, RoleNode, TreeNode } from '../../../src/ui/tree/nodes';
import { fakeBrowser } from '../../fakes/identityCenter';
import { configText, inHarness, listedAccounts, recordFailures, SESSION, signIn, testApi, waitFor } from './uiHelpers';

describe('profiles: create from roles, preview, terminals, credentials', () => {
  let api: TestApi;
  let original: string;
  let failures: ReturnType<typeof recordFailures>;

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

  async function accounts(): Promise<AccountNode[]> {
    const roots = await api.tree.getChildren();
    const session = roots.find((n) => n.kind === 'session' && n.session.name === SESSION)!;
    return (await listedAccounts(api, session));
  }

  async function roles(account: TreeNode): Promise<RoleNode[]> {
    return (await api.tree.getChildren(account)).filter((n): n is RoleNode => n.kind === 'role');
  }

  function block(name: string, r: RoleNode): string {
    return (
      `\n[profile ${name}]\nsso_session = ${SESSION}\nsso_account_id = ${r.account.accountId}\nsso_role_name = ${r.role.roleName}\n` +
      'region = us-east-1\noutput = json\naws_sso_profiles_managed = true\n'
    );
  }

  it('Create Profile proposes a name from the template and writes exactly the profile', async function () {
    this.timeout(20_000);
    const [acct] = await accounts();
    const [role] = await roles(acct);
    const before = configText();
    api.answers.push('profileName', ACCEPT);
    const name = await vscode.commands.executeCommand<string>('awsSsoProfiles.createProfile', role);
    const expectedName = `${role.account.accountName}-${role.role.roleName}`;
    assert.equal(name, expectedName);
    assert.equal(api.answers.asked.find((a) => a.id === 'profileName')?.value, expectedName, 'the proposal follows the default template');
    assert.equal(configText(), before + block(expectedName, role), 'only the new section was appended');
    assert.deepEqual(failures.errors, []);
    // The role now shows its profile.
    const item = api.tree.getTreeItem(role);
    assert.equal(item.description, expectedName);
    assert.match(String(item.contextValue), /(^|;)hasProfile;/);
  });

  it('refuses unsafe names', async () => {
    const [role] = await roles((await accounts())[1]);
    const before = configText();
    api.answers.push('profileName', 'has space');
    await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role);
    assert.equal(failures.errors.length, 1);
    assert.match(String((failures.errors[0] as Error).message), /letters, digits/);
    assert.equal(configText(), before);
  });

  it('on a clash offers rename and overwrite; overwrite keeps the hand-written keys', async function () {
    this.timeout(20_000);
    const accts = await accounts();
    const role = (await roles(accts[2]))[0];
    const handWritten = '\n[profile team]\n# mine\nsso_session = other\nsso_account_id = 999999999999\nsso_role_name = Old\ncli_pager =\n';
    writeFileSync(process.env.AWS_CONFIG_FILE!, configText() + handWritten);
    await api.store.reload();
    const before = configText();

    api.answers.push('profileName', 'team', 'team-2');
    api.answers.push('profileClash', 'Choose Another Name');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role), 'team-2');
    assert.equal(configText(), before + block('team-2', role));

    api.answers.push('profileExists', 'Create Another');
    api.answers.push('profileName', 'team');
    api.answers.push('profileClash', 'Overwrite');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role), 'team');
    const after = configText();
    assert.ok(
      after.includes(
        `[profile team]\n# mine\nsso_session = ${SESSION}\nsso_account_id = ${role.account.accountId}\nsso_role_name = ${role.role.roleName}\ncli_pager =\nregion = us-east-1\noutput = json\n`,
      ),
      after,
    );
    assert.ok(!/\[profile team\][^[]*aws_sso_profiles_managed/.test(after), 'an overwritten hand-written profile stays unmarked');
    assert.deepEqual(failures.errors, []);
  });

  it('Create Profiles for All Roles of an account previews a diff, then writes on confirm', async function () {
    this.timeout(30_000);
    const acct = (await accounts())[3];
    const want = await roles(acct);
    const before = configText();
    let diffShown = false;
    api.answers.push('confirmPopulate', (buttons) => {
      diffShown = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PREVIEW_SCHEME);
      return buttons.find((b) => b.label === 'Write Profiles');
    });
    const result = await vscode.commands.executeCommand<{ added: string[] }>('awsSsoProfiles.createProfilesForAll', acct);
    assert.ok(diffShown, 'the change was shown as a diff while asking');
    assert.ok(
      !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === PREVIEW_SCHEME),
      'the preview is closed afterwards',
    );
    assert.deepEqual(result.added, want.map((r) => `${r.account.accountName}-${r.role.roleName}`).sort());
    // Counted in words, and asked beside the diff (not in a dialog over it).
    const asked = [...api.answers.asked].reverse().find((a) => a.id === 'confirmPopulate')?.text ?? '';
    assert.match(asked, new RegExp(`^Write ${want.length} new ${want.length === 1 ? 'profile' : 'profiles'} to .*The diff shows the whole change`));
    const after = configText();
    assert.ok(after.startsWith(before), 'nothing before the new sections changed');
    for (const r of want) assert.ok(after.includes(block(`${r.account.accountName}-${r.role.roleName}`, r)));
  });

  it('writes nothing when the preview is declined', async function () {
    this.timeout(30_000);
    const acct = (await accounts())[4];
    const before = configText();
    api.answers.push('confirmPopulate', undefined);
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfilesForAll', acct), undefined);
    assert.equal(configText(), before);
  });

  it('for a session, can prune the profiles it created whose role is gone', async function () {
    this.timeout(60_000);
    const acct = (await accounts())[0];
    const stale = `\n[profile stale]\nsso_session = ${SESSION}\nsso_account_id = ${acct.account.accountId}\nsso_role_name = NoLongerAssigned\naws_sso_profiles_managed = true\n`;
    writeFileSync(process.env.AWS_CONFIG_FILE!, configText() + stale);
    await api.store.reload();
    api.answers.push('populateMode', (items) => items.find((i) => i.label.startsWith('Also Remove')));
    api.answers.push('confirmPopulate', 'Write Profiles');
    const session = (await api.tree.getChildren()).find((n) => n.kind === 'session' && n.session.name === SESSION)!;
    const result = await vscode.commands.executeCommand<{ added: string[]; removed: string[] }>('awsSsoProfiles.createProfilesForAll', session);
    assert.deepEqual(result.removed, ['stale']);
    assert.ok(!configText().includes('[profile stale]'));
    // Every role now has a profile.
    await api.store.reload();
    for (const a of await accounts()) {
      for (const r of await roles(a)) assert.ok(api.store.profileFor(SESSION, r.account.accountId, r.role.roleName), `${r.id} has a profile`);
    }
    assert.deepEqual(failures.errors, []);
  });

  it('asks before writing a session from the settings into the config file; cancelling writes nothing', async function () {
    this.timeout(60_000);
    const name = 'org-from-settings';
    const settings = vscode.workspace.getConfiguration('awsSsoProfiles');
    await settings.update('sessions', [{ name, startUrl: 'https://d-5555555555.awsapps.com/start', region: 'eu-west-1' }], vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the settings session', () => api.store.find(name), 5_000);
      await signIn(api, name);
      const root = (await api.tree.getChildren()).find((n) => n.kind === 'session' && n.session.name === name)!;
      const acct = (await listedAccounts(api, root))[0];
      const [role] = await roles(acct);
      const before = configText();
      const label = `Add [sso-session ${name}] to ${process.env.AWS_CONFIG_FILE}`;

      api.answers.push('addSessionToConfig', undefined);
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role), undefined);
      assert.equal(configText(), before, 'cancelled: nothing written');
      api.answers.push('addSessionToConfig', undefined);
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfilesForAll', acct), undefined);
      assert.equal(configText(), before, 'cancelled: nothing written');
      assert.deepEqual(api.answers.asked.filter((a) => a.id === 'addSessionToConfig').length, 2);
      assert.ok(api.answers.asked.every((a) => a.id !== 'profileName' && a.id !== 'confirmPopulate'), 'asked first');

      let buttons: string[] = [];
      api.answers.push('addSessionToConfig', (items) => {
        buttons = items.map((i) => i.label);
        return items.find((i) => i.label === label);
      });
      api.answers.push('profileName', 'from-org-settings');
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.createProfile', role), 'from-org-settings');
      assert.deepEqual(buttons, [label]);
      assert.equal(
        configText(),
        `${before}\n[sso-session ${name}]\nsso_start_url = https://d-5555555555.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n` +
          `\n[profile from-org-settings]\nsso_session = ${name}\nsso_account_id = ${role.account.accountId}\nsso_role_name = ${role.role.roleName}\nregion = eu-west-1\noutput = json\naws_sso_profiles_managed = true\n`,
      );
      assert.deepEqual(failures.errors, []);
    } finally {
      await vscode.commands.executeCommand('awsSsoProfiles.signOut', name);
      await settings.update('sessions', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Use Profile in New Terminals sets AWS_PROFILE for the role\'s profile', async () => {
    const [acct] = await accounts();
    const [role] = await roles(acct);
    const profile = api.store.profileFor(SESSION, role.account.accountId, role.role.roleName)!;
    await vscode.commands.executeCommand('awsSsoProfiles.useProfile', role);
    try {
      assert.equal(api.activeProfile(), profile.name);
      assert.match(String(api.tree.getTreeItem(role).contextValue), /(^|;)activeProfile;/);
      assert.match(api.status.current.text, new RegExp(` · ${profile.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    } finally {
      await vscode.commands.executeCommand('awsSsoProfiles.stopUsingProfile');
    }
  });

  it('Copy Credentials offers every way the portal does, remembers the last one, and copies only on a valid name', async function () {
    this.timeout(40_000);
    const [role] = await roles((await accounts())[1]);
    let copied = '';
    let copies = 0;
    api.hooks.clipboard = async (text) => {
      copied = text;
      copies++;
    };
    const copy = () => vscode.commands.executeCommand('awsSsoProfiles.copyCredentials', role);
    try {
      api.answers.push('shell', 'Environment variables for PowerShell');
      assert.equal(await copy(), 'env-powershell');
      assert.match(copied, /^\$Env:AWS_ACCESS_KEY_ID = '.+'$/m);
      assert.match(copied, /^\$Env:AWS_SESSION_TOKEN = '.+'$/m);
      assert.match(copied, /^\$Env:AWS_REGION = 'us-east-1'$/m);

      // The last choice comes first: Enter alone repeats it.
      let offered: string[] = [];
      api.answers.push('shell', (items) => {
        offered = items.map((i) => (i.kind === vscode.QuickPickItemKind.Separator ? `-- ${i.label}` : i.label));
        return items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      });
      assert.equal(await copy(), 'env-powershell');
      assert.deepEqual(offered.slice(0, 3), ['-- last used', 'Environment variables for PowerShell', '-- Environment variables']);
      assert.equal(offered.filter((l) => !l.startsWith('-- ')).length, 7);

      api.answers.push('shell', 'Environment variables for bash / zsh');
      assert.equal(await copy(), 'env-bash');
      assert.match(copied, /^export AWS_SECRET_ACCESS_KEY='.+'$/m);

      api.answers.push('shell', 'aws configure set commands for bash / zsh');
      api.answers.push('credentialsProfileName', 'portal-keys');
      assert.equal(await copy(), 'configure-bash');
      const lines = copied.split('\n');
      assert.deepEqual(
        lines.map((l) => l.replace(/ '[^']*' /, ' VALUE ')),
        ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'region'].map((k) => `aws configure set ${k} VALUE --profile 'portal-keys'`),
      );
      assert.equal(lines[3], "aws configure set region 'us-east-1' --profile 'portal-keys'");

      api.answers.push('shell', 'aws configure set commands for cmd');
      api.answers.push('credentialsProfileName', 'portal-keys');
      assert.equal(await copy(), 'configure-cmd');
      assert.match(copied, /^aws configure set aws_session_token "[^"%]+" --profile "portal-keys"$/m);

      // A name the cmd.exe line cannot carry is refused in the input box itself.
      api.answers.push('shell', 'aws configure set commands for cmd');
      api.answers.push('credentialsProfileName', 'a%PATH%b');
      const copiesBefore = copies;
      assert.equal(await copy(), undefined);
      assert.match(String(failures.errors.at(-1)), /cmd\.exe would expand/);
      assert.equal(copies, copiesBefore);

      // The name of an SSO profile: warned that the keys would take precedence; cancelled, nothing copied.
      const config = configText();
      writeFileSync(process.env.AWS_CONFIG_FILE!, `${config}\n[profile shadowed-sso]\nsso_session = ${SESSION}\nsso_account_id = ${role.account.accountId}\nsso_role_name = ${role.role.roleName}\n`);
      await api.store.reload();
      try {
        const copiesThen = copies;
        api.answers.push('shell', 'aws configure set commands for PowerShell');
        api.answers.push('credentialsProfileName', 'shadowed-sso');
        api.answers.push('credentialsProfileShadows', undefined);
        assert.equal(await copy(), undefined);
        assert.equal(copies, copiesThen);
        assert.ok(api.answers.asked.some((a) => a.id === 'credentialsProfileShadows' && a.text.includes('shadowed-sso')));
      } finally {
        writeFileSync(process.env.AWS_CONFIG_FILE!, config);
        await api.store.reload();
      }

      api.answers.push('shell', '.env lines for docker run --env-file');
      assert.equal(await copy(), 'dotenv');
      assert.deepEqual(
        copied.split('\n').map((l) => l.split('=')[0]),
        ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_REGION', 'AWS_DEFAULT_REGION', ''],
      );
      assert.match(copied, /^AWS_REGION=us-east-1$/m);

      // Cancelled at the first step: nothing copied, the last choice kept.
      api.answers.push('shell', undefined);
      assert.equal(await copy(), undefined);
      api.answers.push('shell', (items) => items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator));
      assert.equal(await copy(), 'dotenv');
    } finally {
      api.hooks.clipboard = undefined;
    }
    assert.equal(failures.errors.length, 1, 'only the refused name failed');
  });

  it('Write Credentials writes a private [profile] section to the credentials file', async function () {
    this.timeout(20_000);
    const [role] = await roles((await accounts())[1]);
    const file = process.env.AWS_SHARED_CREDENTIALS_FILE!;
    rmSync(file, { force: true });
    api.answers.push('credentialsProfileName', 'temp-creds');
    assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.writeCredentials', role), 'temp-creds');
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^\[temp-creds\]\naws_access_key_id = \S+\naws_secret_access_key = \S+\naws_session_token = \S+\nregion = us-east-1\n$/);
    if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
    rmSync(file, { force: true });
  });

  it('Open Console opens a working one-time sign-in URL', async function () {
    this.timeout(20_000);
    const [role] = await roles((await accounts())[1]);
    const saved = process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
    process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = process.env.AWS_SSO_FAKE_URL;
    let visit: { status: number; body: string } | undefined;
    api.hooks.openExternal = async (url) => {
      visit = await fakeBrowser(url);
      return true;
    };
    try {
      assert.equal(await vscode.commands.executeCommand('awsSsoProfiles.openConsole', role), true);
      assert.equal(visit?.status, 200);
      assert.match(visit!.body, /Signed in/);
    } finally {
      api.hooks.openExternal = undefined;
      if (saved === undefined) delete process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
      else process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = saved;
    }
    assert.deepEqual(failures.errors, []);
  });

  it('the log holds no token, credential or sign-in URL', async function () {
    this.timeout(20_000);
    const [role] = await roles((await accounts())[1]);
    const secrets: string[] = [];
    const cache = JSON.parse(readFileSync(tokenFilePath(api.paths(), api.store.find(SESSION)!), 'utf8')) as Record<string, string>;
    secrets.push(cache.accessToken, cache.refreshToken, cache.clientSecret);
    api.hooks.clipboard = async (text) => {
      for (const m of text.matchAll(/^export AWS_(?:SECRET_ACCESS_KEY|SESSION_TOKEN|ACCESS_KEY_ID)='(.+)'$/gm)) secrets.push(m[1]);
      for (const m of text.matchAll(/^aws configure set aws_\w+ '(.+)' --profile /gm)) secrets.push(m[1]);
      for (const m of text.matchAll(/^AWS_(?:SECRET_ACCESS_KEY|SESSION_TOKEN|ACCESS_KEY_ID)=(.+)$/gm)) secrets.push(m[1]);
    };
    const saved = process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
    process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = process.env.AWS_SSO_FAKE_URL;
    api.hooks.openExternal = async (url) => {
      secrets.push(url, new URL(url).searchParams.get('SigninToken')!);
      return true;
    };
    try {
      api.answers.push('shell', 'Environment variables for bash / zsh');
      await vscode.commands.executeCommand('awsSsoProfiles.copyCredentials', role);
      api.answers.push('shell', 'aws configure set commands for bash / zsh');
      api.answers.push('credentialsProfileName', 'leak-check');
      await vscode.commands.executeCommand('awsSsoProfiles.copyCredentials', role);
      api.answers.push('shell', '.env lines for docker run --env-file');
      await vscode.commands.executeCommand('awsSsoProfiles.copyCredentials', role);
      await vscode.commands.executeCommand('awsSsoProfiles.openConsole', role);
    } finally {
      api.hooks.clipboard = undefined;
      api.hooks.openExternal = undefined;
      if (saved === undefined) delete process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
      else process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = saved;
    }
    assert.ok(secrets.filter(Boolean).length >= 13, `${secrets.length} secrets collected`);
    const log = api.logLines().join('\n');
    assert.ok(log.length > 0);
    for (const s of secrets.filter(Boolean)) assert.ok(!log.includes(s), 'a secret reached the log');
  });

  it('Copy Account ID copies the ID of an account or a role', async () => {
    const acct = (await accounts())[2];
    let copied = '';
    api.hooks.clipboard = async (text) => {
      copied = text;
    };
    try {
      await vscode.commands.executeCommand('awsSsoProfiles.copyAccountId', acct);
      assert.equal(copied, acct.account.accountId);
    } finally {
      api.hooks.clipboard = undefined;
    }
  });
});
