// Chained profiles in the config file: the role-ARN rule, and the planner writing `role_arn` +
// `source_profile` losslessly, marked as ours, refusing what the CLI would read otherwise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyProfiles, ChainedProfileSpec, ProfileSpec, SsoSessionSpec } from '../../../src/core/config/edit';
import { isChainedProfile, listProfiles, MANAGED_KEY, ProfilesByRole } from '../../../src/core/config/read';
import { isSsoError } from '../../../src/core/errors';
import { isChainedDuration, isExternalId, isRoleSessionName, parseRoleArn } from '../../../src/core/names';
import { writeChainedProfile } from '../../../src/core/profiles';

const S: SsoSessionSpec = { name: 'corp', startUrl: 'https://d-9067000000.awsapps.com/start', region: 'eu-west-1' };
const SRC: ProfileSpec = { name: 'corp-admin', ssoSession: 'corp', accountId: '111111111111', roleName: 'Admin' };
const CH: ChainedProfileSpec = {
  name: 'corp-deploy',
  sourceProfile: 'corp-admin',
  roleArn: 'arn:aws:iam::222222222222:role/ci/Deployer',
  roleSessionName: 'alice',
  region: 'eu-west-1',
  output: 'json',
};

const BEFORE = [
  '# my settings; keep me',
  '[default]',
  'region = us-east-1',
  '',
  '[sso-session corp]',
  'sso_start_url = https://d-9067000000.awsapps.com/start',
  'sso_region = eu-west-1',
  '',
  '[profile corp-admin]',
  'sso_session = corp',
  'sso_account_id = 111111111111',
  'sso_role_name = Admin',
  '  ; an indented comment',
  '[profile hand]',
  's3 =',
  '  max_concurrent_requests = 10',
  '',
].join('\n');

test('parseRoleArn: IAM role ARNs with and without a path, the partition checked', () => {
  assert.deepEqual(parseRoleArn('arn:aws:iam::222222222222:role/Deployer'), { partition: 'aws', accountId: '222222222222', path: '/', roleName: 'Deployer' });
  assert.deepEqual(parseRoleArn('arn:aws-cn:iam::222222222222:role/a/b/R+=,.@-'), { partition: 'aws-cn', accountId: '222222222222', path: '/a/b/', roleName: 'R+=,.@-' });
  assert.equal(parseRoleArn('arn:aws:iam::222222222222:role/Deployer', 'aws-us-gov'), 'partition');
  for (const bad of [
    '',
    'arn:aws:iam::22222222222:role/X',
    'arn:aws:iam::222222222222:user/X',
    'arn:aws:sts::222222222222:assumed-role/X/y',
    'arn:aws:iam:us-east-1:222222222222:role/X',
    'arn:aws:iam::222222222222:role/',
    'arn:aws:iam::222222222222:role/a b',
    'arn:aws:iam::222222222222:role/X\n',
    'arn:aws-xx:iam::222222222222:role/X',
    `arn:aws:iam::222222222222:role/${'x'.repeat(65)}`,
    undefined,
  ]) {
    assert.equal(parseRoleArn(bad), 'format', String(bad));
  }
});

test('session names, external IDs and durations: what STS accepts, a chained session at most one hour', () => {
  assert.ok(isRoleSessionName('alice@example.com'));
  assert.ok(!isRoleSessionName('a'));
  assert.ok(!isRoleSessionName('alice smith'));
  assert.ok(isExternalId('Unique-ID:123/x'));
  assert.ok(!isExternalId('x'));
  assert.ok(!isExternalId('has space'));
  assert.ok(isChainedDuration(900) && isChainedDuration(3600));
  assert.ok(!isChainedDuration(3601) && !isChainedDuration(899) && !isChainedDuration(1000.5));
});

