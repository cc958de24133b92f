// Interoperability, our files → the real AWS CLI v2 (/usr/bin/aws 2.9, through the TLS proxy to the fake).
//
// We sign in and write profiles; the CLI lists them and turns them into credentials with no new
// sign-in, refreshes a token we wrote and we accept its rewrite; our sign-out leaves the CLI with no
// credentials, including the role credentials it cached in ~/.aws/cli/cache.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { listProfiles } from '../../../src/core/config/read';
import { roleCredentialCacheKey } from '../../../src/core/auth/logout';
import { fakeBrowser } from '../../fakes/identityCenter';
import { assertAwsCliV2 } from '../../interop/awsCli';
import {
  cachedRoleCredentialFiles,
  cliTimeIn,
  fingerprint,
  fmtOps,
  Interop,
  parseExported,
  REGION,
  START_URL,
  startInterop,
} from '../../interop/harness';

let ix: Interop;
const started = performance.now();
let cases = 0;

const TEMPLATE = '{session}.{accountName}.{roleName}';

before(async () => {
  await assertAwsCliV2();
  ix = await startInterop();
});

after(async () => {
  const refused = ix.proxy.refused.length;
  console.log(
    `# interop ours→cli: ${cases} case(s), ${ix.figures.cliRuns} aws run(s) in ${ix.figures.cliMs} ms, ` +
      `${ix.proxy.forwarded.length} proxied request(s), ${refused} refused, ${Math.round(performance.now() - started)} ms total`,
  );
  for (const l of ix.figures.log) console.log(`#   ${l}`);
  await ix.close();
});

/** Our profiles of a session, from the config file. */
async function profilesOf(session: string) {
  return listProfiles(await readFile(ix.home.paths.configFile, 'utf8')).filter((p) => p.ssoSession === session);
}

