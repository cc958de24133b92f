// A profile or sso-session defined by two sections ([default] and [profile default]): botocore
// reads the file and keeps the later section, so we list it the same way and warn; only an edit
// of that very profile or session is refused.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { applyProfiles, upsertSsoSession } from '../../../src/core/config/edit';
import { configWarnings, listProfiles, listSsoSessions } from '../../../src/core/config/read';
import { isSsoError } from '../../../src/core/errors';
import { ScratchDir } from '../../helpers/config-fixtures';
import { botocoreView } from '../../helpers/trust-botocore';
import { removeProfile, upsertProfile } from '../../helpers/config-edits';

const TEXT = [
  '# two definitions of "default": botocore keeps the later one',
  '[default]',
  'region = eu-west-1',
  'output = text',
  '',
  '[sso-session corp]',
  'sso_start_url = https://d-1111111111.awsapps.com/start',
  'sso_region = us-east-1',
  '',
  '[profile default]',
  'region = us-west-2',
  '',
  '[sso-session twice]',
  'sso_start_url = https://first.example.com/start',
  'sso_region = us-east-1',
  '',
  "[sso-session 'twice']",
  'sso_start_url = https://second.example.com/start',
  'sso_region = eu-west-1',
  '',
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 111111111111',
  'sso_role_name = Dev',
  'aws_sso_profiles_managed = true',
  '',
].join('\n');

const scratch = new ScratchDir();
after(() => scratch.cleanup());

test('listing reads the file as botocore does: the later section wins', () => {
  const [boto] = botocoreView([scratch.write(TEXT)]);
  assert.equal(boto.ok, true, boto.error);
  const profiles = listProfiles(TEXT);
  assert.deepEqual(
    profiles.map((p) => p.name),
    Object.keys(boto.profiles!),
  );
  for (const p of profiles) assert.deepEqual(p.keys, boto.profiles![p.name], p.name);
  const sessions = listSsoSessions(TEXT);
  assert.deepEqual(
    sessions.map((s) => [s.name, s.startUrl, s.region]),
    Object.entries(boto.ssoSessions!).map(([n, v]) => [n, (v as Record<string, string>).sso_start_url, (v as Record<string, string>).sso_region]),
  );
  assert.equal(sessions.find((s) => s.name === 'twice')?.startUrl, 'https://second.example.com/start');
});

test('the ambiguities are warnings, in words that agree with what the CLI does', () => {
  const w = configWarnings(TEXT);
  assert.deepEqual(w.map((p) => [p.code, p.line]), [['ambiguous-profile', 10], ['ambiguous-sso-session', 17]]);
  assert.match(w[0].message, /\[default\] \(line 2\) and \[profile default\] both define profile "default"; the AWS CLI silently uses only the last one/);
  assert.deepEqual(configWarnings('[default]\nregion = x\n'), []);
});

test('an edit elsewhere in the file succeeds, byte for byte', () => {
  const added = applyProfiles(TEXT, {
    upserts: [{ name: 'ops', ssoSession: 'corp', accountId: '222222222222', roleName: 'Ops' }],
  });
  assert.equal(added, `${TEXT}\n[profile ops]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = Ops\naws_sso_profiles_managed = true\n`);
  const updated = upsertProfile(TEXT, { name: 'dev', ssoSession: 'corp', accountId: '111111111111', roleName: 'Admin' });
  assert.equal(updated, TEXT.replace('sso_role_name = Dev', 'sso_role_name = Admin'));
  assert.equal(removeProfile(updated, 'dev'), TEXT.replace(/\n\[profile dev\][^]*$/, ''));
  // A profile may refer to the ambiguous session: that does not touch the session.
  const refers = upsertProfile(TEXT, { name: 'tw', ssoSession: 'twice', accountId: '333333333333', roleName: 'X' });
  assert.ok(refers.startsWith(TEXT));
});

test('an edit of the ambiguous profile or session is refused, with a message that does not say the CLI cannot read the file', () => {
  const refused = (fn: () => unknown, what: RegExp) =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(isSsoError(e, 'ConfigFile'), String(e));
      assert.match(e.message, what);
      assert.match(e.message, /uses only the last one/);
      assert.match(e.message, /left untouched/);
      assert.doesNotMatch(e.message, /cannot be read/);
      return true;
    });
  refused(() => upsertProfile(TEXT, { name: 'default', ssoSession: 'corp', accountId: '111111111111', roleName: 'X' }, { overwriteUnmanaged: true }), /profile "default" is defined twice \(\[default\] on line 2 and \[profile default\] on line 10\)/);
  refused(() => removeProfile(TEXT, 'default', { onlyManaged: false }), /profile "default" is defined twice/);
  refused(() => upsertSsoSession(TEXT, { name: 'twice', startUrl: 'https://x.example.com/start', region: 'us-east-1', scopes: ['sso:account:access'] }), /sso-session "twice" is defined twice/);
});
