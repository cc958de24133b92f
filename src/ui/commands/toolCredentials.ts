// Credentials for tools that cannot sign in to IAM Identity Center: Add credential_process Profile,
// Keep Credentials Fresh in the Credentials File, and Stop Keeping Credentials Fresh.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SsoError } from '../../core/errors';
import { findLongTermKeys } from '../../core/migration';
import { credentialProcessLine, findAwsCliWithExport, installCli, PROCESS_SUFFIX, ProcessRunner, writeProcessProfile } from '../../core/processProfile';
import type { App } from '../app';
import { Command } from '../commandIds';
import { nameProblem } from '../inputs';
import { keptFreshFor } from '../keptFresh';
import { RoleNode } from '../tree/nodes';
import { askCredentialsProfileName, formatTime } from './credentials';
import { roleNodeOf } from './targets';

const t = vscode.l10n.t;

/** The role's SSO profile, created first (Create Profile) when it has none; undefined when cancelled. */
async function sourceProfile(app: App, node: RoleNode): Promise<string | undefined> {
  const p = app.store.profileFor(node.session.name, node.account.accountId, node.role.roleName);
  if (p) return p.name;
  return vscode.commands.executeCommand<string | undefined>(Command.createProfile, node);
}

/**
 * The AWS CLI v2 with export-credentials when one is on PATH, else our command line installed
 * (or refreshed) under ~/.aws from this extension's bundles, run by this editor's runtime.
 */
async function processRunner(app: App): Promise<ProcessRunner> {
  const aws = await findAwsCliWithExport(process.env);
  if (aws) return aws;
  const ext = app.context.extension;
  const { launcher, changed } = await installCli({
    home: app.services.paths.home,
    distDir: join(app.context.extensionPath, 'dist'),
    version: String((ext?.packageJSON as { version?: unknown } | undefined)?.version ?? 'dev'),
    runtime: process.execPath,
  });
  if (changed) app.log.info(`installed the aws-sso-profiles command line at ${launcher}`);
  return { kind: 'ours', path: launcher };
}

export async function addProcessProfileCommand(app: App, arg?: unknown): Promise<string | undefined> {
  const node = roleNodeOf(arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Add credential_process Profile.'));
  const source = await sourceProfile(app, node);
  if (source === undefined) return undefined;
  const typed = await app.prompter.inputBox('processProfileName', {
    title: t('Add credential_process Profile for {0} in {1}', node.role.roleName, node.account.accountName),
    prompt: t('The profile name for tools that run a command for their credentials. It runs the credentials of "{0}".', source),
    value: `${source}${PROCESS_SUFFIX}`,
    validateInput: (v) => nameProblem('profile', v, t) ?? (v.trim() === source ? t('Choose a name other than "{0}".', source) : undefined),
  });
  if (typed === undefined) return undefined;
  const name = typed.trim();
  const runner = await processRunner(app);
  const line = credentialProcessLine(runner, source);
  const region = app.settings().defaultRegion ?? node.session.region;
  await app.services.config.edit((text) => writeProcessProfile(text, { name, line, region }));
  app.log.info(`wrote [profile ${name}] with credential_process = ${line}`);
  void vscode.window.showInformationMessage(
    runner.kind === 'aws-cli'
      ? t('Wrote [profile {0}]: tools get the credentials of "{1}" from the AWS CLI {2} (aws configure export-credentials).', name, source, runner.version)
      : t('Wrote [profile {0}]: tools get the credentials of "{1}" from {2}. It never signs in: when the session ends, sign in again here or with aws sso login.', name, source, runner.path),
  );
  return name;
}

export async function keepCredentialsFreshCommand(app: App, arg?: unknown): Promise<string | undefined> {
  const node = roleNodeOf(arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Keep Credentials Fresh.'));
  const region = app.settings().defaultRegion ?? node.session.region;
  const file = app.services.paths.credentialsFile;
  const credentialsText = await readText(file);
  const longTerm = new Set(findLongTermKeys(credentialsText, '').filter((k) => k.file === 'credentials').map((k) => k.profile));
  const name = await askCredentialsProfileName(app, node, region, {
    title: t('Keep Credentials Fresh for {0} in {1}', node.role.roleName, node.account.accountName),
    prompt: t('The profile name in {0}. Short-term keys are written there and renewed while the editor runs; they are removed when it closes.', file),
    anyway: t('Keep Fresh Anyway'),
    problem: (v) => (longTerm.has(v) ? t('[{0}] holds long-term access keys. Run Check for Long-Term Access Keys first, or choose another name.', v) : undefined),
  });
  if (name === undefined) return undefined;
  const s = await keptFreshFor(app).add({ name, session: node.session.name, accountId: node.account.accountId, roleName: node.role.roleName, region });
  void vscode.window.showInformationMessage(
    t('[{0}] in {1} now holds keys for {2} in {3}, renewed before they expire (next at {4}). Turn it off from the status bar menu.', name, file, node.role.roleName, node.account.accountName, s.expiresAt ? formatTime(s.expiresAt) : '–'),
  );
  return name;
}

export async function stopKeepingCredentialsFreshCommand(app: App, arg?: unknown): Promise<string | undefined> {
  const fresh = keptFreshFor(app);
  let name = typeof arg === 'string' ? arg : undefined;
  if (name === undefined) {
    const items = fresh.status().map((s) => ({ label: s.name, description: describeKeptFresh(s) }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage(t('No credentials are kept fresh.'));
      return undefined;
    }
    name = (await app.prompter.quickPick('pickKeptFresh', items, { placeHolder: t('Stop keeping which credentials fresh?') }))?.label;
  }
  if (name === undefined) return undefined;
  if (!fresh.entries().some((e) => e.name === name)) throw new SsoError('InvalidInput', t('[{0}] is not kept fresh.', name));
  await fresh.remove(name);
  void vscode.window.showInformationMessage(t('Removed [{0}] from {1}; it is no longer kept fresh.', name, app.services.paths.credentialsFile));
  return name;
}

/** "until 12:34", or why there are no keys right now. */
export function describeKeptFresh(s: { expiresAt?: number; waiting: boolean; session: string }): string {
  if (s.waiting) return t('waiting for sign-in to {0}', s.session);
  return s.expiresAt ? t('keys until {0}', formatTime(s.expiresAt)) : t('being written…');
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => '');
}
