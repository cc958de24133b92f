// Interoperability, the real AWS CLI v2's files → us (and the JS SDK in between).
//
// The CLI writes the config (`aws configure sso-session`, `aws configure set`, `aws configure sso`,
// driven through a pseudo-terminal) and signs in (`aws sso login --no-browser`, its code approved on
// the fake); we see the session, refresh its token, and the CLI accepts our rewrite and the JS
// SDK's (which writes times with milliseconds); `aws sso logout` signs us out.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { listProfiles } from '../../../src/core/config/read';
import { assertAwsCliV2 } from '../../interop/awsCli';
import {
  cachedRoleCredentialFiles,
  cliTimeIn,
  fingerprint,
  fmtOps,
  Interop,
  parseExported,
  REGION,
  sha1,
  START_URL,
  startInterop,
} from '../../interop/harness';

let ix: Interop;
const started = performance.now();
let cases = 0;
const TEMPLATE = '{session}.{accountName}.{roleName}';
const HAND = '# my settings\n[default]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 20\n';

before(async () => {
  await assertAwsCliV2();
  ix = await startInterop();
  await writeFile(ix.home.paths.configFile, HAND);
});

after(async () => {
  console.log(
    `# interop cli→ours: ${cases} case(s), ${ix.figures.cliRuns} aws run(s) in ${ix.figures.cliMs} ms, ${ix.figures.sdkRuns} SDK run(s), ` +
      `${ix.proxy.forwarded.length} proxied request(s), ${ix.proxy.refused.length} refused, ${Math.round(performance.now() - started)} ms total`,
  );
  for (const l of ix.figures.log) console.log(`#   ${l}`);
  await ix.close();
});

const config = () => readFile(ix.home.paths.configFile, 'utf8');
const profilesOf = async (session: string) => listProfiles(await config()).filter((p) => p.ssoSession === session);
async function statusOf(name: string) {
  const r = await ix.ours(['status', '--json']);
  assert.equal(r.code, 0, r.text);
  return JSON.parse(r.text).find((s: { name: string }) => s.name === name) as
    | { name: string; signedIn: boolean; refreshable: boolean; expiresAt?: string; profiles: number }
    | undefined;
}

test('aws configure sso-session and aws configure set write the file; our edits keep their bytes and the CLI still reads it', async () => {
  cases++;
  // Piped answers work for this command (prompt_toolkit warns "Input is not a terminal");
  // `aws configure sso` below needs a terminal for its account and role menus.
  const r = await ix.aws(['configure', 'sso-session'], {
    stdin: `cli\n${START_URL}\n${REGION}\n\n`,
    timeoutMs: 30_000,
  });
  assert.equal(r.code, 0, `configure sso-session exited ${r.code}${r.timedOut ? ' (timed out)' : ''}`);
  const set = await ix.aws(['configure', 'set', 'output', 'yaml', '--profile', 'hand-made']);
  assert.equal(set.code, 0, set.stderr);
  const cliText = await config();
  assert.ok(cliText.startsWith(HAND), 'the CLI kept the hand-written bytes');
  assert.match(cliText, /\[sso-session cli\]\nsso_start_url = .*\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n/);

  // We see the CLI's session, with its scopes.
  const st = await statusOf('cli');
  assert.ok(st, 'our status lists the session the CLI wrote');
  assert.equal(st.signedIn, false);

  // Our edit: another session. The CLI's bytes stay as they were, and the CLI reads both.
  const add = await ix.ours(['add-session', '--sso-session', 'ours', '--start-url', START_URL, '--region', REGION]);
  assert.equal(add.code, 0, add.text);
  const after = await config();
  assert.ok(after.startsWith(cliText), 'every byte the CLI wrote is kept');
  const get = await ix.aws(['configure', 'get', 'output', '--profile', 'hand-made']);
  assert.equal(get.stdout.trim(), 'yaml');
  const list = await ix.aws(['configure', 'list-profiles']);
  assert.deepEqual(list.stdout.split('\n').filter(Boolean).sort(), ['default', 'hand-made']);
});

