// assumeChained against the fake's STS (the real @aws-sdk/client-sts on the wire): the chained
// role's credentials, errors that say what to do, the endpoint rule, and no secret in any message.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { assumeChained, chainedSpecOf, sessionNameFrom } from '../../../src/core/chained';
import { createStsClient, stsEndpoint } from '../../../src/core/endpoints';
import { isSsoError, SsoError } from '../../../src/core/errors';
import { Portal } from '../../../src/core/portal/portal';
import type { RoleCredentials } from '../../../src/core/types';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { tempHome, TempHome } from '../../helpers/tempHome';

const TARGET = 'arn:aws:iam::222222222222:role/ci/Deployer';
const GUARDED = 'arn:aws:iam::222222222222:role/Guarded';
let fake: FakeIdentityCenter;
let source: RoleCredentials;
let src: { accountId: string; roleName: string };
let home: TempHome;

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2, seed: 5 });
  src = { accountId: fake.accounts[0].accountId, roleName: fake.accounts[0].roles[0] };
  fake.addAssumableRole({ arn: TARGET, trusts: [src] });
  fake.addAssumableRole({ arn: GUARDED, trusts: [src], externalId: 'ext-42' });
  const portal = new Portal({ region: 'us-east-1', env: fake.env() });
  source = await portal.getRoleCredentials(fake.mintToken().accessToken, src.accountId, src.roleName);
  portal.dispose();
  home = await tempHome();
});
after(async () => {
  await fake.close();
  await home.cleanup();
});

const opts = () => ({ region: 'us-east-1', env: fake.env(), source: src });

/** The message and every field of the error chain's messages hold none of the fake's secrets. */
function assertNoSecret(e: unknown): void {
  const texts: string[] = [];
  for (let x: unknown = e; x instanceof Error; x = x.cause) texts.push(x.message, String(x.stack));
  for (const secret of fake.issuedSecrets()) for (const t of texts) assert.ok(!t.includes(secret), 'a secret in an error');
}

test('AssumeRole with the SSO role credentials gives the chained role credentials, which STS knows as that role', async () => {
  const c = await assumeChained(source, { roleArn: TARGET, roleSessionName: 'alice' }, opts());
  assert.match(c.accessKeyId, /^ASIA/);
  assert.notEqual(c.accessKeyId, source.accessKeyId);
  assert.ok(fake.issuedSecrets().includes(c.secretAccessKey) && fake.issuedSecrets().includes(c.sessionToken));
  assert.ok(c.expiration > Date.now() + 50 * 60_000 && c.expiration <= Date.now() + 3600_000 + 1000);
  const sts = createStsClient('us-east-1', c, { env: fake.env() });
  const who = await sts.send(new GetCallerIdentityCommand({}));
  sts.destroy();
  assert.equal(who.Arn, 'arn:aws:sts::222222222222:assumed-role/Deployer/alice');
});

test('AccessDenied names the trust policy; with an external ID, that it may not match; without, that the policy may require one', async () => {
  const untrusted = 'arn:aws:iam::222222222222:role/Untrusting';
  await assert.rejects(assumeChained(source, { roleArn: untrusted }, opts()), (e: unknown) => {
    assert.ok(isSsoError(e, 'AccessDenied'), String(e));
    assert.match((e as Error).message, /trust policy of arn:aws:iam::222222222222:role\/Untrusting must allow role \S+ in account \d{12}/);
    assertNoSecret(e);
    return true;
  });
  await assert.rejects(assumeChained(source, { roleArn: GUARDED }, opts()), (e: unknown) => {
    assert.match((e as Error).message, /requires an external ID, add it to the profile \(external_id\)/);
    return true;
  });
  await assert.rejects(assumeChained(source, { roleArn: GUARDED, externalId: 'wrong-1' }, opts()), (e: unknown) => {
    assert.ok(isSsoError(e, 'AccessDenied'));
    assert.match((e as Error).message, /external ID in the profile does not match/);
    assertNoSecret(e);
    return true;
  });
  const ok = await assumeChained(source, { roleArn: GUARDED, externalId: 'ext-42' }, opts());
  assert.match(ok.accessKeyId, /^ASIA/);
});