test('we sign in (with scopes) and write profiles; aws configure list-profiles and export-credentials use them with no new sign-in', async () => {
  cases++;
  let r = await ix.ours(['add-session', '--sso-session', 'scoped', '--start-url', START_URL, '--region', REGION]);
  assert.equal(r.code, 0, r.text);
  r = await ix.ours(['login', '--sso-session', 'scoped', '--no-browser']);
  assert.equal(r.code, 0, r.text);
  r = await ix.ours(['populate', '--sso-session', 'scoped', '--template', TEMPLATE, '--json']);
  assert.equal(r.code, 0, r.text);
  const added: string[] = JSON.parse(r.text).added;
  assert.equal(added.length, ix.fake.accounts.reduce((n, a) => n + a.roles.length, 0));

  const list = await ix.aws(['configure', 'list-profiles']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(list.stdout.split('\n').filter(Boolean).sort(), [...added].sort());

  // The CLI reads the session settings we wrote.
  const get = await ix.aws(['configure', 'get', 'sso_session', '--profile', added[0]]);
  assert.equal(get.stdout.trim(), 'scoped');

  const [p] = await profilesOf('scoped');
  const { result: exp, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
  assert.equal(exp.code, 0, exp.stderr);
  // No RegisterClient, StartDeviceAuthorization or CreateToken: only GetRoleCredentials.
  assert.deepEqual(ops, { credentials: 1 }, fmtOps(ops));
  const creds = parseExported(exp.stdout);
  assert.match(creds.accessKeyId, /^ASIA/);
  assert.ok(ix.issuedHashes().has(creds.secretSha256), 'the secret key is one the fake issued');
  assert.ok(ix.issuedHashes().has(creds.sessionTokenSha256), 'the session token is one the fake issued');

  // The CLI cached the role credentials under the key our sign-out computes.
  const cached = await cachedRoleCredentialFiles(ix.home);
  assert.deepEqual(cached, [`${roleCredentialCacheKey({ name: 'scoped', startUrl: START_URL }, { accountId: p.ssoAccountId!, roleName: p.ssoRoleName! })}.json`]);
  assert.deepEqual(ix.proxy.refused, [], 'no destination other than the SSO hosts');
});

test('the JS SDK (fromIni, fromSSO) resolves our profiles from our token file', async () => {
  cases++;
  const [p] = await profilesOf('scoped');
  for (const mode of ['fromIni', 'fromSSO'] as const) {
    const { result: r, ops } = await ix.opsDuring(() => ix.sdk(mode, p.name));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(ops, { credentials: 1 }, `${mode}: ${fmtOps(ops)}`);
    assert.match(r.out!.accessKeyId, /^ASIA/);
    assert.ok(ix.issuedHashes().has(r.out!.secretSha256), `${mode}: the secret is one the fake issued`);
    assert.ok(ix.issuedHashes().has(r.out!.sessionTokenSha256), `${mode}: the session token is one the fake issued`);
  }
});

test('aws sso login reuses the client registration we cached (same key, same format)', async () => {
  cases++;
  const before = await ix.readJson(ix.tokenFile('scoped'));
  const { result: login, ops } = await ix.opsDuring(() => ix.awsLogin('scoped'));
  assert.equal(login.code, 0, login.stderr);
  assert.equal(ops.register, undefined, `no RegisterClient: ${fmtOps(ops)}`);
  assert.equal(ops.device, 1);
  const after = await ix.readJson(ix.tokenFile('scoped'));
  assert.equal(after.clientId, before.clientId, 'the CLI used our registration');
  assert.notEqual(fingerprint(after.accessToken), fingerprint(before.accessToken));
  const st = JSON.parse((await ix.ours(['status', '--json'])).text).find((s: { name: string }) => s.name === 'scoped');
  assert.equal(st.signedIn, true);
  assert.equal(st.refreshable, true);
});

test('a browser (PKCE) sign-in of ours: the CLI uses the token and refreshes it with our PKCE registration', async () => {
  cases++;
  const add = await ix.ours(['add-session', '--sso-session', 'pkce', '--start-url', START_URL, '--region', REGION]);
  assert.equal(add.code, 0, add.text);
  let visits = 0;
  const r = await ix.ours(['login', '--sso-session', 'pkce'], {
    openBrowser: async (url) => {
      visits++;
      // The user's browser: the fake holds /authorize until approved, then redirects to our loopback.
      const visit = fakeBrowser(url);
      const t = setInterval(() => {
        if (ix.fake.approveAuthorization() > 0) clearInterval(t);
      }, 20);
      void visit.finally(() => clearInterval(t));
    },
  });
  assert.equal(r.code, 0, r.text);
  assert.equal(visits, 1);
  const tok = await ix.readJson(ix.tokenFile('pkce'));
  assert.equal(typeof tok.refreshToken, 'string');
  const pop = await ix.ours(['populate', '--sso-session', 'pkce', '--template', TEMPLATE, '--json']);
  assert.equal(pop.code, 0, pop.text);
  const [p] = await profilesOf('pkce');
  await ix.setExpiresAt('pkce', cliTimeIn(5 * 60_000));
  const { result: exp, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(ops, { token: 1, credentials: 1 }, fmtOps(ops));
  const after = await ix.readJson(ix.tokenFile('pkce'));
  assert.notEqual(fingerprint(after.accessToken), fingerprint(tok.accessToken));
  assert.equal(after.clientId, tok.clientId);
  // Sign out of it again so that the sign-out test below only sees the sessions it expects.
  const out = await ix.ours(['logout', '--sso-session', 'pkce']);
  assert.equal(out.code, 0, out.text);
  assert.equal(existsSync(ix.tokenFile('pkce')), false);
});

test('the CLI refreshes a token we wrote (inside its 15-minute window) and we accept its rewrite', async () => {
  cases++;
  const file = ix.tokenFile('scoped');
  const before = await ix.readJson(file);
  await ix.setExpiresAt('scoped', cliTimeIn(5 * 60_000));

  // A profile without cached role credentials, so the CLI needs the token.
  const p = (await profilesOf('scoped'))[1];
  const { result: exp, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(ops, { token: 1, credentials: 1 }, `one refresh_token grant, then credentials: ${fmtOps(ops)}`);

  const after = await ix.readJson(file);
  assert.notEqual(fingerprint(after.accessToken), fingerprint(before.accessToken), 'a new access token');
  assert.notEqual(fingerprint(after.refreshToken), fingerprint(before.refreshToken), 'the rotated refresh token');
  assert.equal(after.clientId, before.clientId);
  assert.equal(after.startUrl, START_URL);
  const expiresAt = Date.parse(String(after.expiresAt));
  assert.ok(expiresAt - Date.now() > 7 * 3600_000, `about 8 hours left (${String(after.expiresAt)})`);
  assert.ok(ix.fake.isAccessTokenValid(String(after.accessToken)));

  // We read the CLI's rewrite: signed in, refreshable, and no refresh of our own.
  const st = await ix.ours(['status', '--json']);
  const row = JSON.parse(st.text).find((s: { name: string }) => s.name === 'scoped');
  assert.equal(row.signedIn, true);
  assert.equal(row.refreshable, true);
  assert.equal(Date.parse(row.expiresAt), expiresAt);
  const { result: acc, ops: ours } = await ix.opsDuring(() => ix.ours(['accounts', '--sso-session', 'scoped', '--json']));
  assert.equal(acc.code, 0, acc.text);
  assert.equal(ours.token, undefined, `we used the CLI's token as is: ${fmtOps(ours)}`);
  assert.equal(JSON.parse(acc.text).length, ix.fake.accounts.length);
});

test('a session without sso_registration_scopes (hand-written): we sign in, the CLI uses and refreshes our token', async () => {
  cases++;
  // Our add-session always writes scopes, so the section is written by hand, as a user would.
  const text = await readFile(ix.home.paths.configFile, 'utf8');
  const plainSection = `[sso-session plain]\nsso_start_url = ${START_URL}\nsso_region = ${REGION}\n`;
  await writeFile(ix.home.paths.configFile, `${text}\n${plainSection}`);

  let r = await ix.ours(['login', '--sso-session', 'plain', '--no-browser']);
  assert.equal(r.code, 0, r.text);
  const tok = await ix.readJson(ix.tokenFile('plain'));
  // Measured divergence (deliberate in sessions.ts): we register with the default scope
  // sso:account:access where the CLI would register without scopes, so our token is refreshable.
  assert.equal(typeof tok.refreshToken, 'string', 'we registered with the default scope and got a refresh token');
  r = await ix.ours(['populate', '--sso-session', 'plain', '--template', TEMPLATE, '--json']);
  assert.equal(r.code, 0, r.text);
  // populate wrote profiles and left the session exactly as written: still no scopes line, so
  // the CLI keeps registering as the user configured it.
  const written = await readFile(ix.home.paths.configFile, 'utf8');
  assert.ok(written.startsWith(`${text}\n${plainSection}\n[profile `), 'the [sso-session plain] section is byte for byte as written');
  const [p] = await profilesOf('plain');

  const { result: exp, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(ops, { credentials: 1 }, fmtOps(ops));
  assert.ok(ix.issuedHashes().has(parseExported(exp.stdout).secretSha256));

  // Near expiry, the CLI refreshes it although the session has no scopes: it only needs the token file.
  await ix.setExpiresAt('plain', cliTimeIn(10 * 60_000));
  const p2 = (await profilesOf('plain'))[1];
  const { result: exp2, ops: ops2 } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p2.name]));
  assert.equal(exp2.code, 0, exp2.stderr);
  assert.deepEqual(ops2, { token: 1, credentials: 1 }, fmtOps(ops2));
  const after = await ix.readJson(ix.tokenFile('plain'));
  assert.notEqual(fingerprint(after.accessToken), fingerprint(tok.accessToken));

  const st = JSON.parse((await ix.ours(['status', '--json'])).text).find((s: { name: string }) => s.name === 'plain');
  assert.equal(st.signedIn, true);
  assert.equal(st.refreshable, true);
});

test('our sign-out leaves the CLI without credentials, cached role credentials included', async () => {
  cases++;
  const scoped = await profilesOf('scoped');
  const plain = await profilesOf('plain');
  const cachedBefore = await cachedRoleCredentialFiles(ix.home);
  assert.equal(cachedBefore.length, 4, 'two scoped and two plain profiles have cached role credentials');
  const oldToken = String((await ix.readJson(ix.tokenFile('scoped'))).accessToken);

  const { result: out, ops } = await ix.opsDuring(() => ix.ours(['logout', '--sso-session', 'scoped']));
  assert.equal(out.code, 0, out.text);
  assert.deepEqual(ops, { logout: 1 }, fmtOps(ops));
  assert.equal(ix.fake.isAccessTokenValid(oldToken), false, 'the token was revoked');
  assert.equal(existsSync(ix.tokenFile('scoped')), false);
  const cachedAfter = await cachedRoleCredentialFiles(ix.home);
  const plainKeys = plain
    .slice(0, 2)
    .map((p) => `${roleCredentialCacheKey({ name: 'plain', startUrl: START_URL }, { accountId: p.ssoAccountId!, roleName: p.ssoRoleName! })}.json`)
    .sort();
  assert.deepEqual(cachedAfter, plainKeys, "only the other session's cached credentials are left");

  for (const p of scoped.slice(0, 2)) {
    const { result: exp, ops: cliOps } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
    assert.notEqual(exp.code, 0, `the CLI has no credentials for ${p.name}`);
    assert.equal(exp.stdout, '');
    assert.match(exp.stderr, /sso|token|login/i);
    assert.deepEqual(cliOps, {}, `the CLI made no call: ${fmtOps(cliOps)}`);
  }

  // Our status agrees.
  const st = JSON.parse((await ix.ours(['status', '--json'])).text);
  assert.equal(st.find((s: { name: string }) => s.name === 'scoped').signedIn, false);
  assert.equal(st.find((s: { name: string }) => s.name === 'plain').signedIn, true);
  assert.deepEqual(ix.proxy.refused, [], 'no destination other than the SSO hosts');
});
