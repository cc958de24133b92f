// AWS SSO: Copy Credentials — as environment variables or `aws configure set` commands for bash/zsh,
// PowerShell or cmd, or as `.env` lines for docker run --env-file: every way the access portal offers.
import * as vscode from 'vscode';
import { cmdCanCarry, formatCredentialsAsConfigureCommands, formatCredentialsAsDotenv, formatCredentialsAsEnv } from '../../core/credentials';
import { SsoError } from '../../core/errors';
import type { App } from '../app';
import { CopyFormat, CopyFormatItem, copyFormatItems, formOf, LAST_COPY_FORMAT_KEY } from '../copyFormats';
import { askCredentialsProfileName, copyText, formatTime, roleCredentials } from './credentials';
import { recordUse } from './pin';
import { credentialTarget } from './targets';

const t = vscode.l10n.t;

export async function copyCredentialsCommand(app: App, arg?: unknown): Promise<CopyFormat | undefined> {
  const node = credentialTarget(app, arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Copy Credentials.'));
  const items = copyFormatItems(t, process.platform, app.state.get(LAST_COPY_FORMAT_KEY)).map(
    (i): CopyFormatItem & vscode.QuickPickItem => (i.format ? i : { label: i.label, kind: vscode.QuickPickItemKind.Separator }),
  );
  const pick = await app.prompter.quickPick('shell', items, {
    title: t('Copy Credentials of {0} in {1}', node.role.roleName, node.account.accountName),
    placeHolder: t('Copy the credentials in which form?'),
  });
  const format = pick?.format;
  if (!format) return undefined;
  await app.state.update(LAST_COPY_FORMAT_KEY, format);
  const form = formOf(format);
  const region = app.settings().defaultRegion ?? node.session.region;

  let profile = '';
  if (form.kind === 'configure') {
    const name = await askCredentialsProfileName(app, node, region, {
      title: t('aws configure set commands for {0} in {1}', node.role.roleName, node.account.accountName),
      prompt: t('The profile the commands write to, in the credentials file of the machine where you run them.'),
      anyway: t('Copy Anyway'),
      problem: (name) => (form.shell === 'cmd' && !cmdCanCarry(name) ? t('cmd.exe would expand the % in this name: choose another name or shell.') : undefined),
    });
    if (name === undefined) return undefined;
    profile = name;
  }

  const creds = await roleCredentials(app, node);
  recordUse(app, node, 'credentials');
  const expires = formatTime(creds.expiration);
  const who = [node.role.roleName, node.account.accountName] as const;
  switch (form.kind) {
    case 'env':
      await copyText(app, formatCredentialsAsEnv(creds, form.shell, { region }));
      void vscode.window.showInformationMessage(t('Copied the credentials of {0} in {1}. Paste them into a terminal; they expire at {2}.', ...who, expires));
      break;
    case 'configure':
      await copyText(app, formatCredentialsAsConfigureCommands(creds, form.shell, profile, { region }));
      void vscode.window.showInformationMessage(
        t('Copied aws configure set commands for the profile {0}. Run them where the AWS CLI should use these keys; they expire at {1}.', profile, expires),
      );
      break;
    case 'dotenv':
      await copyText(app, formatCredentialsAsDotenv(creds, { region }));
      void vscode.window.showInformationMessage(
        t('Copied the credentials of {0} in {1} as .env lines. Keep that file out of version control; they expire at {2}.', ...who, expires),
      );
      break;
  }
  return format;
}