test('a duration over an hour: STS refuses it for a chain and the message says to lower duration_seconds', async () => {
  await assert.rejects(assumeChained(source, { roleArn: TARGET, durationSeconds: 7200 }, opts()), (e: unknown) => {
    assert.ok(isSsoError(e, 'InvalidInput'), String(e));
    assert.match((e as Error).message, /lower duration_seconds/);
    return true;
  });
  assert.throws(() => chainedSpecOf({ name: 'x', keys: { role_arn: TARGET, duration_seconds: '7200' } }), /an hour at most/);
  assert.deepEqual(chainedSpecOf({ name: 'x', keys: { role_arn: TARGET, duration_seconds: '1800', external_id: 'ext-42', role_session_name: 'bob' } }), {
    roleArn: TARGET,
    durationSeconds: 1800,
    externalId: 'ext-42',
    roleSessionName: 'bob',
  });
});

test('expired source credentials: ExpiredToken says to try again or sign in, without a secret', async () => {
  const f2 = await FakeIdentityCenter.start({ accounts: 1, seed: 5, roleCredentialsTtl: 1 });
  let now = Date.now();
  try {
    const a = { accountId: f2.accounts[0].accountId, roleName: f2.accounts[0].roles[0] };
    f2.addAssumableRole({ arn: TARGET, trusts: [a] });
    const portal = new Portal({ region: 'us-east-1', env: f2.env() });
    const c = await portal.getRoleCredentials(f2.mintToken().accessToken, a.accountId, a.roleName);
    f2.expireRoleCredentials();
    now += 1;
    await assert.rejects(assumeChained(c, { roleArn: TARGET }, { region: 'us-east-1', env: f2.env(), now: () => now }), (e: unknown) => {
      assert.ok(isSsoError(e, 'BadResponse'), String(e));
      assert.match((e as Error).message, /did not accept the credentials .*ExpiredToken.*sign in again/);
      for (const s of f2.issuedSecrets()) assert.ok(!(e as Error).message.includes(s));
      return true;
    });
  } finally {
    await f2.close();
  }
});

test('the partition of the role must be the region partition; a bad ARN is refused before any request', async () => {
  const before = fake.stats.requests.sts ?? 0;
  await assert.rejects(assumeChained(source, { roleArn: 'arn:aws-cn:iam::222222222222:role/X' }, opts()), /another AWS partition/);
  await assert.rejects(assumeChained(source, { roleArn: 'arn:aws:iam::222222222222:user/X' }, opts()), (e: unknown) => isSsoError(e, 'InvalidInput'));
  assert.equal(fake.stats.requests.sts ?? 0, before);
});

test('the STS endpoint: the region, or AWS_ENDPOINT_URL_STS over https only; an endpoint_url in the config file is never used', async () => {
  assert.equal(stsEndpoint('eu-west-1', {}), 'https://sts.eu-west-1.amazonaws.com');
  assert.equal(stsEndpoint('cn-north-1', {}), 'https://sts.cn-north-1.amazonaws.com.cn');
  assert.equal(stsEndpoint('eu-west-1', { AWS_ENDPOINT_URL_STS: 'https://sts.example.test/' }), 'https://sts.example.test');
  assert.throws(() => stsEndpoint('eu-west-1', { AWS_ENDPOINT_URL_STS: 'http://sts.example.test' }), (e: unknown) => e instanceof SsoError && /https/.test(e.message));

  let trapped = 0;
  const trap = http.createServer((_q, r) => {
    trapped++;
    r.writeHead(500).end();
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(home.paths.configFile, `[default]\nendpoint_url = ${trapUrl}\n[services s]\nsts =\n  endpoint_url = ${trapUrl}\n`);
  const saved = { ...process.env };
  Object.assign(process.env, home.env, { AWS_ENDPOINT_URL: trapUrl });
  try {
    const c = await assumeChained(source, { roleArn: TARGET }, opts());
    assert.match(c.accessKeyId, /^ASIA/);
    assert.equal(trapped, 0, 'nothing reached the config file endpoint or AWS_ENDPOINT_URL');
  } finally {
    process.env = saved;
    trap.close();
  }
});

test('sessionNameFrom: the login name in STS characters, a fallback when nothing is left', () => {
  assert.equal(sessionNameFrom('alice'), 'alice');
  assert.equal(sessionNameFrom('DOMAIN\\Alice Smith'), 'DOMAIN-Alice-Smith');
  assert.equal(sessionNameFrom('é'), 'aws-sso-profiles');
  assert.equal(sessionNameFrom(undefined), 'aws-sso-profiles');
  assert.equal(sessionNameFrom('x'.repeat(80)).length, 64);
});
