// Role credentials for the commands that need them: copy as environment variables, write to the
// credentials file, open the console. Credentials never reach the log.
import * as vscode from 'vscode';
import type { RoleCredentials } from '../../core/types';
import type { App } from '../app';
import { RoleNode } from '../tree/nodes';
import { withAbortSignal } from '../util/cancellation';

const t = vscode.l10n.t;

/** Short-lived credentials for the role, with a cancellable progress notification. */
export function roleCredentials(app: App, node: RoleNode): Thenable<RoleCredentials> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: t('Getting credentials for {0} in {1}…', node.role.roleName, node.account.accountName),
      cancellable: true,
    },
    (_progress, token) =>
      withAbortSignal(token, async (signal) => {
        const accessToken = await app.services.auth.getAccessToken(node.session, { signal });
        const creds = await app.services
          .portal(node.session)
          .getRoleCredentials(accessToken.accessToken, node.account.accountId, node.role.roleName, { signal });
        app.log.info(`credentials for ${node.role.roleName} in ${node.account.accountId}, valid until ${new Date(creds.expiration).toISOString()}`);
        return creds;
      }),
  );
}

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

export async function copyText(app: App, text: string): Promise<void> {
  if (app.hooks.clipboard) await app.hooks.clipboard(text);
  else await vscode.env.clipboard.writeText(text);
}
