// AWS SSO: Find Account or Role… — one quick pick over every account and role of the signed-in
// sessions (thousands of them), filled in as the background listing progresses. Picking an
// account reveals it; picking a role reveals it and offers its actions, so every role command
// is reachable from the keyboard and the command palette.
import * as vscode from 'vscode';
import type { App } from '../app';
import { Command } from '../commandIds';
import type { UiSession } from '../sessionsModel';
import { RoleNode } from '../tree/nodes';
import { escapeIcons } from '../util/markdown';
import { buildFindItems, FindEntry } from './findModel';

const t = vscode.l10n.t;
const REBUILD_MS = 400;

interface Item extends vscode.QuickPickItem {
  entry?: FindEntry;
}

// Created once: an item button per result (thousands).
let pinButtons: { pin: vscode.QuickInputButton; unpin: vscode.QuickInputButton } | undefined;
function buttons(): { pin: vscode.QuickInputButton; unpin: vscode.QuickInputButton } {
  return (pinButtons ??= {
    pin: { iconPath: new vscode.ThemeIcon('pin'), tooltip: t('Pin') },
    unpin: { iconPath: new vscode.ThemeIcon('pinned'), tooltip: t('Unpin') },
  });
}

export async function findCommand(app: App): Promise<void> {
  const sessions = app.store.sessions.filter((s) => app.store.phase(s.name) !== 'signedOut');
  if (sessions.length === 0) {
    const signIn = t('Sign In');
    const c = await vscode.window.showInformationMessage(t('Sign in to a session first: accounts and roles come from the AWS access portal.'), signIn);
    if (c === signIn) await vscode.commands.executeCommand(Command.signIn);
    return;
  }
  if (app.prompter.isScripted('find')) {
    // A host test: list everything, then pick as scripted.
    for (const s of sessions) {
      app.tree.listing(s).resetFailure('all');
      await app.tree.prefetchAll(s);
    }
    const items = toItems(app, sessions);
    const r = app.prompter.pickScripted('find', t('Find Account or Role'), items);
    if (r.scripted && r.item?.entry) await reveal(app, sessions, r.item.entry);
    return;
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = t('Find Account or Role');
  qp.placeholder = t('Type part of an account name, account ID, email or role name');
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  const disposables: vscode.Disposable[] = [qp];

  const rebuild = () => {
    const activeKey = qp.activeItems[0]?.entry?.key;
    const items = toItems(app, sessions);
    qp.items = items;
    const again = activeKey ? items.find((i) => i.entry?.key === activeKey) : undefined;
    if (again) qp.activeItems = [again];
    qp.busy = sessions.some((s) => !app.tree.listing(s).complete);
  };
  let timer: NodeJS.Timeout | undefined;
  const soon = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      rebuild();
    }, REBUILD_MS);
  };
  disposables.push({ dispose: () => timer && clearTimeout(timer) });
  disposables.push(app.tree.onDidChangePrefetch(soon));
  // Accounts arrive page by page: what is listed so far can be found already.
  disposables.push(app.tree.onDidListAccounts(soon));
  // Pin / Unpin from the results: the item's button; the list stays open.
  disposables.push(
    qp.onDidTriggerItemButton(async (e) => {
      const entry = e.item.entry;
      if (!entry) return;
      await vscode.commands.executeCommand(entry.pinned ? Command.unpin : Command.pin, findTarget(entry));
      rebuild();
    }),
  );

  const picked = new Promise<FindEntry | undefined>((resolve) => {
    disposables.push(qp.onDidAccept(() => resolve(qp.selectedItems[0]?.entry)));
    disposables.push(qp.onDidHide(() => resolve(undefined)));
  });
  rebuild();
  qp.show();
  for (const s of sessions) {
    const listing = app.tree.listing(s);
    listing.resetFailure('all');
    void listing
      .loadAccounts()
      .then(() => {
        soon();
        return app.tree.prefetchAll(s);
      })
      .catch((e: unknown) => app.log.warn(`find: ${s.name}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(soon);
  }
  const entry = await picked;
  for (const d of disposables) d.dispose();
  if (entry) await reveal(app, sessions, entry);
}

function toItems(app: App, sessions: readonly UiSession[]): Item[] {
  const entries = buildFindItems(
    sessions.map((s) => ({ session: s.name, listing: app.tree.listing(s).snapshot() })),
    (sessionName, accountId, roleName) => app.store.profileFor(sessionName, accountId, roleName)?.name,
    (profile) => t('Profile: {0}', profile),
    (session, accountId, roleName) => {
      const s = sessions.find((x) => x.name === session);
      return !!s && app.pins.isPinned(s, accountId, roleName);
    },
  );
  const b = buttons();
  // Names come from the portal and the config file: an icon in one is shown as text.
  return entries.map((e) => ({
    label: e.kind === 'account' ? `$(organization) ${escapeIcons(e.label)}` : `$(key) ${escapeIcons(e.label)}`,
    description: escapeIcons(e.description),
    detail: e.detail === undefined ? undefined : escapeIcons(e.detail),
    buttons: [e.pinned ? b.unpin : b.pin],
    entry: e,
  }));
}

/** What Pin / Unpin act on for a result. */
function findTarget(e: FindEntry): { session: string; accountId: string; roleName?: string } {
  return e.kind === 'role' ? { session: e.session, accountId: e.accountId, roleName: e.roleName } : { session: e.session, accountId: e.accountId };
}

/** Shows the entry in the tree; for a role, offers its actions too. */
async function reveal(app: App, sessions: readonly UiSession[], entry: FindEntry): Promise<void> {
  const session = sessions.find((s) => s.name === entry.session)!;
  const account = app.tree.listing(session).account(entry.accountId);
  if (!account) return;
  const accountNode = app.tree.accountNode(session, account);
  if (entry.kind === 'account') {
    await app.treeView.reveal(accountNode, { select: true, focus: true, expand: true });
    return;
  }
  const roleNode = app.tree.roleNode(accountNode, entry.roleName!);
  await app.treeView.reveal(roleNode, { select: true, focus: true });
  await roleActions(app, roleNode);
}

/** The role's commands as a list, for keyboard users and the palette. */
async function roleActions(app: App, node: RoleNode): Promise<void> {
  const hasProfile = !!app.store.profileFor(node.session.name, node.account.accountId, node.role.roleName);
  const actions: { label: string; command: string }[] = [
    { label: `$(new-file) ${t('Create Profile…')}`, command: Command.createProfile },
    ...(hasProfile ? [{ label: `$(terminal) ${t('Use Profile in New Terminals')}`, command: Command.useProfile }] : []),
    { label: `$(link-external) ${t('Open Console')}`, command: Command.openConsole },
    { label: `$(copy) ${t('Copy Credentials…')}`, command: Command.copyCredentials },
    { label: `$(save) ${t('Write Credentials to the Credentials File')}`, command: Command.writeCredentials },
    { label: `$(copy) ${t('Copy Account ID')}`, command: Command.copyAccountId },
    app.pins.isPinned(node.session, node.account.accountId, node.role.roleName)
      ? { label: `$(pinned) ${t('Unpin')}`, command: Command.unpin }
      : { label: `$(pin) ${t('Pin')}`, command: Command.pin },
  ];
  const pick = await app.prompter.quickPick('roleAction', actions, {
    title: t('{0} in {1}', node.role.roleName, node.account.accountName),
    placeHolder: t('What do you want to do with this role?'),
  });
  if (pick) await vscode.commands.executeCommand(pick.command, node);
}