test('a chained profile is appended after the untouched bytes, marked as ours, and removing it gives the bytes back', () => {
  const out = applyProfiles(BEFORE, { chainedUpserts: [CH] });
  assert.ok(out.startsWith(BEFORE), 'every existing byte stays');
  assert.equal(
    out.slice(BEFORE.length),
    [
      '',
      '[profile corp-deploy]',
      'role_arn = arn:aws:iam::222222222222:role/ci/Deployer',
      'source_profile = corp-admin',
      'role_session_name = alice',
      'region = eu-west-1',
      'output = json',
      `${MANAGED_KEY} = true`,
      '',
    ].join('\n'),
  );
  const p = listProfiles(out).find((x) => x.name === 'corp-deploy')!;
  assert.ok(isChainedProfile(p) && p.managed);
  assert.equal(p.roleArn, CH.roleArn);
  assert.equal(p.sourceProfile, 'corp-admin');
  assert.equal(applyProfiles(out, { removals: ['corp-deploy'] }), BEFORE);
});

test('external_id and duration_seconds are written when given; an update changes only our keys', () => {
  const out = applyProfiles(BEFORE, { chainedUpserts: [{ ...CH, externalId: 'ext-123', durationSeconds: 1800 }] });
  const keys = listProfiles(out).find((x) => x.name === 'corp-deploy')!.keys;
  assert.equal(keys.external_id, 'ext-123');
  assert.equal(keys.duration_seconds, '1800');
  const hand = out.replace('output = json', 'output = json\ncli_pager =');
  const again = applyProfiles(hand, { chainedUpserts: [{ ...CH, roleArn: 'arn:aws:iam::222222222222:role/Other' }] });
  assert.equal(again, hand.replace('role/ci/Deployer', 'role/Other'));
});

test('the SSO source profile and its session are written with the chained profile in one edit', () => {
  const out = writeChainedProfile('', S, SRC, { ...CH, region: undefined, output: undefined });
  const ps = listProfiles(out);
  assert.deepEqual(ps.map((p) => p.name), ['corp-admin', 'corp-deploy']);
  const byRole = new ProfilesByRole(ps);
  assert.equal(byRole.get('corp', '111111111111', 'Admin')?.name, 'corp-admin');
  assert.deepEqual(byRole.chained('corp', '111111111111', 'Admin').map((p) => p.name), ['corp-deploy']);
  assert.deepEqual(byRole.chained('corp', '111111111111', 'Other'), []);
});

test('refused: a missing source, itself as source, a bad ARN, a long duration, a hand-written or SSO profile of that name', () => {
  const refuses = (changes: Parameters<typeof applyProfiles>[1], text = BEFORE) =>
    assert.throws(() => applyProfiles(text, changes), (e: unknown) => isSsoError(e, 'InvalidInput'));
  refuses({ chainedUpserts: [{ ...CH, sourceProfile: 'nope' }] });
  refuses({ chainedUpserts: [{ ...CH, sourceProfile: CH.name }] });
  refuses({ chainedUpserts: [{ ...CH, roleArn: 'arn:aws:iam::222222222222:user/x' }] });
  refuses({ chainedUpserts: [{ ...CH, durationSeconds: 7200 }] });
  refuses({ chainedUpserts: [{ ...CH, roleSessionName: 'has space' }] });
  refuses({ chainedUpserts: [{ ...CH, name: 'hand' }] });
  refuses({ chainedUpserts: [{ ...CH, name: 'corp-admin', sourceProfile: 'hand' }] });
  refuses({ upserts: [{ ...SRC, name: CH.name }], chainedUpserts: [CH] });
});

test('a profile with role_arn is not the role SSO profile, even with sso_* keys (the CLI assumes the role)', () => {
  const text = `${BEFORE}\n[profile both]\nrole_arn = arn:aws:iam::222222222222:role/X\nsource_profile = corp-admin\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\n`;
  const byRole = new ProfilesByRole(listProfiles(text));
  assert.equal(byRole.get('corp', '111111111111', 'Admin')?.name, 'corp-admin');
  assert.deepEqual(byRole.chained('corp', '111111111111', 'Admin').map((p) => p.name), ['both']);
});
