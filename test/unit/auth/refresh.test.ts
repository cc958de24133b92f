// Token refresh: the 15-minute window, single flight, write-back and rotation, the ways a session ends.
import assert from 'node:assert/strict';
import { access, readdir, readFile, rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { refreshToken } from '../../../src/core/auth/refresh';
import { SsoAuth } from '../../../src/core/auth/session';
import { tokenFilePath, writeTokenFile } from '../../../src/core/auth/tokenCache';
import { isSsoError, SsoError } from '../../../src/core/errors';
import type { CachedToken, SsoSession } from '../../../src/core/types';
import { ClientDouble, networkError, script, sdkError } from '../../helpers/auth-oidcDouble';
import { FakeTime, fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession = { name: 'ref', startUrl: 'https://d-9.awsapps.com/start', region: 'eu-central-1', scopes: ['sso:account:access'] };
const MIN = 60_000;

let home: TempHome;
let time: FakeTime;
let oidc: ClientDouble;
let regions: string[];
let logs: string[];

function auth() {
  return new SsoAuth({
    paths: home.paths,
    env: home.env,
    clock: time.clock,
    sleep: time.sleep,
    oidcClient: (r) => {
      regions.push(r);
      return oidc;
    },
    portalClient: () => new ClientDouble().on('Logout', script({})),
    log: (m) => logs.push(m),
  });
}

const exists = (f: string) => access(f).then(() => true, () => false);

/** A CreateToken answer held until `release()`; `called` settles once the request is under way. */
function heldCreateToken(answer: () => unknown) {
  let release!: () => void;
  let arrived!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const called = new Promise<void>((r) => (arrived = r));
  oidc.on('CreateToken', async () => {
    arrived();
    await gate;
    return answer();
  });
  return { release, called };
}

async function seed(leftMs: number, over: Partial<CachedToken> = {}): Promise<CachedToken> {
  const t: CachedToken = {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: oidc.secret('aoa-old'),
    expiresAt: time.clock.now() + leftMs,
    clientId: 'client-1',
    clientSecret: oidc.secret('csecret'),
    registrationExpiresAt: time.clock.now() + 30 * 86400_000,
    refreshToken: oidc.secret('aor-old'),
    ...over,
  };
  await writeTokenFile(home.paths, session, t);
  return (await auth().readToken(session))!;
}

const fresh = (rotate = true) => () => ({ accessToken: oidc.secret('aoa-new'), expiresIn: 3600, ...(rotate ? { refreshToken: oidc.secret('aor-new') } : {}) });
const onDisk = async () => JSON.parse(await readFile(tokenFilePath(home.paths, session), 'utf8')) as Record<string, string>;

async function rejectsWith(p: Promise<unknown>, code: SsoError['code']): Promise<SsoError> {
  const e = await p.then(() => assert.fail('expected a rejection'), (x: unknown) => x);
  assert.ok(isSsoError(e, code), `expected ${code}, got ${String(e)}`);
  return e as SsoError;
}

beforeEach(async () => {
  home = await tempHome();
  time = fakeTime();
  oidc = new ClientDouble();
  regions = [];
  logs = [];
});
afterEach(() => home.cleanup());

describe('getAccessToken', () => {
  test('no token file: NotSignedIn', async () => {
    await rejectsWith(auth().getAccessToken(session), 'NotSignedIn');
  });

  test('more than 15 minutes left: the cached token, no request', async () => {
    const t = await seed(15 * MIN + 1000);
    assert.deepEqual(await auth().getAccessToken(session), t);
    assert.equal(oidc.calls.length, 0);
  });

  test('under 15 minutes left: refresh_token grant, written back, rotation kept', async () => {
    const old = await seed(14 * MIN);
    oidc.on('CreateToken', script(fresh()));
    const t = await auth().getAccessToken(session);
    assert.deepEqual(oidc.calls[0].input, {
      grantType: 'refresh_token',
      clientId: 'client-1',
      clientSecret: old.clientSecret,
      refreshToken: old.refreshToken,
    });
    assert.deepEqual(regions, ['eu-central-1']);
    assert.notEqual(t.accessToken, old.accessToken);
    assert.equal(t.expiresAt, time.clock.now() + 3600_000);
    const disk = await onDisk();
    assert.deepEqual(Object.keys(disk), ['startUrl', 'region', 'accessToken', 'expiresAt', 'clientId', 'clientSecret', 'registrationExpiresAt', 'refreshToken']);
    assert.equal(disk.accessToken, t.accessToken);
    assert.equal(disk.refreshToken, t.refreshToken);
    assert.notEqual(disk.refreshToken, old.refreshToken);
    assert.equal(disk.clientSecret, old.clientSecret);
    assert.deepEqual(await auth().readToken(session), t);
    for (const line of logs) for (const s of oidc.issued) assert.ok(!line.includes(s));
  });

  test('a refresh token that is not rotated stays on disk', async () => {
    const old = await seed(MIN);
    oidc.on('CreateToken', script(fresh(false)));
    const t = await auth().getAccessToken(session);
    assert.equal(t.refreshToken, old.refreshToken);
    assert.equal((await onDisk()).refreshToken, old.refreshToken);
  });

  test('concurrent callers share one CreateToken', async () => {
    await seed(5 * MIN);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const answer = fresh();
    let entered!: () => void;
    const running = new Promise<void>((r) => (entered = r));
    oidc.on('CreateToken', async () => {
      entered();
      await gate;
      return answer();
    });
    const a = auth();
    const b = auth();
    const all = Promise.all([a.getAccessToken(session), a.getAccessToken(session), b.getAccessToken(session), a.getAccessToken(session)]);
    // Released only once the one CreateToken is under way: a caller arriving later joins it or
    // reads what it wrote, and neither may send a second request.
    await running;
    release();
    const tokens = await all;
    assert.equal(oidc.ops().filter((o) => o === 'CreateToken').length, 1);
    assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
  });

  test('one caller giving up does not cancel the shared refresh', async () => {
    await seed(5 * MIN);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const answer = fresh();
    let entered!: () => void;
    const running = new Promise<void>((r) => (entered = r));
    oidc.on('CreateToken', async () => {
      entered();
      await gate;
      return answer();
    });
    const ac = new AbortController();
    const quitter = auth().getAccessToken(session, { signal: ac.signal });
    const stayer = auth().getAccessToken(session);
    // The quitter gives up while the shared CreateToken is in flight.
    await running;
    ac.abort();
    await rejectsWith(quitter, 'Cancelled');
    release();
    assert.ok((await stayer).accessToken.startsWith('aoa-new'));
  });

  test('revoked refresh token with an expired access token: SessionEnded', async () => {
    await seed(-MIN);
    oidc.on('CreateToken', script(() => sdkError('InvalidGrantException')));
    const e = await rejectsWith(auth().getAccessToken(session), 'SessionEnded');
    for (const s of oidc.issued) assert.ok(!e.message.includes(s));
  });

  test('revoked refresh token with minutes left: the current token, no retry for a minute', async () => {
    const old = await seed(10 * MIN);
    oidc.on('CreateToken', script(() => sdkError('InvalidGrantException')));
    assert.equal((await auth().getAccessToken(session)).accessToken, old.accessToken);
    assert.equal((await auth().getAccessToken(session)).accessToken, old.accessToken);
    assert.equal(oidc.calls.length, 1);
    time.advance(61_000);
    await auth().getAccessToken(session);
    assert.equal(oidc.calls.length, 2);
  });

  test('a rejected client: SessionEnded', async () => {
    await seed(0);
    oidc.on('CreateToken', script(() => sdkError('InvalidClientException', 401)));
    await rejectsWith(auth().getAccessToken(session), 'SessionEnded');
  });

  test('an expired registration: SessionEnded without a request', async () => {
    await seed(-1000, { registrationExpiresAt: time.clock.now() - 1000 });
    await rejectsWith(auth().getAccessToken(session), 'SessionEnded');
    assert.equal(oidc.calls.length, 0);
  });

  test('an expired token without a refresh token (legacy CLI sign-in): SessionEnded', async () => {
    await seed(-1000, { refreshToken: undefined, clientId: undefined, clientSecret: undefined, registrationExpiresAt: undefined });
    await rejectsWith(auth().getAccessToken(session), 'SessionEnded');
    assert.equal(oidc.calls.length, 0);
  });

  test('the service unreachable and the token expired: Network', async () => {
    await seed(-1000);
    oidc.on('CreateToken', script(networkError));
    await rejectsWith(auth().getAccessToken(session), 'Network');
  });
});

describe('a sign-out wins over a refresh in flight', () => {
  test('in the same process: Sign Out while CreateToken is pending, the token file stays gone', async () => {
    await seed(5 * MIN);
    const held = heldCreateToken(fresh());
    const a = auth();
    const refreshing = a.getAccessToken(session);
    await held.called;
    await a.logout(session);
    assert.equal(await exists(tokenFilePath(home.paths, session)), false);
    held.release();
    await rejectsWith(refreshing, 'NotSignedIn');
    assert.equal(await exists(tokenFilePath(home.paths, session)), false, 'the refresh wrote the token file back after Sign Out');
    assert.deepEqual(await readdir(home.paths.ssoCacheDir).then((f) => f.filter((x) => x.endsWith('.tmp'))), []);
  });

  test('across processes: the token file deleted by another writer between the start and the write stays gone', async () => {
    await seed(5 * MIN);
    oidc.on('CreateToken', async () => {
      // Another process (`aws sso logout`, our CLI) removes the file while the request is out.
      await rm(tokenFilePath(home.paths, session));
      return fresh()();
    });
    await rejectsWith(auth().getAccessToken(session), 'NotSignedIn');
    assert.equal(await exists(tokenFilePath(home.paths, session)), false, 'the refresh wrote the token file back');
  });

  test('across processes: a token another writer put there meanwhile is kept, not overwritten', async () => {
    await seed(5 * MIN);
    let theirs: CachedToken | undefined;
    oidc.on('CreateToken', async () => {
      theirs = { startUrl: session.startUrl, region: session.region, accessToken: oidc.secret('aoa-theirs'), expiresAt: time.clock.now() + 8 * 3600_000 };
      await writeTokenFile(home.paths, session, theirs);
      return fresh()();
    });
    const t = await auth().getAccessToken(session);
    assert.equal((await onDisk()).accessToken, theirs!.accessToken);
    assert.equal(t.accessToken, theirs!.accessToken);
  });

  test('a token file gone before the refresh starts: NotSignedIn, no request, nothing written', async () => {
    await seed(5 * MIN);
    await rm(tokenFilePath(home.paths, session));
    oidc.on('CreateToken', script(fresh()));
    const ctx = { paths: home.paths, clock: time.clock, withClient: async <T>(_r: string, fn: (c: ClientDouble) => Promise<T>) => fn(oidc) };
    await rejectsWith(refreshToken(ctx, session), 'NotSignedIn');
    assert.equal(await exists(tokenFilePath(home.paths, session)), false);
    assert.equal(oidc.calls.length, 0);
  });
});

describe('refreshToken', () => {
  test('a token another process already refreshed is taken from disk without a request', async () => {
    const stale = await seed(2 * MIN);
    const newer = await seed(8 * 3600_000);
    const ctx = { paths: home.paths, clock: time.clock, withClient: async <T>(_r: string, fn: (c: ClientDouble) => Promise<T>) => fn(oidc) };
    const t = await refreshToken(ctx, session);
    assert.equal(t.accessToken, newer.accessToken);
    assert.equal(oidc.calls.length, 0);
  });
});
