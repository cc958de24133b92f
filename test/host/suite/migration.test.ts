// Check for Long-Term Access Keys: the migration the organisation's guide asks for.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/ui/testing';
import { configText, inHarness, recordFailures, testApi } from './uiHelpers';

const CREDENTIALS = `[legacy]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[temporary]
aws_access_key_id = ASIAIOSFODNN7EXAMPLE
aws_secret_access_key = secret
aws_session_token = token
`;

describe('migration: long-term access keys', () => {
  let api: TestApi;
  let original: string;
  let file: string;

  before(async function () {
    if (!inHarness()) this.skip();
    api = await testApi();
    original = configText();
    file = process.env.AWS_SHARED_CREDENTIALS_FILE!;
  });

  afterEach(() => {
    if (!api) return;
    api.answers.clear();
    rmSync(file, { force: true });
    for (const f of readdirSync(dirname(file))) if (f.startsWith(`${basename(file)}.`) && f.endsWith('.bak')) rmSync(join(dirname(file), f));
    writeFileSync(process.env.AWS_CONFIG_FILE!, original);
  });

  it('finds the keys and the profiles using them, backs the file up and removes what the user picks', async () => {
    writeFileSync(file, CREDENTIALS, { mode: 0o600 });
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${original}\n[profile deploy]\nsource_profile = legacy\nrole_arn = arn:aws:iam::111122223333:role/Deploy\n`);
    const failures = recordFailures(api);
    let shown: string[] = [];
    api.answers.push('pickLongTermKeys', (items) => {
      shown = items.map((i) => `${i.label} ${i.description} ${i.detail ?? ''}`);
      return items.find((i) => i.label === 'legacy');
    });
    api.answers.push('confirmRemoveKeys', 'Back Up and Remove');
    api.answers.push('fixDependent', (items) => items.find((i) => /Leave it/.test(i.label)));
    try {
      const removed = await vscode.commands.executeCommand<{ profile: string }[]>('awsSsoProfiles.checkLongTermKeys');
      assert.deepEqual(removed.map((k) => k.profile), ['legacy']);
    } finally {
      failures.dispose();
    }
    assert.deepEqual(failures.errors, []);
    assert.deepEqual(api.answers.asked.filter((a) => a.id === 'fixDependent').map((a) => a.text), ['deploy assumes its role from legacy, which no longer exists']);
    assert.equal(shown.length, 1, 'temporary (ASIA…, with a session token) keys are not long-term');
    assert.match(shown[0], /AKIA\*+MPLE/, 'the key ID is masked');
    assert.doesNotMatch(shown[0], /IOSFODNN7/);
    assert.match(shown[0], /deploy/, 'the profile using it is named');
    assert.equal(readFileSync(file, 'utf8'), CREDENTIALS.slice(CREDENTIALS.indexOf('[temporary]')));
    const backups = readdirSync(dirname(file)).filter((f) => f.startsWith(`${basename(file)}.`) && f.endsWith('.bak'));
    assert.equal(backups.length, 1, `one backup, the timestamped one: ${backups.join(', ')}`);
    assert.notEqual(backups[0], `${basename(file)}.bak`);
    const backup = join(dirname(file), backups[0]);
    assert.equal(readFileSync(backup, 'utf8'), CREDENTIALS);
    if (process.platform !== 'win32') assert.equal(statSync(backup).mode & 0o777, 0o600);
  });

  it('changes nothing when the user does not confirm', async () => {
    writeFileSync(file, CREDENTIALS, { mode: 0o600 });
    api.answers.push('pickLongTermKeys', '*');
    api.answers.push('confirmRemoveKeys', undefined);
    const removed = await vscode.commands.executeCommand<unknown[]>('awsSsoProfiles.checkLongTermKeys');
    assert.deepEqual(removed, []);
    assert.equal(readFileSync(file, 'utf8'), CREDENTIALS);
  });

  it('says so when there is nothing to migrate', async () => {
    rmSync(file, { force: true });
    const removed = await vscode.commands.executeCommand<unknown[]>('awsSsoProfiles.checkLongTermKeys');
    assert.deepEqual(removed, []);
  });

  // A hand-written SSO profile (legacy keys: no sso-session needed) that a dependent can start from.
  const SSO_PROFILE = '\n[profile sso-admin]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Admin\n';
  const DEPENDENT = '\n[profile legacy-admin]\n# assumes Admin with the old keys\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = legacy\n';

  it('in the same flow, points a dependent at the SSO profile the user picks: only its source_profile line changes', async () => {
    writeFileSync(file, CREDENTIALS, { mode: 0o600 });
    const before = `${original}${SSO_PROFILE}${DEPENDENT}`;
    writeFileSync(process.env.AWS_CONFIG_FILE!, before);
    let offered: string[] = [];
    api.answers.push('pickLongTermKeys', '*');
    api.answers.push('confirmRemoveKeys', 'Back Up and Remove');
    api.answers.push('fixDependent', (items) => {
      offered = items.map((i) => i.label);
      return items.find((i) => /sso-admin/.test(i.label));
    });
    const removed = await vscode.commands.executeCommand<{ profile: string }[]>('awsSsoProfiles.checkLongTermKeys');
    assert.deepEqual(removed.map((k) => k.profile), ['legacy']);
    assert.ok(offered.some((l) => /Use SSO profile sso-admin/.test(l)), offered.join(' | '));
    assert.ok(offered.some((l) => /Remove the profile/.test(l)) && offered.some((l) => /Leave it/.test(l)));
    assert.equal(readFileSync(process.env.AWS_CONFIG_FILE!, 'utf8'), before.replace('source_profile = legacy', 'source_profile = sso-admin'));
    // Nothing is left to fix: a second run says so.
    api.answers.clear();
    api.answers.push('fixDependent', 'Leave it');
    await vscode.commands.executeCommand('awsSsoProfiles.checkLongTermKeys');
    assert.deepEqual(api.answers.asked.map((a) => a.id), [], 'no dependent is offered again');
  });

  it('a dependent written in the credentials file is pointed at the SSO profile there, with a backup: only its source_profile line changes', async () => {
    const ROLE = '\n[legacy-admin]\n# assumes Admin with the old keys\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = legacy\n';
    writeFileSync(file, `${CREDENTIALS}${ROLE}`, { mode: 0o600 });
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${original}${SSO_PROFILE}`);
    api.answers.push('pickLongTermKeys', '*');
    api.answers.push('confirmRemoveKeys', 'Back Up and Remove');
    api.answers.push('fixDependent', (items) => items.find((i) => /sso-admin/.test(i.label)));
    const removed = await vscode.commands.executeCommand<{ profile: string }[]>('awsSsoProfiles.checkLongTermKeys');
    assert.deepEqual(removed.map((k) => k.profile), ['legacy']);
    const after = readFileSync(file, 'utf8');
    assert.ok(!after.includes('[legacy]\n'), after);
    assert.ok(after.endsWith(ROLE.replace('source_profile = legacy', 'source_profile = sso-admin')), after);
    assert.equal(readFileSync(process.env.AWS_CONFIG_FILE!, 'utf8'), `${original}${SSO_PROFILE}`, 'the config file is untouched');
    const backups = readdirSync(dirname(file)).filter((f) => f.startsWith(`${basename(file)}.`) && f.endsWith('.bak'));
    assert.ok(backups.length >= 1, 'a backup of the credentials file');
    // Fixed for good: a re-run offers nothing.
    api.answers.clear();
    await vscode.commands.executeCommand('awsSsoProfiles.checkLongTermKeys');
    assert.deepEqual(api.answers.asked.map((a) => a.id).filter((id) => id === 'fixDependent'), []);
  });

  it('a re-run with no keys left reports a broken dependent instead of "Nothing to migrate", and removes it once confirmed', async () => {
    rmSync(file, { force: true });
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${original}${SSO_PROFILE}${DEPENDENT}`);
    api.answers.push('fixDependent', 'Remove the profile');
    api.answers.push('confirmRemoveDependents', 'Remove');
    const removed = await vscode.commands.executeCommand<unknown[]>('awsSsoProfiles.checkLongTermKeys');
    assert.deepEqual(removed, []);
    assert.deepEqual(api.answers.asked.map((a) => a.id), ['fixDependent', 'confirmRemoveDependents']);
    assert.equal(readFileSync(process.env.AWS_CONFIG_FILE!, 'utf8'), `${original}${SSO_PROFILE}`);
  });

  it('leaves a dependent as it is when the removal is not confirmed', async () => {
    rmSync(file, { force: true });
    const before = `${original}${SSO_PROFILE}${DEPENDENT}`;
    writeFileSync(process.env.AWS_CONFIG_FILE!, before);
    api.answers.push('fixDependent', 'Remove the profile');
    api.answers.push('confirmRemoveDependents', undefined);
    await vscode.commands.executeCommand('awsSsoProfiles.checkLongTermKeys');
    assert.equal(readFileSync(process.env.AWS_CONFIG_FILE!, 'utf8'), before);
  });
});
