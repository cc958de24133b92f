// What a command acts on: a tree node when run from the view, a session name when run by
// another command or a test, or whatever the user picks when run from the palette.
import * as vscode from 'vscode';
import { SsoError } from '../../core/errors';
import type { App } from '../app';
import { Command } from '../commandIds';
import type { UiSession } from '../sessionsModel';
import { AccountNode, ChainedNode, isNode, RoleNode, TreeNode } from '../tree/nodes';

const t = vscode.l10n.t;

/** The session a command argument names, if it names one. */
export function sessionOf(app: App, arg: unknown): UiSession | undefined {
  if (isNode(arg)) {
    const s = (arg as TreeNode).session;
    return s ? app.store.find(s.name) ?? s : undefined;
  }
  if (typeof arg === 'string') return app.store.find(arg);
  if (arg && typeof arg === 'object' && typeof (arg as { session?: unknown }).session === 'string') {
    return app.store.find((arg as { session: string }).session);
  }
  return undefined;
}

/**
 * The session to act on: the argument's, the only one, or one the user picks (`filter` narrows
 * the choice). Undefined when there is none or the user cancels.
 */
export async function resolveSession(
  app: App,
  arg: unknown,
  opts: { placeHolder: string; filter?: (s: UiSession) => boolean },
): Promise<UiSession | undefined> {
  const named = sessionOf(app, arg);
  if (named) return named;
  if (typeof arg === 'string' || (arg && typeof arg === 'object' && !isNode(arg) && 'session' in arg)) {
    throw new SsoError('InvalidInput', t('There is no SSO session named "{0}".', String(typeof arg === 'string' ? arg : (arg as { session: unknown }).session)));
  }
  const candidates = app.store.sessions.filter(opts.filter ?? (() => true));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    if (app.store.sessions.length === 0) {
      const add = t('Add SSO Session…');
      const choice = await vscode.window.showInformationMessage(t('No AWS SSO session is configured yet.'), add);
      if (choice === add) await vscode.commands.executeCommand(Command.addSession);
    } else {
      void vscode.window.showInformationMessage(t('No session fits: {0}', opts.placeHolder));
    }
    return undefined;
  }
  const pick = await app.prompter.quickPick(
    'pickSession',
    candidates.map((s) => ({
      label: s.name,
      description: `${s.startUrl} (${s.region})`,
      detail: describePhase(app, s),
      session: s,
    })),
    { placeHolder: opts.placeHolder, matchOnDescription: true },
  );
  return pick?.session;
}

function describePhase(app: App, s: UiSession): string {
  switch (app.store.phase(s.name)) {
    case 'signedIn':
      return t('Signed in');
    case 'expired':
      return t('Expired');
    case 'signedOut':
      return t('Signed out');
  }
}

export function roleNodeOf(arg: unknown): RoleNode | undefined {
  return arg instanceof RoleNode ? arg : undefined;
}

/** What has credentials: a role, or a chained profile under one. */
export function credentialTargetOf(arg: unknown): RoleNode | ChainedNode | undefined {
  return arg instanceof RoleNode || arg instanceof ChainedNode ? arg : undefined;
}

/**
 * The role a command acts on: its argument, else, run with none (a keybinding, the palette), the
 * role selected in the Sessions view.
 */
export function roleTarget(app: App, arg: unknown): RoleNode | undefined {
  return orSelection(app, arg, roleNodeOf);
}

/** What has credentials, from the argument or, run with none, the Sessions view's selection. */
export function credentialTarget(app: App, arg: unknown): RoleNode | ChainedNode | undefined {
  return orSelection(app, arg, credentialTargetOf);
}

/** `of(arg)`, or, for a command run with no argument (a keybinding, the palette), `of` the view's selection. */
function orSelection<T>(app: App, arg: unknown, of: (x: unknown) => T | undefined): T | undefined {
  return arg === undefined ? of(app.treeView.selection[0]) : of(arg);
}

export function accountOf(arg: unknown): AccountNode | undefined {
  if (arg instanceof AccountNode) return arg;
  // A role of the Recent group stands under no account node of its own.
  if (arg instanceof RoleNode) return arg.parent instanceof AccountNode ? arg.parent : new AccountNode(arg.parent.parent, arg.account);
  return undefined;
}
