// Where the pins and recent roles are kept in globalState, apart from their model (./pins.ts) so
// that activation can mark them for Settings Sync without loading it.

export const PINS_KEY = 'awsSsoProfiles.pins';
export const RECENT_KEY = 'awsSsoProfiles.recentRoles';
/** What follows the user to other machines (globalState.setKeysForSync). */
export const SYNCED_KEYS: readonly string[] = [PINS_KEY, RECENT_KEY];
