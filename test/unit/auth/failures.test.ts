// Which failures are retried and what the others say: the network is not the answer to everything.
import assert from 'node:assert/strict';
import { Server } from 'node:net';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { SsoAuth } from '../../../src/core/auth/session';
import { createPortalClient } from '../../../src/core/endpoints';
import { CallContext, classifyFailure, describeError, failureError, isSsoError, SsoError } from '../../../src/core/errors';
import { Portal } from '../../../src/core/portal/portal';
import type { SsoSession } from '../../../src/core/types';
import { ClientDouble, script, sdkError } from '../../helpers/auth-oidcDouble';
import { FakeTime, fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession = { name: 'f', startUrl: 'https://d-f.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };

let home: TempHome;
let time: FakeTime;
let oidc: ClientDouble;
let logs: string[];

function auth() {
  return new SsoAuth({
    paths: home.paths,
    env: { ...home.env, AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:1/oidc' },
    clock: time.clock,
    sleep: time.sleep,
    oidcClient: () => oidc,
    log: (m) => logs.push(m),
  });
}

const device = () => ({ deviceCode: oidc.secret('dc'), userCode: 'AB-CD', verificationUri: 'https://device.sso.us-east-1.amazonaws.com/', expiresIn: 600, interval: 5 });

async function rejectsWith(p: Promise<unknown>, code: string): Promise<SsoError> {
  const e = await p.then(() => assert.fail('expected a rejection'), (x: unknown) => x);
  assert.ok(isSsoError(e), `expected SsoError ${code}, got ${String(e)}`);
  assert.equal(e.code, code, `${e.code}: ${e.message}`);
  return e;
}

beforeEach(async () => {
  home = await tempHome();
  time = fakeTime();
  oidc = new ClientDouble().registers(time.clock.now);
  logs = [];
});
afterEach(async () => {
  mock.restoreAll();
  await home.cleanup();
});

describe('a bug in our code is not the network', () => {
  test('a TypeError while polling ends the device sign-in at once, saying it is unexpected', async () => {
    oidc.on('StartDeviceAuthorization', script(device));
    oidc.on('CreateToken', () => {
      throw new TypeError("Cannot read properties of undefined (reading 'clientId')");
    });
    const e = await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => undefined }), 'Unexpected');
    assert.equal(oidc.ops().filter((o) => o === 'CreateToken').length, 1, 'retried a bug as if it were the network');
    assert.match(e.message, /unexpected/i);
    assert.match(e.message, /log/i);
    assert.doesNotMatch(e.message, /reach/i);
  });

  test('an unknown error from the portal is reported as unexpected, not retried', async () => {
    const time2 = fakeTime();
    let calls = 0;
    const client = {
      send: async () => {
        calls++;
        throw new RangeError('Invalid array length');
      },
    };
    const portal = new Portal({ region: 'us-east-1', client, clock: time2.clock, sleep: time2.sleep });
    const e = await rejectsWith(portal.listAccounts('aoa-token'), 'Unexpected');
    assert.equal(calls, 1);
    assert.match(e.message, /unexpected/i);
  });
});

describe('a loopback port that cannot be opened is not the network', () => {
  for (const code of ['EADDRINUSE', 'EACCES']) {
    test(`${code} on the PKCE listener says the port could not be opened and suggests the device code`, async () => {
      mock.method(Server.prototype, 'listen', function (this: Server) {
        const err = Object.assign(new Error(`listen ${code} 127.0.0.1`), { code, syscall: 'listen', address: '127.0.0.1', port: 0 });
        process.nextTick(() => this.emit('error', err));
        return this;
      });
      const e = await rejectsWith(auth().loginWithPkce(session, { openBrowser: () => assert.fail('no browser without a listener') }), 'LoopbackUnavailable');
      assert.match(e.message, /port/);
      assert.match(e.message, /device code/);
      assert.doesNotMatch(e.message, /reach IAM Identity Center/);
      assert.equal(oidc.calls.length, 0);
    });
  }
});

describe('a malformed cached token is not the network', () => {
  test('a token with a newline (ERR_INVALID_CHAR in the SDK) fails at once: malformed, sign in again', async () => {
    const t = fakeTime();
    const client = createPortalClient('us-east-1', { env: { AWS_ENDPOINT_URL_SSO: 'http://127.0.0.1:9' } });
    try {
      const portal = new Portal({ region: 'us-east-1', client, clock: t.clock, sleep: t.sleep, retryDeadlineMs: 60_000 });
      const e = await rejectsWith(portal.listAccounts('aoa-first-half\naoa-second-half'), 'SessionEnded');
      assert.deepEqual(t.slept, [], 'retried a malformed token');
      assert.match(e.message, /malformed/);
      assert.match(e.message, /[Ss]ign in again/);
      assert.ok(!e.message.includes('aoa-first-half'));
    } finally {
      client.destroy();
    }
  });
});

describe('the service refusing is not the network either', () => {
  test('a 400 from RegisterClient is BadResponse naming the error, not retried', async () => {
    oidc.on('RegisterClient', script(() => sdkError('InvalidScopeException', 400)));
    const e = await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => undefined }), 'BadResponse');
    assert.match(e.message, /InvalidScopeException/);
  });
});

