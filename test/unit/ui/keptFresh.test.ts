// The kept-fresh manager on fake timers: written at once, renewed RENEW_MARGIN_MS before expiry,
// removed on sign-out (and written again after sign-in), on turning off and synchronously at
// shutdown; a crash's leftovers removed at start; a refused name remembered nowhere.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { writeKeptFreshSection } from '../../../src/core/credentials';
import { SsoError } from '../../../src/core/errors';
import type { RoleCredentials } from '../../../src/core/types';
import type { App } from '../../../src/ui/app';
import { KeptFresh, RENEW_MARGIN_MS } from '../../../src/ui/keptFresh';
import { KEPT_FRESH_STATE_KEY, keptFreshWiring } from '../../../src/ui/keptFreshState';
import { FakeTimers } from '../../helpers/fakeTimers';
import { TempHome, tempHome } from '../../helpers/tempHome';

const HAND = '# mine\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = hand\n';
const HOUR = 3600_000;

let home: TempHome;
let timers: FakeTimers;
let phase: 'signedIn' | 'signedOut';
let issued: number;
let listeners: Array<() => void>;
let state: Map<string, unknown>;
let logs: string[];
let failNext: SsoError | undefined;

function fakeApp(): App {
  const session = { name: 'corp', startUrl: 'https://x.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
  return {
    context: { subscriptions: [] },
    state: { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => void state.set(k, v) },
    log: { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) },
    services: {
      paths: home.paths,
      auth: {
        getAccessToken: async () => {
          if (phase === 'signedOut') throw new SsoError('NotSignedIn', 'Not signed in.');
          return { accessToken: 'tok' };
        },
      },
      portal: () => ({
        getRoleCredentials: async (): Promise<RoleCredentials> => {
          if (failNext) {
            const e = failNext;
            failNext = undefined;
            throw e;
          }
          issued++;
          return { accessKeyId: `ASIAFRESH${issued}`, secretAccessKey: `secret-${issued}`, sessionToken: `token-${issued}`, expiration: timers.clock.now() + HOUR };
        },
      }),
    },
    store: {
      sessions: [session],
      phase: () => phase,
      onDidChange: (fn: () => void) => {
        listeners.push(fn);
        return { dispose: () => undefined };
      },
    },
  } as unknown as App;
}

const text = () => readFile(home.paths.credentialsFile, 'utf8');
const entry = { name: 'fresh', session: 'corp', accountId: '111111111111', roleName: 'Dev' };

beforeEach(async () => {
  home = await tempHome();
  await mkdir(dirname(home.paths.credentialsFile), { recursive: true });
  await writeFile(home.paths.credentialsFile, HAND);
  timers = new FakeTimers();
  phase = 'signedIn';
  issued = 0;
  listeners = [];
  state = new Map();
  logs = [];
  failNext = undefined;
});
afterEach(() => home.cleanup());

test('written at once, renewed before expiry by its one timer, removed when turned off', async () => {
  const m = new KeptFresh(fakeApp(), timers, timers.clock);
  const s = await m.add(entry);
  assert.equal(s.expiresAt, timers.clock.now() + HOUR);
  assert.match(await text(), /aws_access_key_id = ASIAFRESH1\n/);
  assert.equal(timers.pending, 1);
  assert.deepEqual(state.get(KEPT_FRESH_STATE_KEY), [entry]);

  await timers.advance(HOUR - RENEW_MARGIN_MS - 1);
  assert.equal(issued, 1, 'not before the margin');
  await timers.advance(1);
  assert.equal(issued, 2);
  const t2 = await text();
  assert.match(t2, /aws_access_key_id = ASIAFRESH2\n/);
  assert.ok(!t2.includes('ASIAFRESH1'));
  assert.equal(timers.pending, 1, 'one timer per profile');

  await m.remove('fresh');
  assert.equal(await text(), HAND);
  assert.equal(timers.pending, 0);
  assert.deepEqual(state.get(KEPT_FRESH_STATE_KEY), []);
  assert.deepEqual(m.status(), []);
});

