// The status schedule: one timer at the next change, renewals inside the refresh window, with a fake clock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REFRESH_WINDOW_MS } from '../../../src/core/auth/renewable';
import { StatusSchedule } from '../../../src/ui/status/statusSchedule';
import type { SessionState } from '../../../src/ui/status/statusText';

const T0 = Date.UTC(2025, 0, 1, 9, 0, 0);
/** A renewal that did not help is tried again after a minute. */
const RENEW_RETRY_MS = 60_000;

function harness(states: SessionState[], opts: { warnMinutes?: number; activeProfile?: string } = {}) {
  let now = T0;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const renewed: string[] = [];
  let fired = 0;
  const model = new StatusSchedule({
    clock: { now: () => now },
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return { dispose: () => (t.live = false) };
    },
    states: () => states,
    options: () => ({ warnMinutes: opts.warnMinutes ?? 30, activeProfile: opts.activeProfile }),
    translate: (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)])),
    renew: async (name) => {
      renewed.push(name);
    },
  });
  const live = () => timers.filter((t) => t.live);
  /** Runs the clock to `to`, firing the live timer(s) on the way. */
  const advance = async (to: number) => {
    for (;;) {
      const next = live().sort((a, b) => a.at - b.at)[0];
      if (!next || next.at > to) break;
      now = next.at;
      next.live = false;
      fired++;
      next.fn();
      await new Promise((r) => setImmediate(r));
    }
    now = to;
  };
  return { model, live, advance, renewed, setNow: (n: number) => (now = n), now: () => now, fired: () => fired };
}

/** A client registration that outlives every test (90 days). */
const RENEWABLE = T0 + 90 * 24 * 3_600_000;
const session = (extra: Partial<SessionState> = {}): SessionState => ({ name: 'org', startUrl: 'https://d-1.awsapps.com/start', region: 'us-east-1', ...extra });

test('one timer at a time, set at the next visible change: a minute away with hours left', () => {
  const h = harness([session({ expiresAt: T0 + 7 * 3_600_000 + 42 * 60_000 + 30_000 })]);
  h.model.update();
  assert.equal(h.model.current.text, 'AWS SSO: 7h 42m');
  assert.equal(h.model.current.severity, 'ok');
  assert.equal(h.live().length, 1);
  assert.equal(h.live()[0].at, T0 + 30_001);
  h.model.update();
  assert.equal(h.live().length, 1, 'an update replaces the timer');
});

test('counts down, warns under the threshold, then turns to error at expiry', async () => {
  const h = harness([session({ expiresAt: T0 + 31 * 60_000 })]);
  const seen: string[] = [];
  h.model.onDidChange((v) => seen.push(`${v.text}|${v.severity}`));
  h.model.update();
  assert.deepEqual(seen, ['AWS SSO: 31m|ok']);
  await h.advance(T0 + 60_001 + 1);
  assert.equal(h.model.current.text, 'AWS SSO: 29m');
  assert.equal(h.model.current.severity, 'warning');
  await h.advance(T0 + 31 * 60_000);
  assert.equal(h.model.current.text, 'AWS SSO: expired');
  assert.equal(h.model.current.severity, 'error');
  assert.equal(h.live().length, 0, 'nothing left to wait for');
  // 30 minute steps, then 60 second steps in the last minute: every wake-up changed the text.
  assert.ok(seen.length <= 92, `${seen.length} updates for 31 minutes`);
  assert.ok(h.fired() <= seen.length, `${h.fired()} wake-ups for ${seen.length} changes`);
});

test('the active profile is shown', () => {
  const h = harness([session({ expiresAt: T0 + 3_600_000 })], { activeProfile: 'dev' });
  h.model.update();
  assert.equal(h.model.current.text, 'AWS SSO: 1h 0m · dev');
});

