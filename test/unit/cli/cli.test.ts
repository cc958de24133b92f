// The command line end to end against the fake Identity Center, in a temporary HOME.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { main } from '../../../src/cli/main';
import { FakeIdentityCenter, fakeBrowser } from '../../fakes/identityCenter';
import { tempHome, TempHome } from '../../helpers/tempHome';

const HAND_WRITTEN = [
  '# My hand-written settings: keep every byte of this.',
  '[default]',
  'region = eu-west-1 # not a comment for botocore',
  's3 =',
  '  max_concurrent_requests = 20',
  '',
  '; a semicolon comment',
  '[profile legacy]',
  'aws_access_key_id = AKIAEXAMPLEEXAMPLE00',
  'region: us-west-2',
  '',
].join('\r\n');

let fake: FakeIdentityCenter;
let home: TempHome;
let out: string[] = [];

function io(extra: Partial<Parameters<typeof main>[1]> = {}) {
  return {
    env: { ...home.env, ...fake.env() },
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => out.push(t),
    ...extra,
  };
}

async function run(argv: string[], extra: Partial<Parameters<typeof main>[1]> = {}): Promise<{ code: number; text: string }> {
  const start = out.length;
  const code = await main(argv, io(extra));
  return { code, text: out.slice(start).join('') };
}

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 12, seed: 7, autoApprove: true, deviceInterval: 1 });
  home = await tempHome();
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(home.paths.configFile, HAND_WRITTEN);
});

after(async () => {
  await fake.close();
  await home.cleanup();
});

test('add-session, login (device code), populate: the SDK resolves the fake role credentials and hand-written lines survive', async () => {
  let r = await run(['add-session', '--sso-session', 'my-sso', '--start-url', 'd-1234567890.awsapps.com/start', '--region', 'us-east-1']);
  assert.equal(r.code, 0, r.text);

  r = await run(['login', '--sso-session', 'my-sso', '--no-browser']);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /Code: [A-Z]{4}-[A-Z]{4}/);
  assert.match(r.text, /Signed in to "my-sso"/);

  // The token file is the AWS CLI's: sha1("my-sso").json with exactly the CLI's fields.
  const cache = JSON.parse(await readFile(join(home.paths.ssoCacheDir, '0ad374308c5a4e22f723adf10145eafad7c4031c.json'), 'utf8'));
  assert.deepEqual(Object.keys(cache).sort(), ['accessToken', 'clientId', 'clientSecret', 'expiresAt', 'refreshToken', 'region', 'registrationExpiresAt', 'startUrl']);
  assert.equal(cache.startUrl, 'https://d-1234567890.awsapps.com/start');
  assert.match(cache.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  r = await run(['populate', '--sso-session', 'my-sso', '--json']);
  assert.equal(r.code, 0, r.text);
  const summary = JSON.parse(r.text);
  const expectedRoles = fake.accounts.reduce((n, a) => n + a.roles.length, 0);
  assert.equal(summary.added.length, expectedRoles);

  const text = await readFile(home.paths.configFile, 'utf8');
  assert.ok(text.startsWith(HAND_WRITTEN), 'hand-written content is byte-identical at the top');
  assert.ok(!/[^\r]\n/.test(text.slice(HAND_WRITTEN.length)), 'new lines follow the file\u2019s CRLF endings');

  // The SDK's own parser sees every profile with the right keys.
  const parsed = await loadSharedConfigFiles({ configFilepath: home.paths.configFile, filepath: join(home.dir, 'none'), ignoreCache: true });
  const account = fake.accounts[0];
  const profileName = summary.added.find((n: string) => parsed.configFile[n]?.sso_account_id === account.accountId);
  assert.ok(profileName, 'a profile for the first account');
  const p = parsed.configFile[profileName];
  assert.equal(p.sso_session, 'my-sso');
  assert.equal(p.region, 'us-east-1');
  // Measured: the JS SDK strips " # ..." from values, botocore keeps it; we never rewrite either.
  assert.equal(parsed.configFile.default.region, 'eu-west-1');

  // The real SDK, in a clean process, turns the profile into the fake's role credentials.
  // (Asynchronously: the fake serves from this process's event loop.)
  const child = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../helpers/resolve-credentials.ts'), profileName], {
    env: { PATH: process.env.PATH, ...home.env, ...fake.env() },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const creds = JSON.parse(child.stdout);
  assert.match(creds.accessKeyId, /^ASIA/);
  assert.ok(fake.issuedSecrets().includes(creds.secretAccessKey), 'credentials come from the fake');

  // Running populate again changes nothing.
  r = await run(['populate', '--sso-session', 'my-sso', '--json']);
  assert.equal(JSON.parse(r.text).added.length, 0);
  assert.equal(await readFile(home.paths.configFile, 'utf8'), text);
});

