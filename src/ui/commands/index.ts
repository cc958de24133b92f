// Every command's body: one entry per id, each delegating to its own file. activate() registers the
// ids with stand-ins that load this on first use (../lazy.ts).
import type { App } from '../app';
import { Command, CommandId } from '../commandIds';
import { guarded } from '../feedback';
import { MessageNode } from '../tree/nodes';
import { addSessionCommand } from './addSession';
import { checkLongTermKeysCommand } from './checkLongTermKeys';
import { copyAccountIdCommand } from './copyAccountId';
import { copyCredentialsCommand } from './copyCredentials';
import { createChainedProfileCommand } from './createChainedProfile';
import { createProfileCommand } from './createProfile';
import { createProfilesForAllCommand } from './createProfilesForAll';
import { findCommand } from './find';
import { openConfigFileCommand } from './openConfigFile';
import { openConsoleAtCommand, openConsoleCommand } from './openConsole';
import { pinCommand } from './pin';
import { refreshCommand } from './refresh';
import { signInCommand } from './signIn';
import { signOutAllCommand, signOutCommand } from './signOut';
import { showStatusActionsCommand } from './statusActions';
import { stopUsingProfileCommand, useProfileCommand } from './useProfile';
import { addProcessProfileCommand, keepCredentialsFreshCommand, stopKeepingCredentialsFreshCommand } from './toolCredentials';
import { writeCredentialsCommand } from './writeCredentials';

type Handler = (app: App, ...args: unknown[]) => unknown;

const HANDLERS: Record<CommandId, { run: Handler; activity: Parameters<typeof guarded>[1] }> = {
  [Command.signIn]: { run: (app, arg) => signInCommand(app, arg), activity: 'signIn' },
  [Command.signOut]: { run: (app, arg) => signOutCommand(app, arg), activity: 'other' },
  [Command.signOutAll]: { run: (app) => signOutAllCommand(app), activity: 'other' },
  [Command.addSession]: { run: (app, arg) => addSessionCommand(app, arg), activity: 'configEdit' },
  [Command.refresh]: { run: (app, arg) => refreshCommand(app, arg), activity: 'listing' },
  [Command.find]: { run: (app) => findCommand(app), activity: 'listing' },
  [Command.createProfile]: { run: (app, arg) => createProfileCommand(app, arg), activity: 'configEdit' },
  [Command.createProfilesForAll]: { run: (app, arg) => createProfilesForAllCommand(app, arg), activity: 'configEdit' },
  [Command.copyCredentials]: { run: (app, arg) => copyCredentialsCommand(app, arg), activity: 'credentials' },
  [Command.writeCredentials]: { run: (app, arg) => writeCredentialsCommand(app, arg), activity: 'credentials' },
  [Command.openConsole]: { run: (app, arg) => openConsoleCommand(app, arg), activity: 'console' },
  [Command.openConsoleAt]: { run: (app, arg) => openConsoleAtCommand(app, arg), activity: 'console' },
  [Command.useProfile]: { run: (app, arg) => useProfileCommand(app, arg), activity: 'other' },
  [Command.stopUsingProfile]: { run: (app) => stopUsingProfileCommand(app), activity: 'other' },
  [Command.copyAccountId]: { run: (app, arg) => copyAccountIdCommand(app, arg), activity: 'other' },
  [Command.checkLongTermKeys]: { run: (app) => checkLongTermKeysCommand(app), activity: 'configEdit' },
  [Command.openConfigFile]: { run: (app, arg) => openConfigFileCommand(app, arg), activity: 'configEdit' },
  [Command.showLog]: { run: (app) => app.log.show(), activity: 'other' },
  [Command.showStatusActions]: { run: (app) => showStatusActionsCommand(app), activity: 'other' },
  [Command.createChainedProfile]: { run: (app, arg) => createChainedProfileCommand(app, arg), activity: 'configEdit' },
  [Command.addProcessProfile]: { run: (app, arg) => addProcessProfileCommand(app, arg), activity: 'configEdit' },
  [Command.keepCredentialsFresh]: { run: (app, arg) => keepCredentialsFreshCommand(app, arg), activity: 'credentials' },
  [Command.stopKeepingCredentialsFresh]: { run: (app, arg) => stopKeepingCredentialsFreshCommand(app, arg), activity: 'credentials' },
  [Command.retry]: {
    run: (app, arg) => {
      if (arg instanceof MessageNode) app.tree.retry(arg);
      else app.tree.refresh();
    },
    activity: 'listing',
  },
  [Command.pin]: { run: (app, arg) => pinCommand(app, arg, true), activity: 'other' },
  [Command.unpin]: { run: (app, arg) => pinCommand(app, arg, false), activity: 'other' },
};

/** What command `id` runs, with its failures shown to the user (see guarded). */
export function commandBody(app: App, id: CommandId): (...args: unknown[]) => Promise<unknown> {
  const { run, activity } = HANDLERS[id];
  return guarded(app, activity, async (...args: unknown[]) => run(app, ...args));
}
