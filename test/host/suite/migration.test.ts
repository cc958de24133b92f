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
    try {
      const removed = await vscode.commands.executeCommand<{ profile: string }[]>('awsSsoProfiles.checkLongTermKeys');
      assert.deepEqual(removed.map((k) => k.profile), ['legacy']);
    } finally {
      failures.dispose();
    }
    assert.deepEqual(failures.errors, []);
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
});
