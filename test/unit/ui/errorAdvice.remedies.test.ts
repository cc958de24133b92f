// The buttons offered after a failed sign-in run what they say: "Sign In with a Device Code" runs the device flow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SsoError } from '../../../src/core/errors';
import { Command } from '../../../src/ui/commandIds';
import { adviseOn, forcedFlowOf, remedyCommand } from '../../../src/ui/errorAdvice';

const t = (m: string, ...args: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

test('a PKCE timeout or an unusable loopback port offers the device code, and that button signs in with the device flow', () => {
  for (const code of ['Timeout', 'LoopbackUnavailable'] as const) {
    const advice = adviseOn(new SsoError(code, 'No callback.'), 'signIn', t);
    assert.equal(advice.remedies[0], 'signInWithDeviceCode', code);
    const run = remedyCommand('signInWithDeviceCode', 'work');
    assert.equal(run?.command, Command.signIn);
    // The Sign In command reads the flow back from exactly this argument.
    assert.equal(forcedFlowOf(run?.args[0]), 'device');
    assert.deepEqual(run?.args, [{ session: 'work', flow: 'device' }]);
  }
  // Plain Sign In forces no flow: the setting and the window decide.
  assert.equal(forcedFlowOf(remedyCommand('signIn', 'work')?.args[0]), undefined);
  assert.equal(forcedFlowOf({ session: 'work', flow: 'magic' }), undefined);
  assert.equal(forcedFlowOf('work'), undefined);
});

test('an unexpected failure points at the log and nowhere else', () => {
  const advice = adviseOn(new SsoError('Unexpected', 'An unexpected error happened while listing accounts (TypeError). See the log for details.'), 'listing', t);
  assert.deepEqual(advice.remedies, ['showLog']);
  assert.equal(advice.severity, 'error');
  assert.equal(remedyCommand('showLog'), undefined);
  assert.equal(remedyCommand('retry'), undefined);
});
