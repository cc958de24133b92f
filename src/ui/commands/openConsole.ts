// AWS SSO: Open Console and Open Console… — the AWS Management Console signed in as the role,
// through a one-time federation URL: the home page, or (with the ellipsis) a service or a pasted
// console page in a region, the last ones remembered per role. The URL is a credential: it is
// opened, never logged or shown.
import * as vscode from 'vscode';
import { consoleDestination, consoleSignInUrl, CONSOLE_SERVICES, serviceDestination } from '../../core/consoleUrl';
import { partitionOf } from '../../core/endpoints';
import { isSsoError, SsoError } from '../../core/errors';
import { SSO_REGIONS } from '../../core/sessions';
import type { App } from '../app';
import type { ChainedNode, RoleNode } from '../tree/nodes';
import { openExternalExact } from '../util/openExternal';
import { roleCredentials } from './credentials';
import { recordUse } from './pin';
import { credentialTarget } from './targets';

const t = vscode.l10n.t;

/** globalState key: per role (session/account/role), the destination and region picked last. */
export const CONSOLE_CHOICES_KEY = 'awsSsoProfiles.consoleChoices';

/** What Open Console… remembers: a service id, 'home', or a pasted console URL; and the region. */
interface ConsoleChoice {
  destination: string;
  region?: string;
}

export async function openConsoleCommand(app: App, arg?: unknown): Promise<boolean> {
  const node = credentialTarget(app, arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Open Console.'));
  // The setting (which a workspace may set) only picks the console's region; the partition, and so
  // where the role's keys go, is the session's.
  return openAt(app, node, { region: app.settings().defaultRegion });
}

/** Open Console…: asks where and in which region, then opens it. False when cancelled. */
export async function openConsoleAtCommand(app: App, arg?: unknown): Promise<boolean> {
  const node = credentialTarget(app, arg);
  if (!node) throw new SsoError('InvalidInput', t('Choose a role in the AWS SSO view, then Open Console.'));
  const key = `${node.session.name}/${node.account.accountId}/${node.role.roleName}`;
  const all = app.state.get<Record<string, ConsoleChoice>>(CONSOLE_CHOICES_KEY) ?? {};
  const last = all[key];
  const partition = partitionOf(node.session.region).id;

  const home = { label: `$(home) ${t('Console Home')}`, id: 'home' };
  const paste = { label: `$(link) ${t('Paste a Console URL…')}`, id: 'paste', description: t('a page of the AWS console') };
  const services = CONSOLE_SERVICES.map((s) => ({ label: s.label, id: s.id, description: undefined as string | undefined }));
  const items: { label: string; id: string; description?: string }[] = [home, ...services, paste];
  const lastItem = last && items.find((i) => i.id === last.destination);
  if (last && last.destination.startsWith('https://')) {
    items.unshift({ label: `$(history) ${last.destination.length > 60 ? `${last.destination.slice(0, 57)}…` : last.destination}`, id: last.destination, description: t('last used') });
  } else if (lastItem) {
    items.splice(items.indexOf(lastItem), 1);
    items.unshift({ ...lastItem, description: t('last used') });
  }
  const picked = await app.prompter.quickPick('consoleDestination', items, {
    title: t('Open Console as {0} in {1}', node.role.roleName, node.account.accountName),
    placeHolder: t('Where in the console?'),
  });
  if (!picked) return false;

  if (picked.id === 'paste' || picked.id.startsWith('https://')) {
    const url =
      picked.id === 'paste'
        ? await app.prompter.inputBox('consoleUrl', {
            title: t('Open Console as {0} in {1}', node.role.roleName, node.account.accountName),
            prompt: t('A console page, for example https://eu-west-1.console.aws.amazon.com/ec2/home'),
            validateInput: (v) => destinationProblem(node.session.region, v),
          })
        : picked.id;
    if (url === undefined) return false;
    // A pasted page carries its own region.
    await remember(app, key, { destination: url.trim() });
    return openAt(app, node, { destination: url.trim() });
  }

  const fallback = app.settings().defaultRegion ?? node.session.region;
  const first = last?.region ?? fallback;
  const regions = [first, ...SSO_REGIONS.filter((r) => r !== first && partitionOf(r).id === partition)];
  const region = await app.prompter.quickPick(
    'consoleRegion',
    regions.map((r) => ({ label: r, description: r === last?.region ? t('last used') : r === fallback ? t('default') : undefined })),
    { title: t('Open Console as {0} in {1}', node.role.roleName, node.account.accountName), placeHolder: t('Which region?') },
  );
  if (!region) return false;
  await remember(app, key, { destination: picked.id, region: region.label });
  return openAt(app, node, {
    region: region.label,
    destination: picked.id === 'home' ? undefined : serviceDestination(picked.id, region.label),
  });
}

function destinationProblem(ssoRegion: string, v: string): string | undefined {
  if (v.trim() === '') return t('Paste a console URL.');
  try {
    consoleDestination(ssoRegion, v);
    return undefined;
  } catch (e) {
    return isSsoError(e) ? e.message : String(e);
  }
}

async function remember(app: App, key: string, choice: ConsoleChoice): Promise<void> {
  const all = { ...(app.state.get<Record<string, ConsoleChoice>>(CONSOLE_CHOICES_KEY) ?? {}) };
  all[key] = choice;
  await app.state.update(CONSOLE_CHOICES_KEY, all);
}

async function openAt(app: App, node: RoleNode | ChainedNode, where: { region?: string; destination?: string }): Promise<boolean> {
  const creds = await roleCredentials(app, node);
  const url = await consoleSignInUrl(creds, { ssoRegion: node.session.region, region: where.region, destination: where.destination, issuer: node.session.startUrl });
  const opened = app.hooks.openExternal ? await app.hooks.openExternal(url) : await openExternalExact(url);
  app.log.info(`console for ${node.role.roleName} in ${node.account.accountId}: ${opened ? 'opened' : 'not opened'}`);
  if (opened) recordUse(app, node, 'console');
  return opened;
}
