// Focus gains from the editor's window-state events: the re-check on coming back to the window
// must not run each time a focused window's user goes idle or busy (WindowState.active flips).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { focusGains } from '../../../src/ui/util/focus';

test('only a window coming back to the front is a focus gain, not its user going idle or busy', () => {
  let gains = 0;
  const on = focusGains(true, () => gains++);
  on({ focused: true, active: false } as never); // idle for a while, window still in front
  on({ focused: true, active: true } as never); // typing again
  on({ focused: true, active: false } as never);
  assert.equal(gains, 0, 'activity changes of a focused window are not focus gains');
  on({ focused: false, active: false } as never); // another application in front
  assert.equal(gains, 0);
  on({ focused: true, active: true } as never); // back
  assert.equal(gains, 1);
  on({ focused: true, active: false } as never);
  assert.equal(gains, 1);
});

test('a window not focused at first: its first focus is a gain', () => {
  let gains = 0;
  const on = focusGains(false, () => gains++);
  on({ focused: false, active: false } as never);
  assert.equal(gains, 0);
  on({ focused: true, active: true } as never);
  assert.equal(gains, 1);
});
