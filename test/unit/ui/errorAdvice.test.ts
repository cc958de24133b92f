import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SsoError, SsoErrorCode } from '../../../src/core/errors';
import { adviseOn } from '../../../src/ui/errorAdvice';

const t = (m: string, ...args: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

test('an expired code or an ended session: sign in again', () => {
  for (const code of ['ExpiredCode', 'SessionEnded', 'NotSignedIn', 'InvalidCallback'] as SsoErrorCode[]) {
    const a = adviseOn(new SsoError(code, 'msg.'), 'signIn', t);
    assert.deepEqual(a.remedies, ['signIn'], code);
    assert.equal(a.severity, 'error');
    assert.match(a.message!, /^msg\./);
  }
});

test('access denied in the browser says so and offers to sign in again', () => {
  const a = adviseOn(new SsoError('AccessDenied', 'Denied.'), 'signIn', t);
  assert.deepEqual(a.remedies, ['signIn', 'showLog']);
  assert.match(a.message!, /Allow/);
  assert.deepEqual(adviseOn(new SsoError('AccessDenied', 'No.'), 'credentials', t).remedies, ['retry', 'showLog']);
});

test('network trouble while signing in points at the start URL and region', () => {
  const a = adviseOn(new SsoError('Network', 'Unreachable.'), 'signIn', t);
  assert.match(a.message!, /region/);
  assert.ok(a.remedies.includes('openConfigFile'));
  assert.deepEqual(adviseOn(new SsoError('Network', 'x'), 'listing', t).remedies, ['retry', 'showLog']);
});

test('a PKCE timeout suggests the device code', () => {
  const a = adviseOn(new SsoError('Timeout', 'No callback.'), 'signIn', t);
  assert.deepEqual(a.remedies, ['signInWithDeviceCode', 'signIn']);
  assert.match(a.message!, /device code/);
});

test('throttling is a warning with a retry; a config problem opens the file', () => {
  assert.deepEqual(adviseOn(new SsoError('Throttled', 'Slow.'), 'listing', t), { message: 'Slow.', severity: 'warning', remedies: ['retry'] });
  assert.deepEqual(adviseOn(new SsoError('ConfigFile', 'Bad.'), 'configEdit', t).remedies, ['openConfigFile', 'showLog']);
});

test('cancelling says nothing', () => {
  assert.equal(adviseOn(new SsoError('Cancelled', 'x'), 'signIn', t).message, undefined);
  const abort = new Error('aborted');
  abort.name = 'AbortError';
  assert.equal(adviseOn(abort, 'listing', t).message, undefined);
});

test('a foreign error is shown by its message only, with the log', () => {
  const a = adviseOn(new TypeError('boom'), 'other', t);
  assert.equal(a.message, 'Unexpected error: boom');
  assert.deepEqual(a.remedies, ['showLog']);
});
