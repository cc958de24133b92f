// RFC 8628 device flow on a fake clock with a hand-written OIDC client double.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { DevicePrompt } from '../../../src/core/auth/deviceFlow';
import { SsoAuth } from '../../../src/core/auth/session';
import { registrationCacheKey, tokenFilePath, writeRegistrationFile } from '../../../src/core/auth/tokenCache';
import { isSsoError, SsoError } from '../../../src/core/errors';
import type { SsoSession } from '../../../src/core/types';
import { ClientDouble, networkError, script, sdkError } from '../../helpers/auth-oidcDouble';
import { FakeTime, fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession = { name: 'dev', startUrl: 'https://d-123.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };

let home: TempHome;
let time: FakeTime;
let oidc: ClientDouble;
let logs: string[];

function auth(extra: Partial<ConstructorParameters<typeof SsoAuth>[0]> = {}) {
  return new SsoAuth({ paths: home.paths, env: home.env, clock: time.clock, sleep: time.sleep, oidcClient: () => oidc, log: (m) => logs.push(m), ...extra });
}

function device(over: Record<string, unknown> = {}) {
  return () => ({
    deviceCode: oidc.secret('dc'),
    userCode: 'ABCD-EFGH',
    verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
    verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
    expiresIn: 600,
    interval: 5,
    ...over,
  });
}

const pending = () => sdkError('AuthorizationPendingException');
const slowDown = () => sdkError('SlowDownException');
const granted = () => ({ accessToken: oidc.secret('aoa'), refreshToken: oidc.secret('aor'), expiresIn: 28800, tokenType: 'Bearer' });

async function rejectsWith(p: Promise<unknown>, code: SsoError['code']): Promise<SsoError> {
  const e = await p.then(
    () => assert.fail('expected a rejection'),
    (x: unknown) => x,
  );
  assert.ok(isSsoError(e, code), `expected SsoError ${code}, got ${String(e)}`);
  return e as SsoError;
}

function assertNoSecrets(texts: string[]) {
  for (const t of texts) for (const s of oidc.issued) assert.ok(!t.includes(s), `secret leaked into: ${t}`);
}

beforeEach(async () => {
  home = await tempHome();
  time = fakeTime();
  oidc = new ClientDouble().registers(time.clock.now);
  logs = [];
});
afterEach(async () => {
  await home.cleanup();
});

describe('device code sign-in', () => {
  test('pending three times then success: prompt first, exact sleeps, token cached', async () => {
    const order: string[] = [];
    oidc.on('StartDeviceAuthorization', script(device()));
    const answers = script(pending, pending, pending, granted);
    oidc.on('CreateToken', (input, call) => {
      order.push('poll');
      return answers(input, call);
    });
    const t0 = time.clock.now();
    let prompt: DevicePrompt | undefined;
    const token = await auth().loginWithDeviceCode(session, {
      onPrompt: (p) => {
        order.push('prompt');
        prompt = p;
      },
    });
    assert.deepEqual(time.slept, [5000, 5000, 5000, 5000]);
    assert.deepEqual(oidc.ops(), ['RegisterClient', 'StartDeviceAuthorization', 'CreateToken', 'CreateToken', 'CreateToken', 'CreateToken']);
    assert.equal(order[0], 'prompt');
    assert.deepEqual(prompt, {
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
      verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH',
      expiresAt: t0 + 600_000,
    });
    const reg = oidc.calls[0].input;
    assert.deepEqual(reg, { clientName: 'aws-sso-profiles', clientType: 'public', scopes: ['sso:account:access'] });
    const poll = oidc.calls[2].input;
    assert.equal(poll.grantType, 'urn:ietf:params:oauth:grant-type:device_code');
    assert.equal(oidc.calls[1].input.startUrl, session.startUrl);
    assert.ok(typeof poll.deviceCode === 'string' && oidc.issued.includes(poll.deviceCode));
    assert.equal(poll.clientId, oidc.calls[1].input.clientId);
    assert.equal(token.expiresAt, t0 + 20_000 + 28_800_000);
    assert.ok(token.refreshToken?.startsWith('aor-'));
    const onDisk = JSON.parse(await readFile(tokenFilePath(home.paths, session), 'utf8'));
    assert.equal(onDisk.accessToken, token.accessToken);
    assert.equal(onDisk.refreshToken, token.refreshToken);
    assert.equal(onDisk.clientId, oidc.issued[0]);
    assert.equal(onDisk.clientSecret, oidc.issued[1]);
    assertNoSecrets(logs);
  });

  test('the cached registration is reused by the next sign-in', async () => {
    oidc.on('StartDeviceAuthorization', script(device())).on('CreateToken', script(granted));
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.equal(oidc.ops().filter((o) => o === 'RegisterClient').length, 1);
    const [a, b] = oidc.calls.filter((c) => c.op === 'StartDeviceAuthorization');
    assert.equal(a.input.clientId, b.input.clientId);
  });

  test('a registration within 15 minutes of expiry is replaced', async () => {
    await writeRegistrationFile(home.paths, registrationCacheKey(session), {
      clientId: 'old-id',
      clientSecret: 'old-secret',
      expiresAt: time.clock.now() + 14 * 60_000,
      scopes: session.scopes,
    });
    oidc.on('StartDeviceAuthorization', script(device())).on('CreateToken', script(granted));
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.equal(oidc.ops()[0], 'RegisterClient');
    assert.notEqual(oidc.calls[1].input.clientId, 'old-id');
  });

  test('slow_down adds 5 s for the rest of the flow', async () => {
    oidc.on('StartDeviceAuthorization', script(device()));
    oidc.on('CreateToken', script(pending, slowDown, pending, slowDown, pending, granted));
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.deepEqual(time.slept, [5000, 5000, 10000, 10000, 15000, 15000]);
  });

  test('interval absent means 5 s; a given interval is honoured', async () => {
    oidc.on('StartDeviceAuthorization', script(device({ interval: undefined }), device({ interval: 2 })));
    oidc.on('CreateToken', script(pending, granted, pending, granted));
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.deepEqual(time.slept, [5000, 5000]);
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.deepEqual(time.slept, [5000, 5000, 2000, 2000]);
  });

  test('ExpiredTokenException ends the flow as ExpiredCode', async () => {
    oidc.on('StartDeviceAuthorization', script(device())).on('CreateToken', script(pending, () => sdkError('ExpiredTokenException')));
    await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => undefined }), 'ExpiredCode');
    assert.deepEqual(time.slept, [5000, 5000]);
  });

  test('AccessDeniedException ends the flow as AccessDenied, nothing cached', async () => {
    oidc.on('StartDeviceAuthorization', script(device())).on('CreateToken', script(() => sdkError('AccessDeniedException')));
    await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => undefined }), 'AccessDenied');
    assert.equal(await auth().readToken(session), undefined);
  });

  test('a ten-minute flow that is never approved stops at its deadline without polling past it', async () => {
    oidc.on('StartDeviceAuthorization', script(device({ expiresIn: 600, interval: 5 }))).on('CreateToken', script(pending));
    const t0 = time.clock.now();
    await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => undefined }), 'ExpiredCode');
    const polls = oidc.ops().filter((o) => o === 'CreateToken').length;
    assert.equal(polls, 119);
    assert.equal(time.slept.length, 119);
    assert.ok(time.slept.every((s) => s === 5000));
    assert.ok(time.clock.now() < t0 + 600_000);
  });

  test('transport failures and 5xx back off exponentially, then normal polling resumes', async () => {
    oidc.on('StartDeviceAuthorization', script(device()));
    oidc.on('CreateToken', script(pending, networkError, () => sdkError('InternalServerException', 500), networkError, pending, granted));
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.deepEqual(time.slept, [5000, 5000, 10000, 20000, 40000, 5000]);
    assertNoSecrets(logs);
  });

  test('the backoff is capped and still bounded by the deadline (then Network)', async () => {
    oidc.on('StartDeviceAuthorization', script(device({ expiresIn: 600 }))).on('CreateToken', script(networkError));
    const t0 = time.clock.now();
    const e = await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => undefined, maxBackoffMs: 30_000 }), 'Network');
    assert.deepEqual(time.slept.slice(0, 5), [5000, 10000, 20000, 30000, 30000]);
    assert.ok(Math.max(...time.slept) <= 30_000);
    assert.ok(time.clock.now() < t0 + 600_000);
    assert.ok(e.cause);
  });

  test('abort during a sleep rejects with Cancelled and stops polling', async () => {
    const ac = new AbortController();
    let n = 0;
    const sleep = async (ms: number, signal?: AbortSignal) => {
      if (++n === 3) ac.abort();
      return time.sleep(ms, signal);
    };
    oidc.on('StartDeviceAuthorization', script(device())).on('CreateToken', script(pending));
    await rejectsWith(auth({ sleep }).loginWithDeviceCode(session, { signal: ac.signal, onPrompt: () => undefined }), 'Cancelled');
    assert.equal(oidc.ops().filter((o) => o === 'CreateToken').length, 2);
    assert.equal(await auth().readToken(session), undefined);
  });

  test('an already aborted signal sends nothing; the signal reaches the SDK call', async () => {
    const ac = new AbortController();
    ac.abort();
    oidc.on('StartDeviceAuthorization', script(device())).on('CreateToken', script(granted));
    await rejectsWith(auth().loginWithDeviceCode(session, { signal: ac.signal, onPrompt: () => undefined }), 'Cancelled');
    assert.equal(oidc.calls.length, 0);
    const live = new AbortController();
    await auth().loginWithDeviceCode(session, { signal: live.signal, onPrompt: () => undefined });
    assert.ok(oidc.calls.every((c) => c.signal === live.signal));
  });

  test('an abort while a request is in flight is Cancelled', async () => {
    const ac = new AbortController();
    oidc.on('StartDeviceAuthorization', script(device()));
    oidc.on('CreateToken', (_i, call) => {
      ac.abort();
      const e = new Error('Request aborted');
      e.name = 'AbortError';
      assert.equal(call.signal?.aborted, true);
      throw e;
    });
    await rejectsWith(auth().loginWithDeviceCode(session, { signal: ac.signal, onPrompt: () => undefined }), 'Cancelled');
  });

  test('a rejected client is registered again once', async () => {
    await writeRegistrationFile(home.paths, registrationCacheKey(session), {
      clientId: 'stale-id',
      clientSecret: 'stale-secret',
      expiresAt: time.clock.now() + 30 * 86400_000,
      scopes: session.scopes,
    });
    oidc.on('StartDeviceAuthorization', script(() => sdkError('InvalidClientException', 401), device()));
    oidc.on('CreateToken', script(granted));
    const token = await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.deepEqual(oidc.ops(), ['StartDeviceAuthorization', 'RegisterClient', 'StartDeviceAuthorization', 'CreateToken']);
    assert.equal(oidc.calls[0].input.clientId, 'stale-id');
    assert.notEqual(token.clientId, 'stale-id');
  });

  test('a client rejected twice is not registered a third time', async () => {
    oidc.on('StartDeviceAuthorization', script(() => sdkError('InvalidClientException', 401)));
    await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => undefined }), 'BadResponse');
    assert.deepEqual(oidc.ops(), ['RegisterClient', 'StartDeviceAuthorization', 'RegisterClient', 'StartDeviceAuthorization']);
  });

  test('a failing prompt promise is logged, polling goes on', async () => {
    oidc.on('StartDeviceAuthorization', script(device())).on('CreateToken', script(pending, granted));
    const token = await auth().loginWithDeviceCode(session, { onPrompt: () => Promise.reject(new Error('no window')) });
    assert.ok(token.accessToken);
    await new Promise((r) => setImmediate(r));
    assert.ok(logs.some((l) => l.includes('prompt failed')));
  });

  test('a sign-in page that is not https (or http to this machine) is refused before anyone opens it', async () => {
    for (const over of [
      { verificationUri: 'http://device.example.com/' },
      { verificationUriComplete: 'http://device.example.com/?user_code=ABCD-EFGH' },
      { verificationUri: 'javascript:alert(1)' },
      { verificationUriComplete: 'file:///etc/passwd' },
    ]) {
      oidc.on('StartDeviceAuthorization', script(device(over))).on('CreateToken', script(granted));
      const e = await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => assert.fail(`prompted with ${JSON.stringify(over)}`) }), 'BadResponse');
      assert.match(e.message, /https/);
    }
    assert.equal(oidc.ops().includes('CreateToken'), false);
    // Plain http to this machine (a local fake or proxy) is fine.
    oidc.on('StartDeviceAuthorization', script(device({ verificationUri: 'http://127.0.0.1:8080/device', verificationUriComplete: 'http://localhost:8080/device?user_code=A' })));
    let shown = '';
    await auth().loginWithDeviceCode(session, { onPrompt: (p) => (shown = p.verificationUriComplete!) });
    assert.equal(shown, 'http://localhost:8080/device?user_code=A');
  });

  test('a malformed StartDeviceAuthorization answer is BadResponse', async () => {
    oidc.on('StartDeviceAuthorization', script({ userCode: 'X' }));
    await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => assert.fail('no prompt') }), 'BadResponse');
  });
});
