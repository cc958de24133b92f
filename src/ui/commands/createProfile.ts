// AWS SSO: Create Profile… — on a role: propose a name from the template, check it, settle a
// clash (overwrite, rename, cancel), then write the [sso-session] if missing (asked first) and the
// [profile].
import * as vscode from 'vscode';
import { hasSsoSession, listProfiles, ProfileInfo } from '../../core/config/read';
import { SsoError } from '../../core/errors';
import { assignProfileNames, NameVars } from '../../core/naming';
import { writeRoleProfile } from '../../core/profiles';
import { parseRegionRules, regionFor } from '../../core/profileRegions';
import type { App } from '../app';
import { Command } from '../commandIds';
import { nameProblem } from '../inputs';
import { recordUse } from './pin';
import type { UiSession } from '../sessionsModel';
import { type ChainedNode, RoleNode } from '../tree/nodes';
import { roleTarget } from './targets';

const t = vscode.l10n.t;

export function nameVars(node: RoleNode | ChainedNode, region: string): NameVars {
  const vars: NameVars = {
    accountName: node.account.accountName,
    accountId: node.account.accountId,
    roleName: node.role.roleName,
    session: node.session.name,
    region,
  };
  if (node.account.emailAddress) vars.email = node.account.emailAddress;
  return vars;
}

function describeProfile(p: ProfileInfo): string {
  if (p.ssoAccountId && p.ssoRoleName) {
    return p.ssoSession
      ? t('role {0} in account {1} through session {2}', p.ssoRoleName, p.ssoAccountId, p.ssoSession)
      : t('role {0} in account {1}', p.ssoRoleName, p.ssoAccountId);
  }
  return t('not an SSO profile');
}

/**
 * Asks before a profile brings its session into the AWS config file: a session from the
 * workspace settings is the organisation's suggestion, and ~/.aws/config is the user's. True
 * when the user agreed.
 */
export async function confirmAddSession(app: App, session: UiSession): Promise<boolean> {
  const file = app.services.paths.configFile;
  const add = t('Add [sso-session {0}] to {1}', session.name, file);
  const answer = await app.prompter.message(
    'addSessionToConfig',
    'info',
    t('The session "{0}" comes from the workspace settings and is not in {1}. A profile needs it there.', session.name, file),
    {
      modal: true,
      detail: t(
        'Its start URL ({0}), region ({1}) and scopes are written as a new [sso-session {2}] section, where the AWS CLI and SDKs read it. Nothing else in the file changes.',
        session.startUrl,
        session.region,
        session.name,
      ),
    },
    add,
  );
  return answer === add;
}

/** Resolves with the profile name written, or undefined when cancelled. */
export async function createProfileCommand(app: App, arg?: unknown): Promise<string | undefined> {
  const node = roleTarget(app, arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Create Profile.'));
  const { session } = node;
  const settings = app.settings();
  const rules = parseRegionRules(settings.profileRegions, 'awsSsoProfiles.profileRegions');
  const region = regionFor(node.account, rules, settings.defaultRegion ?? session.region);
  const output = settings.defaultOutput;
  const startText = (await app.services.config.read())?.text ?? '';
  const existing = listProfiles(startText);
  const addSession = !hasSsoSession(startText, session.name);
  if (addSession && !(await confirmAddSession(app, session))) return undefined;

  const already = app.store.profileFor(session.name, node.account.accountId, node.role.roleName);
  if (already) {
    const use = t('Use in Terminals');
    const another = t('Create Another');
    const choice = await app.prompter.message(
      'profileExists',
      'info',
      t('The profile "{0}" already points at {1} in {2}.', already.name, node.role.roleName, node.account.accountName),
      { modal: true },
      use,
      another,
    );
    if (choice === use) {
      await vscode.commands.executeCommand(Command.useProfile, already.name);
      return already.name;
    }
    if (choice !== another) return undefined;
  }

  // A name no other profile holds, so the proposal only clashes when the user types one.
  let name = assignProfileNames([nameVars(node, region)], settings.profileNameTemplate, existing.map((p) => p.name))[0];
  let overwrite = false;
  for (;;) {
    const typed = await app.prompter.inputBox('profileName', {
      title: t('Create Profile for {0} in {1}', node.role.roleName, node.account.accountName),
      prompt: t('The profile name, as in aws --profile NAME.'),
      value: name,
      validateInput: (v) => nameProblem('profile', v, t),
    });
    if (typed === undefined) return undefined;
    name = typed.trim();
    const clash = existing.find((p) => p.name === name);
    if (!clash || sameRole(clash, node)) break;
    const replace = t('Overwrite');
    const rename = t('Choose Another Name');
    const choice = await app.prompter.message(
      'profileClash',
      'warning',
      t('A profile named "{0}" already exists for {1}.', name, describeProfile(clash)),
      { modal: true, detail: t('Overwrite points it at {0} in {1}; its other settings are kept.', node.role.roleName, node.account.accountName) },
      replace,
      rename,
    );
    if (choice === replace) {
      overwrite = true;
      break;
    }
    if (choice !== rename) return undefined;
  }

  const sessionSpec = { name: session.name, startUrl: session.startUrl, region: session.region, scopes: session.scopes };
  const r = await app.services.config.edit((text) => {
    const clash = listProfiles(text).find((p) => p.name === name);
    if (clash && !overwrite && !sameRole(clash, node)) {
      throw new SsoError('InvalidInput', t('A profile named "{0}" was just added by another program. Run Create Profile again.', name));
    }
    // Only a session the user agreed to add is added (one that vanished meanwhile is an error).
    return writeRoleProfile(
      text,
      addSession ? sessionSpec : undefined,
      { name, ssoSession: session.name, accountId: node.account.accountId, roleName: node.role.roleName, region, output },
      { overwriteUnmanaged: overwrite },
    );
  });
  app.log.info(`profile ${name}: ${r.changed ? 'written' : 'already up to date'} in ${app.services.paths.configFile}`);
  await app.store.reload();
  recordUse(app, node, 'profile');

  const use = t('Use in Terminals');
  const open = t('Open Config');
  void vscode.window
    .showInformationMessage(t('Created the profile "{0}". Try: aws sts get-caller-identity --profile {0}', name), use, open)
    .then((c) => {
      if (c === use) return vscode.commands.executeCommand(Command.useProfile, name);
      if (c === open) return vscode.commands.executeCommand(Command.openConfigFile, name);
      return undefined;
    });
  return name;
}

function sameRole(p: ProfileInfo, node: RoleNode): boolean {
  return p.ssoSession === node.session.name && p.ssoAccountId === node.account.accountId && p.ssoRoleName === node.role.roleName;
}
