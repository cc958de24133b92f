// What to tell the user about a failure and which buttons to offer, per SsoError code. Pure
// (no `vscode`): the messages come from the core, already written for people; this adds what
// to do next, and which command each button runs.
import { isAbortError, isSsoError, SsoErrorCode } from '../core/errors';
import type { SignInFlow } from '../core/flows';
import { Command, CommandId } from './commandIds';

export type Remedy = 'signIn' | 'signInWithDeviceCode' | 'retry' | 'openConfigFile' | 'showLog';

export interface Advice {
  /** Undefined: say nothing (the user cancelled). */
  message?: string;
  severity: 'error' | 'warning';
  remedies: Remedy[];
}

/** What the user was doing, for messages that need it. */
export type Activity = 'signIn' | 'listing' | 'credentials' | 'console' | 'configEdit' | 'other';

const REMEDIES: Record<SsoErrorCode, (a: Activity) => Remedy[]> = {
  ExpiredCode: () => ['signIn'],
  AccessDenied: (a) => (a === 'signIn' ? ['signIn', 'showLog'] : ['retry', 'showLog']),
  SessionEnded: () => ['signIn'],
  NotSignedIn: () => ['signIn'],
  Cancelled: () => [],
  // A PKCE callback that never came: most often the browser runs on another machine.
  Timeout: (a) => (a === 'signIn' ? ['signInWithDeviceCode', 'signIn'] : ['retry']),
  Network: (a) => (a === 'signIn' ? ['signIn', 'openConfigFile', 'showLog'] : ['retry', 'showLog']),
  Throttled: () => ['retry'],
  // A wrong region or start URL often ends here (the service answers with something unexpected).
  BadResponse: (a) => (a === 'signIn' ? ['openConfigFile', 'showLog'] : ['retry', 'showLog']),
  InvalidInput: (a) => (a === 'signIn' ? ['openConfigFile'] : []),
  ConfigFile: () => ['openConfigFile', 'showLog'],
  InvalidCallback: () => ['signIn'],
  LoopbackUnavailable: () => ['signInWithDeviceCode', 'showLog'],
  Unexpected: () => ['showLog'],
};

/** Hints added to the core's message when the activity makes a likely cause clear. */
function hint(code: SsoErrorCode, activity: Activity, t: Translate): string | undefined {
  if (activity === 'signIn' && (code === 'Network' || code === 'BadResponse')) {
    return t('Check that the session\'s start URL and region (sso_region) match your AWS access portal.');
  }
  if (activity === 'signIn' && code === 'Timeout') {
    return t('If the browser showed an error, or runs on another machine than VS Code\'s extension host, sign in with a device code instead.');
  }
  if (code === 'AccessDenied' && activity === 'signIn') {
    return t('The sign-in request was denied in the browser. Sign in again and choose Allow.');
  }
  return undefined;
}

export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

export function adviseOn(e: unknown, activity: Activity, t: Translate): Advice {
  if (isAbortError(e) || isSsoError(e, 'Cancelled')) return { severity: 'warning', remedies: [] };
  if (isSsoError(e)) {
    const extra = hint(e.code, activity, t);
    return {
      message: extra ? `${e.message} ${extra}` : e.message,
      severity: e.code === 'Throttled' ? 'warning' : 'error',
      remedies: REMEDIES[e.code](activity),
    };
  }
  // Not ours: the message only (never the object, which may hold a request), and the log.
  const what = e instanceof Error ? e.message : String(e);
  return { message: t('Unexpected error: {0}', what), severity: 'error', remedies: ['showLog'] };
}

/** The argument of the Sign In command: a session name and, to force one, the flow. */
export interface SignInArg {
  session?: string;
  flow?: SignInFlow;
}

/** The flow a Sign In command argument forces, if any (what `remedyCommand` puts in). */
export function forcedFlowOf(arg: unknown): SignInFlow | undefined {
  const flow = (arg as { flow?: unknown } | undefined)?.flow;
  return flow === 'device' || flow === 'pkce' ? flow : undefined;
}

/** The command a remedy's button runs, with its arguments; undefined for those the caller does itself (retry, showLog). */
export function remedyCommand(r: Remedy, session?: string): { command: CommandId; args: unknown[] } | undefined {
  switch (r) {
    case 'signIn':
      return { command: Command.signIn, args: [session] };
    case 'signInWithDeviceCode':
      return { command: Command.signIn, args: [{ session, flow: 'device' } satisfies SignInArg] };
    case 'openConfigFile':
      return { command: Command.openConfigFile, args: [] };
    case 'retry':
    case 'showLog':
      return undefined;
  }
}
