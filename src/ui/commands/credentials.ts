// Role credentials for the commands that need them: copy them, write to the credentials file,
// open the console. Credentials never reach the log.
import * as vscode from 'vscode';
import { assumeChained, chainedSpecOf } from '../../core/chained';
import { SsoError } from '../../core/errors';
import { assignProfileNames, credentialsSectionName } from '../../core/naming';
import type { RoleCredentials } from '../../core/types';
import type { App } from '../app';
import { nameProblem } from '../inputs';
import { ChainedNode, RoleNode } from '../tree/nodes';
import { withAbortSignal } from '../util/cancellation';
import { nameVars } from './createProfile';

const t = vscode.l10n.t;

/**
 * Short-lived credentials for the role, or for a chained profile (AssumeRole with its source
 * role's), with a cancellable progress notification.
 */
export function roleCredentials(app: App, node: RoleNode | ChainedNode): Thenable<RoleCredentials> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: t('Getting credentials for {0} in {1}…', node.role.roleName, node.account.accountName),
      cancellable: true,
    },
    (_progress, token) =>
      withAbortSignal(token, async (signal) => {
        const source = node instanceof ChainedNode ? node.parent : node;
        const accessToken = await app.services.auth.getAccessToken(source.session, { signal });
        const creds = await app.services
          .portal(source.session)
          .getRoleCredentials(accessToken.accessToken, source.account.accountId, source.role.roleName, { signal });
        app.log.info(`credentials for ${source.role.roleName} in ${source.account.accountId}, valid until ${new Date(creds.expiration).toISOString()}`);
        if (!(node instanceof ChainedNode)) return creds;
        // The file as it is now: the profile may have changed since the tree was drawn.
        const profile = app.store.profiles.find((p) => p.name === node.profileName);
        if (!profile?.roleArn) throw new SsoError('ConfigFile', t('The chained profile "{0}" is no longer in the AWS config file.', node.profileName));
        const chained = await assumeChained(creds, chainedSpecOf(profile), {
          region: profile.keys.region ?? source.session.region,
          env: app.services.environment,
          signal,
          source: { accountId: source.account.accountId, roleName: source.role.roleName },
        });
        app.log.info(`credentials for chained profile ${node.profileName} (${profile.roleArn}), valid until ${new Date(chained.expiration).toISOString()}`);
        return chained;
      }),
  );
}

export { formatTime } from '../util/formatTime';

export async function copyText(app: App, text: string): Promise<void> {
  if (app.hooks.clipboard) await app.hooks.clipboard(text);
  else await vscode.env.clipboard.writeText(text);
}

/**
 * Asks for a profile name in the credentials file (names.ts's rule, and `problem` when given),
 * proposing the name template's made distinct from the config file's profiles, and warns when
 * the name typed is an SSO profile's: the default button takes a distinct name instead, `anyway`
 * goes on. The name, or undefined when the user cancels.
 */
export async function askCredentialsProfileName(
  app: App,
  node: RoleNode | ChainedNode,
  region: string,
  texts: { title: string; prompt: string; anyway: string; problem?: (name: string) => string | undefined },
): Promise<string | undefined> {
  const configNames = app.store.profiles.map((p) => p.name);
  const suggested = credentialsSectionName(assignProfileNames([nameVars(node, region)], app.settings().profileNameTemplate)[0], configNames);
  const typed = await app.prompter.inputBox('credentialsProfileName', {
    title: texts.title,
    prompt: texts.prompt,
    value: suggested,
    validateInput: (v) => nameProblem('credentials', v, t) ?? texts.problem?.(v.trim()),
  });
  if (typed === undefined) return undefined;
  const name = typed.trim();
  const shadowed = app.store.profiles.find((p) => p.name === name && p.ssoSession !== undefined);
  if (shadowed) {
    // The safe choice comes first: it is the dialog's default button (Enter).
    const distinct = credentialsSectionName(name, configNames);
    const safe = t('Use "{0}"', distinct);
    const answer = await app.prompter.message(
      'credentialsProfileShadows',
      'warning',
      t('The config file has an SSO profile "{0}". The AWS CLI keeps signing it in, but tools that read keys first (the AWS SDK for JavaScript v3) would use these keys instead, until they expire.', name),
      { modal: true },
      safe,
      texts.anyway,
    );
    if (answer === safe) return distinct;
    if (answer !== texts.anyway) return undefined;
  }
  return name;
}
