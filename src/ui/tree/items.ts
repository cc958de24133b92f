// How each node of the Sessions view looks: label, description, icon, tooltip, context value and
// screen-reader label, from the node and the current sign-in state and profiles.
import { stillRenewable } from '../../core/auth/renewable';
import * as vscode from 'vscode';
import { describeRemaining } from '../../core/timeLeft';
import { Command } from '../commandIds';
import { contextValue } from '../contextKeys';
import type { Pins } from '../pins';
import type { SessionStore } from '../sessionStore';
import { escapeMarkdown } from '../util/markdown';
import type { AccountNode, ChainedNode, GroupNode, MessageNode, RoleNode, SessionNode, TreeNode } from './nodes';

const t = vscode.l10n.t;

export interface ItemContext {
  store: Pick<SessionStore, 'sessions' | 'phase' | 'token' | 'profileFor' | 'chainedFor' | 'isShadowed'>;
  /** The profile new terminals use. */
  activeProfile(): string | undefined;
  pins?: Pick<Pins, 'isPinned'>;
}

export function treeItem(node: TreeNode, ctx: ItemContext): vscode.TreeItem {
  switch (node.kind) {
    case 'session':
      return sessionItem(node, ctx);
    case 'group':
      return groupItem(node);
    case 'account':
      return accountItem(node, ctx);
    case 'role':
      return roleItem(node, ctx);
    case 'chained':
      return chainedItem(node, ctx);
    case 'message':
      return messageItem(node);
  }
}

