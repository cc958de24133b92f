// Hostile strings from the service, and one whole CLI session grepped for every secret the fake
// issued: names never reach a shell, never break the config file, and are escaped when shown.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../../src/cli/main';
import { listProfiles } from '../../../src/core/config/read';
import { FakeIdentityCenter, fakeBrowser } from '../../fakes/identityCenter';
import { botocoreView, BOTOCORE_PATH } from '../../helpers/trust-botocore';
import { tempHome, TempHome } from '../../helpers/tempHome';

let fake: FakeIdentityCenter;
let home: TempHome;
let sentinel: string;
const output: string[] = [];

const HOSTILE_NAMES = (dir: string) => [
  'evil]\n[profile default]\nregion = hacked',
  `$(touch ${dir}/pwned)`,
  '`touch pwned`; rm -rf / #',
  'tab\tand\rcarriage return',
  'bidi \u202egnp.exe\u202c and \u2028 line separator',
  'x'.repeat(10_240),
  '[sso-session stolen]',
];

before(async () => {
  home = await tempHome();
  sentinel = join(home.dir, 'pwned');
  const names = HOSTILE_NAMES(home.dir);
  fake = await FakeIdentityCenter.start({
    autoApprove: true,
    deviceInterval: 1,
    accounts: names.map((accountName, i) => ({
      accountId: String(100000000000 + i),
      accountName,
      emailAddress: `a${i}@example.com\n[default]`,
      roles: i % 2 ? ['ReadOnlyAccess', 'Admin]\n[x'] : ['AdministratorAccess'],
    })),
  });
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(home.paths.configFile, '# mine\n[default]\nregion = eu-west-1\n');
});

after(async () => {
  await fake.close();
  await home.cleanup();
});

async function run(argv: string[], extra: Partial<Parameters<typeof main>[1]> = {}) {
  const start = output.length;
  const code = await main(argv, {
    env: { ...home.env, ...fake.env() },
    stdout: (t) => output.push(t),
    stderr: (t) => output.push(t),
    ...extra,
  });
  return { code, text: output.slice(start).join('') };
}

test('hostile account and role names: no shell, a config botocore reads with exactly our profiles, escaped output', async (t) => {
  assert.equal((await run(['add-session', '--sso-session', 'corp', '--start-url', 'https://d-1234567890.awsapps.com/start', '--region', 'us-east-1'])).code, 0);
  assert.equal((await run(['login', '--sso-session', 'corp', '--no-browser', '--verbose'])).code, 0);
  const pop = await run(['populate', '--sso-session', 'corp', '--json', '--verbose']);
  assert.equal(pop.code, 0, pop.text);
  const summary = JSON.parse(pop.text.slice(pop.text.indexOf('{\n')));
  const added: string[] = summary.added;
  // 'Admin]\n[x' is no IAM role name: skipped with a warning; every other role is written.
  const bad = fake.accounts.filter((a) => a.roles.includes('Admin]\n[x')).length;
  assert.ok(bad > 0);
  assert.equal(summary.skipped, bad);
  assert.match(pop.text, /warning: skipped the role "Admin\]\?\[x"/);
  const expected = fake.accounts.reduce((n, a) => n + a.roles.length, 0) - bad;
  assert.equal(added.length, expected);
  for (const n of added) assert.match(n, /^[A-Za-z0-9_\-@+.%:/]{1,128}$/, `unsafe profile name ${JSON.stringify(n.slice(0, 40))}`);

  const text = await readFile(home.paths.configFile, 'utf8');
  assert.ok(text.startsWith('# mine\n[default]\nregion = eu-west-1\n'));
  const ours = listProfiles(text).filter((p) => p.managed);
  assert.equal(ours.length, expected);
  assert.ok(!/^\s*region\s*=\s*hacked|^\[sso-session stolen\]|^\[x\]|^\[profile default\]/m.test(text), 'no service string became a section or a key');

  if (BOTOCORE_PATH) {
    const [view] = botocoreView([home.paths.configFile]);
    assert.ok(view.ok, view.error);
    const profiles = Object.keys(view.profiles ?? {}).sort();
    assert.deepEqual(profiles, ['default', ...added].sort());
    assert.equal((view.profiles ?? {}).default.region, 'eu-west-1');
    assert.deepEqual(Object.keys(view.ssoSessions ?? {}), ['corp']);
  } else {
    t.diagnostic('botocore not installed: checked with our own parser only');
  }

  const listing = await run(['accounts', '--sso-session', 'corp']);
  assert.equal(listing.code, 0, listing.text);
  // eslint-disable-next-line no-control-regex
  assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u202e]/.test(listing.text), 'raw control characters reached the terminal');
  assert.ok(!existsSync(sentinel), 'a service string was run by a shell');
  t.diagnostic(`${fake.accounts.length} hostile accounts, ${expected} profiles written and read back by botocore`);
});

test('a whole session, verbose, never prints a token, secret or credential the fake issued', async () => {
  let r = await run(['login', '--sso-session', 'corp', '--verbose'], { openBrowser: async (url) => void (await fakeBrowser(url)) });
  assert.equal(r.code, 0, r.text);
  r = await run(['status', '--json']);
  assert.equal(r.code, 0);
  // Force a refresh: the token expires within the refresh window.
  fake.expireAccessTokens();
  const file = join(home.paths.ssoCacheDir, (await import('node:fs')).readdirSync(home.paths.ssoCacheDir).find((f) => {
    try {
      return JSON.parse(require('node:fs').readFileSync(join(home.paths.ssoCacheDir, f), 'utf8')).accessToken !== undefined;
    } catch {
      return false;
    }
  })!);
  const tok = JSON.parse(await readFile(file, 'utf8'));
  tok.expiresAt = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await writeFile(file, JSON.stringify(tok));
  r = await run(['accounts', '--sso-session', 'corp', '--json', '--verbose']);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /renewed the token/);
  fake.injectFault({ op: 'roles', status: 500, times: 3 });
  r = await run(['populate', '--sso-session', 'corp', '--prune', '--verbose']);
  r = await run(['profile', '--sso-session', 'corp', '--account', '100000000001', '--role', 'Nope', '--verbose']);
  assert.equal(r.code, 1);
  r = await run(['logout', '--all', '--verbose']);
  assert.equal(r.code, 0);
  r = await run(['accounts', '--sso-session', 'corp', '--verbose']);
  assert.equal(r.code, 1);

  const all = output.join('');
  const secrets = fake.issuedSecrets();
  assert.ok(secrets.length >= 6, 'the fake issued tokens, secrets and credentials');
  const leaked = secrets.filter((s) => all.includes(s));
  assert.deepEqual(leaked.map((s) => `${s.slice(0, 4)}… (${s.length} chars)`), [], 'secrets in CLI output');
});
