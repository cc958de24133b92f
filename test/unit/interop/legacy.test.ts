// Legacy SSO profiles (sso_start_url inline, no [sso-session]) between the real AWS CLI v2 and our
// auth core (SsoAuth with a session without a name): the token file keyed by the start URL, the
// registration keyed with session_name null, and role credentials cached under the startUrl key.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { roleCredentialFilePath } from '../../../src/core/auth/logout';
import { SsoAuth } from '../../../src/core/auth/session';
import type { SsoSession } from '../../../src/core/types';
import { assertAwsCliV2 } from '../../interop/awsCli';
import { cachedRoleCredentialFiles, fingerprint, fmtOps, Interop, parseExported, REGION, sha1, START_URL, startInterop } from '../../interop/harness';

let ix: Interop;
let auth: SsoAuth;
let cases = 0;
const started = performance.now();
const legacy: SsoSession = { startUrl: START_URL, region: REGION, scopes: [] };
let role: { accountId: string; roleName: string };
const tokenFile = () => `${ix.home.paths.ssoCacheDir}/${sha1(START_URL)}.json`;

before(async () => {
  await assertAwsCliV2();
  ix = await startInterop({ accounts: 1 });
  role = { accountId: ix.fake.accounts[0].accountId, roleName: ix.fake.accounts[0].roles[0] };
  await writeFile(
    ix.home.paths.configFile,
    `[profile legacy]\nsso_start_url = ${START_URL}\nsso_region = ${REGION}\nsso_account_id = ${role.accountId}\nsso_role_name = ${role.roleName}\nregion = ${REGION}\n`,
  );
  auth = new SsoAuth({ paths: ix.home.paths, env: { ...ix.home.env, ...ix.fake.env() } });
});

after(async () => {
  console.log(`# interop legacy profiles: ${cases} case(s), ${ix.figures.cliRuns} aws run(s) in ${ix.figures.cliMs} ms, ${ix.proxy.refused.length} refused, ${Math.round(performance.now() - started)} ms total`);
  await ix.close();
});

test('aws sso login --profile (legacy) → our core reads the token keyed by the start URL and reuses the registration', async () => {
  cases++;
  let approved = false;
  const login = await ix.aws(['sso', 'login', '--profile', 'legacy', '--no-browser'], {
    onOutput: (all) => {
      const m = /\n([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})\n/.exec(all);
      if (m && !approved) approved = ix.fake.approve(m[1]);
    },
  });
  assert.equal(login.code, 0, login.stderr);
  assert.ok(existsSync(tokenFile()), 'the CLI keys a legacy token by sha1(start URL)');
  const file = await ix.readJson(tokenFile());
  const t = await auth.readToken(legacy);
  assert.ok(t, 'we read it');
  assert.equal(fingerprint(t.accessToken), fingerprint(file.accessToken));
  assert.equal(t.refreshToken, undefined, 'a legacy profile registers without scopes: no refresh token');

  // Our device sign-in for the same legacy settings reuses the CLI's registration (session_name null).
  const { result: tok, ops } = await ix.opsDuring(() => auth.loginWithDeviceCode(legacy, { onPrompt: (p) => ix.fake.approve(p.userCode) }));
  assert.equal(ops.register, undefined, `same registration key: ${fmtOps(ops)}`);
  assert.equal(tok.clientId, file.clientId);
});

test('the CLI uses our legacy token; our sign-out removes it and the role credentials the CLI cached under the start-URL key', async () => {
  cases++;
  const { result: exp, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', 'legacy']));
  assert.equal(exp.code, 0, exp.stderr);
  assert.deepEqual(ops, { credentials: 1 }, fmtOps(ops));
  assert.ok(ix.issuedHashes().has(parseExported(exp.stdout).secretSha256));
  const cached = roleCredentialFilePath(ix.home.paths, legacy, role);
  assert.ok(existsSync(cached), 'the CLI cached the role credentials under the key we compute for a legacy profile');

  const { ops: outOps } = await ix.opsDuring(() => auth.logout(legacy, { roles: [role] }));
  assert.deepEqual(outOps, { logout: 1 });
  assert.equal(existsSync(tokenFile()), false);
  assert.deepEqual(await cachedRoleCredentialFiles(ix.home), []);
  const after = await ix.aws(['configure', 'export-credentials', '--profile', 'legacy']);
  assert.notEqual(after.code, 0, 'the CLI has no credentials left');
  assert.deepEqual(ix.proxy.refused, []);
});
