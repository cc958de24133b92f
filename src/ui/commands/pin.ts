// AWS SSO: Pin / Unpin — an account or a role, from the tree (inline and context menu) or Find.
import * as vscode from 'vscode';
import { SsoError } from '../../core/errors';
import type { App } from '../app';
import type { UiSession } from '../sessionsModel';
import { AccountNode, ChainedNode, RoleNode } from '../tree/nodes';
import { sessionOf } from './targets';

const t = vscode.l10n.t;

/** What to pin: a tree node, or (Find, another command) the session's name, the account and maybe a role. */
export interface PinTarget {
  session: UiSession;
  account: { accountId: string; accountName: string };
  roleName?: string;
}

export function pinTargetOf(app: App, arg: unknown): PinTarget | undefined {
  if (arg instanceof RoleNode) return { session: arg.session, account: arg.account, roleName: arg.role.roleName };
  if (arg instanceof AccountNode) return { session: arg.session, account: arg.account };
  const o = arg as { accountId?: unknown; accountName?: unknown; roleName?: unknown } | undefined;
  const session = sessionOf(app, arg);
  if (!session || typeof o?.accountId !== 'string') return undefined;
  const accountName = typeof o.accountName === 'string' ? o.accountName : (app.tree.listing(session).account(o.accountId)?.accountName ?? o.accountId);
  return { session, account: { accountId: o.accountId, accountName }, roleName: typeof o.roleName === 'string' ? o.roleName : undefined };
}

export async function pinCommand(app: App, arg: unknown, pin: boolean): Promise<boolean> {
  const target = pinTargetOf(app, arg);
  if (!target) throw new SsoError('InvalidInput', pin ? t('Choose an account or a role in the AWS SSO view, then Pin.') : t('Choose an account or a role in the AWS SSO view, then Unpin.'));
  const { session, account, roleName } = target;
  if (pin) await app.pins.pin(session, account, roleName);
  else await app.pins.unpin(session, account.accountId, roleName);
  const what = roleName === undefined ? account.accountName : t('{0} in {1}', roleName, account.accountName);
  vscode.window.setStatusBarMessage(pin ? t('Pinned {0}', what) : t('Unpinned {0}', what), 3000);
  return pin;
}

/**
 * Records a role used for a profile, the console or credentials, for the Recent group; a chained
 * profile records the SSO role it starts from. Never fails the command.
 */
export function recordUse(app: App, used: RoleNode | ChainedNode, use: 'profile' | 'console' | 'credentials'): void {
  const node = used instanceof ChainedNode ? used.parent : used;
  void app.pins
    .used(node.session, node.account, node.role.roleName, use, Date.now())
    .catch((e: unknown) => app.log.warn(`remembering a recent role: ${e instanceof Error ? e.message : String(e)}`));
}
