// AWS SSO: Copy Account ID — of an account or a role node.
import * as vscode from 'vscode';
import { SsoError } from '../../core/errors';
import type { App } from '../app';
import { copyText } from './credentials';
import { accountOf } from './targets';

const t = vscode.l10n.t;

export async function copyAccountIdCommand(app: App, arg?: unknown): Promise<string> {
  const node = accountOf(arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose an account in the AWS SSO view, then Copy Account ID.'));
  await copyText(app, node.account.accountId);
  vscode.window.setStatusBarMessage(t('Copied account ID {0}', node.account.accountId), 3000);
  return node.account.accountId;
}
