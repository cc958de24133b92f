// AWS SSO: Add SSO Session… — start URL, region, name, scopes; written as an [sso-session]
// section, exactly as `aws configure sso-session` would.
import * as vscode from 'vscode';
import { upsertSsoSession } from '../../core/config/edit';
import { parseScopes, scopesOrDefault } from '../../core/scopes';
import { readStartUrl, regionsForStartUrl, suggestSessionName } from '../../core/sessions';
import type { App } from '../app';
import { Command } from '../commandIds';
import { DEFAULT_SSO_REGION, nameProblem, regionProblem, scopesProblem, startUrlProblem } from '../inputs';

const t = vscode.l10n.t;

export interface AddSessionArgs {
  startUrl?: string;
  region?: string;
  name?: string;
  scopes?: string[];
}

/** Resolves with the new session's name, or undefined when cancelled. */
export async function addSessionCommand(app: App, arg?: unknown): Promise<string | undefined> {
  const given: AddSessionArgs = arg && typeof arg === 'object' && !Array.isArray(arg) ? (arg as AddSessionArgs) : {};
  const steps = 4;
  const title = t('Add SSO Session');

  const rawUrl =
    given.startUrl ??
    (await app.prompter.inputBox('startUrl', {
      title: `${title} (1/${steps})`,
      prompt: t('The start URL of your AWS access portal, from your administrator or the portal\'s address bar.'),
      placeHolder: 'https://d-1234567890.awsapps.com/start',
      validateInput: (v) => startUrlProblem(v, t),
    }));
  if (rawUrl === undefined) return undefined;
  const reading = readStartUrl(rawUrl);
  const startUrl = reading.url;
  if (reading.upgraded || reading.trimmed) {
    const note = reading.upgraded
      ? t('Using {0}: the portal is reached over https (the start URL only names it and carries no secret).', startUrl)
      : t('Using {0}: the part after # is the portal page\'s, not the start URL\'s.', startUrl);
    app.log.info(`start URL ${reading.upgraded ? 'upgraded to https' : 'trimmed'}: ${startUrl}`);
    void vscode.window.showInformationMessage(note);
  }
  const regions = regionsForStartUrl(reading);

  let region = given.region;
  if (region === undefined) {
    const other = t('Other region…');
    const picked = await app.prompter.quickPick(
      'region',
      [
        ...regions.map((r) => ({
          label: r,
          description: r === reading.region ? t('from the start URL') : r === DEFAULT_SSO_REGION && !reading.region ? t('default') : undefined,
        })),
        { label: other, description: t('Type a region name') },
      ],
      {
        title: `${title} (2/${steps})`,
        placeHolder: reading.partition
          ? t('The region of your IAM Identity Center (sso_region): this portal is in {0}.', reading.partition === 'aws-us-gov' ? 'AWS GovCloud (US)' : t('the AWS China regions'))
          : t('The region of your IAM Identity Center (sso_region); ask your administrator if unsure.'),
      },
    );
    if (!picked) return undefined;
    region =
      picked.label === other
        ? await app.prompter.inputBox('regionOther', {
            title: `${title} (2/${steps})`,
            prompt: t('The IAM Identity Center region'),
            value: regions[0] ?? DEFAULT_SSO_REGION,
            validateInput: (v) => regionProblem(v, t),
          })
        : picked.label;
    if (region === undefined) return undefined;
  }
  region = region.trim();
  const badRegion = regionProblem(region, t);
  if (badRegion) throw new Error(badRegion);

  const existing = new Set(app.store.sessions.map((s) => s.name));
  let name =
    given.name ??
    (await app.prompter.inputBox('sessionName', {
      title: `${title} (3/${steps})`,
      prompt: t('A name for the session; profiles refer to it as sso_session = NAME.'),
      value: suggestSessionName(startUrl),
      validateInput: (v) => nameProblem('session', v, t),
    }));
  if (name === undefined) return undefined;
  name = name.trim();
  const badName = nameProblem('session', name, t);
  if (badName) throw new Error(badName);
  if (existing.has(name)) {
    const update = t('Update Session');
    const answer = await app.prompter.message(
      'sessionExists',
      'warning',
      t('A session named "{0}" already exists. Update its start URL, region and scopes?', name),
      { modal: true },
      update,
    );
    if (answer !== update) return undefined;
  }

  const scopesText =
    given.scopes?.join(',') ??
    (await app.prompter.inputBox('scopes', {
      title: `${title} (4/${steps})`,
      prompt: t('Registration scopes, separated by commas. Keep the default unless your administrator says otherwise.'),
      value: scopesOrDefault([]).join(','),
      validateInput: (v) => scopesProblem(v, t),
    }));
  if (scopesText === undefined) return undefined;
  // Left empty: the default scope.
  const scopes = scopesOrDefault(parseScopes(scopesText, 'typed'));

  await app.services.config.edit((text) => upsertSsoSession(text, { name: name!, startUrl, region: region!, scopes }));
  app.log.info(`added sso-session ${name} (${region}) to ${app.services.paths.configFile}`);
  await app.store.reload();

  const signInNow = t('Sign In');
  void vscode.window
    .showInformationMessage(t('Added the SSO session "{0}" to {1}.', name, app.services.paths.configFile), signInNow)
    .then((c) => (c === signInNow ? vscode.commands.executeCommand(Command.signIn, name) : undefined));
  return name;
}
