// Interoperability: a profile's ca_bundle in the config file, read by the real AWS CLI v2 (/usr/bin/aws) and by
// our command line alike, both behind a TLS-inspecting proxy whose throwaway CA only that key names.
//
// No AWS_CA_BUNDLE is set for either (it would win): with ca_bundle in [default], or in the profile
// AWS_PROFILE names, both reach the fake; without it, both refuse the proxy's certificate.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../../src/cli/main';
import { writeTokenFile } from '../../../src/core/auth/tokenCache';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { awsCli } from '../../interop/awsCli';
import { makeTestCa, SsoProxy, ssoHosts, startSsoProxy, TestCa } from '../../interop/proxy';
import { tempHome, TempHome } from '../../helpers/tempHome';

const START = 'https://d-1234567890.awsapps.com/start';
let fake: FakeIdentityCenter;
let ca: TestCa;
let proxy: SsoProxy;
let home: TempHome;
let token: string;

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2, seed: 4 });
  ca = await makeTestCa(ssoHosts('us-east-1'));
  proxy = await startSsoProxy({ target: fake.url, hosts: ssoHosts('us-east-1'), ca });
  home = await tempHome('aws-sso-ca-bundle-');
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  const t = fake.mintToken({ ttlSec: 3600 });
  token = t.accessToken;
  const session = { name: 'corp', startUrl: START, region: 'us-east-1', scopes: ['sso:account:access'] };
  await writeTokenFile(home.paths, session, { startUrl: START, region: 'us-east-1', accessToken: t.accessToken, expiresAt: t.expiresAt });
});

after(async () => {
  await proxy.close();
  await ca.cleanup();
  await fake.close();
  await home.cleanup();
});

const SESSION = `[sso-session corp]\nsso_start_url = ${START}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`;

async function both(config: string, env: Record<string, string> = {}): Promise<{ aws: boolean; ours: boolean; awsOut: string; oursOut: string }> {
  await writeFile(home.paths.configFile, config);
  const base = { HTTPS_PROXY: proxy.url, https_proxy: proxy.url, AWS_CONFIG_FILE: home.paths.configFile, ...env };
  const a = await awsCli(['sso', 'list-accounts', '--access-token', token, '--region', 'us-east-1', '--output', 'json'], { home: home.dir, env: base, timeoutMs: 60_000 });
  const out: string[] = [];
  const code = await main(['accounts', '--sso-session', 'corp', '--json'], {
    env: { ...home.env, AWS_EC2_METADATA_DISABLED: 'true', ...base },
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    openBrowser: async () => {},
  });
  return { aws: a.code === 0, ours: code === 0, awsOut: a.stdout + a.stderr, oursOut: out.join('') };
}

test("the AWS CLI and ours both trust [default]'s ca_bundle, and AWS_PROFILE's; neither trusts the proxy without it", async () => {
  const none = await both(`${SESSION}\n[default]\nregion = us-east-1\n`);
  assert.deepEqual([none.aws, none.ours], [false, false], `${none.awsOut}\n${none.oursOut}`);
  assert.match(none.awsOut, /CERTIFICATE_VERIFY_FAILED|SSL validation failed/);

  const asDefault = await both(`${SESSION}\n[default]\nregion = us-east-1\nca_bundle = ${ca.caFile}\n`);
  assert.deepEqual([asDefault.aws, asDefault.ours], [true, true], `${asDefault.awsOut}\n${asDefault.oursOut}`);
  assert.equal((JSON.parse(asDefault.awsOut) as { accountList: unknown[] }).accountList.length, fake.accounts.length);

  const named = await both(`${SESSION}\n[default]\nregion = us-east-1\n\n[profile tls]\nregion = us-east-1\nca_bundle = ${ca.caFile}\n`, { AWS_PROFILE: 'tls' });
  assert.deepEqual([named.aws, named.ours], [true, true], `${named.awsOut}\n${named.oursOut}`);
});
