// The command line's config edits through main(), against the fake Identity Center: a hand-written
// [sso-session] is never rewritten by profile or populate, a file botocore reads with a warning
// (an ambiguous profile) still works, and account IDs from the service are checked before use.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { main } from '../../../src/cli/main';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { seedToken, SESSION, trustHome, TrustHome } from '../../helpers/trust-session';

// What a user writes by hand, or `aws configure sso-session` when the scopes prompt is left
// empty: no sso_registration_scopes line. It must stay exactly so.
const HAND_SESSION = `# mine\r\n[sso-session corp]\r\nsso_start_url = ${SESSION.startUrl}\r\nsso_region   =  us-east-1\r\n`;

let fake: FakeIdentityCenter;

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 3, seed: 5 });
});

after(() => fake.close());

async function cli(home: TrustHome, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env: home.fullEnv, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

async function signedInHome(config: string): Promise<TrustHome> {
  const home = await trustHome(fake, config);
  await seedToken(fake, home.paths, 3600_000);
  return home;
}

test('populate leaves a hand-written [sso-session] without scopes byte for byte as it was', async (t) => {
  const home = await signedInHome(HAND_SESSION);
  t.after(() => home.cleanup());
  const r = await cli(home, ['populate', '--sso-session', 'corp', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).added.length > 0);
  const text = await readFile(home.paths.configFile, 'utf8');
  assert.ok(text.startsWith(HAND_SESSION), `the session section changed:\n${text.slice(0, 300)}`);
  assert.ok(text.slice(HAND_SESSION.length).startsWith('\r\n[profile '), `a line was added to the session:\n${text.slice(0, 300)}`);
  assert.doesNotMatch(text, /sso_registration_scopes/);
});

test('profile leaves a hand-written [sso-session] without scopes byte for byte as it was', async (t) => {
  const home = await signedInHome(HAND_SESSION);
  t.after(() => home.cleanup());
  const a = fake.accounts[0];
  const r = await cli(home, ['profile', '--sso-session', 'corp', '--account', a.accountId, '--role', a.roles[0], '--name', 'one']);
  assert.equal(r.code, 0, r.stderr);
  const text = await readFile(home.paths.configFile, 'utf8');
  assert.ok(text.startsWith(HAND_SESSION), `the session section changed:\n${text.slice(0, 300)}`);
  assert.ok(text.slice(HAND_SESSION.length).startsWith('\r\n[profile one]\r\n'), `a line was added to the session:\n${text.slice(0, 300)}`);
  assert.doesNotMatch(text, /sso_registration_scopes/);
});

test('add-session is the one command that edits an existing session; without --scopes it keeps the scopes as written', async (t) => {
  const home = await signedInHome(HAND_SESSION);
  t.after(() => home.cleanup());
  let r = await cli(home, ['add-session', '--sso-session', 'corp', '--start-url', SESSION.startUrl, '--region', 'eu-west-1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(home.paths.configFile, 'utf8'), HAND_SESSION.replace('us-east-1', 'eu-west-1'));
  r = await cli(home, ['add-session', '--sso-session', 'corp', '--start-url', SESSION.startUrl, '--region', 'eu-west-1', '--scopes', 'sso:account:access codewhisperer:completions']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    await readFile(home.paths.configFile, 'utf8'),
    `${HAND_SESSION.replace('us-east-1', 'eu-west-1')}sso_registration_scopes = sso:account:access,codewhisperer:completions\r\n`,
  );
});

test('[default] next to [profile default]: the CLI warns, lists and edits the rest; an edit of "default" is refused', async (t) => {
  const ambiguous = `[default]\nregion = eu-west-1\n\n[profile default]\nregion = us-west-2\n\n${HAND_SESSION.replace(/\r\n/g, '\n')}`;
  const home = await signedInHome(ambiguous);
  t.after(() => home.cleanup());
  const a = fake.accounts[0];
  let r = await cli(home, ['profile', '--sso-session', 'corp', '--account', a.accountId, '--role', a.roles[0], '--name', 'one']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^warning: .*both define profile "default".*uses only the last one/m);
  const text = await readFile(home.paths.configFile, 'utf8');
  assert.ok(text.startsWith(ambiguous), 'everything before the new profile is untouched');
  assert.match(text.slice(ambiguous.length), /^\n\[profile one\]\n/);

  r = await cli(home, ['profile', '--sso-session', 'corp', '--account', a.accountId, '--role', a.roles[0], '--name', 'default', '--force']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /profile "default" is defined twice/);
  assert.doesNotMatch(r.stderr, /cannot be read/);
  assert.equal(await readFile(home.paths.configFile, 'utf8'), text);
});

test('accounts skips an account ID that is not 12 digits, with a warning that shows it made safe', async (t) => {
  const bad = await FakeIdentityCenter.start({
    accounts: [
      { accountId: '111122223333', accountName: 'good', emailAddress: 'g@example.com', roles: ['ReadOnly'] },
      { accountId: '\u001b]0;pwned\u0007444455556666', accountName: 'evil', emailAddress: 'e@example.com', roles: ['Admin'] },
    ],
  });
  t.after(() => bad.close());
  const home = await trustHome(bad, HAND_SESSION);
  t.after(() => home.cleanup());
  await seedToken(bad, home.paths, 3600_000);
  const r = await cli(home, ['accounts', '--sso-session', 'corp']);
  const all = r.stdout + r.stderr;
  assert.doesNotMatch(all, /\u001b|\u0007/, 'no control character reaches the terminal');
  assert.doesNotMatch(r.stdout, /evil|444455556666/, 'the account is not listed');
  assert.match(r.stdout, /^111122223333 {2}good {2}<g@example.com>$/m);
  assert.match(r.stderr, /^warning: .*account ID .*\?\]0;pwned\?444455556666/m);
  assert.equal(r.code, 0, r.stderr);
  const json = await cli(home, ['accounts', '--sso-session', 'corp', '--json']);
  assert.deepEqual(JSON.parse(json.stdout).map((x: { accountId: string }) => x.accountId), ['111122223333']);
});