test('status and accounts report the session without printing a token', async () => {
  let r = await run(['status', '--json']);
  assert.equal(r.code, 0);
  const [s] = JSON.parse(r.text);
  assert.equal(s.name, 'my-sso');
  assert.equal(s.signedIn, true);
  assert.ok(s.profiles > 0);

  r = await run(['accounts', '--sso-session', 'my-sso', '--json']);
  assert.equal(r.code, 0, r.text);
  const rows = JSON.parse(r.text);
  assert.equal(rows.length, fake.accounts.length);
  const names = rows.map((x: { accountName: string }) => x.accountName);
  assert.deepEqual(names, [...names].sort((a: string, b: string) => a.localeCompare(b)));
});

test('populate --check: exit 3 with what would be added and removed, 0 when up to date; writes nothing', async () => {
  const before = await readFile(home.paths.configFile, 'utf8');
  let r = await run(['populate', '--sso-session', 'my-sso', '--check']);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /is up to date for "my-sso"/);

  // A role newly assigned, and a profile of ours whose role is gone.
  const a = fake.accounts[0];
  a.roles.push('NewlyAssigned');
  const stale = `\n[profile stale-one]\nsso_session = my-sso\nsso_account_id = ${a.accountId}\nsso_role_name = Withdrawn\naws_sso_profiles_managed = true\n`;
  await writeFile(home.paths.configFile, before + stale);
  try {
    r = await run(['populate', '--sso-session', 'my-sso', '--check']);
    assert.equal(r.code, 3, r.text);
    assert.match(r.text, new RegExp(`^\\+ .*NewlyAssigned$`, 'm'));
    assert.match(r.text, /^- stale-one$/m);
    assert.match(r.text, /out of date for "my-sso": 1 to add, 1 to remove/);
    r = await run(['populate', '--sso-session', 'my-sso', '--check', '--json']);
    assert.equal(r.code, 3);
    const j = JSON.parse(r.text);
    assert.equal(j.upToDate, false);
    assert.deepEqual(j.addedRoles, [{ accountId: a.accountId, roleName: 'NewlyAssigned' }]);
    assert.deepEqual(j.removed, ['stale-one']);
    assert.equal(await readFile(home.paths.configFile, 'utf8'), before + stale, 'nothing written');
  } finally {
    a.roles.pop();
    await writeFile(home.paths.configFile, before);
  }
});

test('populate --regions FILE writes each account its region; a bad map is refused before anything is written', async () => {
  const before = await readFile(home.paths.configFile, 'utf8');
  const a = fake.accounts[0];
  const file = join(home.dir, 'regions.json');
  await writeFile(file, JSON.stringify({ [a.accountId]: 'eu-west-3', 'no-such-*': 'ap-south-1' }));
  try {
    let r = await run(['populate', '--sso-session', 'my-sso', '--regions', file, '--json']);
    assert.equal(r.code, 0, r.text);
    assert.equal(JSON.parse(r.text).updated.length, a.roles.length, 'only the mapped account changes');
    const parsed = await loadSharedConfigFiles({ configFilepath: home.paths.configFile, filepath: join(home.dir, 'none'), ignoreCache: true });
    const regions = Object.values(parsed.configFile)
      .filter((p) => p.sso_session === 'my-sso')
      .map((p) => [p.sso_account_id === a.accountId, p.region]);
    assert.ok(regions.length > a.roles.length);
    for (const [mapped, region] of regions) assert.equal(region, mapped ? 'eu-west-3' : 'us-east-1');

    const after = await readFile(home.paths.configFile, 'utf8');
    await writeFile(file, JSON.stringify({ 'prod-*': 'Paris' }));
    r = await run(['populate', '--sso-session', 'my-sso', '--regions', file]);
    assert.equal(r.code, 1);
    assert.match(r.text, /--regions .*regions\.json: "Paris" is not an AWS region name/);
    assert.equal(await readFile(home.paths.configFile, 'utf8'), after);
  } finally {
    await writeFile(home.paths.configFile, before);
  }
});

