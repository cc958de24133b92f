// The organisation generator: deterministic, unique, realistic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateOrg, ROLE_NAMES } from '../../fakes/org';

test('the same seed gives the same organisation and another seed a different one', () => {
  assert.deepEqual(generateOrg(40, 5), generateOrg(40, 5));
  assert.notDeepEqual(generateOrg(40, 5), generateOrg(40, 6));
  assert.deepEqual(generateOrg(10, 5), generateOrg(40, 5).slice(0, 10), 'a larger org extends a smaller one');
});

test('accounts have unique 12-digit ids and names, and 1 to 5 distinct known roles', () => {
  const org = generateOrg(500, 3);
  assert.equal(org.length, 500);
  assert.equal(new Set(org.map((a) => a.accountId)).size, 500);
  assert.equal(new Set(org.map((a) => a.accountName)).size, 500);
  for (const a of org) {
    assert.match(a.accountId, /^\d{12}$/);
    assert.match(a.accountName, /^[a-z][a-z0-9-]*$/);
    assert.match(a.emailAddress, /^[^@\s]+@example\.com$/);
    assert.ok(a.roles.length >= 1 && a.roles.length <= 5);
    assert.equal(new Set(a.roles).size, a.roles.length);
    for (const r of a.roles) assert.ok(ROLE_NAMES.includes(r), r);
  }
  assert.ok(org.some((a) => a.accountId.startsWith('0')), 'some ids start with 0, as real ones can');
  assert.ok(org.some((a) => a.roles.length === 1) && org.some((a) => a.roles.length === 5));
});

test('an empty organisation is allowed and a bad count is not', () => {
  assert.deepEqual(generateOrg(0), []);
  assert.throws(() => generateOrg(-1), RangeError);
  assert.throws(() => generateOrg(1.5), RangeError);
});
