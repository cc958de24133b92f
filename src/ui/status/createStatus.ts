// Wires the status schedule to the sessions, the settings and real timers, and renews tokens
// that are due through the core (the only moment the status bar goes to the network).
import * as vscode from 'vscode';
import { isSsoError } from '../../core/errors';
import type { Timer } from '../../core/timers';
import type { WakeUps } from '../../core/wakeUps';
import type { Services } from '../services';
import type { SessionStore } from '../sessionStore';
import type { Settings } from '../settingsModel';
import { StatusSchedule } from './statusSchedule';

export function createStatusSchedule(deps: {
  store: SessionStore;
  services: Services;
  settings: () => Settings;
  activeProfile: () => string | undefined;
  log: vscode.LogOutputChannel;
  /** The extension's timers; each tick counts as a 'status' wake-up. */
  wake: WakeUps;
  /** The service refused to renew a session's token: it ends unless the user signs in. */
  renewalRefused?: (name: string) => void;
}): StatusSchedule {
  const { store, services, log } = deps;
  const port = deps.wake.timers('status');
  const timers = new Set<Timer>();
  const model = new StatusSchedule({
    clock: { now: () => Date.now() },
    setTimer: (fn, ms) => {
      const h: Timer = port.timeout(() => {
        timers.delete(h);
        return fn();
      }, ms);
      timers.add(h);
      return {
        dispose: () => {
          h.dispose();
          timers.delete(h);
        },
      };
    },
    states: () => store.states(),
    options: () => ({ warnMinutes: deps.settings().expiryWarningMinutes, activeProfile: deps.activeProfile() }),
    translate: vscode.l10n.t,
    renew: async (name) => {
      const s = store.find(name);
      if (!s) return;
      try {
        // Refreshes when inside the window; loads the SDK only now.
        await services.auth.getAccessToken(s);
      } catch (e) {
        log.warn(`renewing ${name}: ${e instanceof Error ? e.message : String(e)}`);
        if (isSsoError(e, 'SessionEnded')) deps.renewalRefused?.(name);
      }
      await store.reloadTokens();
    },
    // Re-reading the tokens at each wake-up also moves sessions from signed in to expired.
    onWake: () => store.reloadTokens(),
  });
  const dispose = model.dispose.bind(model);
  model.dispose = () => {
    dispose();
    for (const h of timers) h.dispose();
    timers.clear();
  };
  return model;
}
