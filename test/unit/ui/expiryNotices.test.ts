// The heads-up before a session ends and the notice at its end: when, how often (once per session
// and expiry), for which sessions (not those that renew themselves), with a fake clock and timers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExpiryNotice, ExpiryNotices, SHOWN_KEY } from '../../../src/ui/status/expiryNotices';
import type { SessionMemory } from '../../../src/ui/sessionMemory';
import type { SessionState } from '../../../src/ui/status/statusText';
import { FakeTimers } from '../../helpers/fakeTimers';

const MIN = 60_000;

function memory(): SessionMemory & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, JSON.parse(JSON.stringify(v))) };
}

function harness(states: SessionState[], opts: { warnMinutes?: number; focused?: boolean; mem?: SessionMemory; timers?: FakeTimers } = {}) {
  const timers = opts.timers ?? new FakeTimers();
  const shown: (ExpiryNotice & { at: number })[] = [];
  let focused = opts.focused ?? true;
  let warn = opts.warnMinutes ?? 30;
  const model = new ExpiryNotices({
    clock: timers.clock,
    timers,
    states: () => states,
    warnMinutes: () => warn,
    focused: () => focused,
    show: (n) => shown.push({ ...n, at: timers.clock.now() }),
    memory: opts.mem,
    since: timers.clock.now(),
  });
  return {
    model,
    timers,
    shown,
    setFocused: (f: boolean) => (focused = f),
    setWarn: (w: number) => (warn = w),
  };
}

const s = (name: string, expiresAt: number, refreshableUntil?: number): SessionState => ({ name, startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', expiresAt, refreshableUntil });

test('one heads-up the warning minutes before the end, one notice at the end, each once', async () => {
  const timers = new FakeTimers();
  const t0 = timers.clock.now();
  const states = [s('work', t0 + 2 * 60 * MIN)];
  const h = harness(states, { timers });
  h.model.update();
  assert.equal(h.shown.length, 0);
  assert.equal(h.model.nextWakeAt, t0 + 90 * MIN, 'one timer, at the heads-up');
  assert.equal(timers.pending, 1);
  await timers.advance(90 * MIN);
  assert.deepEqual(h.shown, [{ session: 'work', kind: 'ending', expiresAt: t0 + 120 * MIN, at: t0 + 90 * MIN }]);
  // Token re-reads, focus changes and settings changes update again: nothing is repeated.
  for (let i = 0; i < 3; i++) h.model.update();
  await timers.advance(29 * MIN);
  assert.equal(h.shown.length, 1);
  await timers.advance(1 * MIN);
  assert.deepEqual(h.shown.map((n) => [n.kind, n.at]), [['ending', t0 + 90 * MIN], ['ended', t0 + 120 * MIN]]);
  await timers.advance(600 * MIN);
  h.model.update();
  assert.equal(h.shown.length, 2, 'never repeated');
  assert.equal(timers.pending, 0, 'no timer left: nothing polls');

  // A new sign-in (a new expiry) re-arms both.
  states[0] = s('work', timers.clock.now() + 20 * MIN);
  h.model.update();
  assert.deepEqual(h.shown.slice(2).map((n) => n.kind), ['ending'], 'inside the window at once: the heads-up now');
});

test('never for a session that renews itself; a refused renewal, or a registration that runs out first, counts as not renewing', async () => {
  const timers = new FakeTimers();
  const t0 = timers.clock.now();
  const states = [s('renews', t0 + 60 * MIN, t0 + 90 * 24 * 60 * MIN), s('refused', t0 + 60 * MIN, t0 + 90 * 24 * 60 * MIN), s('registration', t0 + 60 * MIN, t0 + 40 * MIN)];
  const h = harness(states, { timers });
  h.model.update();
  await timers.advance(10 * MIN);
  assert.equal(h.shown.length, 0);
  // The status schedule's renewal was refused (SessionEnded): the session will end.
  h.model.renewalRefused('refused');
  assert.equal(h.shown.length, 0, 'the heads-up comes at its time');
  await timers.advance(20 * MIN);
  assert.deepEqual(h.shown.map((n) => [n.session, n.kind, n.at - t0]), [['refused', 'ending', 30 * MIN]]);
  await timers.advance(10 * MIN);
  assert.deepEqual(h.shown.map((n) => [n.session, n.kind, n.at - t0]), [['refused', 'ending', 30 * MIN], ['registration', 'ending', 40 * MIN]], 'at the registration\'s end, 20 minutes were left');
  await timers.advance(60 * MIN);
  assert.deepEqual(h.shown.filter((n) => n.kind === 'ended').map((n) => n.session).sort(), ['refused', 'registration']);
  assert.ok(!h.shown.some((n) => n.session === 'renews'), 'the renewing session: nothing');
});

test('not focused at the heads-up: quiet (the status bar shows it), and the end is still told', async () => {
  const timers = new FakeTimers();
  const t0 = timers.clock.now();
  const h = harness([s('work', t0 + 40 * MIN)], { timers, focused: false });
  h.model.update();
  await timers.advance(10 * MIN);
  assert.equal(h.shown.length, 0);
  h.setFocused(true);
  h.model.update();
  assert.equal(h.shown.length, 0, 'not shown late on coming back');
  await timers.advance(30 * MIN);
  assert.deepEqual(h.shown.map((n) => n.kind), ['ended']);
});

test('0 minutes turns both off; a session that ended before the window watched gets nothing', async () => {
  const timers = new FakeTimers();
  const t0 = timers.clock.now();
  const off = harness([s('work', t0 + 10 * MIN)], { timers, warnMinutes: 0 });
  off.model.update();
  assert.equal(timers.pending, 0);
  await timers.advance(20 * MIN);
  assert.equal(off.shown.length, 0);
  const old = harness([s('yesterday', t0 - 12 * 60 * MIN)], { timers: new FakeTimers(t0) });
  old.model.update();
  assert.equal(old.shown.length, 0);
});

test('what was shown is remembered (per session and expiry) for the next start and the other windows', async () => {
  const mem = memory();
  const timers = new FakeTimers();
  const t0 = timers.clock.now();
  const states = [s('work', t0 + 10 * MIN)];
  const first = harness(states, { timers, mem });
  first.model.update();
  assert.equal(first.shown.length, 1);
  first.model.dispose();
  const second = harness(states, { timers, mem });
  second.model.update();
  assert.equal(second.shown.length, 0, 'a restart does not show it again');
  assert.deepEqual(mem.data.get(SHOWN_KEY), [`work@${t0 + 10 * MIN}#ending`]);
  // Signed out: what was remembered of it goes.
  states.length = 0;
  second.model.update();
  assert.deepEqual(mem.data.get(SHOWN_KEY), []);
});
