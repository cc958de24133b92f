// Profile names: templates and presets, sanitising, deterministic collision handling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyProfiles } from '../../src/core/config/edit';
import { listProfiles } from '../../src/core/config/read';
import { isSsoError } from '../../src/core/errors';
import {
  credentialsSectionName,
  assignProfileNames,
  ExistingProfileName,
  MAX_PROFILE_NAME_LENGTH,
  NameVars,
  PROFILE_NAME_PRESETS,
  renderProfileName,
  resolveNameTemplate,
  sanitizeProfileName,
} from '../../src/core/naming';

const SAFE = /^[A-Za-z0-9_\-@+.%:/]+$/;
const vars: NameVars = {
  accountName: 'Prod Account',
  accountId: '123456789012',
  roleName: 'AdministratorAccess',
  session: 'corp',
  region: 'eu-west-1',
  email: 'aws+prod@example.com',
};

/** A small seeded generator, so the random cases are the same on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

test('presets render the names other tools use', () => {
  assert.deepEqual(
    Object.fromEntries(Object.keys(PROFILE_NAME_PRESETS).map((k) => [k, renderProfileName(k, vars)])),
    {
      cli: 'AdministratorAccess-123456789012',
      'aws-sso-util': 'Prod-Account.AdministratorAccess',
      granted: 'Prod-Account/AdministratorAccess',
      'aws-sso-cli': 'Prod-Account:AdministratorAccess',
      default: 'Prod-Account-AdministratorAccess',
    },
  );
  assert.equal(resolveNameTemplate('granted'), PROFILE_NAME_PRESETS.granted);
  assert.equal(resolveNameTemplate('{roleName}'), '{roleName}');
  assert.equal(renderProfileName('{session}_{region}_{email}', vars), 'corp_eu-west-1_aws+prod@example.com');
  // An optional placeholder without a value renders empty; the separators around it go.
  assert.equal(renderProfileName('{region}-{roleName}', { ...vars, region: undefined }), 'AdministratorAccess');
});

test('templates with unknown placeholders or stray braces are refused', () => {
  for (const t of ['{accountname}', '{role}-{accountId}', '{roleName', 'x}', '{{roleName}}', '', '   ', '{}']) {
    assert.throws(() => renderProfileName(t, vars), (e) => isSsoError(e, 'InvalidInput'), JSON.stringify(t));
    assert.throws(() => assignProfileNames([vars], t), (e) => isSsoError(e, 'InvalidInput'), JSON.stringify(t));
  }
});

test('sanitising keeps only safe characters, readable', () => {
  assert.equal(sanitizeProfileName('Équipe données (prod)!!'), 'Equipe-donnees-prod');
  assert.equal(sanitizeProfileName('  --a   b--  '), 'a-b');
  assert.equal(sanitizeProfileName('[profile x]\n'), 'profile-x');
  assert.equal(sanitizeProfileName('本番 🚀 prod'), 'prod');
  assert.equal(sanitizeProfileName('a.b/c:d@e+f%g_h'), 'a.b/c:d@e+f%g_h');
  assert.equal(sanitizeProfileName('x'.repeat(200)).length, MAX_PROFILE_NAME_LENGTH);
  assert.equal(sanitizeProfileName(`${'x'.repeat(127)}-y`), 'x'.repeat(127), 'no separator left at the cut');
  const rand = rng(42);
  const alphabet = 'aZ09 -_.:/@+%[]#;="\'\\\n\t\u00e9\u00df\u4e2d\ud83d\ude80()!?,';
  for (let n = 0; n < 2000; n++) {
    const len = Math.floor(rand() * 40);
    let s = '';
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
    const out = sanitizeProfileName(s);
    if (out === '') continue;
    assert.match(out, SAFE, JSON.stringify(s));
    assert.ok(!out.includes('--'), out);
    assert.ok(!/^[-._/:]|[-._/:]$/.test(out), out);
    assert.equal(sanitizeProfileName(out), out, 'idempotent');
  }
});

test('every produced name can be written to the config file', () => {
  const names = assignProfileNames(
    [
      { accountName: 'Ünïcödé & Co.', accountId: '111111111111', roleName: 'Admin' },
      { accountName: '[weird] name;#', accountId: '222222222222', roleName: 'Read Only' },
      { accountName: '本番', accountId: '333333333333', roleName: 'Dev' },
    ],
    'default',
  );
  // A name with nothing left of the account still has the role; one with nothing at all falls back.
  assert.deepEqual(names, ['Unicode-Co.-Admin', 'weird-name-Read-Only', 'Dev']);
  assert.deepEqual(assignProfileNames([{ accountName: '本番', accountId: '333333333333', roleName: '管理者' }], 'default'), [
    '333333333333',
  ]);
  const text = applyProfiles('', {
    setSessions: [{ name: 's', startUrl: 'https://s/start', region: 'us-east-1', scopes: ['sso:account:access'] }],
    upserts: names.map((name, k) => ({ name, ssoSession: 's', accountId: `${k + 1}`.repeat(12), roleName: 'R' })),
  });
  assert.deepEqual(
    listProfiles(text).map((p) => p.name),
    names,
  );
});

const accounts: NameVars[] = [
  { accountName: 'Prod', accountId: '222222222222', roleName: 'Admin' },
  { accountName: 'Prod', accountId: '111111111111', roleName: 'Admin' },
  { accountName: 'Prod', accountId: '111111111111', roleName: 'ReadOnly' },
  { accountName: 'Dev', accountId: '333333333333', roleName: 'Admin' },
];

test('collisions: every item of a clash gets its account ID, others keep their name', () => {
  assert.deepEqual(assignProfileNames(accounts, 'default'), [
    'Prod-Admin-222222222222',
    'Prod-Admin-111111111111',
    'Prod-ReadOnly',
    'Dev-Admin',
  ]);
  // A name the user already has is never reused.
  assert.deepEqual(assignProfileNames(accounts, 'default', ['Dev-Admin', 'Dev-Admin-333333333333', 'Dev-Admin-333333333333-2']), [
    'Prod-Admin-222222222222',
    'Prod-Admin-111111111111',
    'Prod-ReadOnly',
    'Dev-Admin-333333333333-3',
  ]);
  // The account ID already in the name: numbered instead.
  assert.deepEqual(
    assignProfileNames(
      [
        { accountName: 'A', accountId: '111111111111', roleName: 'x y' },
        { accountName: 'A', accountId: '111111111111', roleName: 'x-y' },
        { accountName: 'A', accountId: '111111111111', roleName: 'x_y' },
      ],
      'cli',
    ),
    ['x-y-111111111111', 'x-y-111111111111-2', 'x_y-111111111111'],
  );
  // `default` would overwrite the default profile.
  assert.deepEqual(assignProfileNames([{ accountName: 'default', accountId: '444444444444', roleName: 'R' }], '{accountName}'), [
    'default-444444444444',
  ]);
});

test('names do not depend on the order of the input, and survive the next run', () => {
  const rand = rng(7);
  // One entry per (session, account, role), as the portal lists them; account names clash.
  const byKey = new Map<string, NameVars>();
  for (let k = 0; k < 300; k++) {
    const v: NameVars = {
      accountName: ['Prod', 'Dev', 'Sandbox', 'prod', 'Prod!'][Math.floor(rand() * 5)],
      accountId: String(100000000000 + Math.floor(rand() * 40)),
      roleName: ['Admin', 'ReadOnly', 'Admin '][Math.floor(rand() * 3)],
      session: ['corp', 'lab'][Math.floor(rand() * 2)],
    };
    byKey.set(`${v.session}/${v.accountId}/${v.roleName}`, v);
  }
  const many = [...byKey.values()];
  assert.ok(many.length > 100);
  const first = assignProfileNames(many, 'default', ['Prod-Admin']);
  assert.equal(new Set(first).size, first.length, 'unique');
  assert.ok(!first.includes('Prod-Admin'));
  for (const n of first) assert.match(n, SAFE);
  const order = many.map((_, k) => k).sort(() => rand() - 0.5);
  const shuffled = assignProfileNames(
    order.map((k) => many[k]),
    'default',
    ['Prod-Admin'],
  );
  order.forEach((k, pos) => assert.equal(shuffled[pos], first[k]));
  // Next run: the profiles we wrote are in the file, marked as ours; nobody gets renamed.
  const existing: ExistingProfileName[] = first.map((name, k) => ({
    name,
    managed: true,
    ssoSession: many[k].session,
    ssoAccountId: many[k].accountId,
    ssoRoleName: many[k].roleName,
  }));
  assert.deepEqual(assignProfileNames(many, 'default', [...existing, 'Prod-Admin']), first);
  // A hand-written profile with the same SSO keys is still the user's: its name is not taken.
  const handWritten = { ...existing[0], managed: false };
  assert.notEqual(assignProfileNames([many[0]], 'default', [handWritten])[0], handWritten.name);
});

test('5,000 roles are named quickly', () => {
  const items = Array.from({ length: 5000 }, (_, k): NameVars => ({
    accountName: `Team ${k % 700}`,
    accountId: String(100000000000 + k),
    roleName: k % 2 ? 'Admin' : 'ReadOnly',
  }));
  const t0 = performance.now();
  const names = assignProfileNames(items, 'default');
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(new Set(names).size, 5000);
});

test('a credentials-file name proposed for a role never repeats a config profile name (issue 14)', () => {
  assert.equal(credentialsSectionName('Admin-dev', []), 'Admin-dev');
  assert.equal(credentialsSectionName('Admin-dev', ['Admin-dev']), 'Admin-dev-keys');
  assert.equal(credentialsSectionName('Admin-dev', ['Admin-dev', 'Admin-dev-keys']), 'Admin-dev-keys-2');
  assert.equal(credentialsSectionName('x'.repeat(128), ['x'.repeat(128)]).length <= 128, true);
});
