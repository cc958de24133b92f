// The editor window coming back to the front, from its window-state events. No `vscode` import
// (types only): unit-tested.
import type { WindowState } from 'vscode';

/**
 * A window-state listener that calls `onGain` when the window gains focus. The editor also tells
 * a focused window's user going idle or busy (WindowState.active), often: that is no gain.
 */
export function focusGains(initiallyFocused: boolean, onGain: () => void): (s: Pick<WindowState, 'focused'>) => void {
  let focused = initiallyFocused;
  return (s) => {
    const gained = s.focused && !focused;
    focused = s.focused;
    if (gained) onGain();
  };
}
