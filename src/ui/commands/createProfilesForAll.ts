// AWS SSO: Create Profiles for All Roles… — on a session or an account: plan every profile,
// show the change as a diff beside a non-modal Write/Cancel, then write it in one edit (a session not yet in the config
// file, from the settings, is asked about first).
import * as vscode from 'vscode';
import { applyProfiles, ConfigChanges } from '../../core/config/edit';
import { hasSsoSession, listProfiles } from '../../core/config/read';
import { SsoError } from '../../core/errors';
import { parseRegionRules } from '../../core/profileRegions';
import { plural } from '../../core/plural';
import { planPopulate, PopulateInput, PopulatePlan } from '../../core/profiles';
import type { App } from '../app';
import { Command } from '../commandIds';
import type { UiSession } from '../sessionsModel';
import { AccountNode } from '../tree/nodes';
import { withAbortSignal } from '../util/cancellation';
import { accessNoticesFor } from './accessNotice';
import { confirmAddSession } from './createProfile';
import { resolveSession } from './targets';

const t = vscode.l10n.t;

export interface PopulateResult {
  added: string[];
  updated: string[];
  removed: string[];
}

function summary(p: Pick<PopulatePlan, 'added' | 'updated' | 'removed'>): string {
  const parts: string[] = [];
  const [a, u, r] = [p.added.length, p.updated.length, p.removed.length];
  if (a) parts.push(plural(a, t('1 new profile'), t('{0} new profiles', a)));
  if (u) parts.push(plural(u, t('1 updated profile'), t('{0} updated profiles', u)));
  if (r) parts.push(plural(r, t('1 removed profile'), t('{0} removed profiles', r)));
  return parts.join(', ');
}

function sameOutcome(a: PopulatePlan, b: PopulatePlan): boolean {
  const k = (p: PopulatePlan) => JSON.stringify([p.added, p.updated, p.removed]);
  return k(a) === k(b);
}

/** Resolves with what was written, or undefined when cancelled or nothing was to do. */
export async function createProfilesForAllCommand(app: App, arg?: unknown): Promise<PopulateResult | undefined> {
  const accountNode = arg instanceof AccountNode ? arg : undefined;
  const session: UiSession | undefined =
    accountNode?.session ??
    (await resolveSession(app, arg, {
      placeHolder: t('Create profiles for every role of which session?'),
      filter: (s) => app.store.phase(s.name) !== 'signedOut',
    }));
  if (!session) return undefined;
  // From the access-change notice's Review: whether to prune is already answered.
  const presetPrune =
    arg && typeof arg === 'object' && typeof (arg as { prune?: unknown }).prune === 'boolean' ? (arg as { prune: boolean }).prune : undefined;
  // This command's preview tells the change: no notice about it meanwhile.
  const release = accessNoticesFor(app).reviewingSession(session.name);
  try {
    return await populate(app, session, accountNode, presetPrune);
  } finally {
    release();
  }
}

