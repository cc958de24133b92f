// `aws-sso-profiles credentials`: the command a credential_process runs, end to end against the fake
// Identity Center in a temporary HOME. It never signs in, never reads stdin, and caches as botocore does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { roleCredentialFilePath } from '../../../src/core/auth/logout';
import { writeTokenFile } from '../../../src/core/auth/tokenCache';
import { main } from '../../../src/cli/main';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { tempHome, TempHome } from '../../helpers/tempHome';

const START = 'https://d-1234567890.awsapps.com/start';
const CHAINED_ARN = 'arn:aws:iam::999999999999:role/Deployer';
let fake: FakeIdentityCenter;
let home: TempHome;
let accountId: string;
let roleName: string;
const session = { name: 'corp', startUrl: START, region: 'us-east-1', scopes: ['sso:account:access'] };
const legacy = { startUrl: START, region: 'us-east-1', scopes: ['sso:account:access'] };

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; browser: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const browser: string[] = [];
  const code = await main(argv, {
    env: { ...home.env, ...fake.env() },
    stdout: (t) => stdout.push(t),
    stderr: (t) => stderr.push(t),
    openBrowser: async (u) => {
      browser.push(u);
    },
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join(''), browser };
}

function requests(op: 'credentials' | 'token'): number {
  return fake.stats.requests[op] ?? 0;
}

async function signIn(s: { name?: string; startUrl: string; region: string; scopes: string[] }, ttlSec = 3600): Promise<void> {
  const t = fake.mintToken({ ttlSec });
  await writeTokenFile(home.paths, s, { startUrl: s.startUrl, region: s.region, accessToken: t.accessToken, expiresAt: t.expiresAt });
}

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2, seed: 5 });
  home = await tempHome();
  accountId = fake.accounts[0].accountId;
  roleName = fake.accounts[0].roles[0];
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(
    home.paths.configFile,
    [
      '[sso-session corp]',
      `sso_start_url = ${START}`,
      'sso_region = us-east-1',
      '',
      '[profile dev]',
      'sso_session = corp',
      `sso_account_id = ${accountId}`,
      `sso_role_name = ${roleName}`,
      '',
      '[profile old]',
      `sso_start_url = ${START}`,
      'sso_region = us-east-1',
      `sso_account_id = ${accountId}`,
      `sso_role_name = ${roleName}`,
      '',
      '[profile keys]',
      'region = eu-west-1',
      '',
      '[profile chain]',
      `role_arn = ${CHAINED_ARN}`,
      'source_profile = dev',
      'role_session_name = cli-test',
      'region = us-east-1',
      '',
      '[profile chain2]',
      `role_arn = ${CHAINED_ARN}`,
      'source_profile = chain',
      '',
    ].join('\n'),
  );
  fake.addAssumableRole({ arn: CHAINED_ARN, trusts: [{ accountId, roleName }] });
});
after(async () => {
  await fake.close();
  await home.cleanup();
});
beforeEach(async () => {
  await rm(home.paths.cliCacheDir, { recursive: true, force: true });
  await rm(home.paths.ssoCacheDir, { recursive: true, force: true });
});

