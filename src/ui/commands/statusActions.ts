// The status bar's click: a quick pick of what can be done about the sessions right now.
import * as vscode from 'vscode';
import type { App } from '../app';
import { Command } from '../commandIds';
import { describeSessionState } from '../status/statusText';
import { keptFreshFor } from '../keptFresh';
import { describeKeptFresh } from './toolCredentials';
import { escapeIcons } from '../util/markdown';

const t = vscode.l10n.t;

interface Action extends vscode.QuickPickItem {
  run?: () => Thenable<unknown>;
}

function signInItem(s: { name: string; startUrl: string }): Action {
  return { label: `$(sign-in) ${t('Sign In to {0}', escapeIcons(s.name))}`, description: escapeIcons(s.startUrl), run: () => vscode.commands.executeCommand(Command.signIn, s.name) };
}

export async function showStatusActionsCommand(app: App): Promise<void> {
  const items: Action[] = [];
  const now = Date.now();
  // Each session with its time left, ending first on top; picking one shows it in the view.
  const states = app.store.states();
  // The session the status bar shows comes first, so the menu opens on its action: signed in,
  // its entry in the view; else signing in to it (not to another session).
  const shown = app.status.current.session;
  const order = (x: (typeof states)[number]) => (x.name === shown ? -Infinity : x.expiresAt === undefined ? Infinity : x.expiresAt);
  const shownSession = shown === undefined ? undefined : app.store.sessions.find((s) => s.name === shown);
  if (shownSession && app.store.phase(shownSession.name, now) !== 'signedIn') {
    items.push(signInItem(shownSession));
  }
  for (const s of [...states].sort((a, b) => order(a) - order(b))) {
    const node = app.tree.sessionNode(s.name);
    items.push({
      label: `$(cloud) ${escapeIcons(s.name)}`,
      description: escapeIcons(describeSessionState(s, now, app.settings().expiryWarningMinutes, t)),
      run: async () => (node ? app.treeView.reveal(node, { select: true, focus: true, expand: true }) : undefined),
    });
  }
  if (items.length > 0) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  for (const s of app.store.sessions) {
    const phase = app.store.phase(s.name, now);
    if (phase !== 'signedIn' && s !== shownSession) items.push(signInItem(s));
  }
  const active = app.terminal.active === undefined ? undefined : escapeIcons(app.terminal.active);
  items.push({ label: `$(refresh) ${t('Refresh')}`, description: t('Re-read the config file and sign-in state, list accounts again'), run: () => vscode.commands.executeCommand(Command.refresh) });
  items.push({ label: `$(terminal) ${t('Switch Profile for New Terminals…')}`, description: active, run: () => vscode.commands.executeCommand(Command.useProfile) });
  if (app.terminal.active) {
    items.push({ label: `$(close) ${t('Stop Using Profile in New Terminals')}`, description: active, run: () => vscode.commands.executeCommand(Command.stopUsingProfile) });
  }
  items.push({ label: `$(search) ${t('Find Account or Role…')}`, run: () => vscode.commands.executeCommand(Command.find) });
  // Keys kept fresh in the credentials file, with their expiry; picking one turns it off.
  for (const k of keptFreshFor(app).status()) {
    items.push({
      label: `$(sync-ignored) ${t('Stop Keeping [{0}] Fresh', escapeIcons(k.name))}`,
      description: escapeIcons(describeKeptFresh(k)),
      run: () => vscode.commands.executeCommand(Command.stopKeepingCredentialsFresh, k.name),
    });
  }
  for (const s of app.store.sessions) {
    if (app.store.phase(s.name, now) !== 'signedOut') {
      items.push({ label: `$(sign-out) ${t('Sign Out of {0}', escapeIcons(s.name))}`, description: escapeIcons(s.startUrl), run: () => vscode.commands.executeCommand(Command.signOut, s.name) });
    }
  }
  items.push({ label: `$(add) ${t('Add SSO Session…')}`, run: () => vscode.commands.executeCommand(Command.addSession) });
  items.push({ label: `$(output) ${t('Show Log')}`, run: () => vscode.commands.executeCommand(Command.showLog) });
  // Short: each session's state is in its own row (and in the bar's tooltip).
  const pick = await app.prompter.quickPick('statusAction', items, { placeHolder: t('AWS SSO: choose an action') });
  await pick?.run?.();
}
