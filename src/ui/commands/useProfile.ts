// AWS SSO: Use Profile in New Terminals / Stop Using Profile — AWS_PROFILE for new terminals.
import * as vscode from 'vscode';
import type { App } from '../app';
import { Command } from '../commandIds';
import { ChainedNode, RoleNode } from '../tree/nodes';
import { recordUse } from './pin';

const t = vscode.l10n.t;

/** Resolves with the profile now used, or undefined when cancelled. */
export async function useProfileCommand(app: App, arg?: unknown): Promise<string | undefined> {
  let name: string | undefined;
  if (arg instanceof RoleNode) {
    name = app.store.profileFor(arg.session.name, arg.account.accountId, arg.role.roleName)?.name;
    if (!name) {
      // No profile yet: create one, then use it.
      name = (await vscode.commands.executeCommand<string | undefined>(Command.createProfile, arg)) ?? undefined;
      if (!name) return undefined;
    }
  } else if (arg instanceof ChainedNode) {
    name = arg.profileName;
  } else if (typeof arg === 'string' && arg !== '') {
    name = arg;
  } else {
    const active = app.terminal.active;
    const items = app.store.profiles.map((p) => ({
      label: p.name,
      description: p.name === active ? t('in use') : p.ssoAccountId ? `${p.ssoAccountId} · ${p.ssoRoleName ?? ''}` : undefined,
      detail: p.ssoSession ? t('SSO session {0}', p.ssoSession) : undefined,
    }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage(t('The config file has no profile yet. Create one from a role in the AWS SSO view.'));
      return undefined;
    }
    const pick = await app.prompter.quickPick('pickProfile', items, {
      placeHolder: t('Which profile should new terminals use (AWS_PROFILE)?'),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    name = pick?.label;
  }
  if (!name) return undefined;
  // A config file other than the default one must reach the terminal too, or the CLI will not find the profile.
  app.terminal.use(name, app.settings().configFile ? app.services.paths.configFile : undefined);
  if (arg instanceof RoleNode || arg instanceof ChainedNode) recordUse(app, arg, 'profile');
  app.log.info(`new terminals use AWS_PROFILE=${name}`);
  void vscode.window.showInformationMessage(t('New terminals use the profile "{0}" (AWS_PROFILE). Terminals already open keep theirs.', name));
  return name;
}

export function stopUsingProfileCommand(app: App): void {
  const was = app.terminal.active;
  app.terminal.clear();
  if (was) void vscode.window.showInformationMessage(t('New terminals no longer get AWS_PROFILE={0}.', was));
}