describe('classifyFailure: the one rule', () => {
  const oidcCtx: CallContext = { service: 'oidc', what: 'renewing the sign-in', region: 'eu-west-1' };
  const portalCtx: CallContext = { service: 'portal', what: 'listing the roles of account 111122223333', accountId: '111122223333' };
  const withCode = (code: string, name = 'Error', extra: Record<string, unknown> = {}) => Object.assign(new Error(`boom ${code} aoa-SECRET`), { name, code, ...extra });
  const kind = (e: unknown, ctx: CallContext = oidcCtx) => classifyFailure(e, ctx).kind;
  const fatal = (e: unknown, ctx: CallContext = oidcCtx): SsoError => {
    const f = classifyFailure(e, ctx);
    assert.equal(f.kind, 'fatal');
    return (f as { error: SsoError }).error;
  };

  test('transient: known network codes, the SDK timeouts, 429 and 5xx, and the modelled throttling/server names', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH']) assert.equal(kind(withCode(code)), 'network', code);
    assert.equal(kind(Object.assign(new Error('timed out'), { name: 'TimeoutError' })), 'network');
    assert.equal(kind(sdkError('TooManyRequestsException', 429)), 'throttled');
    assert.equal(kind(Object.assign(new Error('x'), { name: 'ThrottlingException' })), 'throttled');
    for (const status of [500, 502, 503, 504]) assert.equal(kind(sdkError('Whatever', status)), 'server', String(status));
    assert.equal(kind(Object.assign(new Error('x'), { name: 'InternalServerException' })), 'server');
  });

  test('cancelled: an abort, or our own Cancelled', () => {
    assert.equal(kind(Object.assign(new Error('aborted'), { name: 'AbortError' })), 'cancelled');
    assert.equal(kind(new SsoError('Cancelled', 'x')), 'cancelled');
    assert.deepEqual(classifyFailure(new SsoError('ExpiredCode', 'x'), oidcCtx), { kind: 'fatal', error: new SsoError('ExpiredCode', 'x') });
  });

  test('the portal: 401 ends the session, 403 names the account or role, other answers are BadResponse', () => {
    assert.equal(fatal(sdkError('UnauthorizedException', 401), portalCtx).code, 'SessionEnded');
    const denied = fatal(sdkError('ForbiddenException', 403), portalCtx);
    assert.equal(denied.code, 'AccessDenied');
    assert.match(denied.message, /account 111122223333/);
    assert.match(fatal(sdkError('ForbiddenException', 403), { ...portalCtx, roleName: 'Admin' }).message, /role Admin in account 111122223333/);
    assert.match(fatal(sdkError('ForbiddenException', 403), { service: 'portal', what: 'listing accounts' }).message, /refused access while listing accounts/);
    assert.match(fatal(sdkError('InvalidRequestException', 400), portalCtx).message, /unexpected response while listing the roles of account 111122223333: HTTP 400 InvalidRequestException/);
    assert.match(fatal(Object.assign(new SyntaxError('Unexpected end'), { $metadata: { httpStatusCode: 200 } }), portalCtx).message, /could not be read/);
  });

  test('SSO OIDC: a 401 is not "signed out" there (InvalidClientException answers 401): BadResponse naming it', () => {
    const e = fatal(sdkError('InvalidClientException', 401));
    assert.equal(e.code, 'BadResponse');
    assert.match(e.message, /IAM Identity Center in eu-west-1 refused the request while renewing the sign-in \(InvalidClientException\)/);
  });

  test('no answer and not the network: a bind failure, a malformed token, TLS, and anything else says what it is', () => {
    assert.equal(fatal(withCode('EADDRINUSE', 'Error', { syscall: 'listen' })).code, 'LoopbackUnavailable');
    // EACCES from a file is not a port.
    assert.equal(fatal(withCode('EACCES', 'Error', { syscall: 'open' })).code, 'Unexpected');
    assert.equal(fatal(withCode('ERR_INVALID_CHAR', 'TypeError'), portalCtx).code, 'SessionEnded');
    assert.equal(fatal(withCode('ERR_INVALID_CHAR', 'TypeError')).code, 'Unexpected', 'no token travels in an OIDC header');
    const tls = fatal(withCode('CERT_HAS_EXPIRED'));
    assert.equal(tls.code, 'Network');
    assert.match(tls.message, /securely .*CERT_HAS_EXPIRED/);
    assert.equal(fatal(withCode('EPROTO')).code, 'Network');
    const bug = fatal(new TypeError('Cannot read properties of undefined (aoa-SECRET)'));
    assert.equal(bug.code, 'Unexpected');
    assert.match(bug.message, /unexpected error happened while renewing the sign-in \(TypeError\)\. See the log/);
    for (const e of [withCode('EADDRINUSE', 'Error', { syscall: 'listen' }), withCode('ERR_INVALID_CHAR', 'TypeError'), withCode('CERT_HAS_EXPIRED'), withCode('EWHATEVER')]) {
      assert.ok(!fatal(e, portalCtx).message.includes('aoa-SECRET'), 'the error\'s own message never reaches ours');
    }
  });

  test('failureError words what was not retried (any more); describeError carries the request ID for the log', () => {
    assert.match(failureError(withCode('ECONNRESET'), oidcCtx).message, /^Could not reach IAM Identity Center in eu-west-1 while renewing the sign-in \(ECONNRESET\)/);
    assert.equal(failureError(sdkError('ThrottlingException', 400), oidcCtx).code, 'Throttled');
    assert.equal(failureError(sdkError('InternalServerException', 500), oidcCtx).code, 'Network');
    const withId = Object.assign(sdkError('InvalidGrantException', 400), { $metadata: { httpStatusCode: 400, requestId: 'req-7f3a' } });
    assert.equal(describeError(withId), 'InvalidGrantException HTTP 400 request req-7f3a');
    assert.equal(describeError(withCode('ECONNRESET')), 'Error ECONNRESET');
    assert.ok(!describeError(withCode('ECONNRESET')).includes('aoa-SECRET'));
  });
});