test('process format: the AWS CLI\u2019s JSON with the fake\u2019s keys; cached in botocore\u2019s file and format; the second run makes no request', async () => {
  await signIn(session);
  const before = requests('credentials');
  const r = await run(['credentials', '--profile', 'dev']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(requests('credentials'), before + 1);
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(j), ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
  assert.equal(j.Version, 1);
  assert.ok(fake.issuedSecrets().includes(j.SecretAccessKey as string));
  assert.match(j.Expiration as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
  // json.dumps(indent=2, separators=(',', ': ')) as awscli's exportcreds.py prints it.
  assert.match(r.stdout, /^\{\n  "Version": 1,\n  "AccessKeyId": "[^"]+",\n/);
  assert.ok(r.stdout.endsWith('"\n}\n'));

  const file = roleCredentialFilePath(home.paths, session, { accountId, roleName });
  const text = await readFile(file, 'utf8');
  assert.match(text, /^\{"ProviderType": "sso", "Credentials": \{"AccessKeyId": "[^"]+", "SecretAccessKey": "[^"]+", "SessionToken": "[^"]+", "Expiration": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\}\}$/);
  if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);

  const again = await run(['credentials', '--profile', 'dev']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(requests('credentials'), before + 1, 'served from the cache');
  assert.ok(again.stdout === r.stdout, 'the same output');
});

test('a legacy profile (sso_start_url in the profile) is served too, cached under the start URL key', async () => {
  await signIn(legacy);
  const r = await run(['credentials', '--profile', 'old', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, string>;
  assert.deepEqual(Object.keys(j), ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration']);
  await stat(roleCredentialFilePath(home.paths, legacy, { accountId, roleName }));
});

test('env format: export lines the shell reads; a bad --format or a missing --profile is a usage error (2)', async () => {
  await signIn(session);
  const r = await run(['credentials', '--profile', 'dev', '--format', 'env']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^export AWS_ACCESS_KEY_ID='[^']+'\nexport AWS_SECRET_ACCESS_KEY='[^']+'\nexport AWS_SESSION_TOKEN='[^']+'\nexport AWS_CREDENTIAL_EXPIRATION='[^']+'\n$/);
  assert.equal((await run(['credentials', '--profile', 'dev', '--format', 'yaml'])).code, 2);
  assert.equal((await run(['credentials'])).code, 2);
});

test('cached credentials with less than 15 minutes left are fetched again (botocore\u2019s window)', async () => {
  await signIn(session);
  const file = roleCredentialFilePath(home.paths, session, { accountId, roleName });
  await mkdir(dirname(file), { recursive: true });
  const soon = new Date(Date.now() + 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await writeFile(file, `{"ProviderType": "sso", "Credentials": {"AccessKeyId": "ASIAOLD", "SecretAccessKey": "old", "SessionToken": "old", "Expiration": "${soon}"}}`);
  const before = requests('credentials');
  const r = await run(['credentials', '--profile', 'dev']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(requests('credentials'), before + 1);
  assert.notEqual(JSON.parse(r.stdout).AccessKeyId, 'ASIAOLD');
});

test('an ended session: exit 1, one line saying how to sign in, nothing on stdout, no browser, no sign-in request', async () => {
  for (const setup of [async () => undefined, () => signIn(session, -60)]) {
    await rm(home.paths.ssoCacheDir, { recursive: true, force: true });
    await setup();
    const tokens = requests('token');
    const r = await run(['credentials', '--profile', 'dev']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.browser, []);
    assert.equal(requests('token'), tokens);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.match(r.stderr, /^aws-sso-profiles: .*sign in again: aws-sso-profiles login --sso-session corp/);
  }
});

test('a profile that is not an SSO one, or missing, is refused in one line (exit 1)', async () => {
  for (const p of ['keys', 'nope']) {
    const r = await run(['credentials', '--profile', p]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  }
});

test('no secret reaches stderr, with --verbose, on the fetch path', async () => {
  await signIn(session);
  const r = await run(['credentials', '--profile', 'dev', '--verbose']);
  assert.equal(r.code, 0);
  for (const s of fake.issuedSecrets()) assert.ok(!r.stderr.includes(s), 'a secret in stderr');
});

test('as a process: never waits for stdin, and exits 1 when signed out', async () => {
  const cli = join(__dirname, '../../../src/cli.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'credentials', '--profile', 'dev'], {
    env: { PATH: process.env.PATH, ...home.env, ...fake.env() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // stdin stays open and empty: a command that read it would never exit.
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.destroy();
  assert.equal(code, 1, err);
  assert.match(err, /sign in again/);
});

test('a chained profile (role_arn + source_profile of an SSO profile): AssumeRole with the SSO role\u2019s keys, every call; a chain of two is refused in one line', async () => {
  await signIn(session);
  const sts = requests('sts' as never);
  const r = await run(['credentials', '--profile', 'chain']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(j), ['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
  assert.ok(fake.issuedSecrets().includes(j.SecretAccessKey as string), 'keys the fake issued');
  const sso = JSON.parse((await run(['credentials', '--profile', 'dev'])).stdout) as Record<string, unknown>;
  assert.notEqual(j.AccessKeyId, sso.AccessKeyId, 'the assumed role\u2019s keys, not the SSO role\u2019s');
  assert.equal(requests('sts' as never), sts + 1, 'one AssumeRole');
  assert.equal((await run(['credentials', '--profile', 'chain'])).code, 0);
  assert.equal(requests('sts' as never), sts + 2, 'not cached: STS each time');

  const two = await run(['credentials', '--profile', 'chain2']);
  assert.equal(two.code, 1);
  assert.equal(two.stderr.split('\n').length, 2, two.stderr);
  assert.match(two.stderr, /itself a chained profile/);

  await rm(home.paths.ssoCacheDir, { recursive: true, force: true });
  await rm(home.paths.cliCacheDir, { recursive: true, force: true });
  const ended = await run(['credentials', '--profile', 'chain']);
  assert.equal(ended.code, 1);
  assert.match(ended.stderr, /^aws-sso-profiles: .*profile "chain" has ended; sign in again: aws-sso-profiles login --sso-session corp/);
});
