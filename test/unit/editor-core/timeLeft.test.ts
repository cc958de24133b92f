// Time left: one arithmetic behind the short form (CLI, status-bar text) and the spelled form
// (the status bar's screen-reader label), so both change at the same instants, and
// nextTimeLeftChange names them exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRemaining, nextTimeLeftChange, timeLeft } from '../../../src/core/timeLeft';
import { describeStatus } from '../../../src/ui/status/statusText';

const t = (m: string, ...args: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
/** The words the status bar's screen-reader label spells the time left in. */
const spellRemaining = (expiresAt: number, now: number) =>
  describeStatus([{ name: 'x', startUrl: 'https://x.awsapps.com/start', region: 'us-east-1', expiresAt, refreshableUntil: expiresAt + 90 * 86_400_000 }], now, { warnMinutes: 0 }, t)
    .accessibilityLabel.replace(/^AWS SSO session x expires in (.*) and renews automatically$/, '$1');

test('the units: seconds, minutes, hours and minutes under 48 h, then days and hours', () => {
  assert.deepEqual(timeLeft(T0, T0), { unit: 'expired' });
  assert.deepEqual(timeLeft(T0 + 59_999, T0), { unit: 'seconds', seconds: 59 });
  assert.deepEqual(timeLeft(T0 + 60_000, T0), { unit: 'minutes', minutes: 1 });
  assert.deepEqual(timeLeft(T0 + 47 * 3_600_000 + 59 * 60_000, T0), { unit: 'hours', hours: 47, minutes: 59 });
  assert.deepEqual(timeLeft(T0 + 48 * 3_600_000, T0), { unit: 'days', days: 2, hours: 0 });
  assert.equal(describeRemaining(T0 + 48 * 3_600_000, T0), '2d 0h');
  assert.equal(spellRemaining(T0 + 48 * 3_600_000, T0), '2 days');
});

test('both renderings change exactly when nextTimeLeftChange says', () => {
  let x = 7;
  const rnd = () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < 500; i++) {
    const span = [30_000, 40 * 60_000, 20 * 3_600_000, 80 * 3_600_000][i % 4];
    const expiresAt = T0 + Math.floor(span * (0.2 + rnd()));
    const at = nextTimeLeftChange(expiresAt, T0);
    assert.ok(at > T0 && at <= expiresAt);
    assert.equal(describeRemaining(expiresAt, at - 1), describeRemaining(expiresAt, T0), `short form steady before (case ${i})`);
    assert.equal(spellRemaining(expiresAt, at - 1), spellRemaining(expiresAt, T0), `words steady before (case ${i})`);
    assert.notEqual(describeRemaining(expiresAt, at), describeRemaining(expiresAt, T0), `short form changes at (case ${i})`);
    assert.notEqual(spellRemaining(expiresAt, at), spellRemaining(expiresAt, T0), `words change at (case ${i})`);
  }
});
