// What the extension costs while nothing happens (issue 10): the parts that schedule timers or
// listen to the file system, wired as the extension wires them, run for ten idle minutes on
// virtual time with three signed-in sessions; every wake-up is counted by source (core/wakeUps.ts).
// Only the status bar's minute ticks may wake anything; no polling.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ListingCache } from '../../../src/core/portal/listingCache';
import type { Account, Role } from '../../../src/core/types';
import { WakeUps } from '../../../src/core/wakeUps';
import { watchTokenCache, WatchFs } from '../../../src/core/watch';
import type { Services } from '../../../src/ui/services';
import type { UiSession } from '../../../src/ui/sessionsModel';
import { StatusSchedule } from '../../../src/ui/status/statusSchedule';
import type { SessionState } from '../../../src/ui/status/statusText';
import { TreeListings } from '../../../src/ui/tree/listings';
import { FakeTimers } from '../../helpers/fakeTimers';
import { tempHome } from '../../helpers/tempHome';

const MIN = 60_000;
const H = 60 * MIN;
const REPO = join(__dirname, '..', '..', '..');
const settle = () => new Promise((r) => setImmediate(r));

/** fs.watch that never reports anything: nothing changes on disk while idle. */
function quietFsWatch(): WatchFs {
  return () => {
    const e = new EventEmitter() as EventEmitter & { close(): void };
    e.close = () => undefined;
    return e as unknown as FSWatcher;
  };
}

const sessions: UiSession[] = ['dev', 'prod', 'sandbox'].map((name, i) => ({
  name,
  startUrl: `https://d-${i + 1}.awsapps.com/start`,
  region: 'us-east-1',
  scopes: ['sso:account:access'],
  source: 'config',
}));

/** The listings of the tree for these sessions, every account and role already listed (the view was used). */
async function listedTree(timers: ReturnType<WakeUps['timers']>, clock: FakeTimers['clock']) {
  const accounts: Account[] = Array.from({ length: 5 }, (_, i) => ({ accountId: String(100000000000 + i), accountName: `acct-${i}` }));
  const portal = {
    listAccounts: async () => accounts,
    listRoles: async (_t: string, accountId: string): Promise<Role[]> => [{ accountId, roleName: 'ReadOnly' }],
    rateLimiter: { concurrency: 2 },
  };
  const services = {
    auth: { getAccessToken: async () => ({ accessToken: 'token' }) },
    portal: () => portal,
    listings: new ListingCache({ clock }),
  } as unknown as Pick<Services, 'auth' | 'portal' | 'listings'>;
  const listings = new TreeListings(
    services,
    { redrawSession: () => undefined, rolesSettled: () => undefined, accountsProgress: () => undefined, prefetchProgress: () => undefined, signedOut: () => undefined, warn: () => undefined },
    { timers, clock },
  );
  for (const s of sessions) await listings.get(s).prefetchRoles();
  return listings;
}

test('ten idle minutes, three signed-in sessions: only the status bar ticks, once a minute at most; no polling', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  await mkdir(home.paths.ssoCacheDir, { recursive: true });
  const timers = new FakeTimers();
  const T0 = timers.clock.now();
  const wake = new WakeUps(timers);

  // The token cache, as SessionStore.watch() follows it (the extension's defaults).
  let tokenReloads = 0;
  const watcher = watchTokenCache(home.paths.ssoCacheDir, () => void tokenReloads++, {
    timers: wake.timers('tokens'),
    watchFs: wake.watchFs('tokens.fs', quietFsWatch()),
  });
  t.after(() => watcher.dispose());
  await watcher.ready;

  // The status bar, as createStatusSchedule wires it: three sessions expiring hours apart, at
  // different seconds of the minute (each one's countdown in the tooltip ticks at its own second).
  const states: SessionState[] = sessions.map((s, i) => ({ name: s.name, startUrl: s.startUrl, region: s.region, expiresAt: T0 + (8 + i) * H + (17 + 19 * i) * 1000 }));
  const statusTimers = wake.timers('status');
  const renewed: string[] = [];
  const status = new StatusSchedule({
    clock: timers.clock,
    setTimer: (fn, ms) => statusTimers.timeout(fn, ms),
    states: () => states,
    options: () => ({ warnMinutes: 30 }),
    translate: (m, ...a) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)])),
    renew: async (name) => void renewed.push(name),
    onWake: () => undefined,
  });
  t.after(() => status.dispose());
  status.update();

  // The tree, open and fully listed before the idle time starts.
  const tree = await listedTree(wake.timers('tree'), timers.clock);
  t.after(() => tree.dispose());
  await settle();
  await timers.advance(1_000);

  const before = wake.snapshot();
  const textsSeen = new Set<string>();
  const tooltipsSeen = new Set<string>();
  status.onDidChange((v) => {
    textsSeen.add(v.text);
    tooltipsSeen.add(v.tooltip.join('\n'));
  });
  await timers.advance(10 * MIN);
  const after = wake.snapshot();
  const during = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]).filter(([, n]) => n !== 0));

  assert.deepEqual(Object.keys(during).filter((k) => k !== 'status'), [], `only status ticks wake up; counted ${JSON.stringify(during)}`);
  assert.ok((during.status ?? 0) <= 10, `at most one status tick a minute: ${during.status} in 10 minutes`);
  assert.deepEqual(renewed, [], 'no renewal is due');
  assert.equal(tokenReloads, 0, 'nothing changed on disk, nothing re-read');
  // The countdown still moves: each minute the text and every tooltip line show the time left.
  assert.ok(textsSeen.size >= 9, `the text changed each minute: ${[...textsSeen].join(', ')}`);
  assert.ok(tooltipsSeen.size >= 9);
  assert.equal(timers.pending, 1, 'one timer left: the next status tick');
});

test('no setInterval anywhere in src: repeating work goes through the Timers port (core/timers.ts) only', () => {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith(join('core', 'timers.ts')) && /\bsetInterval\s*\(/.test(readFileSync(p, 'utf8'))) found.push(p);
    }
  };
  walk(join(REPO, 'src'));
  assert.deepEqual(found, []);
});
