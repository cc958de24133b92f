// AWS SSO: Open Console — the AWS Management Console signed in as the role, through a one-time
// federation URL. The URL is a credential: it is opened, never logged or shown.
import * as vscode from 'vscode';
import { consoleSignInUrl } from '../../core/consoleUrl';
import { SsoError } from '../../core/errors';
import type { App } from '../app';
import { openExternalExact } from '../util/openExternal';
import { roleCredentials } from './credentials';
import { recordUse } from './pin';
import { roleNodeOf } from './targets';

const t = vscode.l10n.t;

export async function openConsoleCommand(app: App, arg?: unknown): Promise<boolean> {
  const node = roleNodeOf(arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Open Console.'));
  const creds = await roleCredentials(app, node);
  // The setting (which a workspace may set) only picks the console's region; the partition, and so
  // where the role's keys go, is the session's.
  const url = await consoleSignInUrl(creds, { ssoRegion: node.session.region, region: app.settings().defaultRegion, issuer: node.session.startUrl });
  const opened = app.hooks.openExternal ? await app.hooks.openExternal(url) : await openExternalExact(url);
  app.log.info(`console for ${node.role.roleName} in ${node.account.accountId}: ${opened ? 'opened' : 'not opened'}`);
  if (opened) recordUse(app, node, 'console');
  return opened;
}
