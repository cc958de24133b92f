import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFindItems, findMatches } from '../../../src/ui/commands/findModel';

test('accounts by name, each followed by its roles, which carry the account in their description', () => {
  const listing = {
    accounts: [
      { accountId: '222222222222', accountName: 'zeta', emailAddress: 'z@example.com' },
      { accountId: '111111111111', accountName: 'Alpha' },
    ],
    roles: new Map([
      ['222222222222', [{ accountId: '222222222222', roleName: 'ReadOnly' }, { accountId: '222222222222', roleName: 'Admin' }]],
    ]),
  };
  const items = buildFindItems([{ session: 's', listing }], (_s, a, r) => (a === '222222222222' && r === 'Admin' ? 'zeta-Admin' : undefined), (p) => `Profile: ${p}`);
  assert.deepEqual(
    items.map((i) => [i.kind, i.label, i.description, i.detail]),
    [
      ['account', 'Alpha', '111111111111', undefined],
      ['account', 'zeta', '222222222222', 'z@example.com'],
      ['role', 'Admin', 'zeta · 222222222222', 'Profile: zeta-Admin'],
      ['role', 'ReadOnly', 'zeta · 222222222222', undefined],
    ],
  );
  assert.equal(new Set(items.map((i) => i.key)).size, items.length);
});

test('several sessions are named; 5,000 accounts build with one profile lookup per role', () => {
  const accounts = Array.from({ length: 5000 }, (_, i) => ({ accountId: String(100000000000 + i), accountName: `team-${i}` }));
  const roles = new Map(accounts.map((a) => [a.accountId, [{ accountId: a.accountId, roleName: 'ReadOnly' }, { accountId: a.accountId, roleName: 'Admin' }]]));
  // Work counted, not timed: the profile lookup is the per-entry cost that could multiply.
  let lookups = 0;
  const items = buildFindItems(
    [
      { session: 'one', listing: { accounts, roles } },
      { session: 'two', listing: { accounts: accounts.slice(0, 1), roles: new Map() } },
    ],
    () => void lookups++,
  );
  assert.equal(items.length, 5000 * 3 + 1);
  assert.equal(lookups, 5000 * 2, 'one lookup per role, none per account');
  assert.match(items[0].description, / · one$/);
  assert.match(items[items.length - 1].description, / · two$/);
});

test('each result says whether it is pinned itself, so it offers Unpin or Pin', () => {
  const listing = {
    accounts: [{ accountId: '111111111111', accountName: 'prod' }],
    roles: new Map([['111111111111', [{ accountId: '111111111111', roleName: 'Admin' }, { accountId: '111111111111', roleName: 'ReadOnly' }]]]),
  };
  const pinned = new Set(['s/111111111111/ReadOnly']);
  const items = buildFindItems([{ session: 's', listing }], () => undefined, undefined, (s, a, r) => pinned.has(`${s}/${a}/${r ?? ''}`.replace(/\/$/, '')));
  assert.deepEqual(
    items.map((i) => [i.label, i.pinned]),
    [
      ['prod', false],
      ['Admin', false],
      ['ReadOnly', true],
    ],
  );
  pinned.add('s/111111111111');
  assert.equal(buildFindItems([{ session: 's', listing }], () => undefined, undefined, (s, a, r) => pinned.has(`${s}/${a}/${r ?? ''}`.replace(/\/$/, '')))[0].pinned, true);
});

test('every word typed narrows, in any order, across account name, ID, e-mail and role (issue 14)', () => {
  const listing = {
    accounts: [
      { accountId: '111111111111', accountName: 'payments-prod', emailAddress: 'pay@example.com' },
      { accountId: '222222222222', accountName: 'search-dev', emailAddress: 'search@example.com' },
    ],
    roles: new Map([
      ['111111111111', [{ accountId: '111111111111', roleName: 'PowerUser' }, { accountId: '111111111111', roleName: 'ReadOnly' }]],
      ['222222222222', [{ accountId: '222222222222', roleName: 'PowerUser' }]],
    ]),
  };
  const items = buildFindItems([{ session: 's', listing }], () => undefined);
  const keys = (q: string) => findMatches(items, q).map((i) => i.key);
  assert.deepEqual(keys('payments power'), ['s/111111111111/PowerUser']);
  assert.deepEqual(keys('POWER   payments'), ['s/111111111111/PowerUser']);
  assert.deepEqual(keys('pay@example readonly'), ['s/111111111111/ReadOnly']);
  assert.deepEqual(keys('2222 power'), ['s/222222222222/PowerUser']);
  assert.deepEqual(keys('payments nothing'), []);
  assert.equal(findMatches(items, '  ').length, items.length, 'no word: everything');
});

test('matching 5,000 accounts by several words reads each entry once', () => {
  const accounts = Array.from({ length: 5000 }, (_, i) => ({ accountId: String(100000000000 + i), accountName: `team-${i}` }));
  const roles = new Map(accounts.map((a) => [a.accountId, [{ accountId: a.accountId, roleName: 'Admin' }]]));
  const items = buildFindItems([{ session: 's', listing: { accounts, roles } }], () => undefined);
  assert.deepEqual(findMatches(items, 'admin team-4999').map((i) => i.key), ['s/100000004999/Admin']);
});
