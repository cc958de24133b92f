// The status bar's click: a quick pick of what can be done about the sessions right now.
import * as vscode from 'vscode';
import type { App } from '../app';
import { Command } from '../commandIds';
import { keptFreshFor } from '../keptFresh';
import { describeKeptFresh } from './toolCredentials';
import { escapeIcons } from '../util/markdown';

const t = vscode.l10n.t;

interface Action extends vscode.QuickPickItem {
  run?: () => Thenable<unknown>;
}

export async function showStatusActionsCommand(app: App): Promise<void> {
  const items: Action[] = [];
  const now = Date.now();
  for (const s of app.store.sessions) {
    const phase = app.store.phase(s.name, now);
    if (phase !== 'signedIn') {
      items.push({ label: `$(sign-in) ${t('Sign In to {0}', escapeIcons(s.name))}`, description: escapeIcons(s.startUrl), run: () => vscode.commands.executeCommand(Command.signIn, s.name) });
    }
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
  const pick = await app.prompter.quickPick('statusAction', items, { placeHolder: app.status.current.tooltip.join(' · ') || t('AWS SSO') });
  await pick?.run?.();
}
