// AWS SSO: Find Account or Role… — one quick pick over every account and role of the signed-in
// sessions (thousands of them), filled in as the background listing progresses. Picking an
// account reveals it; picking a role reveals it and offers its actions, so every role command
// is reachable from the keyboard and the command palette.
import * as vscode from 'vscode';
import type { App } from '../app';
import type { Timer } from '../../core/timers';
import { Command, CommandId } from '../commandIds';
import type { UiSession } from '../sessionsModel';
import { AccountNode, ChainedNode, RoleNode } from '../tree/nodes';
import type { ProfileInfo } from '../../core/config/read';
import { escapeIcons } from '../util/markdown';
import { buildFindItems, findMatches, FIND_ACCOUNT_COMMANDS, FIND_CHAINED_COMMANDS, FIND_ROLE_COMMANDS, FindEntry } from './findModel';

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
  // Our filter (findMatches: every word, any order) chooses the items; the quick pick's own
  // fuzzy filter, which takes the typed text as one phrase, must not hide them again.
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.busy = true;
  qp.ignoreFocusOut = app.prompter.besideWalkthrough();
  const disposables: vscode.Disposable[] = [qp];

  let all: Item[] = [];
  const show = () => {
    const activeKey = qp.activeItems[0]?.entry?.key;
    const items = findMatches(all.map((i) => i.entry!), qp.value).map((e) => byKey.get(e.key)!);
    qp.items = items;
    return { activeKey, items };
  };
  let byKey = new Map<string, Item>();
  const rebuild = () => {
    all = toItems(app, sessions);
    byKey = new Map(all.map((i) => [i.entry!.key, i]));
    const { activeKey, items } = show();
    const again = activeKey ? items.find((i) => i.entry?.key === activeKey) : undefined;
    if (again) qp.activeItems = [again];
    qp.busy = sessions.some((s) => !app.tree.listing(s).complete);
  };
  let timer: Timer | undefined;
  const soon = () => {
    timer ??= app.timers.timeout(() => {
      timer = undefined;
      rebuild();
    }, REBUILD_MS);
  };
  disposables.push({ dispose: () => timer?.dispose() });
  disposables.push(app.tree.onDidChangePrefetch(soon));
  disposables.push(qp.onDidChangeValue(() => show()));
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
  await app.prompter.readyToShow();
  const closed = app.prompter.shown('find');
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
  closed(entry !== undefined);
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
    alwaysShow: true,
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
    await accountActions(app, accountNode);
    return;
  }
  const roleNode = app.tree.roleNode(accountNode, entry.roleName!);
  await app.treeView.reveal(roleNode, { select: true, focus: true });
  await roleActions(app, roleNode);
}

/** The role's commands as a list, for keyboard users and the palette. */
async function roleActions(app: App, node: RoleNode): Promise<void> {
  const hasProfile = !!app.store.profileFor(node.session.name, node.account.accountId, node.role.roleName);
  const labels: Partial<Record<CommandId, string>> = {
    [Command.createProfile]: `$(new-file) ${t('Create Profile…')}`,
    [Command.createChainedProfile]: `$(link) ${t('Create Chained Profile…')}`,
    [Command.useProfile]: hasProfile ? `$(terminal) ${t('Use Profile in New Terminals')}` : undefined,
    [Command.openConsole]: `$(link-external) ${t('Open Console')}`,
    [Command.openConsoleAt]: `$(link-external) ${t('Open Console…')}`,
    [Command.copyCredentials]: `$(copy) ${t('Copy Credentials…')}`,
    [Command.writeCredentials]: `$(save) ${t('Write Credentials to the Credentials File')}`,
    [Command.keepCredentialsFresh]: `$(sync) ${t('Keep Credentials Fresh in the Credentials File…')}`,
    [Command.addProcessProfile]: `$(gear) ${t('Add credential_process Profile…')}`,
    [Command.copyAccountId]: `$(copy) ${t('Copy Account ID')}`,
    ...(app.pins.isPinned(node.session, node.account.accountId, node.role.roleName)
      ? { [Command.unpin]: `$(pinned) ${t('Unpin')}` }
      : { [Command.pin]: `$(pin) ${t('Pin')}` }),
  };
  const actions: { label: string; command: string; chained?: ProfileInfo }[] = FIND_ROLE_COMMANDS.filter((c) => labels[c]).map((command) => ({ label: labels[command]!, command }));
  // The chained profiles that start from this role: their own actions come next.
  for (const p of app.store.chainedFor(node.session.name, node.account.accountId, node.role.roleName)) {
    actions.push({ label: `$(link) ${t('Chained Profile {0}…', p.name)}`, command: '', chained: p });
  }
  const pick = await app.prompter.quickPick('roleAction', actions, {
    title: t('{0} in {1}', node.role.roleName, node.account.accountName),
    placeHolder: t('What do you want to do with this role?'),
  });
  if (pick?.chained?.roleArn) {
    const chained = app.tree.chainedNode(node, pick.chained.name, pick.chained.roleArn);
    await app.treeView.reveal(chained, { select: true, focus: true });
    await chainedActions(app, chained);
  } else if (pick) await vscode.commands.executeCommand(pick.command, node);
}

/** A chained profile's commands (the tree's menu on it), for keyboard users. */
async function chainedActions(app: App, node: ChainedNode): Promise<void> {
  const labels: Partial<Record<CommandId, string>> = {
    [Command.useProfile]: `$(terminal) ${t('Use Profile in New Terminals')}`,
    [Command.openConsole]: `$(link-external) ${t('Open Console')}`,
    [Command.copyCredentials]: `$(copy) ${t('Copy Credentials…')}`,
  };
  const actions = FIND_CHAINED_COMMANDS.map((command) => ({ label: labels[command]!, command }));
  const pick = await app.prompter.quickPick('chainedAction', actions, {
    title: t('{0} (chained from {1})', node.profileName, node.parent.role.roleName),
    placeHolder: t('What do you want to do with this profile?'),
  });
  if (pick) await vscode.commands.executeCommand(pick.command, node);
}

/** The account's commands, after it is shown in the view (Escape leaves it there). */
async function accountActions(app: App, node: AccountNode): Promise<void> {
  const labels: Partial<Record<CommandId, string>> = {
    [Command.createProfilesForAll]: `$(new-file) ${t('Create Profiles for All Roles…')}`,
    [Command.copyAccountId]: `$(copy) ${t('Copy Account ID')}`,
    ...(app.pins.isPinned(node.session, node.account.accountId)
      ? { [Command.unpin]: `$(pinned) ${t('Unpin')}` }
      : { [Command.pin]: `$(pin) ${t('Pin')}` }),
  };
  const actions = FIND_ACCOUNT_COMMANDS.filter((c) => labels[c]).map((command) => ({ label: labels[command]!, command }));
  const pick = await app.prompter.quickPick('accountAction', actions, {
    title: t('{0} ({1})', node.account.accountName, node.account.accountId),
    placeHolder: t('What do you want to do with this account? (Escape: just show it)'),
  });
  if (pick) await vscode.commands.executeCommand(pick.command, node);
}