test('a refreshable token is renewed inside the refresh window, quietly, and retried a minute later', async () => {
  const expiresAt = T0 + 60 * 60_000;
  const states = [session({ expiresAt, refreshableUntil: RENEWABLE })];
  const h = harness(states);
  h.model.update();
  assert.deepEqual(h.renewed, []);
  assert.ok(h.live()[0].at <= expiresAt - REFRESH_WINDOW_MS + 5_000);
  await h.advance(expiresAt - REFRESH_WINDOW_MS + 5_000);
  assert.deepEqual(h.renewed, ['org']);
  // Still the same token (the renewal failed): tried again after a minute, not before.
  await h.advance(expiresAt - REFRESH_WINDOW_MS + 5_000 + RENEW_RETRY_MS - 1_000);
  assert.deepEqual(h.renewed, ['org']);
  await h.advance(expiresAt - REFRESH_WINDOW_MS + 5_000 + RENEW_RETRY_MS);
  assert.deepEqual(h.renewed, ['org', 'org']);
  // Renewed: a new expiry, nothing more until its own window.
  states[0] = session({ expiresAt: expiresAt + 8 * 3_600_000, refreshableUntil: RENEWABLE });
  h.model.update();
  await h.advance(h.now() + 2 * RENEW_RETRY_MS);
  assert.deepEqual(h.renewed, ['org', 'org']);
});

test('tokens without a refresh token, or whose registration expired, are never renewed', async () => {
  const h = harness([
    session({ name: 'a', expiresAt: T0 + 5 * 60_000 }),
    session({ name: 'b', expiresAt: T0 + 5 * 60_000, refreshableUntil: T0 - 1 }),
  ]);
  h.model.update();
  await h.advance(T0 + 10 * 60_000);
  assert.deepEqual(h.renewed, []);
});

test("three sessions: one wake-up a minute, at the bar's change, with every tooltip line worked out again then", async () => {
  const at = (h: number, s: number) => T0 + h * 3_600_000 + s * 1000;
  const states = [session({ name: 'a', expiresAt: at(8, 17) }), session({ name: 'b', expiresAt: at(9, 36) }), session({ name: 'c', expiresAt: at(10, 55) })];
  const h = harness(states);
  h.model.update();
  assert.equal(h.live()[0].at, T0 + 17_001, "the bar's own change (a, shown)");
  await h.advance(T0 + 17_001);
  assert.equal(h.live()[0].at, T0 + 60_000 + 17_001, "b's and c's lines wait for the next tick, less than a minute away");
  const left = () => h.model.current.tooltip.map((l) => l.replace(/^.*expires in /, ''));
  assert.deepEqual(left(), ['7h 59m', '9h 0m', '10h 0m']);
  await h.advance(T0 + 10 * 60_000);
  assert.equal(h.fired(), 10, 'ten wake-ups in ten minutes, not thirty');
  // As of the last tick (+9m 17s): b's line is 36 s behind now, never more than a minute.
  assert.deepEqual(left(), ['7h 50m', '8h 51m', '9h 51m']);
});

test("a change of the tooltip alone wakes on its own when the bar's next change is more than a minute away", () => {
  // Days left: the bar changes at +30 min (2d 12h → 2d 11h); b's line (4d 4h) at +20 s.
  const h = harness([session({ name: 'a', expiresAt: T0 + 60 * 3_600_000 + 30 * 60_000 }), session({ name: 'b', expiresAt: T0 + 100 * 3_600_000 + 20_000 })]);
  h.model.update();
  assert.equal(h.model.current.text, 'AWS SSO: 2d 12h');
  assert.equal(h.live()[0].at, T0 + 20_001);
});

test('dispose stops the timer and the listeners', () => {
  const h = harness([session({ expiresAt: T0 + 3_600_000 })]);
  let calls = 0;
  h.model.onDidChange(() => calls++);
  h.model.update();
  h.model.dispose();
  h.model.update();
  assert.equal(h.live().length, 0);
  assert.equal(calls, 1);
});