test('aws sso login (device code, --no-browser) → our status and listing see the session with no sign-in of ours', async () => {
  cases++;
  const { result: login, ops } = await ix.opsDuring(() => ix.awsLogin('cli'));
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Successfully logged into Start URL/);
  assert.equal(ops.register, 1);
  assert.equal(ops.device, 1);
  const tok = await ix.readJson(ix.tokenFile('cli'));
  assert.equal(typeof tok.refreshToken, 'string', 'registered with scopes: refreshable');
  assert.match(String(tok.expiresAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const st = await statusOf('cli');
  assert.equal(st?.signedIn, true);
  assert.equal(st?.refreshable, true);
  assert.equal(Date.parse(st!.expiresAt!), Date.parse(String(tok.expiresAt)));

  const { result: acc, ops: ours } = await ix.opsDuring(() => ix.ours(['accounts', '--sso-session', 'cli', '--json']));
  assert.equal(acc.code, 0, acc.text);
  assert.deepEqual(Object.keys(ours).sort(), ['accounts', 'roles'], `listing only: ${fmtOps(ours)}`);
  assert.deepEqual(
    JSON.parse(acc.text).map((a: { accountId: string }) => a.accountId).sort(),
    ix.fake.accounts.map((a) => a.accountId).sort(),
  );

  // Profiles we write for the CLI's session work in the CLI with its own token.
  const pop = await ix.ours(['populate', '--sso-session', 'cli', '--template', TEMPLATE, '--json']);
  assert.equal(pop.code, 0, pop.text);
  const [p] = await profilesOf('cli');
  const { result: exp, ops: cliOps } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(cliOps, { credentials: 1 }, fmtOps(cliOps));
  assert.ok(ix.issuedHashes().has(parseExported(exp.stdout).secretSha256));
});

test('our device sign-in reuses the client registration the CLI cached (scopes list with spaces parsed alike)', async () => {
  cases++;
  await writeFile(
    ix.home.paths.configFile,
    `${await config()}\n[sso-session multi]\nsso_start_url = ${START_URL}\nsso_region = ${REGION}\nsso_registration_scopes = sso:account:access ,  codewhisperer:completions\n`,
  );
  const cli = await ix.awsLogin('multi');
  assert.equal(cli.code, 0, cli.stderr);
  const cliTok = await ix.readJson(ix.tokenFile('multi'));
  const { result: ours, ops } = await ix.opsDuring(() => ix.ours(['login', '--sso-session', 'multi', '--no-browser']));
  assert.equal(ours.code, 0, ours.text);
  assert.equal(ops.register, undefined, `the same registration cache key: ${fmtOps(ops)}`);
  const tok = await ix.readJson(ix.tokenFile('multi'));
  assert.equal(tok.clientId, cliTok.clientId);
  assert.equal(tok.registrationExpiresAt, cliTok.registrationExpiresAt);
  assert.notEqual(fingerprint(tok.accessToken), fingerprint(cliTok.accessToken));
});

test('we refresh a token the CLI wrote; the CLI accepts our rewrite', async () => {
  cases++;
  const before = await ix.readJson(ix.tokenFile('cli'));
  await ix.setExpiresAt('cli', cliTimeIn(5 * 60_000));
  const { result: acc, ops } = await ix.opsDuring(() => ix.ours(['accounts', '--sso-session', 'cli', '--json']));
  assert.equal(acc.code, 0, acc.text);
  assert.equal(ops.token, 1, `one refresh: ${fmtOps(ops)}`);
  assert.equal(ops.register, undefined);
  const after = await ix.readJson(ix.tokenFile('cli'));
  assert.notEqual(fingerprint(after.accessToken), fingerprint(before.accessToken));
  assert.equal(after.clientId, before.clientId, "the CLI's registration is kept");
  assert.equal(after.registrationExpiresAt, before.registrationExpiresAt);
  assert.deepEqual(Object.keys(after), Object.keys(before), 'same fields, same order');

  const p = (await profilesOf('cli'))[1];
  const { result: exp, ops: cliOps } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(cliOps, { credentials: 1 }, `the CLI used our token without refreshing: ${fmtOps(cliOps)}`);
  assert.equal(fingerprint((await ix.readJson(ix.tokenFile('cli'))).accessToken), fingerprint(after.accessToken));
});

test('the JS SDK refreshes the token (times with milliseconds); the CLI and we accept its rewrite; fromIni and fromSSO resolve our profiles', async () => {
  cases++;
  const profiles = await profilesOf('cli');
  const before = await ix.readJson(ix.tokenFile('cli'));
  await ix.setExpiresAt('cli', cliTimeIn(5 * 60_000));
  const { result: sso, ops } = await ix.opsDuring(() => ix.sdk('fromSSO', profiles[2].name));
  assert.equal(sso.code, 0, sso.stderr);
  assert.deepEqual(ops, { token: 1, credentials: 1 }, fmtOps(ops));
  assert.ok(ix.issuedHashes().has(sso.out!.secretSha256));
  const after = await ix.readJson(ix.tokenFile('cli'));
  assert.notEqual(fingerprint(after.accessToken), fingerprint(before.accessToken));
  assert.match(String(after.expiresAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'the SDK writes milliseconds');

  const st = await statusOf('cli');
  assert.equal(st?.signedIn, true);
  assert.equal(Date.parse(st!.expiresAt!), Date.parse(String(after.expiresAt)), 'we read the milliseconds too');
  const { ops: ours } = await ix.opsDuring(() => ix.ours(['accounts', '--sso-session', 'cli', '--json']));
  assert.equal(ours.token, undefined, `we used the SDK's token: ${fmtOps(ours)}`);

  const p = profiles[3] ?? profiles[0];
  const { result: exp, ops: cliOps } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', p.name]));
  assert.equal(exp.code, 0, exp.stderr);
  assert.ok((cliOps.token ?? 0) === 0, `the CLI used the SDK's token: ${fmtOps(cliOps)}`);

  // fromIni on a profile we wrote, token as is.
  const { result: ini, ops: iniOps } = await ix.opsDuring(() => ix.sdk('fromIni', profiles[0].name));
  assert.equal(ini.code, 0, ini.stderr);
  assert.deepEqual(iniOps, { credentials: 1 }, fmtOps(iniOps));
  assert.ok(ix.issuedHashes().has(ini.out!.sessionTokenSha256));
});

test('a session without sso_registration_scopes: aws sso login gets no refresh token; we show it signed in, not refreshable, and use it', async () => {
  cases++;
  // The CLI's configure sso-session always writes scopes; a section without them is hand-written (or older CLI).
  await writeFile(ix.home.paths.configFile, `${await config()}\n[sso-session plain]\nsso_start_url = ${START_URL}\nsso_region = ${REGION}\n`);
  const login = await ix.awsLogin('plain');
  assert.equal(login.code, 0, login.stderr);
  const tok = await ix.readJson(ix.tokenFile('plain'));
  assert.equal(tok.refreshToken, undefined, 'CLI 2.9 registers without scopes and gets no refresh token');
  // botocore: sha1(json.dumps({tool, startUrl, region, scopes, session_name}, sort_keys=True)).
  const key = sha1(`{"region": "${REGION}", "scopes": null, "session_name": "plain", "startUrl": "${START_URL}", "tool": "botocore"}`);
  assert.ok(existsSync(`${ix.home.paths.ssoCacheDir}/${key}.json`), 'the CLI registration is cached under the scopes:null key');

  let st = await statusOf('plain');
  assert.equal(st?.signedIn, true);
  assert.equal(st?.refreshable, false);
  const { result: acc, ops } = await ix.opsDuring(() => ix.ours(['accounts', '--sso-session', 'plain', '--json']));
  assert.equal(acc.code, 0, acc.text);
  assert.deepEqual(Object.keys(ops).sort(), ['accounts', 'roles'], fmtOps(ops));

  // Inside the refresh window: nothing to refresh with, so we use the token while it lasts, with no call.
  await ix.setExpiresAt('plain', cliTimeIn(10 * 60_000));
  const { result: acc2, ops: ops2 } = await ix.opsDuring(() => ix.ours(['accounts', '--sso-session', 'plain', '--json']));
  assert.equal(acc2.code, 0, acc2.text);
  assert.deepEqual(Object.keys(ops2).sort(), ['accounts', 'roles'], fmtOps(ops2));
  st = await statusOf('plain');
  assert.equal(st?.signedIn, true);
  assert.equal(st?.refreshable, false);
});

test('aws configure sso (interactive) on a file we edited: it keeps our bytes and we read its profile', async () => {
  cases++;
  const ourText = await config();
  const answers = [
    { expect: /SSO session name \(Recommended\)|SSO session name/, send: 'ours\r' },
    { expect: /There are \d+ AWS accounts available to you/, send: '\r' },
    { expect: /There are \d+ roles available to you|The only role available/, send: '\r' },
    // The offered default is the [default] profile's region (eu-west-1 here); type ours.
    { expect: /CLI default client Region \[[^\]]*\]:/, send: `${REGION}\r` },
    { expect: /CLI default output format \[[^\]]*\]:/, send: 'json\r' },
    { expect: /CLI profile name \[[^\]]*\]:/, send: 'made-by-cli\r' },
  ];
  // The session "ours" (written by our add-session) is not signed in yet: the command signs in,
  // printing a device code we approve.
  let approved = false;
  const r = await ix.aws(['configure', 'sso', '--no-browser'], {
    interactive: answers,
    timeoutMs: 60_000,
    onOutput: (all) => {
      const m = /\n\s*([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})\s*\n/.exec(all.replace(/\r/g, ''));
      if (m && !approved) approved = ix.fake.approve(m[1]);
    },
  });
  assert.equal(r.code, 0, `configure sso exited ${r.code}${r.timedOut ? ' (timed out)' : ''}`);
  assert.ok(approved, 'the CLI printed a device code that the fake approved');
  const text = await config();
  assert.ok(text.startsWith(ourText), 'the CLI appended its profile and kept every byte of ours');
  const made = listProfiles(text).find((p) => p.name === 'made-by-cli');
  assert.ok(made, 'we read the profile the CLI wrote');
  assert.equal(made.ssoSession, 'ours');
  assert.equal(made.managed, false, 'not marked as ours');
  assert.equal(made.keys.region, REGION);
  assert.equal(made.keys.output, 'json');

  // The CLI's sign-in is ours too: status is signed in and our populate leaves its profile alone.
  assert.equal((await statusOf('ours'))?.signedIn, true);
  const pop = await ix.ours(['populate', '--sso-session', 'ours', '--template', TEMPLATE, '--prune', '--json']);
  assert.equal(pop.code, 0, pop.text);
  assert.ok(listProfiles(await config()).some((p) => p.name === 'made-by-cli'), 'prune keeps a profile we did not write');
  const exp = await ix.aws(['configure', 'export-credentials', '--profile', 'made-by-cli']);
  assert.equal(exp.code, 0, exp.stderr);

  // Our forced rewrite of the CLI's profile (another role) is read back by the CLI.
  const other = ix.fake.accounts.flatMap((a) => a.roles.map((r) => ({ a: a.accountId, r }))).find((x) => x.a !== made.ssoAccountId || x.r !== made.ssoRoleName)!;
  const prof = await ix.ours(['profile', '--sso-session', 'ours', '--account', other.a, '--role', other.r, '--name', 'made-by-cli', '--force']);
  assert.equal(prof.code, 0, prof.text);
  const get = await ix.aws(['configure', 'get', 'sso_role_name', '--profile', 'made-by-cli']);
  assert.equal(get.stdout.trim(), other.r);
  assert.equal(listProfiles(await config()).filter((p) => p.name === 'made-by-cli').length, 1, 'rewritten in place, not duplicated');
});

test('aws sso logout → we show every session signed out; the CLI swept the role credentials it cached for our profiles', async () => {
  cases++;
  assert.ok((await cachedRoleCredentialFiles(ix.home)).length > 0, 'some role credentials are cached before');
  const sessions = ['cli', 'multi', 'plain', 'ours'];
  assert.deepEqual(sessions.filter((s) => !existsSync(ix.tokenFile(s))), [], 'every session has a token file');
  const { result: out, ops } = await ix.opsDuring(() => ix.aws(['sso', 'logout']));
  assert.equal(out.code, 0, out.stderr);
  assert.equal(ops.logout, sessions.length, `one Logout call per token file: ${fmtOps(ops)}`);
  for (const s of sessions) {
    const st = await statusOf(s);
    assert.equal(st?.signedIn, false, `${s} signed out`);
    assert.equal(st?.expiresAt, undefined, `${s}: no token left`);
  }
  assert.deepEqual(await cachedRoleCredentialFiles(ix.home), []);
  const acc = await ix.ours(['accounts', '--sso-session', 'cli']);
  assert.equal(acc.code, 1);
  assert.match(acc.text, /Not signed in/);
  assert.deepEqual(ix.proxy.refused, [], 'no destination other than the SSO hosts');
});