test('profile writes one profile; a name clash is refused unless --force', async () => {
  const a = fake.accounts[1];
  let r = await run(['profile', '--sso-session', 'my-sso', '--account', a.accountId, '--role', a.roles[0], '--name', 'legacy']);
  assert.equal(r.code, 1);
  assert.match(r.text, /already exists/);
  r = await run(['profile', '--sso-session', 'my-sso', '--account', a.accountId, '--role', 'NoSuchRole', '--name', 'x']);
  assert.equal(r.code, 1);
  assert.match(r.text, /not assigned/);
  r = await run(['profile', '--sso-session', 'my-sso', '--account', a.accountId, '--role', a.roles[0], '--name', 'picked-by-hand', '--output', 'text']);
  assert.equal(r.code, 0, r.text);
  const parsed = await loadSharedConfigFiles({ configFilepath: home.paths.configFile, filepath: join(home.dir, 'none'), ignoreCache: true });
  assert.equal(parsed.configFile['picked-by-hand'].sso_role_name, a.roles[0]);
  assert.equal(parsed.configFile['picked-by-hand'].output, 'text');
});

test('login with PKCE through a browser, then logout removes the token; no secret reaches the output', async () => {
  let opened = '';
  let r = await run(['login', '--sso-session', 'my-sso'], {
    openBrowser: async (url) => {
      opened = url;
      await fakeBrowser(url);
    },
  });
  assert.equal(r.code, 0, r.text);
  const u = new URL(opened);
  assert.equal(u.pathname, '/authorize');
  assert.equal(u.searchParams.get('code_challenge_method'), 'S256');
  assert.match(u.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);

  r = await run(['logout', '--sso-session', 'my-sso']);
  assert.equal(r.code, 0, r.text);
  assert.ok(!(await readdir(home.paths.ssoCacheDir)).includes('0ad374308c5a4e22f723adf10145eafad7c4031c.json'));
  r = await run(['status', '--json']);
  assert.equal(JSON.parse(r.text)[0].signedIn, false);
  r = await run(['accounts', '--sso-session', 'my-sso']);
  assert.equal(r.code, 1);
  assert.match(r.text, /[Ss]ign in/);

  const all = out.join('');
  for (const secret of fake.issuedSecrets()) assert.ok(!all.includes(secret), 'a secret the fake issued appeared in CLI output');
});

test('add-session takes the start URL as pasted: http upgraded with a note, "#/" cut, the region from an ssoins URL, GovCloud regions suggested', async () => {
  const before = await readFile(home.paths.configFile, 'utf8');
  try {
    let r = await run(['add-session', '--sso-session', 'nasa', '--start-url', 'http://aws.sciencecloud.nasa.gov/', '--region', 'us-east-1']);
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /^note: using https:\/\/aws\.sciencecloud\.nasa\.gov\/: /m);
    r = await run(['add-session', '--sso-session', 'pasted', '--start-url', 'https://d-2222222222.awsapps.com/start/#/', '--region', 'eu-west-1']);
    assert.equal(r.code, 0, r.text);
    r = await run(['add-session', '--sso-session', 'ssoins', '--start-url', 'https://ssoins-7223c4b8f5e4a3d1.portal.eu-central-1.app.aws']);
    assert.equal(r.code, 0, r.text);
    const text = await readFile(home.paths.configFile, 'utf8');
    assert.match(text, /\[sso-session nasa\]\r\nsso_start_url = https:\/\/aws\.sciencecloud\.nasa\.gov\/\r\nsso_region = us-east-1\r\n/);
    assert.match(text, /\[sso-session pasted\]\r\nsso_start_url = https:\/\/d-2222222222\.awsapps\.com\/start\r\n/);
    assert.match(text, /\[sso-session ssoins\]\r\nsso_start_url = https:\/\/ssoins-7223c4b8f5e4a3d1\.portal\.eu-central-1\.app\.aws\r\nsso_region = eu-central-1\r\n/);
    r = await run(['add-session', '--sso-session', 'gov', '--start-url', 'https://start.us-gov-home.awsapps.com/directory/d-9067642ac7']);
    assert.equal(r.code, 2);
    assert.match(r.text, /--region is required\. This portal is in AWS GovCloud \(US\): us-gov-west-1 or us-gov-east-1\./);
  } finally {
    await writeFile(home.paths.configFile, before);
  }
});

test('usage errors exit 2, unknown sessions and denied sign-ins exit 1 with a clear message', async () => {
  assert.equal((await run(['nope'])).code, 2);
  assert.equal((await run(['login'])).code, 2);
  assert.equal((await run(['populate', '--sso-session', 'x', '--bogus'])).code, 2);
  const r = await run(['login', '--sso-session', 'missing', '--no-browser']);
  assert.equal(r.code, 1);
  assert.match(r.text, /No \[sso-session missing\]/);
  const bad = await run(['add-session', '--sso-session', 'h', '--start-url', 'ftp://insecure.example.com/start', '--region', 'us-east-1']);
  assert.equal(bad.code, 1);
  assert.match(bad.text, /https/);
  assert.equal((await run(['--help'])).code, 0);
});
