// AWS SSO: Create Chained Profile… — on a role: the role to assume from it (ARN, external ID, session
// name, at most an hour), then `[profile X]` with role_arn + source_profile, and the role's SSO
// profile and `[sso-session]` when the file has none, in one checked edit.
import { userInfo } from 'node:os';
import * as vscode from 'vscode';
import { sessionNameFrom } from '../../core/chained';
import { hasSsoSession, listProfiles } from '../../core/config/read';
import { partitionOf } from '../../core/endpoints';
import { SsoError } from '../../core/errors';
import { CHAINED_MAX_SECONDS } from '../../core/names';
import { assignProfileNames } from '../../core/naming';
import { writeChainedProfile } from '../../core/profiles';
import type { App } from '../app';
import { Command } from '../commandIds';
import { externalIdProblem, nameProblem, roleArnProblem, roleSessionNameProblem } from '../inputs';
import { confirmAddSession, nameVars } from './createProfile';
import { roleNodeOf } from './targets';

const t = vscode.l10n.t;

function loginName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** Resolves with the chained profile's name, or undefined when cancelled. */
export async function createChainedProfileCommand(app: App, arg?: unknown): Promise<string | undefined> {
  const node = roleNodeOf(arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Create Chained Profile.'));
  const { session } = node;
  const settings = app.settings();
  const region = settings.defaultRegion ?? session.region;
  const partition = partitionOf(session.region).id;
  const title = t('Create Chained Profile from {0} in {1}', node.role.roleName, node.account.accountName);

  const arnText = await app.prompter.inputBox('chainedRoleArn', {
    title,
    prompt: t('The ARN of the role to assume with the credentials of {0}. Its trust policy must allow this role.', node.role.roleName),
    placeHolder: `arn:${partition}:iam::123456789012:role/NAME`,
    validateInput: (v) => roleArnProblem(v, partition, t),
  });
  if (arnText === undefined) return undefined;
  const roleArn = arnText.trim();
  const externalText = await app.prompter.inputBox('chainedExternalId', {
    title,
    prompt: t('The external ID, if the role owner gave you one (leave empty otherwise).'),
    value: '',
    validateInput: (v) => externalIdProblem(v, t),
  });
  if (externalText === undefined) return undefined;
  const externalId = externalText.trim() || undefined;
  const sessionText = await app.prompter.inputBox('chainedSessionName', {
    title,
    prompt: t('The role session name: who you are in the role account CloudTrail.'),
    value: sessionNameFrom(loginName()),
    validateInput: (v) => roleSessionNameProblem(v, t),
  });
  if (sessionText === undefined) return undefined;
  const durations = [
    { label: t('1 hour'), description: t('the longest AWS allows for a chained role'), seconds: CHAINED_MAX_SECONDS },
    { label: t('30 minutes'), seconds: 1800 },
    { label: t('15 minutes'), seconds: 900 },
  ];
  const duration = await app.prompter.quickPick('chainedDuration', durations, { title, placeHolder: t('How long should each session of the chained role last?') });
  if (!duration) return undefined;

  const startText = (await app.services.config.read())?.text ?? '';
  const existing = listProfiles(startText);
  const addSession = !hasSsoSession(startText, session.name);
  const source = app.store.profileFor(session.name, node.account.accountId, node.role.roleName);
  // The SSO profile the chain starts from: the role's own, else a new one named by the template.
  const sourceName = source?.name ?? assignProfileNames([nameVars(node, region)], settings.profileNameTemplate, existing.map((p) => p.name))[0];
  if (addSession && !(await confirmAddSession(app, session))) return undefined;

  const targetName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const taken = new Set([...existing.map((p) => p.name), sourceName]);
  let proposed = `${sourceName}-${targetName}`.slice(0, 128);
  for (let i = 2; taken.has(proposed); i++) proposed = `${sourceName}-${targetName}-${i}`.slice(0, 128);
  const typed = await app.prompter.inputBox('chainedProfileName', {
    title,
    prompt: t('The chained profile name, as in aws --profile NAME.'),
    value: proposed,
    validateInput: (v) => nameProblem('profile', v, t) ?? (taken.has(v.trim()) ? t('A profile named "{0}" already exists; choose another name.', v.trim()) : undefined),
  });
  if (typed === undefined) return undefined;
  const name = typed.trim();

  const sessionSpec = { name: session.name, startUrl: session.startUrl, region: session.region, scopes: session.scopes };
  const r = await app.services.config.edit((text) => {
    const now = listProfiles(text);
    if (now.some((p) => p.name === name)) {
      throw new SsoError('InvalidInput', t('A profile named "{0}" was just added by another program. Run Create Chained Profile again.', name));
    }
    const hasSource = now.some((p) => p.name === sourceName);
    return writeChainedProfile(
      text,
      addSession ? sessionSpec : undefined,
      hasSource ? undefined : { name: sourceName, ssoSession: session.name, accountId: node.account.accountId, roleName: node.role.roleName, region, output: settings.defaultOutput },
      {
        name,
        sourceProfile: sourceName,
        roleArn,
        roleSessionName: sessionText.trim(),
        externalId,
        durationSeconds: duration.seconds,
        region,
        output: settings.defaultOutput,
      },
    );
  });
  app.log.info(`chained profile ${name} (from ${sourceName}): ${r.changed ? 'written' : 'already up to date'} in ${app.services.paths.configFile}`);
  await app.store.reload();
  app.tree.redraw(node);

  const use = t('Use in Terminals');
  void vscode.window
    .showInformationMessage(t('Created the chained profile "{0}". Try: aws sts get-caller-identity --profile {0}', name), use)
    .then((c) => (c === use ? vscode.commands.executeCommand(Command.useProfile, name) : undefined));
  return name;
}
