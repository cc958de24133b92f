// Every command the extension contributes, typed once. package.json lists the same ids (a unit
// test keeps the two in step).
export const Command = {
  signIn: 'awsSsoProfiles.signIn',
  signOut: 'awsSsoProfiles.signOut',
  signOutAll: 'awsSsoProfiles.signOutAll',
  addSession: 'awsSsoProfiles.addSession',
  refresh: 'awsSsoProfiles.refresh',
  find: 'awsSsoProfiles.find',
  createProfile: 'awsSsoProfiles.createProfile',
  createProfilesForAll: 'awsSsoProfiles.createProfilesForAll',
  copyCredentials: 'awsSsoProfiles.copyCredentials',
  writeCredentials: 'awsSsoProfiles.writeCredentials',
  openConsole: 'awsSsoProfiles.openConsole',
  openConsoleAt: 'awsSsoProfiles.openConsoleAt',
  useProfile: 'awsSsoProfiles.useProfile',
  stopUsingProfile: 'awsSsoProfiles.stopUsingProfile',
  copyAccountId: 'awsSsoProfiles.copyAccountId',
  checkLongTermKeys: 'awsSsoProfiles.checkLongTermKeys',
  openConfigFile: 'awsSsoProfiles.openConfigFile',
  showLog: 'awsSsoProfiles.showLog',
  showStatusActions: 'awsSsoProfiles.showStatusActions',
  retry: 'awsSsoProfiles.retry',
  createChainedProfile: 'awsSsoProfiles.createChainedProfile',
  pin: 'awsSsoProfiles.pin',
  unpin: 'awsSsoProfiles.unpin',
  addProcessProfile: 'awsSsoProfiles.addProcessProfile',
  keepCredentialsFresh: 'awsSsoProfiles.keepCredentialsFresh',
  stopKeepingCredentialsFresh: 'awsSsoProfiles.stopKeepingCredentialsFresh',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];

/** Commands that act on a tree node; hidden from the command palette (`when: false`). */
export const NODE_ONLY_COMMANDS: readonly CommandId[] = [
  Command.createProfile,
  Command.copyCredentials,
  Command.writeCredentials,
  Command.openConsole,
  Command.openConsoleAt,
  Command.copyAccountId,
  Command.retry,
  Command.createChainedProfile,
  Command.pin,
  Command.unpin,
  Command.addProcessProfile,
  Command.keepCredentialsFresh,
];

export const SESSIONS_VIEW_ID = 'awsSsoProfiles.sessions';
export const CONFIG_SECTION = 'awsSsoProfiles';
export const OUTPUT_CHANNEL_NAME = 'AWS SSO Profiles';
