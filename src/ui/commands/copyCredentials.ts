// AWS SSO: Copy Credentials as Environment Variables — bash/zsh, PowerShell or cmd syntax.
import * as vscode from 'vscode';
import { formatCredentialsAsEnv, Shell } from '../../core/credentials';
import { SsoError } from '../../core/errors';
import type { App } from '../app';
import { defaultShell } from '../inputs';
import { copyText, formatTime, roleCredentials } from './credentials';
import { roleNodeOf } from './targets';

const t = vscode.l10n.t;

export async function copyCredentialsCommand(app: App, arg?: unknown): Promise<Shell | undefined> {
  const node = roleNodeOf(arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Copy Credentials.'));
  const first = defaultShell(process.platform);
  const shells: { label: string; description: string; shell: Shell }[] = [
    { label: '$(terminal-bash) bash / zsh', description: 'export AWS_ACCESS_KEY_ID=…', shell: 'bash' },
    { label: '$(terminal-powershell) PowerShell', description: '$Env:AWS_ACCESS_KEY_ID = …', shell: 'powershell' },
    { label: '$(terminal-cmd) cmd', description: 'set "AWS_ACCESS_KEY_ID=…"', shell: 'cmd' },
  ];
  shells.sort((a, b) => (a.shell === first ? -1 : b.shell === first ? 1 : 0));
  const pick = await app.prompter.quickPick('shell', shells, { placeHolder: t('Copy the credentials as commands for which shell?') });
  if (!pick) return undefined;
  const creds = await roleCredentials(app, node);
  const region = app.settings().defaultRegion ?? node.session.region;
  await copyText(app, formatCredentialsAsEnv(creds, pick.shell, { region }));
  void vscode.window.showInformationMessage(
    t('Copied the credentials of {0} in {1}. Paste them into a terminal; they expire at {2}.', node.role.roleName, node.account.accountName, formatTime(creds.expiration)),
  );
  return pick.shell;
}