async function populate(app: App, session: UiSession, accountNode: AccountNode | undefined, presetPrune: boolean | undefined): Promise<PopulateResult | undefined> {
  // Asked before anything is listed: the profiles need the session in the config file.
  const addSession = !hasSsoSession((await app.services.config.read())?.text ?? '', session.name);
  if (addSession && !(await confirmAddSession(app, session))) return undefined;
  // Only a session the user agreed to add is added (one that vanished meanwhile is an error).
  const changesOf = (p: PopulatePlan): ConfigChanges => (addSession ? p.changes : { ...p.changes, addMissingSessions: [] });
  const settings = app.settings();
  // Checked before listing: a wrong region is refused, never replaced by the default.
  const regionRules = parseRegionRules(settings.profileRegions, 'awsSsoProfiles.profileRegions');
  const listing = app.tree.listing(session);
  // Asked for explicitly: what failed before gets another try.
  listing.resetFailure('all');

  // Everything listed first: accounts and the roles of each (or of the one account).
  const done = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: accountNode ? t('Listing the roles of {0}', accountNode.account.accountName) : t('Listing every account and role of "{0}"', session.name),
      cancellable: true,
    },
    (progress, token) =>
      withAbortSignal(token, async (signal) => {
        await listing.loadAccounts();
        if (accountNode) await listing.loadRoles(accountNode.account.accountId, true);
        else {
          const sub = app.tree.onDidChangePrefetch((all) => {
            const p = all.find((x) => x.session === session.name);
            if (p) progress.report({ message: t('{0} of {1} accounts', p.done, p.total) });
          });
          try {
            await Promise.race([app.tree.prefetchAll(session), new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))]);
          } finally {
            sub.dispose();
          }
        }
        return !signal.aborted;
      }),
  );
  if (!done) return undefined;

  const snap = listing.snapshot();
  const accounts = accountNode ? snap.accounts.filter((a) => a.accountId === accountNode.account.accountId) : snap.accounts;
  const roles = new Map([...snap.roles].filter(([id]) => accounts.some((a) => a.accountId === id)));
  // Accounts whose roles are not known (failed, or still listing) are never pruned.
  const failed = accounts.filter((a) => !roles.has(a.accountId)).map((a) => a.accountId);
  if (accountNode && !roles.has(accountNode.account.accountId)) {
    throw snap.failed.get(accountNode.account.accountId) ?? new SsoError('BadResponse', t('The roles of this account could not be listed.'));
  }

  const text = (await app.services.config.read())?.text ?? '';
  // Pruning one account must not touch the others: their profiles count as unknown.
  const others = accountNode
    ? listProfiles(text)
        .filter((p) => p.ssoSession === session.name && p.ssoAccountId && p.ssoAccountId !== accountNode.account.accountId)
        .map((p) => p.ssoAccountId!)
    : [];
  const input = (prune: boolean): PopulateInput => ({
    session: { name: session.name, startUrl: session.startUrl, region: session.region, scopes: session.scopes },
    accounts,
    roles,
    template: settings.profileNameTemplate,
    region: settings.defaultRegion ?? session.region,
    regionRules,
    output: settings.defaultOutput,
    prune,
    unknownAccounts: [...failed, ...others],
  });

  let prune = presetPrune ?? false;
  const pruned = planPopulate(text, input(true));
  if (pruned.removed.length > 0 && presetPrune === undefined) {
    const keep = t('Add and Update Profiles');
    const n = pruned.removed.length;
    const remove = plural(n, t('Also Remove 1 Stale Profile'), t('Also Remove {0} Stale Profiles', n));
    const mode = await app.prompter.quickPick(
      'populateMode',
      [
        { label: keep, detail: t('Profiles for roles you no longer have stay in the file.') },
        { label: remove, detail: t('Removes profiles this extension created whose role is no longer assigned to you: {0}', pruned.removed.join(', ')) },
      ],
      { title: t('Create Profiles for All Roles'), placeHolder: t('Some profiles created earlier point at roles you no longer have.') },
    );
    if (!mode) return undefined;
    prune = mode.label === remove;
  }

  const plan = planPopulate(text, input(prune));
  if (plan.added.length + plan.updated.length + plan.removed.length === 0) {
    void vscode.window.showInformationMessage(t('Every role already has a profile ({0}); nothing to write.', plan.unchanged.length));
    return undefined;
  }
  const proposed = applyProfiles(text, changesOf(plan));

  const closeDiff = await app.preview.showDiff('config.ini', text, proposed, t('AWS config: current ↔ proposed ({0})', summary(plan)));
  const write = t('Write Profiles');
  const cancel = t('Cancel');
  let answer: string | undefined;
  try {
    // Not modal: a dialog would cover the diff and block its scrolling; the notification waits
    // beside it (buttons keep it from hiding) until the user picks or closes it.
    answer = await app.prompter.message(
      'confirmPopulate',
      'info',
      [
        t('Write {0} to {1}? The diff shows the whole change: scroll it, then choose.', summary(plan), app.services.paths.configFile),
        failed.length ? plural(failed.length, t('1 account could not be listed; its profiles are left alone.'), t('{0} accounts could not be listed; their profiles are left alone.', failed.length)) : '',
        t('The previous file is kept as {0}.', app.services.config.backupPath),
      ]
        .filter(Boolean)
        .join(' '),
      { modal: false },
      write,
      cancel,
    );
  } finally {
    await closeDiff();
  }
  if (answer !== write) return undefined;

  let written = plan;
  const r = await app.services.config.edit((current) => {
    if (current === text) return proposed;
    // Changed since the preview: redo on the fresh text, but only if it means the same change.
    const again = planPopulate(current, input(prune));
    if (!sameOutcome(again, plan)) {
      throw new SsoError('ConfigFile', t('The config file changed while you were reviewing. Run the command again to review the new change.'));
    }
    written = again;
    return applyProfiles(current, changesOf(again));
  });
  app.log.info(`profiles for ${session.name}: +${written.added.length} ~${written.updated.length} -${written.removed.length} in ${app.services.paths.configFile}`);
  await app.store.reload();
  const open = t('Open Config');
  void vscode.window
    .showInformationMessage(
      r.backupPath ? t('Wrote {0}. The previous file is {1}.', summary(written), r.backupPath) : t('Wrote {0}.', summary(written)),
      open,
    )
    .then((c) => (c === open ? vscode.commands.executeCommand(Command.openConfigFile) : undefined));
  return { added: written.added, updated: written.updated, removed: written.removed };
}
