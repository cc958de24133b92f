// Authorization code + PKCE with a loopback listener, driven by a scripted browser and an OIDC double.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, Socket } from 'node:net';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { codeChallenge, makeCodeVerifier } from '../../../src/core/auth/pkceFlow';
import { PKCE_GRANT_TYPES, registrationKey } from '../../../src/core/auth/registration';
import { SsoAuth } from '../../../src/core/auth/session';
import { registrationFilePath, writeRegistrationFile } from '../../../src/core/auth/tokenCache';
import { isSsoError, SsoError } from '../../../src/core/errors';
import { abortError, Sleep } from '../../../src/core/ports';

const throwIfAborted = (signal?: AbortSignal) => {
  if (signal?.aborted) throw abortError(signal);
};
import type { SsoSession } from '../../../src/core/types';
import { BrowserVisit, fakeBrowser, FakeIdentityCenter } from '../../fakes/identityCenter';
import { ClientDouble, script, sdkError } from '../../helpers/auth-oidcDouble';
import { fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession = { name: 'web', startUrl: 'https://d-77.awsapps.com/start', region: 'ap-southeast-2', scopes: ['sso:account:access'] };
const OIDC = 'http://127.0.0.1:1/oidc-fake';

let home: TempHome;
let oidc: ClientDouble;
let logs: string[];
let wait: BrowserWait;
const time = fakeTime();

/** The wait for the browser: it never ends by itself; `timeUp()` ends it as the timeout would. */
interface BrowserWait {
  sleep: Sleep;
  /** The timeouts asked for, in ms. */
  asked: number[];
  timeUp(): void;
}

function browserWait(): BrowserWait {
  const ends: Array<() => void> = [];
  const asked: number[] = [];
  return {
    asked,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        throwIfAborted(signal);
        asked.push(ms);
        ends.push(resolve);
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
    timeUp: () => ends.splice(0).forEach((end) => end()),
  };
}

function auth(sleep: Sleep = wait.sleep) {
  return new SsoAuth({
    paths: home.paths,
    env: { ...home.env, AWS_ENDPOINT_URL_SSO_OIDC: OIDC },
    clock: time.clock,
    sleep,
    oidcClient: () => oidc,
    log: (m) => logs.push(m),
  });
}

/** One HTTP request from "the browser"; status 0 when the connection is refused. */
function hit(url: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

function parts(authorizeUrl: string) {
  const u = new URL(authorizeUrl);
  const q = u.searchParams;
  return { u, q, redirect: q.get('redirect_uri')!, state: q.get('state')! };
}

const cb = (redirect: string, params: Record<string, string>) => `${redirect}?${new URLSearchParams(params)}`;

async function rejectsWith(p: Promise<unknown>, code: SsoError['code']): Promise<SsoError> {
  const e = await p.then(() => assert.fail('expected a rejection'), (x: unknown) => x);
  assert.ok(isSsoError(e, code), `expected ${code}, got ${String(e)}`);
  return e as SsoError;
}

beforeEach(async () => {
  home = await tempHome();
  oidc = new ClientDouble().registers(time.clock.now);
  oidc.on('CreateToken', script(() => ({ accessToken: oidc.secret('aoa'), refreshToken: oidc.secret('aor'), expiresIn: 3600 })));
  logs = [];
  wait = browserWait();
});
afterEach(() => home.cleanup());

describe('PKCE helpers', () => {
  test('verifier: 64 unreserved characters, different every time; challenge is S256', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const v = makeCodeVerifier();
      assert.match(v, /^[A-Za-z0-9\-._~]{64}$/);
      seen.add(v);
    }
    assert.equal(seen.size, 50);
    const v = makeCodeVerifier();
    assert.equal(codeChallenge(v), createHash('sha256').update(v).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  });
});

describe('browser sign-in', () => {
  test('listener bound before the browser opens; code exchanged with verifier and exact redirect URI', async () => {
    let opened = '';
    let bodyShown = '';
    const token = await auth().loginWithPkce(session, {
      openBrowser: async (url) => {
        opened = url;
        const { redirect, state } = parts(url);
        // Already listening: a stray request is answered, not refused.
        assert.equal((await hit(redirect)).status, 400);
        const r = await hit(cb(redirect, { code: 'the-code', state }));
        assert.equal(r.status, 200);
        bodyShown = r.body;
      },
    });
    const { u, q, redirect, state } = parts(opened);
    assert.equal(`${u.origin}${u.pathname}`, `${OIDC}/authorize`);
    assert.deepEqual([...q.keys()], ['response_type', 'client_id', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scopes']);
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.equal(q.get('scopes'), 'sso:account:access');
    assert.match(redirect, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    assert.ok(state.length >= 32);
    assert.match(bodyShown, /signed in/i);

    const reg = oidc.calls.find((c) => c.op === 'RegisterClient')!.input;
    assert.deepEqual(reg, {
      clientName: 'aws-sso-profiles',
      clientType: 'public',
      scopes: ['sso:account:access'],
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
      issuerUrl: session.startUrl,
    });
    const ct = oidc.calls.find((c) => c.op === 'CreateToken')!.input;
    assert.equal(ct.grantType, 'authorization_code');
    assert.equal(ct.code, 'the-code');
    assert.equal(ct.redirectUri, redirect);
    assert.equal(ct.clientId, q.get('client_id'));
    assert.equal(codeChallenge(ct.codeVerifier as string), q.get('code_challenge'));
    assert.match(ct.codeVerifier as string, /^[A-Za-z0-9\-._~]{64}$/);

    assert.equal((await auth().readToken(session))?.accessToken, token.accessToken);
    // Closed afterwards.
    assert.equal((await hit(redirect)).status, 0);
    for (const l of logs) for (const s of oidc.issued) assert.ok(!l.includes(s));
  });

  test('wrong state, wrong path and wrong method are refused and the wait goes on', async () => {
    const statuses: number[] = [];
    await auth().loginWithPkce(session, {
      openBrowser: async (url) => {
        const { redirect, state } = parts(url);
        const base = new URL(redirect);
        statuses.push((await hit(cb(redirect, { code: 'evil', state: 'not-the-state' }))).status);
        statuses.push((await hit(cb(redirect, { error: 'access_denied', state: state + 'x' }))).status);
        statuses.push((await hit(`${base.origin}/oauth/callback/?code=c&state=${state}`)).status);
        statuses.push((await hit(`${base.origin}/?code=c&state=${state}`)).status);
        statuses.push((await hit(cb(redirect, { code: 'c', state }), 'POST')).status);
        statuses.push((await hit(cb(redirect, { code: 'good', state }))).status);
        statuses.push((await hit(cb(redirect, { code: 'again', state }))).status);
      },
    });
    assert.deepEqual(statuses, [400, 400, 404, 404, 400, 200, 400]);
    const ct = oidc.calls.filter((c) => c.op === 'CreateToken');
    assert.equal(ct.length, 1);
    assert.equal(ct[0].input.code, 'good');
  });

  test('error=access_denied with the right state: AccessDenied, nothing exchanged', async () => {
    let redirect = '';
    await rejectsWith(
      auth().loginWithPkce(session, {
        openBrowser: async (url) => {
          const p = parts(url);
          redirect = p.redirect;
          assert.equal((await hit(cb(p.redirect, { error: 'access_denied', error_description: 'no', state: p.state }))).status, 200);
        },
      }),
      'AccessDenied',
    );
    assert.equal(oidc.ops().includes('CreateToken'), false);
    assert.equal((await hit(redirect)).status, 0);
  });

  test('another error answer: InvalidCallback naming only a safe error code', async () => {
    const e = await rejectsWith(
      auth().loginWithPkce(session, {
        openBrowser: async (url) => {
          const p = parts(url);
          await hit(cb(p.redirect, { error: 'invalid_scope', state: p.state }));
        },
      }),
      'InvalidCallback',
    );
    assert.match(e.message, /invalid_scope/);
  });

  test('no answer: Timeout after the wait given, and the listener is closed', async () => {
    let redirect = '';
    const e = await rejectsWith(
      auth().loginWithPkce(session, {
        timeoutMs: 150_000,
        openBrowser: async (url) => {
          redirect = parts(url).redirect;
          // Still listening while the wait lasts.
          assert.equal((await hit(redirect)).status, 400);
          wait.timeUp();
        },
      }),
      'Timeout',
    );
    assert.deepEqual(wait.asked, [150_000]);
    assert.match(e.message, /within 150 s/);
    assert.equal((await hit(redirect)).status, 0);
  });

  test('abort: Cancelled, and the listener is closed', async () => {
    const ac = new AbortController();
    let redirect = '';
    const p = auth().loginWithPkce(session, {
      signal: ac.signal,
      openBrowser: (url) => {
        redirect = parts(url).redirect;
        queueMicrotask(() => ac.abort());
      },
    });
    await rejectsWith(p, 'Cancelled');
    assert.equal((await hit(redirect)).status, 0);
  });

  test('a failing browser opener: its error comes back and the listener is closed', async () => {
    let redirect = '';
    const boom = new Error('no browser here');
    await assert.rejects(
      auth().loginWithPkce(session, {
        openBrowser: (url) => {
          redirect = parts(url).redirect;
          throw boom;
        },
      }),
      (e) => e === boom,
    );
    assert.equal((await hit(redirect)).status, 0);
  });

  test('PKCE and device registrations are cached apart', async () => {
    const go = () =>
      auth().loginWithPkce(session, {
        openBrowser: async (url) => {
          const p = parts(url);
          await hit(cb(p.redirect, { code: 'c', state: p.state }));
        },
      });
    await go();
    oidc.on('StartDeviceAuthorization', script(() => ({ deviceCode: 'dc', userCode: 'U', verificationUri: 'https://v', expiresIn: 600, interval: 1 })));
    await auth(time.sleep).loginWithDeviceCode(session, { onPrompt: () => undefined });
    await go();
    await auth(time.sleep).loginWithDeviceCode(session, { onPrompt: () => undefined });
    const regs = oidc.calls.filter((c) => c.op === 'RegisterClient').map((c) => c.input.grantTypes);
    assert.deepEqual(regs, [['authorization_code', 'refresh_token'], undefined]);
    const starts = oidc.calls.filter((c) => c.op === 'StartDeviceAuthorization').map((c) => c.input.clientId);
    const pkceClients = oidc.calls.filter((c) => c.op === 'CreateToken' && c.input.grantType === 'authorization_code').map((c) => c.input.clientId);
    assert.equal(new Set(starts).size, 1);
    assert.equal(new Set(pkceClients).size, 1);
    assert.notEqual(starts[0], pkceClients[0]);
  });
});

/** Everything a raw socket receives until the server closes it. */
function readAll(sock: Socket): Promise<string> {
  let text = '';
  sock.setEncoding('utf8');
  sock.on('data', (d: string) => (text += d));
  return new Promise((resolve) => {
    sock.on('close', () => resolve(text));
    sock.on('error', () => undefined);
  });
}

const exists = (f: string) => access(f).then(() => true, () => false);

describe('closing the loopback listener', () => {
  test('the browser gets the whole success page although the flow has already returned', async () => {
    let sock: Socket | undefined;
    let received: Promise<string> | undefined;
    await auth().loginWithPkce(session, {
      openBrowser: async (url) => {
        const { redirect, state } = parts(url);
        const u = new URL(cb(redirect, { code: 'c', state }));
        sock = connect(Number(u.port), '127.0.0.1');
        await once(sock, 'connect');
        // A browser that reads its answer only after the sign-in has finished.
        sock.pause();
        received = readAll(sock);
        sock.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`);
      },
    });
    sock!.resume();
    const text = await received!;
    assert.match(text, /^HTTP\/1\.1 200 /);
    assert.match(text, /You are signed in to AWS IAM Identity Center[^]*<\/html>/);
  });

  test('a request still arriving when the flow returns is answered with a whole page; new connections are refused', async () => {
    let late: Socket | undefined;
    let answer: Promise<string> | undefined;
    let redirect = '';
    let lateState = '';
    await auth().loginWithPkce(session, {
      openBrowser: async (url) => {
        const p = parts(url);
        redirect = p.redirect;
        lateState = p.state;
        // A second tab (or a retried request) whose request line is on the way but not finished.
        late = connect(Number(new URL(redirect).port), '127.0.0.1');
        await once(late, 'connect');
        answer = readAll(late);
        late.write(`GET /oauth/callback?code=late&state=${encodeURIComponent(lateState)} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
        await new Promise((r) => setImmediate(r));
        assert.equal((await hit(cb(p.redirect, { code: 'c', state: p.state }))).status, 200);
      },
    });
    assert.equal((await hit(redirect)).status, 0, 'still accepting connections after the flow returned');
    if (!late!.destroyed) late!.write('\r\n');
    const text = await answer!;
    assert.match(text, /^HTTP\/1\.1 \d{3} /, 'the request in flight was cut off');
    assert.match(text, /<\/html>/);
    assert.doesNotMatch(text, /You are signed in/);
    assert.equal(oidc.calls.filter((c) => c.op === 'CreateToken').length, 1);
  });

  test('nothing keeps the process alive after the flow returns', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await auth().loginWithPkce(session, {
      openBrowser: async (url) => {
        const p = parts(url);
        await hit(cb(p.redirect, { code: 'c', state: p.state }));
      },
    });
    assert.equal(timers(), before);
    assert.ok(!process.getActiveResourcesInfo().includes('TCPServerWrap'), 'the listener is still open');
  });
});

describe('a cached PKCE registration the service no longer knows', () => {
  async function deadRegistration(): Promise<string> {
    const key = registrationKey(session, 'pkce');
    await writeRegistrationFile(home.paths, key, {
      clientId: 'dead-client-id',
      clientSecret: 'dead-client-secret',
      expiresAt: Date.now() + 30 * 86400_000,
      scopes: session.scopes,
      grantTypes: [...PKCE_GRANT_TYPES],
    });
    return registrationFilePath(home.paths, key);
  }

  test('the service shows an error page and never redirects: the timeout drops the registration and the next sign-in registers anew', async () => {
    const fake = await FakeIdentityCenter.start({ autoApprove: true });
    try {
      const regFile = await deadRegistration();
      const env = { ...home.env, ...fake.env() };
      let visit: BrowserVisit | undefined;
      let visited!: () => void;
      const browserDone = new Promise<void>((r) => (visited = r));
      // The wait for the browser ends once the browser has shown its page: no wall-clock budget.
      const sleep: Sleep = async (_ms, signal) => {
        await browserDone;
        throwIfAborted(signal);
      };
      const e = await rejectsWith(
        new SsoAuth({ paths: home.paths, env, sleep }).loginWithPkce(session, {
          timeoutMs: 300,
          openBrowser: async (url) => {
            visit = await fakeBrowser(url);
            visited();
          },
        }),
        'Timeout',
      );
      assert.equal(visit?.status, 400);
      assert.match(visit!.body, /Unknown or expired client_id/);
      assert.match(e.message, /did not complete/);
      assert.equal(await exists(regFile), false, 'the dead registration is still cached');

      const token = await new SsoAuth({ paths: home.paths, env }).loginWithPkce(session, { openBrowser: (url) => void fakeBrowser(url) });
      assert.ok(fake.isAccessTokenValid(token.accessToken));
      assert.equal(fake.stats.requests.register, 1);
    } finally {
      await fake.close();
    }
  });

  for (const error of ['invalid_client', 'unauthorized_client']) {
    test(`an error callback (${error}) drops the registration`, async () => {
      const regFile = await deadRegistration();
      await rejectsWith(
        auth().loginWithPkce(session, {
          openBrowser: async (url) => {
            const p = parts(url);
            await hit(cb(p.redirect, { error, state: p.state }));
          },
        }),
        'InvalidCallback',
      );
      assert.equal(await exists(regFile), false);
    });
  }

  test('CreateToken answering InvalidClientException drops the registration', async () => {
    const regFile = await deadRegistration();
    oidc.on('CreateToken', script(() => sdkError('InvalidClientException', 401)));
    await rejectsWith(
      auth().loginWithPkce(session, {
        openBrowser: async (url) => {
          const p = parts(url);
          await hit(cb(p.redirect, { code: 'c', state: p.state }));
        },
      }),
      'BadResponse',
    );
    assert.equal(await exists(regFile), false);
  });
});
