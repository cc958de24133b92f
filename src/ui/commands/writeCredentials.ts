// AWS SSO: Write Credentials to the Credentials File — a [NAME] section with temporary keys in
// ~/.aws/credentials, for tools that cannot use SSO profiles.
import * as vscode from 'vscode';
import { writeCredentialsProfile } from '../../core/credentials';
import { SsoError } from '../../core/errors';
import type { App } from '../app';
import { Command } from '../commandIds';
import { askCredentialsProfileName, formatTime, roleCredentials } from './credentials';
import { recordUse } from './pin';
import { roleNodeOf } from './targets';

const t = vscode.l10n.t;

export async function writeCredentialsCommand(app: App, arg?: unknown): Promise<string | undefined> {
  const node = roleNodeOf(arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Write Credentials.'));
  const region = app.settings().defaultRegion ?? node.session.region;
  const name = await askCredentialsProfileName(app, node, region, {
    title: t('Write Credentials for {0} in {1}', node.role.roleName, node.account.accountName),
    prompt: t('The profile name in {0}. Temporary keys are written; they stop working when they expire.', app.services.paths.credentialsFile),
    anyway: t('Write Anyway'),
  });
  if (name === undefined) return undefined;
  const creds = await roleCredentials(app, node);
  const r = await writeCredentialsProfile(app.services.paths.credentialsFile, name, creds, { region });
  recordUse(app, node, 'credentials');
  app.log.info(`wrote temporary credentials to [${name}] in ${app.services.paths.credentialsFile}${r.backupPath ? ` (backup ${r.backupPath})` : ''}`);
  const use = t('Use in Terminals');
  void vscode.window
    .showInformationMessage(
      t('Wrote temporary credentials to [{0}] in {1}. They expire at {2}.', name, app.services.paths.credentialsFile, formatTime(creds.expiration)),
      use,
    )
    .then((c) => (c === use ? vscode.commands.executeCommand(Command.useProfile, name) : undefined));
  return name;
}
