import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyProfiles } from '../../src/core/config/edit';
import { listProfiles } from '../../src/core/config/read';
import { planPopulate, PopulateInput, writeRoleProfile } from '../../src/core/profiles';
import type { Account, Role } from '../../src/core/types';

const session = { name: 'org', startUrl: 'https://d-1234567890.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
const accounts: Account[] = [
  { accountId: '111111111111', accountName: 'payments-prod', emailAddress: 'p@example.com' },
  { accountId: '222222222222', accountName: 'data lake', emailAddress: 'd@example.com' },
];
const roles = new Map<string, Role[]>([
  ['111111111111', [{ accountId: '111111111111', roleName: 'ReadOnlyAccess' }, { accountId: '111111111111', roleName: 'AdministratorAccess' }]],
  ['222222222222', [{ accountId: '222222222222', roleName: 'ReadOnlyAccess' }]],
]);
const input = (over: Partial<PopulateInput> = {}): PopulateInput => ({ session, accounts, roles, template: 'default', region: 'us-east-1', output: 'json', ...over });

test('a first populate adds one profile per role with template names, and a second changes nothing', () => {
  const plan = planPopulate('', input());
  assert.deepEqual(plan.added, ['data-lake-ReadOnlyAccess', 'payments-prod-AdministratorAccess', 'payments-prod-ReadOnlyAccess']);
  const text = applyProfiles('', plan.changes);
  const again = planPopulate(text, input());
  assert.deepEqual(again.added, []);
  assert.equal(again.unchanged.length, 3);
  assert.equal(applyProfiles(text, again.changes), text);
});

test('a hand-written profile for the same role keeps its name and is never updated or pruned', () => {
  let text = '[profile mine]\nsso_session = org\nsso_account_id = 111111111111\nsso_role_name = ReadOnlyAccess\nregion = eu-west-1\n';
  const plan = planPopulate(text, input());
  assert.ok(plan.unchanged.includes('mine'));
  assert.ok(!plan.added.includes('payments-prod-ReadOnlyAccess'));
  text = applyProfiles(text, plan.changes);
  const pruned = planPopulate(text, input({ roles: new Map(), prune: true }));
  assert.ok(!pruned.removed.includes('mine'), 'only our profiles are pruned');
  assert.deepEqual(pruned.removed, ['data-lake-ReadOnlyAccess', 'payments-prod-AdministratorAccess']);
});

test('prune keeps profiles of accounts whose roles could not be listed, and of other sessions', () => {
  let text = applyProfiles('', planPopulate('', input()).changes);
  text = applyProfiles(text, {
    setSessions: [{ ...session, name: 'other' }],
    upserts: [{ name: 'other-session', ssoSession: 'other', accountId: '333333333333', roleName: 'X' }],
  });
  const plan = planPopulate(text, input({ roles: new Map([['111111111111', roles.get('111111111111')!]]), prune: true, unknownAccounts: ['222222222222'] }));
  assert.deepEqual(plan.removed, []);
  const plan2 = planPopulate(text, input({ roles: new Map([['111111111111', roles.get('111111111111')!]]), prune: true }));
  assert.deepEqual(plan2.removed, ['data-lake-ReadOnlyAccess']);
  const after = listProfiles(applyProfiles(text, plan2.changes)).map((p) => p.name);
  assert.ok(after.includes('other-session'));
});

test('a name taken by an unrelated profile gets a deterministic suffix; a changed region updates our profile', () => {
  const text = '[profile payments-prod-ReadOnlyAccess]\nregion = us-west-2\n';
  const plan = planPopulate(text, input());
  const name = plan.added.find((n) => n.startsWith('payments-prod-ReadOnlyAccess-'));
  assert.ok(name, `suffixed name in ${plan.added.join(', ')}`);
  assert.deepEqual(planPopulate(text, input()).added, plan.added, 'same names on every run');
  const written = applyProfiles(text, plan.changes);
  const moved = planPopulate(written, input({ region: 'eu-central-1' }));
  assert.equal(moved.updated.length, 3);
  assert.ok(listProfiles(applyProfiles(written, moved.changes)).filter((p) => p.managed).every((p) => p.keys.region === 'eu-central-1'));
});

test('Create Profile never edits an existing [sso-session], even one the editor cannot use (no sso_region)', () => {
  // The editor shows a settings session "org" here (the config's own has no region); the file's
  // section is the user's and stays byte for byte.
  const text = `[sso-session org]\nsso_start_url = https://elsewhere.example.com/start\n`;
  const profile = { name: 'p', ssoSession: 'org', accountId: '111111111111', roleName: 'ReadOnlyAccess' };
  const out = writeRoleProfile(text, session, profile);
  assert.equal(out, `${text}\n[profile p]\nsso_session = org\nsso_account_id = 111111111111\nsso_role_name = ReadOnlyAccess\naws_sso_profiles_managed = true\n`);
  // A missing session is added with the profile.
  assert.equal(
    writeRoleProfile('', session, profile),
    `[sso-session org]\nsso_start_url = ${session.startUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n` +
      `[profile p]\nsso_session = org\nsso_account_id = 111111111111\nsso_role_name = ReadOnlyAccess\naws_sso_profiles_managed = true\n`,
  );
});

test('populate adds a missing [sso-session] but never edits an existing one', () => {
  const hand = '[sso-session org]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = us-east-1\n';
  const plan = planPopulate(hand, input());
  const out = applyProfiles(hand, plan.changes);
  assert.ok(out.startsWith(`${hand}\n[profile `), out.slice(0, 200));
  assert.doesNotMatch(out, /sso_registration_scopes/);
  assert.match(applyProfiles('', planPopulate('', input()).changes), /^\[sso-session org\]\nsso_start_url = .*\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n/);
});
