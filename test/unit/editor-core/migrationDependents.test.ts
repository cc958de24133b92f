// After a migration: the profiles left assuming a role from a source without credentials, and the
// fixes the user picks (a new source_profile, or removal), each changing only what it must.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyProfiles } from '../../../src/core/config/edit';
import { isSsoError } from '../../../src/core/errors';
import { fixCredentialsDependents } from '../../../src/core/credentials';
import { findBrokenDependents, fixDependents, removeLongTermKeys, ssoSourceProfiles } from '../../../src/core/migration';

const CREDENTIALS = `[legacy]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`;

const CONFIG = `# my config, written by hand
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer

[profile legacy-admin]
# assumes Admin from the old IAM user
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile	=  legacy   
region = eu-west-1

[profile ok-chain]
role_arn = arn:aws:iam::111122223333:role/ReadOnly
source_profile = dev

[profile via-admin]
role_arn = arn:aws:iam::111122223333:role/Deep
source_profile = legacy-admin

[profile from-env]
role_arn = arn:aws:iam::111122223333:role/Env
credential_source = Environment
`;

test('nothing is broken while the keys are there', () => {
  assert.deepEqual(findBrokenDependents(CREDENTIALS, CONFIG), []);
});

test('once the keys of legacy are removed, its dependents (direct and through another role) are broken', () => {
  const after = removeLongTermKeys(CREDENTIALS, ['legacy'], 'credentials');
  assert.equal(after, '');
  assert.deepEqual(findBrokenDependents(after, CONFIG), [
    { profile: 'legacy-admin', file: 'config', sourceProfile: 'legacy', reason: 'missing' },
    { profile: 'via-admin', file: 'config', sourceProfile: 'legacy-admin', reason: 'no-credentials' },
  ]);
});

test('a source left with other keys only (a region) has no credentials; SSO, credential_process and loops are judged as botocore does', () => {
  const creds = '[legacy]\nregion = eu-west-1\n';
  assert.deepEqual(
    findBrokenDependents(creds, CONFIG).map((d) => [d.profile, d.reason]),
    [
      ['legacy-admin', 'no-credentials'],
      ['via-admin', 'no-credentials'],
    ],
  );
  const config = `[profile a]\nrole_arn = arn:aws:iam::111122223333:role/A\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::111122223333:role/B\nsource_profile = a\n[profile p]\ncredential_process = /bin/true\n[profile c]\nrole_arn = arn:aws:iam::111122223333:role/C\nsource_profile = p\n`;
  assert.deepEqual(findBrokenDependents('', config).map((d) => d.profile), ['a', 'b']);
});

test('a dependent in the credentials file is reported there', () => {
  const creds = '[cred-admin]\nrole_arn = arn:aws:iam::111122223333:role/Admin\nsource_profile = gone\n';
  assert.deepEqual(findBrokenDependents(creds, ''), [{ profile: 'cred-admin', file: 'credentials', sourceProfile: 'gone', reason: 'missing' }]);
});

test('re-pointing a hand-written dependent changes only its source_profile line, keeping the key spelling and delimiter', () => {
  const out = fixDependents(CONFIG, [{ profile: 'legacy-admin', sourceProfile: 'dev' }], []);
  assert.equal(out, CONFIG.replace('source_profile\t=  legacy   \n', 'source_profile\t=  dev\n'));
  assert.deepEqual(findBrokenDependents('', out), []);
});

test('a dependent that inherits source_profile from [DEFAULT] gets its own line, nothing else changes', () => {
  const text = '[DEFAULT]\nsource_profile = legacy\n\n[profile x]\nrole_arn = arn:aws:iam::111122223333:role/X\n\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n';
  assert.equal(
    fixDependents(text, [{ profile: 'x', sourceProfile: 'dev' }], []),
    text.replace('role/X\n', 'role/X\nsource_profile = dev\n'),
  );
});

test('removing a hand-written dependent takes its section and nothing else', () => {
  const out = fixDependents(CONFIG, [{ profile: 'via-admin', sourceProfile: 'dev' }], ['legacy-admin']);
  const section = CONFIG.slice(CONFIG.indexOf('[profile legacy-admin]'), CONFIG.indexOf('[profile ok-chain]'));
  assert.equal(out, CONFIG.replace(section, '').replace('source_profile = legacy-admin', 'source_profile = dev'));
});

test('a re-point is refused when the new source is not in the file, is the profile itself, or the profile is missing', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return isSsoError(e) ? e.code : 'other';
    }
    return 'none';
  };
  assert.equal(code(() => fixDependents(CONFIG, [{ profile: 'legacy-admin', sourceProfile: 'nope' }], [])), 'InvalidInput');
  assert.equal(code(() => fixDependents(CONFIG, [{ profile: 'legacy-admin', sourceProfile: 'legacy-admin' }], [])), 'InvalidInput');
  assert.equal(code(() => fixDependents(CONFIG, [{ profile: 'nope', sourceProfile: 'dev' }], [])), 'InvalidInput');
  assert.equal(code(() => fixDependents(CONFIG, [{ profile: 'legacy-admin', sourceProfile: 'dev' }], ['legacy-admin'])), 'InvalidInput');
  assert.equal(code(() => applyProfiles(CONFIG, { sourceProfiles: [{ profile: 'legacy-admin', sourceProfile: 'bad name' }] })), 'InvalidInput');
});

test('the profiles offered as a new source are the SSO profiles, hand-written or legacy, never a chained one', () => {
  const legacy = '\n[profile old-sso]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = R\n';
  assert.deepEqual(ssoSourceProfiles(CONFIG + legacy), ['dev', 'old-sso']);
});

test('a dependent in the credentials file: re-pointed, only its source_profile line changes; removed, only its section goes', () => {
  const creds = `# keys and roles, written by hand\r\n[legacy]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n\r\n[legacy-admin]\r\n; the old admin role\r\nrole_arn = arn:aws:iam::111122223333:role/Admin\r\nsource_profile = legacy\r\nregion = eu-west-1\r\n\r\n[other]\r\nregion = us-east-1\r\n`;
  const without = removeLongTermKeys(creds, ['legacy'], 'credentials');
  assert.deepEqual(findBrokenDependents(without, CONFIG).filter((d) => d.file === 'credentials'), [
    { profile: 'legacy-admin', file: 'credentials', sourceProfile: 'legacy', reason: 'missing' },
  ]);
  const repointed = fixCredentialsDependents(without, [{ profile: 'legacy-admin', sourceProfile: 'dev' }], []);
  assert.equal(repointed, without.replace('source_profile = legacy\r\n', 'source_profile = dev\r\n'));
  assert.deepEqual(findBrokenDependents(repointed, CONFIG).filter((d) => d.file === 'credentials'), []);
  const removed = fixCredentialsDependents(without, [], ['legacy-admin']);
  assert.equal(removed, without.replace('[legacy-admin]\r\n; the old admin role\r\nrole_arn = arn:aws:iam::111122223333:role/Admin\r\nsource_profile = legacy\r\nregion = eu-west-1\r\n\r\n', ''));
  assert.throws(() => fixCredentialsDependents(without, [{ profile: 'legacy-admin', sourceProfile: 'bad name]' }], []), (e) => isSsoError(e));
});
