// The status bar's words at fixed times, and that nextChangeAt (and nextBarChangeAt for the bar
// itself) names exactly the next change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeStatus as describe, SessionState, StatusOptions } from '../../../src/ui/status/statusText';

/** English, as vscode.l10n.t gives it without a translation. */
const t = (m: string, ...args: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
const describeStatus = (states: SessionState[], now: number, o: StatusOptions) => describe(states, now, o, t);
/** The time left in words, as the screen-reader label spells it. */
const spellRemaining = (expiresAt: number, now: number) =>
  describeStatus([session('x', expiresAt - T0)], now, opts).accessibilityLabel.replace(/^AWS SSO session x expires in /, '');

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;

function session(name: string, expiresIn: number | undefined, refreshable = false, extra: Partial<SessionState> = {}): SessionState {
  return {
    name,
    startUrl: `https://${name}.awsapps.com/start`,
    region: 'eu-west-1',
    ...(expiresIn === undefined ? {} : { expiresAt: T0 + expiresIn }),
    // A renewable session's registration lasts 90 days unless the case says otherwise.
    ...(refreshable ? { refreshableUntil: T0 + 90 * 24 * H } : {}),
    ...extra,
  };
}

const opts: StatusOptions = { warnMinutes: 15 };

test('one signed-in session: remaining time, ok, full-word label', () => {
  const v = describeStatus([session('my-sso', 7 * H + 42 * MIN + 30_000)], T0, opts);
  assert.equal(v.text, 'AWS SSO: 7h 42m');
  assert.equal(v.severity, 'ok');
  assert.equal(v.accessibilityLabel, 'AWS SSO session my-sso expires in 7 hours 42 minutes');
  assert.deepEqual(v.tooltip, ['my-sso (my-sso.awsapps.com, eu-west-1): expires in 7h 42m']);
  // 7h 42m 30s left: the text turns to 7h 41m when less than 7h 42m remains.
  assert.equal(v.nextChangeAt, T0 + 30_000 + 1);
});

test('the soonest-expiring signed-in session is shown; signed-out ones only in the tooltip', () => {
  const v = describeStatus([session('a', 5 * H), session('b', 2 * H + 5 * MIN), session('c', undefined)], T0, opts);
  assert.equal(v.text, 'AWS SSO: 2h 5m');
  assert.match(v.accessibilityLabel, /session b expires in 2 hours 5 minutes/);
  assert.equal(v.tooltip.length, 3);
  assert.match(v.tooltip[2], /^c .*signed out$/);
});

test('active profile is appended to text, tooltip and label', () => {
  const v = describeStatus([session('my-sso', 3 * H)], T0, { ...opts, activeProfile: 'dev-admin' });
  assert.equal(v.text, 'AWS SSO: 3h 0m · dev-admin');
  assert.equal(v.tooltip.at(-1), 'Active profile: dev-admin');
  assert.equal(v.accessibilityLabel, 'AWS SSO session my-sso expires in 3 hours, profile dev-admin active');
});

test('signed out: no sessions, or none with a token', () => {
  const none = describeStatus([], T0, opts);
  assert.equal(none.text, 'AWS SSO: signed out');
  assert.equal(none.severity, 'none');
  assert.equal(none.nextChangeAt, undefined);
  assert.equal(none.tooltip.length, 1);
  const one = describeStatus([session('x', undefined)], T0, { ...opts, activeProfile: 'p' });
  assert.equal(one.text, 'AWS SSO: signed out · p');
  assert.equal(one.accessibilityLabel, 'AWS SSO session x is signed out, profile p active');
  assert.equal(one.nextChangeAt, undefined);
});

test('expired: error, or warning when it renews on next use', () => {
  const dead = describeStatus([session('x', -MIN)], T0, opts);
  assert.equal(dead.text, 'AWS SSO: expired');
  assert.equal(dead.severity, 'error');
  assert.match(dead.accessibilityLabel, /x has expired, sign in again/);
  assert.equal(dead.nextChangeAt, undefined);
  const renews = describeStatus([session('x', -MIN, true)], T0, opts);
  assert.equal(renews.severity, 'warning');
  assert.match(renews.tooltip[0], /renews on next use/);
  // Exactly at expiresAt the token counts as expired.
  assert.equal(describeStatus([session('x', 0)], T0, opts).text, 'AWS SSO: expired');
});

test('a valid session wins over an expired one for the text', () => {
  const v = describeStatus([session('old', -H), session('new', 4 * H)], T0, opts);
  assert.equal(v.text, 'AWS SSO: 4h 0m');
  assert.equal(v.severity, 'ok');
  assert.match(v.tooltip[0], /old .*expired, sign in again/);
});

test('warning under warnMinutes, unless the session renews itself', () => {
  assert.equal(describeStatus([session('x', 15 * MIN)], T0, opts).severity, 'ok');
  const w = describeStatus([session('x', 15 * MIN - 1)], T0, opts);
  assert.equal(w.severity, 'warning');
  assert.equal(w.text, 'AWS SSO: 14m');
  assert.match(w.tooltip[0], /sign in again soon/);
  const r = describeStatus([session('x', 5 * MIN, true)], T0, opts);
  assert.equal(r.severity, 'ok');
  assert.match(r.accessibilityLabel, /renews automatically/);
});

test('a renewal that runs out (registration expiry) no longer saves it from the warning', () => {
  const s = session('x', 10 * MIN, true, { refreshableUntil: T0 + 2 * MIN });
  const v = describeStatus([s], T0, opts);
  assert.equal(v.severity, 'ok');
  assert.equal(describeStatus([s], T0 + 2 * MIN, opts).severity, 'warning');
  // The text changes at T0 + 1 ms (10m 0s → 9m) anyway, before the registration ends.
  assert.equal(v.nextChangeAt, T0 + 1);
  // From a time where the next minute boundary lies after the registration's end.
  const later = describeStatus([s], T0 + MIN + 1, opts);
  assert.equal(later.nextChangeAt, T0 + 2 * MIN);
});

test('a session about to lapse is shown before a renewing one that expires sooner', () => {
  const v = describeStatus([session('auto', 3 * MIN, true), session('manual', 10 * MIN)], T0, opts);
  assert.equal(v.text, 'AWS SSO: 10m');
  assert.equal(v.severity, 'warning');
});

test('activeSession picks the described session', () => {
  const states = [session('a', H), session('b', 5 * H)];
  assert.equal(describeStatus(states, T0, { ...opts, activeSession: 'b' }).text, 'AWS SSO: 5h 0m');
  assert.equal(describeStatus(states, T0, { ...opts, activeSession: 'gone' }).text, 'AWS SSO: 1h 0m');
  const signedOut = describeStatus([session('a', H), session('b', undefined)], T0, { ...opts, activeSession: 'b' });
  assert.equal(signedOut.text, 'AWS SSO: signed out');
});

test('seconds, days, and words for each', () => {
  assert.equal(describeStatus([session('x', 45_500)], T0, opts).text, 'AWS SSO: 45s');
  assert.equal(describeStatus([session('x', 45_500)], T0, opts).nextChangeAt, T0 + 501);
  assert.equal(describeStatus([session('x', 500)], T0, opts).nextChangeAt, T0 + 500);
  assert.equal(describeStatus([session('x', 50 * H + 10 * MIN)], T0, opts).text, 'AWS SSO: 2d 2h');
  assert.equal(describeStatus([session('x', 50 * H + 10 * MIN)], T0, opts).nextChangeAt, T0 + 10 * MIN + 1);
  assert.equal(spellRemaining(T0 + 61_000, T0), '1 minute');
  assert.equal(spellRemaining(T0 + H + MIN, T0), '1 hour 1 minute');
  assert.equal(spellRemaining(T0 + 1_000, T0), '1 second');
  assert.equal(spellRemaining(T0 + 49 * H, T0), '2 days 1 hour');
  assert.equal(spellRemaining(T0 + 72 * H, T0), '3 days');
});

// A small deterministic generator, so a failure is reproducible.
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

test('nextChangeAt is exact: nothing changes before it, something changes at it', () => {
  const rnd = lcg(42);
  const strip = (v: ReturnType<typeof describeStatus>) => ({ ...v, nextChangeAt: undefined });
  let checked = 0;
  for (let i = 0; i < 400; i++) {
    const n = 1 + Math.floor(rnd() * 3);
    const states: SessionState[] = [];
    for (let k = 0; k < n; k++) {
      const r = rnd();
      // Mix of: signed out, expired, seconds, minutes, hours and days left.
      const spans = [undefined, -5 * MIN, 50_000, 20 * MIN, 5 * H, 60 * H];
      const span = spans[Math.floor(r * spans.length)];
      const expiresIn = span === undefined ? undefined : Math.floor(span * (0.5 + rnd()));
      const refreshable = rnd() < 0.4;
      const extra = refreshable && rnd() < 0.5 ? { refreshableUntil: T0 + Math.floor(rnd() * 30 * MIN) } : {};
      states.push(session(`s${k}`, expiresIn, refreshable, extra));
    }
    const o: StatusOptions = { warnMinutes: [0, 15, 60][Math.floor(rnd() * 3)], activeProfile: rnd() < 0.3 ? 'p' : undefined };
    const now = T0 + Math.floor(rnd() * 1000);
    const v = describeStatus(states, now, o);
    if (v.nextChangeAt === undefined) {
      // Nothing should change even much later, as long as no token is valid or renewal runs out.
      continue;
    }
    assert.ok(v.nextChangeAt > now, 'in the future');
    assert.deepEqual(strip(describeStatus(states, v.nextChangeAt - 1, o)), strip(v), `unchanged just before (case ${i})`);
    assert.notDeepEqual(strip(describeStatus(states, v.nextChangeAt, o)), strip(v), `changed at (case ${i})`);
    checked++;
  }
  assert.ok(checked > 200, `enough cases had a next change (${checked})`);
});

test('nextBarChangeAt is exact for the bar itself: text, colour and label stay until it and change at it; the tooltip alone does not count', () => {
  const rnd = lcg(7);
  const bar = (v: ReturnType<typeof describeStatus>) => [v.text, v.severity, v.accessibilityLabel];
  let checked = 0;
  let tooltipFirst = 0;
  for (let i = 0; i < 400; i++) {
    const n = 1 + Math.floor(rnd() * 3);
    const states: SessionState[] = [];
    for (let k = 0; k < n; k++) {
      const spans = [undefined, -5 * MIN, 50_000, 20 * MIN, 5 * H, 60 * H];
      const span = spans[Math.floor(rnd() * spans.length)];
      const expiresIn = span === undefined ? undefined : Math.floor(span * (0.5 + rnd()));
      const refreshable = rnd() < 0.4;
      const extra = refreshable && rnd() < 0.5 ? { refreshableUntil: T0 + Math.floor(rnd() * 30 * MIN) } : {};
      states.push(session(`s${k}`, expiresIn, refreshable, extra));
    }
    const o: StatusOptions = { warnMinutes: [0, 15, 60][Math.floor(rnd() * 3)], activeProfile: rnd() < 0.3 ? 'p' : undefined };
    const now = T0 + Math.floor(rnd() * 1000);
    const v = describeStatus(states, now, o);
    if (v.nextBarChangeAt === undefined) continue;
    assert.ok(v.nextChangeAt !== undefined && v.nextChangeAt <= v.nextBarChangeAt, `no sooner than any change (case ${i})`);
    assert.deepEqual(bar(describeStatus(states, v.nextBarChangeAt - 1, o)), bar(v), `bar unchanged just before (case ${i})`);
    assert.notDeepEqual(bar(describeStatus(states, v.nextBarChangeAt, o)), bar(v), `bar changed at (case ${i})`);
    if (v.nextChangeAt < v.nextBarChangeAt) tooltipFirst++;
    checked++;
  }
  assert.ok(checked > 200, `enough cases had a next bar change (${checked})`);
  assert.ok(tooltipFirst > 20, `enough cases where the tooltip changes first (${tooltipFirst})`);
});

test("three sessions: the tooltip changes at each one's second of the minute, the bar only at the one it shows", () => {
  const states = [session('a', 8 * H + 17_000), session('b', 9 * H + 36_000), session('c', 10 * H + 55_000)];
  const v = describeStatus(states, T0, opts);
  assert.equal(v.text, 'AWS SSO: 8h 0m');
  assert.equal(v.nextChangeAt, T0 + 17_001);
  assert.equal(v.nextBarChangeAt, T0 + 17_001);
  const w = describeStatus(states, T0 + 17_001, opts);
  assert.equal(w.nextChangeAt, T0 + 36_001, "b's line");
  assert.equal(w.nextBarChangeAt, T0 + MIN + 17_001, "a's next minute");
});

test('no nextChangeAt means the view stays the same for a long time', () => {
  const states = [session('a', undefined), session('b', -H)];
  const v = describeStatus(states, T0, opts);
  assert.equal(v.nextChangeAt, undefined);
  assert.deepEqual(describeStatus(states, T0 + 30 * 86_400_000, opts), v);
  // An expired session that renews on next use changes only when its registration ends.
  const withRenewable = [...states, session('c', -H, true)];
  const r = describeStatus(withRenewable, T0, opts);
  assert.equal(r.nextChangeAt, T0 + 90 * 24 * H);
  assert.deepEqual(describeStatus(withRenewable, T0 + 30 * 86_400_000, opts), r);
});

test('the view names the session it describes, so the status menu can offer its action first', () => {
  const states = [session('later', 5 * H), session('sooner', 1 * H), session('out', undefined)];
  assert.equal(describeStatus(states, T0, opts).session, 'sooner');
  assert.equal(describeStatus(states, T0, { ...opts, activeSession: 'out' }).session, 'out');
  assert.equal(describeStatus([session('a', undefined), session('b', undefined)], T0, opts).session, undefined);
});
