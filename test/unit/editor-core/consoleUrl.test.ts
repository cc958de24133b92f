// The console sign-in URL through the federation endpoint, against the fake on 127.0.0.1.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { consoleDestination, consoleSignInUrl, federationEndpoint, serviceDestination } from '../../../src/core/consoleUrl';
import { isSsoError, SsoError } from '../../../src/core/errors';
import { RoleCredentials } from '../../../src/core/types';
import { FakeIdentityCenter } from '../../fakes/identityCenter';

let fake: FakeIdentityCenter;

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2 });
});
after(() => fake.close());

/** Role credentials issued by the fake's portal, as the extension would get them. */
async function roleCredentials(): Promise<RoleCredentials> {
  const tok = fake.mintToken();
  const acct = fake.accounts[0];
  const u = `${fake.url}/federation/credentials?role_name=${encodeURIComponent(acct.roles[0])}&account_id=${acct.accountId}`;
  const res = await fetch(u, { headers: { 'x-amz-sso_bearer_token': tok.accessToken } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { roleCredentials: RoleCredentials };
  return body.roleCredentials;
}

/** No error message carries anything the fake handed out, nor the credentials. */
function assertClean(e: unknown, creds: RoleCredentials): e is SsoError {
  assert.ok(e instanceof SsoError, String(e));
  for (const s of [...fake.issuedSecrets(), creds.accessKeyId, creds.secretAccessKey, creds.sessionToken]) {
    assert.ok(!e.message.includes(s), 'no secret in the message');
    assert.ok(!String(e.stack).includes(s), 'no secret in the stack');
  }
  return true;
}

test('the federation flow: a sign-in token, then a login URL the endpoint accepts once', async () => {
  const creds = await roleCredentials();
  const url = await consoleSignInUrl(creds, { ssoRegion: 'us-east-1',
    region: 'eu-west-1',
    issuer: 'https://d-123.awsapps.com/start',
    federationEndpoint: fake.url,
  });
  const u = new URL(url);
  assert.equal(`${u.origin}${u.pathname}`, `${fake.url}/federation`);
  assert.equal(u.searchParams.get('Action'), 'login');
  assert.equal(u.searchParams.get('Issuer'), 'https://d-123.awsapps.com/start');
  assert.equal(u.searchParams.get('Destination'), 'https://console.aws.amazon.com/console/home?region=eu-west-1');
  const token = u.searchParams.get('SigninToken')!;
  assert.ok(fake.issuedSecrets().includes(token), 'the token the endpoint issued');
  // The browser's visit: accepted once, like the real single-use token.
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Signed in\. Destination: https:\/\/console\.aws\.amazon\.com\/console\/home\?region=eu-west-1/);
  assert.equal((await fetch(url)).status, 400);
});

test('the Session parameter is the credentials as JSON, encoded as one parameter', async () => {
  const creds: RoleCredentials = { accessKeyId: 'ASIAX', secretAccessKey: 'a+b/c=&d', sessionToken: 'tok en&Action=login', expiration: 0 };
  let seen = '';
  const stub: typeof fetch = async (input) => {
    seen = String(input);
    return new Response(JSON.stringify({ SigninToken: 'ST' }), { status: 200 });
  };
  const url = await consoleSignInUrl(creds, { ssoRegion: 'us-east-1', fetch: stub, env: {} });
  const q = new URL(seen).searchParams;
  assert.equal(new URL(seen).origin, 'https://signin.aws.amazon.com');
  assert.deepEqual(q.getAll('Action'), ['getSigninToken']);
  assert.deepEqual(JSON.parse(q.get('Session')!), { sessionId: 'ASIAX', sessionKey: 'a+b/c=&d', sessionToken: 'tok en&Action=login' });
  assert.equal(q.get('SessionDuration'), null, 'refused for role credentials');
  assert.equal(
    url,
    'https://signin.aws.amazon.com/federation?Action=login&Issuer=aws-sso-profiles&Destination=' +
      encodeURIComponent('https://console.aws.amazon.com/console/home?region=us-east-1') +
      '&SigninToken=ST',
  );
});

test('partitions, destinations and the endpoint override', async () => {
  const urls: string[] = [];
  const stub: typeof fetch = async (input) => {
    urls.push(String(input));
    return new Response('{"SigninToken":"T"}', { status: 200 });
  };
  const creds: RoleCredentials = { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiration: 0 };
  const cn = new URL(await consoleSignInUrl(creds, { ssoRegion: 'cn-north-1', region: 'cn-north-1', fetch: stub, env: {} }));
  assert.equal(cn.origin, 'https://signin.amazonaws.cn');
  assert.equal(cn.searchParams.get('Destination'), 'https://console.amazonaws.cn/console/home?region=cn-north-1');
  const gov = new URL(await consoleSignInUrl(creds, { ssoRegion: 'us-gov-west-1', region: 'us-gov-west-1', fetch: stub, env: {}, destination: '/s3/home?x=1' }));
  assert.equal(gov.origin, 'https://signin.amazonaws-us-gov.com');
  assert.equal(gov.searchParams.get('Destination'), 'https://console.amazonaws-us-gov.com/s3/home?x=1');
  const custom = new URL(await consoleSignInUrl(creds, { ssoRegion: 'us-east-1', fetch: stub, env: {}, destination: 'https://eu-west-1.console.aws.amazon.com/ec2/home' }));
  assert.equal(custom.searchParams.get('Destination'), 'https://eu-west-1.console.aws.amazon.com/ec2/home');
  await consoleSignInUrl(creds, { ssoRegion: 'us-east-1', fetch: stub, env: { AWS_SSO_PROFILES_FEDERATION_ENDPOINT: 'http://127.0.0.1:9/' } });
  assert.ok(urls.at(-1)!.startsWith('http://127.0.0.1:9/federation?Action=getSigninToken&'), urls.at(-1));
  assert.equal(federationEndpoint('eu-west-1', { federationEndpoint: 'https://proxy.example.com/aws/fed' }), 'https://proxy.example.com/aws/fed');
  assert.equal(federationEndpoint('eu-west-1', { env: { AWS_SSO_PROFILES_FEDERATION_ENDPOINT: 'http://localhost:8080' } }), 'http://localhost:8080/federation');
  assert.equal(federationEndpoint('eu-west-1', { env: {} }), 'https://signin.aws.amazon.com/federation');
  for (const bad of [
    { federationEndpoint: 'http://evil.example.com/federation' },
    { federationEndpoint: 'not a url' },
    { destination: 'http://console.aws.amazon.com/' },
    { destination: 'javascript:alert(1)' },
    { destination: 'https://evil.example.com/console.aws.amazon.com' },
    { destination: 'https://console.aws.amazon.com.evil.example.com/' },
    { destination: 'https://console.amazonaws.cn/' },
    { region: 'mars-1' },
    { region: 'cn-north-1' },
    { ssoRegion: 'mars-1' },
  ]) {
    await assert.rejects(consoleSignInUrl(creds, { ssoRegion: 'us-east-1', fetch: stub, env: {}, ...bad }), (e: unknown) => isSsoError(e, 'InvalidInput'), JSON.stringify(bad));
  }
  assert.equal(urls.length, 4, 'nothing sent for refused input');
});

test('console destinations: home, a service, or a pasted page of the session partition\'s console only', () => {
  assert.equal(consoleDestination('eu-west-1', ''), 'https://console.aws.amazon.com/console/home?region=eu-west-1');
  assert.equal(consoleDestination('eu-west-1', serviceDestination('ec2', 'eu-west-1')), 'https://console.aws.amazon.com/ec2/home?region=eu-west-1');
  assert.equal(consoleDestination('us-gov-east-1', serviceDestination('s3', 'us-gov-east-1')), 'https://console.amazonaws-us-gov.com/s3/home?region=us-gov-east-1');
  const pasted = 'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions';
  assert.equal(consoleDestination('us-east-1', ` ${pasted} `), pasted);
  assert.equal(consoleDestination('cn-north-1', 'https://cn-north-1.console.amazonaws.cn/ec2/home'), 'https://cn-north-1.console.amazonaws.cn/ec2/home');
  for (const [region, bad] of [
    ['us-east-1', 'https://console.amazonaws-us-gov.com/'],
    ['us-gov-west-1', 'https://console.aws.amazon.com/'],
    ['us-east-1', 'https://user@console.aws.amazon.com/'],
    ['us-east-1', 'https://console.aws.amazon.com:8443/'],
    ['us-east-1', 'https://signin.aws.amazon.com/'],
  ]) {
    assert.throws(() => consoleDestination(region, bad), (e: unknown) => isSsoError(e, 'InvalidInput'), bad);
  }
  assert.throws(() => serviceDestination('nope', 'us-east-1'), (e: unknown) => isSsoError(e, 'InvalidInput'));
});

test('the partition is the session\'s: a console region of another partition is refused, nothing is sent', async () => {
  const urls: string[] = [];
  const stub: typeof fetch = async (input) => {
    urls.push(String(input));
    return new Response('{"SigninToken":"T"}', { status: 200 });
  };
  const creds: RoleCredentials = { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiration: 0 };
  for (const [ssoRegion, region] of [
    ['us-east-1', 'cn-north-1'],
    ['us-east-1', 'us-gov-west-1'],
    ['cn-north-1', 'eu-west-1'],
    ['us-gov-east-1', 'us-east-1'],
  ]) {
    await assert.rejects(
      consoleSignInUrl(creds, { ssoRegion, region, fetch: stub, env: {} }),
      (e: unknown) => isSsoError(e, 'InvalidInput') && /partition/.test(e.message) && e.message.includes(region) && e.message.includes(ssoRegion),
      `${ssoRegion} → ${region}`,
    );
  }
  assert.deepEqual(urls, []);
  // Within the partition the console region is free; without one it is the session's.
  const cn = new URL(await consoleSignInUrl(creds, { ssoRegion: 'cn-north-1', region: 'cn-northwest-1', fetch: stub, env: {} }));
  assert.equal(cn.origin, 'https://signin.amazonaws.cn');
  assert.equal(cn.searchParams.get('Destination'), 'https://console.amazonaws.cn/console/home?region=cn-northwest-1');
  const gov = new URL(await consoleSignInUrl(creds, { ssoRegion: 'us-gov-west-1', fetch: stub, env: {} }));
  assert.equal(gov.origin, 'https://signin.amazonaws-us-gov.com');
  assert.equal(gov.searchParams.get('Destination'), 'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1');
});

test('the default endpoint comes from AWS_SSO_PROFILES_FEDERATION_ENDPOINT (process env)', async (t) => {
  const old = process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
  process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = fake.url;
  t.after(() => {
    if (old === undefined) delete process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT;
    else process.env.AWS_SSO_PROFILES_FEDERATION_ENDPOINT = old;
  });
  const url = await consoleSignInUrl(await roleCredentials(), { ssoRegion: 'us-east-1' });
  assert.ok(url.startsWith(`${fake.url}/federation?Action=login&`));
});

test('refused credentials: BadResponse, no secret in the message', async () => {
  const creds: RoleCredentials = { accessKeyId: 'ASIANOTISSUEDBYFAKE1', secretAccessKey: 'not-issued-secret-123', sessionToken: 'not-issued-token-456', expiration: 0 };
  await assert.rejects(consoleSignInUrl(creds, { ssoRegion: 'us-east-1', federationEndpoint: fake.url }), (e: unknown) => assertClean(e, creds) && e.code === 'BadResponse' && /HTTP 400/.test(e.message));
});

test('service faults: 5xx and resets are Network, garbage is BadResponse, slowness is Timeout', async () => {
  const creds = await roleCredentials();
  const opts = { ssoRegion: 'us-east-1', federationEndpoint: fake.url };
  fake.injectFault({ op: 'federation', status: 503 });
  await assert.rejects(consoleSignInUrl(creds, opts), (e: unknown) => assertClean(e, creds) && e.code === 'Network');
  fake.injectFault({ op: 'federation', reset: true });
  await assert.rejects(consoleSignInUrl(creds, opts), (e: unknown) => assertClean(e, creds) && e.code === 'Network');
  fake.injectFault({ op: 'federation', body: '{"SigninTok' });
  await assert.rejects(consoleSignInUrl(creds, opts), (e: unknown) => assertClean(e, creds) && e.code === 'BadResponse');
  fake.injectFault({ op: 'federation', body: '{"SigninToken":""}' });
  await assert.rejects(consoleSignInUrl(creds, opts), (e: unknown) => assertClean(e, creds) && e.code === 'BadResponse');
  fake.injectFault({ op: 'federation', delayMs: 1000 });
  await assert.rejects(consoleSignInUrl(creds, { ...opts, timeoutMs: 100 }), (e: unknown) => assertClean(e, creds) && e.code === 'Timeout');
  // A port nothing listens on any more.
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  await assert.rejects(consoleSignInUrl(creds, { ssoRegion: 'us-east-1', federationEndpoint: `http://127.0.0.1:${port}` }), (e: unknown) => assertClean(e, creds) && e.code === 'Network' && /ECONNREFUSED/.test(e.message));
  // And it works again once the faults are used up.
  assert.match(await consoleSignInUrl(creds, opts), /Action=login/);
});

test('cancel: before and during the request', async () => {
  const creds = await roleCredentials();
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(consoleSignInUrl(creds, { ssoRegion: 'us-east-1', federationEndpoint: fake.url, signal: ac.signal }), (e: unknown) => isSsoError(e, 'Cancelled'));
  fake.injectFault({ op: 'federation', delayMs: 1000 });
  const ac2 = new AbortController();
  const p = consoleSignInUrl(creds, { ssoRegion: 'us-east-1', federationEndpoint: fake.url, signal: ac2.signal });
  setTimeout(() => ac2.abort(), 50);
  await assert.rejects(p, (e: unknown) => assertClean(e, creds) && e.code === 'Cancelled');
});

test('missing credential fields are refused before any request', async () => {
  let called = false;
  const stub: typeof fetch = async () => {
    called = true;
    return new Response('{}');
  };
  await assert.rejects(
    consoleSignInUrl({ accessKeyId: 'A', secretAccessKey: '', sessionToken: 'T', expiration: 0 }, { ssoRegion: 'us-east-1', fetch: stub, env: {} }),
    (e: unknown) => isSsoError(e, 'InvalidInput'),
  );
  assert.equal(called, false);
});