function sessionItem(node: SessionNode, ctx: ItemContext): vscode.TreeItem {
  const s = node.session;
  const now = Date.now();
  const phase = ctx.store.phase(s.name, now);
  const token = ctx.store.token(s.name);
  const item = new vscode.TreeItem(s.name, ctx.store.sessions.length === 1 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  const state =
    phase === 'signedIn' ? t('signed in') : phase === 'expired' ? (stillRenewable(token?.refreshableUntil, now) ? t('expired, renews on next use') : t('expired')) : t('signed out');
  item.description = s.source === 'settings' ? t('{0} · from settings', state) : state;
  item.iconPath = new vscode.ThemeIcon(phase === 'signedIn' ? 'cloud' : phase === 'expired' ? 'warning' : 'cloud-download');
  item.contextValue = contextValue('awsSession', [phase, s.source === 'settings' ? 'fromSettings' : 'fromConfig']);
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escapeMarkdown(s.name)}**\n\n`);
  md.appendMarkdown(`${t('Start URL')}: ${escapeMarkdown(s.startUrl)}  \n${t('Region')}: ${escapeMarkdown(s.region)}  \n`);
  if (phase === 'signedIn' && token?.expiresAt !== undefined) {
    const left = describeRemaining(token.expiresAt, now);
    md.appendMarkdown(`${stillRenewable(token.refreshableUntil, now) ? t('Signed in, {0} left, renews automatically', left) : t('Signed in, {0} left', left)}  \n`);
  } else {
    md.appendMarkdown(`${state}  \n`);
  }
  md.appendMarkdown(s.source === 'settings' ? t('Defined in the awsSsoProfiles.sessions setting') : t('Defined in the AWS config file'));
  item.tooltip = md;
  item.accessibilityInformation = { label: t('SSO session {0}, {1}', s.name, state), role: 'treeitem' };
  return item;
}

function groupItem(node: GroupNode): vscode.TreeItem {
  const pinned = node.group === 'pinned';
  const item = new vscode.TreeItem(pinned ? t('Pinned') : t('Recent'), vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.id;
  item.iconPath = new vscode.ThemeIcon(pinned ? 'pinned' : 'history');
  item.contextValue = contextValue('awsGroup');
  item.tooltip = pinned
    ? t('The accounts and roles you pinned in {0}. Pin or unpin one from its menu, or from Find.', node.session.name)
    : t('The roles of {0} you used last: for a profile, the console or credentials.', node.session.name);
  item.accessibilityInformation = {
    label: pinned ? t('Pinned accounts and roles of session {0}', node.session.name) : t('Recently used roles of session {0}', node.session.name),
    role: 'treeitem',
  };
  return item;
}

function accountItem(node: AccountNode, ctx: ItemContext): vscode.TreeItem {
  const a = node.account;
  const pinned = !!ctx.pins?.isPinned(node.session, a.accountId);
  // In the Pinned group, an account holding only pinned roles opens on them: nothing to list.
  const open = node.group === 'pinned' && !pinned;
  const item = new vscode.TreeItem(a.accountName, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.description = a.emailAddress ? `${a.accountId} · ${a.emailAddress}` : a.accountId;
  item.iconPath = new vscode.ThemeIcon(pinned ? 'pinned' : 'organization');
  item.contextValue = contextValue('awsAccount', [pinned && 'pinned']);
  item.tooltip = new vscode.MarkdownString(
    `**${escapeMarkdown(a.accountName)}**\n\n${t('Account ID')}: ${escapeMarkdown(a.accountId)}${a.emailAddress ? `  \n${t('Email')}: ${escapeMarkdown(a.emailAddress)}` : ''}` +
      (pinned ? `\n\n${t('Pinned')}` : ''),
    true,
  );
  const label = a.emailAddress
    ? t('Account {0}, ID {1}, email {2}', a.accountName, spaced(a.accountId), a.emailAddress)
    : t('Account {0}, ID {1}', a.accountName, spaced(a.accountId));
  item.accessibilityInformation = { label: pinned ? t('{0}, pinned', label) : label, role: 'treeitem' };
  return item;
}

function roleItem(node: RoleNode, ctx: ItemContext): vscode.TreeItem {
  const profile = ctx.store.profileFor(node.session.name, node.account.accountId, node.role.roleName);
  const active = profile !== undefined && profile.name === ctx.activeProfile();
  const chained = ctx.store.chainedFor(node.session.name, node.account.accountId, node.role.roleName).length > 0;
  const pinned = !!ctx.pins?.isPinned(node.session, node.account.accountId, node.role.roleName);
  // Outside its account (the Recent group), a role names its account.
  const bare = node.group !== 'recent';
  // Collapsed: a role's chained profiles are one click away, and thousands of roles stay flat.
  const item = new vscode.TreeItem(node.role.roleName, chained ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const shadowed = profile !== undefined && ctx.store.isShadowed(profile.name);
  const profileText = profile
    ? shadowed
      ? t('{0} · shadowed by [{1}] in the credentials file', active ? t('{0} · in new terminals', profile.name) : profile.name, profile.name)
      : active
        ? t('{0} · in new terminals', profile.name)
        : profile.name
    : undefined;
  item.description = bare ? profileText : profileText ? t('{0} · {1}', node.account.accountName, profileText) : node.account.accountName;
  item.iconPath = new vscode.ThemeIcon(active ? 'terminal' : profile ? 'key' : pinned ? 'pinned' : 'person');
  item.contextValue = contextValue('awsRole', [profile && 'hasProfile', chained && 'hasChained', active && 'activeProfile', pinned && 'pinned']);
  item.tooltip = new vscode.MarkdownString(
    `${t('**{0}** in {1} ({2})', escapeMarkdown(node.role.roleName), escapeMarkdown(node.account.accountName), escapeMarkdown(node.account.accountId))}\n\n` +
      (profile ? t('Profile: {0}', escapeMarkdown(profile.name)) : t('No profile yet: use Create Profile to add one.')) +
      (shadowed
        ? `\n\n$(warning) ${t('[{0}] in the credentials file holds keys under the same name. The AWS CLI still signs in with this profile; the AWS SDK for JavaScript v3 (and tools built on it) takes those keys first.', escapeMarkdown(profile.name))}`
        : '') +
      (pinned ? `\n\n${t('Pinned')}` : ''),
    true,
  );
  const label = !profile
    ? t('Role {0} in account {1}, no profile', node.role.roleName, node.account.accountName)
    : active
      ? t('Role {0} in account {1}, profile {2}, used in new terminals', node.role.roleName, node.account.accountName, profile.name)
      : t('Role {0} in account {1}, profile {2}', node.role.roleName, node.account.accountName, profile.name);
  const spoken = shadowed ? t('{0}, shadowed by a section of the credentials file', label) : label;
  item.accessibilityInformation = {
    label: node.group === 'recent' ? t('Recently used: {0}', spoken) : pinned ? t('{0}, pinned', spoken) : spoken,
    role: 'treeitem',
  };
  return item;
}

function chainedItem(node: ChainedNode, ctx: ItemContext): vscode.TreeItem {
  const active = node.profileName === ctx.activeProfile();
  const item = new vscode.TreeItem(node.profileName, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = active ? t('{0} · in new terminals', node.roleArn) : node.roleArn;
  item.iconPath = new vscode.ThemeIcon(active ? 'terminal' : 'link');
  item.contextValue = contextValue('awsChained', [active && 'activeProfile']);
  item.tooltip = new vscode.MarkdownString(
    t('Chained profile **{0}**: assumes {1} with the credentials of {2} in {3}', escapeMarkdown(node.profileName), escapeMarkdown(node.roleArn), escapeMarkdown(node.parent.role.roleName), escapeMarkdown(node.parent.account.accountName)),
    true,
  );
  item.accessibilityInformation = {
    label: active
      ? t('Chained profile {0}, assumes role {1} in account {2} from role {3}, used in new terminals', node.profileName, node.role.roleName, spaced(node.account.accountId), node.parent.role.roleName)
      : t('Chained profile {0}, assumes role {1} in account {2} from role {3}', node.profileName, node.role.roleName, spaced(node.account.accountId), node.parent.role.roleName),
    role: 'treeitem',
  };
  return item;
}

function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.tooltip = node.detail;
  switch (node.message) {
    case 'retry':
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.contextValue = contextValue('awsRetry');
      item.command = { command: Command.retry, title: t('Retry'), arguments: [node] };
      break;
    case 'signIn':
      item.iconPath = new vscode.ThemeIcon('sign-in');
      item.contextValue = contextValue('awsMessage');
      item.command = { command: Command.signIn, title: t('Sign In'), arguments: [node.parent] };
      break;
    case 'configError':
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.contextValue = contextValue('awsRetry');
      item.command = { command: Command.openConfigFile, title: t('Open AWS Config File') };
      break;
    case 'configWarning':
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.contextValue = contextValue('awsMessage');
      item.command = { command: Command.openConfigFile, title: t('Open AWS Config File') };
      break;
    case 'empty':
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = contextValue('awsMessage');
      break;
  }
  item.accessibilityInformation = { label: node.detail ? `${node.label}. ${node.detail}` : node.label, role: 'treeitem' };
  return item;
}

/** "1 2 3 …": screen readers then read an account ID digit by digit, not as a number. */
function spaced(id: string): string {
  return id.split('').join(' ');
}
