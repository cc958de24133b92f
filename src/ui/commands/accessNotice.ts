// The editor's side of the access-change notice (../accessNotice.ts): one per window, shown as a
// notification whose Review runs Create Profiles for All Roles with its diff preview.
import * as vscode from 'vscode';
import type { Listing } from '../../core/portal/portal';
import { AccessNotices } from '../accessNotice';
import type { App } from '../app';
import { Command } from '../commandIds';
import type { UiSession } from '../sessionsModel';

const instances = new WeakMap<App, AccessNotices>();

export function accessNoticesFor(app: App): AccessNotices {
  let n = instances.get(app);
  if (!n) {
    n = new AccessNotices({
      memory: app.state,
      configText: async () => (await app.services.config.read())?.text ?? '',
      show: async (text, review) => (await app.prompter.message('accessChanged', 'info', text, {}, review)) === review,
      review: (session, prune) => Promise.resolve(vscode.commands.executeCommand(Command.createProfilesForAll, { session: session.name, prune })),
      t: vscode.l10n.t,
    });
    instances.set(app, n);
  }
  return n;
}

/** A session's listing completed (the tree's onDidListAll): tells what changed, if it is new. */
export function noticeListed(app: App, session: UiSession, listing: Listing): void {
  accessNoticesFor(app)
    .listed(session, listing)
    .catch((e: unknown) => app.log.warn(`access-change notice for ${session.name}: ${e instanceof Error ? e.message : String(e)}`));
}
