// What a listing says changed in the user's access (core/accessChanges.ts), and the editor's notice
// of it (ui/accessNotice.ts): once per change, counts in words, Review prunes only when something is gone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessChanges, accessFingerprint } from '../../src/core/accessChanges';
import { SsoError } from '../../src/core/errors';
import type { Listing } from '../../src/core/portal/portal';
import type { Account, Role } from '../../src/core/types';
import { ACCESS_NOTICE_KEY, accessNoticeText, AccessNotices } from '../../src/ui/accessNotice';
import type { UiSession } from '../../src/ui/sessionsModel';

const session: UiSession = { name: 'my-org-sso', startUrl: 'https://d-1234567890.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'], source: 'config' };
const A = '111111111111';
const B = '222222222222';
const accounts: Account[] = [
  { accountId: A, accountName: 'prod' },
  { accountId: B, accountName: 'dev' },
];
const role = (accountId: string, roleName: string): Role => ({ accountId, roleName });
const profile = (name: string, accountId: string, roleName: string, managed = true) =>
  `[profile ${name}]\nsso_session = my-org-sso\nsso_account_id = ${accountId}\nsso_role_name = ${roleName}\n${managed ? 'aws_sso_profiles_managed = true\n' : ''}`;
const CONFIG = [profile('prod-Admin', A, 'Admin'), profile('dev-Gone', B, 'Gone'), profile('mine', B, 'OldHandWritten', false)].join('\n');

function listing(roles: Record<string, string[]>, failed: string[] = []): Listing {
  return {
    accounts: [...accounts],
    roles: new Map(Object.entries(roles).map(([id, names]) => [id, names.map((n) => role(id, n))])),
    failed: new Map(failed.map((id) => [id, new SsoError('BadResponse', 'x')])),
  };
}

test('new roles are those no profile points at; removed are our profiles whose role is gone, never hand-written ones', () => {
  const l = listing({ [A]: ['Admin', 'ReadOnly'], [B]: ['Dev'] });
  const c = accessChanges(CONFIG, session, { ...l, unknownAccounts: [] });
  assert.deepEqual(c.added, [{ accountId: A, roleName: 'ReadOnly' }, { accountId: B, roleName: 'Dev' }]);
  assert.deepEqual(c.removed, ['dev-Gone']);
  assert.deepEqual(c.plan.added, ['dev-Dev', 'prod-ReadOnly'], 'the names Create Profiles for All would write');
});

test('an account whose roles are unknown loses none of its profiles', () => {
  const c = accessChanges(CONFIG, session, { accounts, roles: new Map([[A, [role(A, 'Admin')]]]), unknownAccounts: [B] });
  assert.deepEqual(c.added, []);
  assert.deepEqual(c.removed, []);
  assert.equal(accessFingerprint(c), undefined, 'no difference, no fingerprint');
});

test('the fingerprint names the difference, not the listing order', () => {
  const one = accessFingerprint({ added: [{ accountId: A, roleName: 'X' }, { accountId: B, roleName: 'Y' }], removed: ['p', 'q'] });
  const same = accessFingerprint({ added: [{ accountId: B, roleName: 'Y' }, { accountId: A, roleName: 'X' }], removed: ['q', 'p'] });
  const other = accessFingerprint({ added: [{ accountId: A, roleName: 'X' }], removed: ['p', 'q'] });
  assert.equal(one, same);
  assert.notEqual(one, other);
});

test('the notice counts in words that read naturally', () => {
  const t = (m: string, ...a: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)]));
  assert.equal(accessNoticeText(t, 2, 1, 'my-org-sso'), "2 new roles, 1 removed in 'my-org-sso'");
  assert.equal(accessNoticeText(t, 1, 0, 'x'), "1 new role in 'x'");
  assert.equal(accessNoticeText(t, 0, 3, 'x'), "3 removed in 'x'");
});

function harness(config = CONFIG) {
  const data = new Map<string, unknown>();
  const shown: string[] = [];
  const reviews: boolean[] = [];
  let answer = false;
  const notices = new AccessNotices({
    memory: { get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, JSON.parse(JSON.stringify(v))) },
    configText: async () => config,
    show: async (text, review) => {
      assert.equal(review, 'Review');
      shown.push(text);
      return answer;
    },
    review: async (_s, prune) => void reviews.push(prune),
    t: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)])),
  });
  return { notices, data, shown, reviews, setAnswer: (a: boolean) => (answer = a), setConfig: (c: string) => (config = c) };
}

test('a difference is told once; a new one is told again; none clears the memory', async () => {
  const h = harness();
  const l = listing({ [A]: ['Admin', 'ReadOnly'], [B]: ['Dev'] });
  await h.notices.listed(session, l);
  assert.deepEqual(h.shown, ["2 new roles, 1 removed in 'my-org-sso'"]);
  await h.notices.listed(session, listing({ [B]: ['Dev'], [A]: ['ReadOnly', 'Admin'] }));
  assert.equal(h.shown.length, 1, 'the same difference is not told again');
  await h.notices.listed(session, listing({ [A]: ['Admin'], [B]: ['Dev'] }));
  assert.deepEqual(h.shown.slice(1), ["1 new role, 1 removed in 'my-org-sso'"], 'another difference is');
  await h.notices.listed(session, listing({ [A]: ['Admin'], [B]: ['Gone', 'OldHandWritten'] }));
  assert.deepEqual(h.data.get(ACCESS_NOTICE_KEY), {}, 'up to date: nothing remembered');
  assert.equal(h.shown.length, 2);
  await h.notices.listed(session, listing({ [A]: ['Admin'], [B]: ['Dev'] }));
  assert.equal(h.shown.length, 3, 'the earlier difference back again is a change again');
});

test('Review opens Create Profiles for All Roles, pruning only when something is gone', async () => {
  const h = harness();
  h.setAnswer(true);
  await h.notices.listed(session, listing({ [A]: ['Admin', 'ReadOnly'], [B]: ['Gone'] }));
  await h.notices.listed(session, listing({ [A]: ['Admin'], [B]: ['Dev'] }));
  assert.deepEqual(h.reviews, [false, true]);
});

test('failed accounts are not counted as removed, and a session without profiles is not told of new roles', async () => {
  const h = harness();
  await h.notices.listed(session, listing({ [A]: ['Admin', 'ReadOnly'] }, [B]));
  assert.deepEqual(h.shown, ["1 new role in 'my-org-sso'"]);
  const fresh = harness('');
  await fresh.notices.listed(session, listing({ [A]: ['Admin', 'ReadOnly'], [B]: ['Dev'] }));
  assert.deepEqual(fresh.shown, []);
});

test('while Create Profiles for All Roles runs for the session, its preview is the notice', async () => {
  const h = harness();
  const release = h.notices.reviewingSession(session.name);
  await h.notices.listed(session, listing({ [A]: ['Admin', 'ReadOnly'], [B]: ['Dev'] }));
  release();
  assert.deepEqual(h.shown, []);
  await h.notices.listed(session, listing({ [A]: ['Admin', 'ReadOnly'], [B]: ['Dev'] }));
  assert.deepEqual(h.shown, [], 'the difference reviewed there is not told afterwards');
});
