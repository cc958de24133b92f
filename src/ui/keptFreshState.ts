// What activation and deactivate() need of the kept-fresh credentials (./keptFresh.ts, loaded on
// first use): where the opted-in profiles are remembered, and the hooks the manager fills in.
import type { Timers } from '../core/timers';

/** globalState key: the profiles kept fresh (KeptFreshEntry[]); they are renewed again at every start. */
export const KEPT_FRESH_STATE_KEY = 'awsSsoProfiles.keptFresh';

export const keptFreshWiring: {
  /** The Timers port (counted wake-ups) the manager's renewals use; set by activate(). */
  timers?: Timers;
  /** Removes every section the manager keeps, synchronously; set once the manager exists. */
  removeAllSync?: () => void;
} = {};
