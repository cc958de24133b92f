// Per-account regions (core/profileRegions.ts): an account ID or a name glob, first match wins,
// every region checked by the one region rule; and planPopulate writing them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSsoError } from '../../src/core/errors';
import { parseRegionRules, regionFor } from '../../src/core/profileRegions';
import { planPopulate } from '../../src/core/profiles';

const prod = { accountId: '111111111111', accountName: 'Prod-Payments' };
const dev = { accountId: '222222222222', accountName: 'dev.sandbox' };
const other = { accountId: '333333333333', accountName: 'shared' };

test('an account ID matches that account; a glob matches the whole name, case-insensitively; else the fallback', () => {
  const rules = parseRegionRules({ '222222222222': 'eu-west-1', 'prod-*': 'us-west-2', 'dev.?andbox': 'ap-south-1' }, 'test');
  assert.equal(regionFor(prod, rules, 'us-east-1'), 'us-west-2');
  assert.equal(regionFor(dev, rules, 'us-east-1'), 'eu-west-1', 'the ID comes first in the map');
  assert.equal(regionFor(other, rules, 'us-east-1'), 'us-east-1');
  assert.equal(regionFor(other, rules, undefined), undefined);
  assert.equal(regionFor({ accountId: '4', accountName: 'devXsandbox' }, parseRegionRules({ 'dev.sandbox': 'eu-west-2' }, 't'), 'f'), 'f', 'a dot is a dot');
  assert.equal(regionFor({ accountId: '4', accountName: 'my-prod-x' }, rules, 'f'), 'f', 'the whole name, not a part');
});

test('the first matching key in the written order wins', () => {
  assert.equal(regionFor(prod, parseRegionRules({ '*': 'eu-central-1', 'prod-*': 'us-west-2' }, 't'), 'f'), 'eu-central-1');
  assert.equal(regionFor(prod, parseRegionRules({ 'prod-*': 'us-west-2', '*': 'eu-central-1' }, 't'), 'f'), 'us-west-2');
  // A 12-digit key keeps its place (it is no array index, which JavaScript would move first).
  assert.equal(regionFor(prod, parseRegionRules({ 'prod-*': 'us-west-2', '111111111111': 'eu-west-1' }, 't'), 'f'), 'us-west-2');
});

test('a wrong region, a non-string value, an empty key or a non-object is refused with where it came from', () => {
  for (const bad of [{ 'prod-*': 'Frankfurt' }, { 'prod-*': 3 }, { ' ': 'eu-west-1' }, ['eu-west-1'], 'eu-west-1']) {
    assert.throws(
      () => parseRegionRules(bad, 'awsSsoProfiles.profileRegions'),
      (e: unknown) => isSsoError(e, 'InvalidInput') && /^awsSsoProfiles\.profileRegions/.test((e as Error).message),
      JSON.stringify(bad),
    );
  }
  assert.deepEqual(parseRegionRules(undefined, 't'), []);
  assert.ok(parseRegionRules({ x: 'us-gov-west-1', y: 'cn-north-1' }, 't').length === 2, 'other partitions are regions too');
});

test('planPopulate writes each account its region and updates our profiles that differ', () => {
  const session = { name: 'org', startUrl: 'https://d-1234567890.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
  const input = {
    session,
    accounts: [prod, dev],
    roles: new Map([
      [prod.accountId, [{ accountId: prod.accountId, roleName: 'Admin' }]],
      [dev.accountId, [{ accountId: dev.accountId, roleName: 'Admin' }]],
    ]),
    template: 'default',
    region: 'us-east-1',
    regionRules: parseRegionRules({ 'prod-*': 'us-west-2' }, 't'),
  };
  const plan = planPopulate('', input);
  const byAccount = new Map((plan.changes.upserts ?? []).map((u) => [u.accountId, u.region]));
  assert.deepEqual([...byAccount], [[prod.accountId, 'us-west-2'], [dev.accountId, 'us-east-1']]);
  const text = `[profile Prod-Payments-Admin]\nsso_session = org\nsso_account_id = ${prod.accountId}\nsso_role_name = Admin\nregion = us-east-1\naws_sso_profiles_managed = true\n`;
  assert.deepEqual(planPopulate(text, input).updated, ['Prod-Payments-Admin']);
});