test('sign-out removes the section; the next sign-in writes it again', async () => {
  const m = new KeptFresh(fakeApp(), timers, timers.clock);
  await m.add(entry);
  phase = 'signedOut';
  await m.signedOut('corp');
  assert.equal(await text(), HAND);
  assert.equal(m.status()[0].waiting, true);
  assert.equal(timers.pending, 0);
  phase = 'signedIn';
  for (const l of listeners) l();
  // The renewal runs on its own: wait for its file write (each turn is one step of its chain).
  for (let i = 0; i < 1000 && !(await text()).includes('ASIAFRESH2'); i++) await new Promise((r) => setImmediate(r));
  assert.match(await text(), /ASIAFRESH2/);
  assert.equal(m.status()[0].waiting, false);
});

test('a renewal that finds the session ended removes the keys; a network failure keeps them and tries again', async () => {
  const m = new KeptFresh(fakeApp(), timers, timers.clock);
  await m.add(entry);
  failNext = new SsoError('Network', 'unreachable');
  await timers.advance(HOUR - RENEW_MARGIN_MS);
  assert.match(await text(), /ASIAFRESH1/, 'the still-valid keys stay');
  await timers.advance(60_000);
  assert.match(await text(), /ASIAFRESH2/);
  phase = 'signedOut';
  await timers.advance(HOUR);
  assert.equal(await text(), HAND);
  assert.equal(m.status()[0].waiting, true);
});

test('at start: a crash\u2019s leftover section goes, the remembered ones are written afresh', async () => {
  await writeKeptFreshSection(home.paths.credentialsFile, 'leftover', { accessKeyId: 'ASIAOLD', secretAccessKey: 'old', sessionToken: 'old', expiration: 0 });
  await writeKeptFreshSection(home.paths.credentialsFile, 'fresh', { accessKeyId: 'ASIAOLD2', secretAccessKey: 'old', sessionToken: 'old', expiration: 0 });
  state.set(KEPT_FRESH_STATE_KEY, [entry]);
  const m = new KeptFresh(fakeApp(), timers, timers.clock);
  await m.start();
  const t = await text();
  assert.ok(!t.includes('[leftover]') && !t.includes('ASIAOLD'));
  assert.match(t, /\[fresh\]\naws_access_key_id = ASIAFRESH1\n/);
});

test('shutdown removes every section synchronously (deactivate calls the wiring)', async () => {
  const m = new KeptFresh(fakeApp(), timers, timers.clock);
  await m.add(entry);
  await m.add({ ...entry, name: 'fresh2' });
  keptFreshWiring.removeAllSync?.();
  assert.equal(await text(), HAND);
  assert.equal(timers.pending, 0);
  m.dispose();
  assert.equal(keptFreshWiring.removeAllSync, undefined);
});

test('closing one of two windows that keep the sections fresh leaves them; closing the last removes them', async () => {
  const dir = join(home.dir, 'globalStorage', 'kept-fresh-windows');
  const running = new Set([1001, 1002]);
  const isAlive = (pid: number) => running.has(pid);
  const a = new KeptFresh(fakeApp(), timers, timers.clock, { dir, pid: 1001, isAlive });
  const b = new KeptFresh(fakeApp(), timers, timers.clock, { dir, pid: 1002, isAlive });
  await a.add(entry);
  await b.start();
  a.removeAllSync();
  running.delete(1001);
  assert.match(await text(), /\[fresh\]\naws_access_key_id = ASIAFRESH2\n/, 'the other window still keeps it');
  assert.ok(logs.some((l) => l.includes('another window keeps')), logs.join('\n'));
  b.removeAllSync();
  assert.equal(await text(), HAND);
  a.dispose();
  b.dispose();
});

test("a window that crashed while keeping them does not hold the sections back", async () => {
  const dir = join(home.dir, 'globalStorage', 'kept-fresh-windows');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '4242'), '');
  const m = new KeptFresh(fakeApp(), timers, timers.clock, { dir, pid: 1001, isAlive: (pid) => pid === 1001 });
  await m.add(entry);
  m.removeAllSync();
  assert.equal(await text(), HAND);
  m.dispose();
});

test('a name holding long-term keys is refused and remembered nowhere; no secret in the log', async () => {
  const m = new KeptFresh(fakeApp(), timers, timers.clock);
  await assert.rejects(m.add({ ...entry, name: 'default' }), /long-term access keys/);
  assert.equal(state.get(KEPT_FRESH_STATE_KEY), undefined);
  assert.equal(await text(), HAND);
  await m.add(entry);
  await timers.advance(HOUR);
  for (const l of logs) assert.ok(!/secret-|token-/.test(l), l);
});
