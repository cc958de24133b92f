// Pins and recents: per Identity Center (start URL), kept over a "restart" (a new model over the
// same memory), bounded, and robust to what another machine or version synced.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pins, PINS_KEY, RECENT_KEY, RECENT_SHOWN, SYNCED_KEYS } from '../../../src/ui/pins';
import type { SessionMemory } from '../../../src/ui/sessionMemory';

function memory(): SessionMemory & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, JSON.parse(JSON.stringify(v))) };
}

const work = { startUrl: 'https://d-1111111111.awsapps.com/start' };
const other = { startUrl: 'https://d-2222222222.awsapps.com/start' };
const prod = { accountId: '111111111111', accountName: 'prod' };
const dev = { accountId: '222222222222', accountName: 'dev' };

test('pins an account and roles, per start URL, and keeps them over a restart', async () => {
  const m = memory();
  const pins = new Pins(m);
  let told = 0;
  pins.onDidChange(() => told++);
  await pins.pin(work, prod);
  await pins.pin(work, dev, 'Admin');
  await pins.pin(work, dev, 'ReadOnly');
  await pins.pin(other, prod, 'Admin');
  assert.equal(told, 4);
  assert.ok(pins.isPinned(work, prod.accountId));
  assert.ok(!pins.isPinned(work, prod.accountId, 'Admin'), 'the account pinned, not each role');
  assert.ok(pins.isPinned(work, dev.accountId, 'Admin'));
  assert.ok(!pins.isPinned(work, dev.accountId), 'a role pinned, not its account');

  // A restart: a new model over the same memory; and a session of another name with the same start URL (another machine).
  const again = new Pins(m);
  assert.deepEqual(again.pinnedAccounts({ startUrl: ` ${work.startUrl} ` }), [
    { accountId: prod.accountId, accountName: 'prod', whole: true, roles: [] },
    { accountId: dev.accountId, accountName: 'dev', whole: false, roles: ['Admin', 'ReadOnly'] },
  ]);
  assert.deepEqual(again.pinnedAccounts(other), [{ accountId: prod.accountId, accountName: 'prod', whole: false, roles: ['Admin'] }]);

  await again.unpin(work, dev.accountId, 'Admin');
  await again.unpin(work, prod.accountId);
  assert.deepEqual(new Pins(m).pinnedAccounts(work), [{ accountId: dev.accountId, accountName: 'dev', whole: false, roles: ['ReadOnly'] }]);
  // Pinning twice keeps one pin, with the newer account name.
  await again.pin(work, { ...dev, accountName: 'dev-renamed' }, 'ReadOnly');
  assert.equal(again.pins(work).length, 1);
  assert.equal(again.pinnedAccounts(work)[0].accountName, 'dev-renamed');
});

test('recent: the last five roles of the session, newest first, each once', async () => {
  const m = memory();
  const pins = new Pins(m);
  for (let i = 0; i < 8; i++) await pins.used(work, prod, `Role${i}`, 'console', 1000 + i);
  await pins.used(work, prod, 'Role3', 'credentials', 2000);
  await pins.used(other, dev, 'Admin', 'profile', 3000);
  const r = new Pins(m).recent(work);
  assert.equal(r.length, RECENT_SHOWN);
  assert.deepEqual(r.map((x) => x.roleName), ['Role3', 'Role7', 'Role6', 'Role5', 'Role4']);
  assert.equal(r[0].use, 'credentials');
  assert.deepEqual(pins.recent(other).map((x) => [x.accountName, x.roleName]), [['dev', 'Admin']]);
});

test('what is synced is bounded, and bad entries from elsewhere are left out', async () => {
  assert.deepEqual([...SYNCED_KEYS].sort(), [PINS_KEY, RECENT_KEY].sort());
  const m = memory();
  const pins = new Pins(m);
  for (let i = 0; i < 80; i++) await pins.used(work, { accountId: String(100000000000 + i), accountName: `a${i}` }, 'R', 'profile', i);
  assert.ok((m.data.get(RECENT_KEY) as unknown[]).length <= 50, 'the recent list is bounded');
  m.data.set(PINS_KEY, [null, 7, { portal: work.startUrl }, { portal: work.startUrl, accountId: prod.accountId, accountName: 'prod', roleName: 3 }, { portal: work.startUrl, accountId: dev.accountId, accountName: 'dev' }]);
  m.data.set(RECENT_KEY, 'not a list');
  assert.deepEqual(pins.pins(work), [{ portal: work.startUrl, accountId: dev.accountId, accountName: 'dev' }]);
  assert.deepEqual(pins.recent(work), []);
  // Without a memory (nothing to keep them in), nothing is pinned and nothing fails.
  const none = new Pins(undefined);
  await none.pin(work, prod);
  assert.deepEqual(none.pins(work), []);
});
