// The command line's commands other than `status`: sign-in, listing, writing profiles, sign-out.
// Loaded on first use (in the bundle, a file of its own: src/lazyChunks.json), so that `status`
// starts without them, the sign-in flows and the portal client.
import { plural } from '../core/plural';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { writeCachedRoleCredentials } from '../core/auth/roleCredentialCache';
import { SsoAuth } from '../core/auth/session';
import { applyProfiles, upsertSsoSession } from '../core/config/edit';
import { listProfiles } from '../core/config/read';
import { isSsoError, SsoError } from '../core/errors';
import { isAccountId } from '../core/names';
import { renderProfileName } from '../core/naming';
import { Portal } from '../core/portal/portal';
import { accessChanges, hasAccessChanges } from '../core/accessChanges';
import type { Listing } from '../core/portal/portal';
import { parseRegionRules, RegionRule } from '../core/profileRegions';
import { assumeChained } from '../core/chained';
import { credentialsFor, resolveCredentialSource, signInHint } from '../core/profileCredentials';
import { planPopulate, writeRoleProfile } from '../core/profiles';
import { networkPort } from '../core/network';
import { ConfigCaBundle, networkFromEnv, redactProxyUrl } from '../core/proxy';
import { parseScopes } from '../core/scopes';
import { findSession, NamedSession, readStartUrl, regionsForStartUrl, rolesOfSession, sessionsInConfig } from '../core/sessions';
import { describeRemaining } from '../core/timeLeft';
import { browserCommand, canOpenBrowserOn, HOST_PLATFORM } from '../core/platform';
import { UsageError } from './args';
import { credentialFormat, formatCredentialsForCli } from './credentialsOutput';
import { CliIo, CommandContext, oneLine } from './main';

const OUTPUTS = new Set(['json', 'text', 'table', 'yaml', 'yaml-stream']);

/** Runs `command` (anything but status, help and version); its exit code. Errors are main's to report. */
export async function run(command: string, ctx: CommandContext): Promise<number> {
  const { io, args, paths, clock, log, config, configText, need, session } = ctx;
  /**
   * The `ca_bundle` of the profile the AWS CLI would take its settings from: the one named (credentials
   * --profile), else AWS_PROFILE, else default. Only read when AWS_CA_BUNDLE is not set (it wins).
   */
  const profileCaBundle = async (named: string | undefined): Promise<ConfigCaBundle | undefined> => {
    if (io.env.AWS_CA_BUNDLE) return undefined;
    const name = named ?? (io.env.AWS_PROFILE || 'default');
    const file = listProfiles(await configText()).find((p) => p.name === name)?.keys.ca_bundle?.trim();
    return file ? { file, where: `ca_bundle of the profile "${name}" in ${paths.configFile}` } : undefined;
  };
  // HTTPS_PROXY, NO_PROXY, AWS_CA_BUNDLE (or the profile's ca_bundle), NODE_EXTRA_CA_CERTS: read before
  // anything is sent, so that a bad one fails before the first request; add-session sends nothing.
  const options = command === 'add-session' ? undefined : networkFromEnv(io.env, undefined, await profileCaBundle(command === 'credentials' ? args.values.get('profile') : undefined));
  for (const w of options?.warnings ?? []) io.stderr(`warning: ${oneLine(w)}\n`);
  if (options?.httpsProxy) log(`https requests go through ${redactProxyUrl(options.httpsProxy.url)} (${options.httpsProxy.variable})${options.noProxy !== undefined ? `, except NO_PROXY ${options.noProxy}` : ''}`);
  const network = options && networkPort(options);
  const auth = new SsoAuth({ paths, env: io.env, clock, log, network });
  const skippedAccount = (id: string) =>
    io.stderr(`warning: skipped an account: its account ID ${JSON.stringify(oneLine(id).slice(0, 40))} is not 12 digits (a broken or hostile answer).\n`);
  // Each Portal owns an SDK client with open sockets: disposed when the command ends.
  const portals: Portal[] = [];
  const portalFor = (s: { region: string }) => {
    const p = new Portal({ region: s.region, env: io.env, clock, network });
    portals.push(p);
    return p;
  };
  const signal = io.signal;

  try {
    switch (command) {
      case 'add-session': {
        const name = need('sso-session');
        const reading = readStartUrl(need('start-url'));
        const startUrl = reading.url;
        if (reading.upgraded) io.stderr(`note: using ${oneLine(startUrl)}: the portal is reached over https (the start URL only names it and carries no secret).\n`);
        else if (reading.trimmed) io.stderr(`note: using ${oneLine(startUrl)}: the part after # is the portal page's, not the start URL's.\n`);
        // The URL may name the region (ssoins-….portal.REGION.app.aws) or its partition (GovCloud, China).
        const region = args.values.get('region') ?? reading.region;
        if (!region) {
          const fits = reading.partition ? ` This portal is in ${reading.partition === 'aws-us-gov' ? 'AWS GovCloud (US)' : 'the AWS China regions'}: ${regionsForStartUrl(reading).join(' or ')}.` : '';
          throw new UsageError(`--region is required.${fits}`);
        }
        if (reading.region && region !== reading.region) io.stderr(`warning: the start URL names the region ${reading.region}, not ${oneLine(region)}.\n`);
        else if (reading.partition && !regionsForStartUrl(reading).includes(region)) {
          io.stderr(`warning: this portal's regions are ${regionsForStartUrl(reading).join(', ')}, not ${oneLine(region)}.\n`);
        }
        // Without --scopes an existing session keeps its scopes as written; a new one gets the default.
        const typed = args.values.get('scopes');
        const scopes = typed === undefined ? undefined : parseScopes(typed, 'typed');
        const r = await config.edit((t) => upsertSsoSession(t, { name, startUrl, region, scopes }));
        io.stdout(r.changed ? `Wrote [sso-session ${name}] to ${paths.configFile}\n` : `[sso-session ${name}] is already up to date.\n`);
        return 0;
      }

      case 'login': {
        const s = await session();
        const timeoutS = args.values.has('timeout') ? Number(args.values.get('timeout')) : undefined;
        if (timeoutS !== undefined && !(timeoutS > 0)) throw new UsageError('--timeout must be a number of seconds.');
        const device = args.switches.has('device-code') || args.switches.has('no-browser') || !canOpenBrowser(io);
        const open = io.openBrowser ?? ((url: string) => openWithSystemBrowser(url, io.env));
        let token;
        if (device) {
          token = await auth.loginWithDeviceCode(s, {
            signal,
            // The core hands out only https pages (or http to this machine): deviceCodeLogin refuses any other.
            onPrompt: async (p) => {
              const url = oneLine(p.verificationUriComplete ?? p.verificationUri);
              io.stderr(
                `To sign in to "${s.name}", open this page on any device and confirm the code:\n\n` +
                  `  ${url}\n\n  Code: ${oneLine(p.userCode)}\n\nWaiting for approval (Ctrl+C to cancel)...\n`,
              );
              if (!args.switches.has('no-browser') && canOpenBrowser(io)) {
                await open(url).catch(() => io.stderr('Could not open a browser; open the page yourself.\n'));
              }
            },
          });
        } else {
          token = await auth
            .loginWithPkce(s, {
              signal,
              timeoutMs: timeoutS !== undefined ? timeoutS * 1000 : undefined,
              openBrowser: async (url) => {
                io.stderr(`Opening your browser to sign in to "${s.name}". If it does not open, visit:\n\n  ${url}\n\n`);
                await open(url);
              },
            })
            .catch((e: unknown) => {
              // The browser may run elsewhere, or the service showed an error page and never came back.
              if (isSsoError(e, 'Timeout')) throw new SsoError('Timeout', `${e.message} Try again with --device-code.`, { cause: e });
              throw e;
            });
        }
        io.stdout(`Signed in to "${s.name}" (${s.startUrl}); the session lasts ${describeRemaining(token.expiresAt, clock.now())}.\n`);
        return 0;
      }

      case 'accounts': {
        const s = await session();
        const token = await auth.getAccessToken(s, { signal });
        const listing = await portalFor(s).listAll(token.accessToken, {
          signal,
          onAccountError: (id, err) => io.stderr(`warning: roles of account ${id} could not be listed: ${err.message}\n`),
          onSkippedAccount: skippedAccount,
        });
        const rows = [...listing.accounts]
          .sort((a, b) => a.accountName.localeCompare(b.accountName) || a.accountId.localeCompare(b.accountId))
          .map((a) => ({ ...a, roles: (listing.roles.get(a.accountId) ?? []).map((r) => r.roleName).sort() }));
        if (args.switches.has('json')) {
          io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        } else {
          for (const r of rows) {
            io.stdout(`${r.accountId}  ${oneLine(r.accountName)}${r.emailAddress ? `  <${oneLine(r.emailAddress)}>` : ''}\n`);
            for (const role of r.roles) io.stdout(`    ${oneLine(role)}\n`);
          }
          const roleCount = rows.reduce((n, r) => n + r.roles.length, 0);
          io.stdout(`${plural(rows.length, '1 account', `${rows.length} accounts`)}, ${plural(roleCount, '1 role', `${roleCount} roles`)}.\n`);
        }
        return listing.failed.size > 0 ? 1 : 0;
      }

      case 'profile': {
        const s = await session();
        const accountId = need('account');
        const roleName = need('role');
        if (!isAccountId(accountId)) throw new UsageError('--account must be a 12-digit account ID.');
        const output = outputFlag(args.values.get('output'));
        const token = await auth.getAccessToken(s, { signal });
        const portal = portalFor(s);
        const roles = await portal.listRoles(token.accessToken, accountId, { signal });
        if (!roles.some((r) => r.roleName === roleName)) {
          throw new SsoError(
            'InvalidInput',
            `Role "${roleName}" is not assigned to you in account ${accountId}. Assigned: ${roles.map((r) => oneLine(r.roleName)).join(', ') || 'none'}.`,
          );
        }
        const account = (await portal.listAccounts(token.accessToken, { signal, onSkipped: skippedAccount })).find((a) => a.accountId === accountId);
        const region = args.values.get('region') ?? s.region;
        const name =
          args.values.get('name') ??
          renderProfileName(args.values.get('template') ?? 'default', {
            accountName: account?.accountName ?? accountId,
            accountId,
            roleName,
            session: s.name,
            region,
            email: account?.emailAddress,
          });
        const force = args.switches.has('force');
        const r = await config.edit((text) => {
          const clash = listProfiles(text).find((p) => p.name === name);
          if (clash && !force && (clash.ssoAccountId !== accountId || clash.ssoRoleName !== roleName || clash.ssoSession !== s.name)) {
            throw new SsoError('InvalidInput', `A profile named "${name}" already exists for something else. Choose another --name, or pass --force to overwrite it.`);
          }
          return writeRoleProfile(text, s, { name, ssoSession: s.name, accountId, roleName, region, output }, { overwriteUnmanaged: force });
        });
        io.stdout(
          `${r.changed ? 'Wrote' : 'Already up to date:'} [profile ${name}] in ${paths.configFile}\n` +
            `Try: aws sts get-caller-identity --profile ${name}\n`,
        );
        return 0;
      }

      case 'populate': {
        const s = await session();
        const template = args.values.get('template') ?? 'default';
        renderProfileName(template, { accountName: 'a', accountId: '000000000000', roleName: 'r' }); // validates early
        const output = outputFlag(args.values.get('output'));
        const regionsFile = args.values.get('regions');
        const regionRules = regionsFile === undefined ? undefined : await readRegionRules(regionsFile);
        const token = await auth.getAccessToken(s, { signal });
        const listing = await portalFor(s).listAll(token.accessToken, {
          signal,
          onAccountError: (id, err) => io.stderr(`warning: roles of account ${id} could not be listed: ${err.message}\n`),
          onSkippedAccount: skippedAccount,
        });
        const input = {
          session: s,
          accounts: listing.accounts,
          roles: listing.roles,
          template,
          region: args.values.get('region') ?? s.region,
          regionRules,
          output,
          prune: args.switches.has('prune'),
          unknownAccounts: listing.failed.keys(),
        };
        if (args.switches.has('check')) return checkAccess(io, args.switches.has('json'), await configText(), s, listing, template, paths.configFile);
        const dryRun = args.switches.has('dry-run');
        let plan = planPopulate(await configText(), input);
        let backup: string | undefined;
        if (!dryRun) {
          const r = await config.edit((text) => {
            plan = planPopulate(text, input);
            return applyProfiles(text, plan.changes);
          });
          backup = r.backupPath;
        }
        for (const s of plan.skipped) {
          io.stderr(`warning: skipped the role ${JSON.stringify(oneLine(s.roleName).slice(0, 80))} of account ${JSON.stringify(oneLine(s.accountId).slice(0, 20))}: not a valid IAM role name or account ID.\n`);
        }
        if (args.switches.has('json')) {
          io.stdout(`${JSON.stringify({ dryRun, added: plan.added, updated: plan.updated, removed: plan.removed, unchanged: plan.unchanged.length, skipped: plan.skipped.length, failedAccounts: [...listing.failed.keys()] }, null, 2)}\n`);
        } else {
          const verb = dryRun ? 'Would add' : 'Added';
          for (const n of plan.added) io.stdout(`+ ${n}\n`);
          for (const n of plan.updated) io.stdout(`~ ${n}\n`);
          for (const n of plan.removed) io.stdout(`- ${n}\n`);
          io.stdout(
            `${verb} ${plan.added.length}, ${dryRun ? 'would update' : 'updated'} ${plan.updated.length}, ` +
              `${dryRun ? 'would remove' : 'removed'} ${plan.removed.length}, unchanged ${plan.unchanged.length} ` +
              `(${paths.configFile}${backup ? `; previous version in ${backup}` : ''}).\n`,
          );
        }
        return listing.failed.size > 0 ? 1 : 0;
      }

      case 'credentials': {
        // main.ts found nothing usable in the cache: a token (refreshed, never signed in for), then
        // GetRoleCredentials, cached as the AWS CLI caches it.
        const source = resolveCredentialSource(await configText(), need('profile'));
        const format = credentialFormat(args.values.get('format'));
        let creds;
        try {
          creds = await credentialsFor(source, {
            cached: () => undefined,
            accessToken: async (s) => (await auth.getAccessToken(s, { signal })).accessToken,
            roleCredentials: (s, token, role) => portalFor(s).getRoleCredentials(token, role.accountId, role.roleName, { signal }),
            store: (s, role, c) => writeCachedRoleCredentials(paths, s, role, c),
            assume: (keys, chained) => assumeChained(keys, chained.spec, { region: chained.region, env: io.env, signal, source: chained.source.role }),
          });
        } catch (e) {
          if (isSsoError(e, 'NotSignedIn') || isSsoError(e, 'SessionEnded')) {
            throw new SsoError(e.code, `The sign-in for profile "${source.profile}" has ended; sign in again: ${signInHint(source)}`, { cause: e });
          }
          throw e;
        }
        io.stdout(formatCredentialsForCli(creds, format));
        return 0;
      }

      case 'logout': {
        const text = await configText();
        const all = args.switches.has('all');
        if (all === args.values.has('sso-session')) throw new UsageError('Give either --sso-session NAME or --all.');
        const targets = all ? sessionsInConfig(text) : [findSession(text, need('sso-session'))];
        for (const s of targets) {
          await auth.logout(s, { roles: rolesOfSession(text, s.name) });
          io.stdout(`Signed out of "${s.name}".\n`);
        }
        if (targets.length === 0) io.stdout('No sessions to sign out of.\n');
        return 0;
      }
    }
    throw new UsageError(`Unknown command "${command}".`);
  } finally {
    for (const p of portals) p.dispose();
  }
}

/** `--regions FILE`: a JSON object of account ID or name pattern → region (core/profileRegions.ts). */
async function readRegionRules(file: string): Promise<RegionRule[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new SsoError('InvalidInput', `--regions ${file}: ${e instanceof SyntaxError ? 'not valid JSON' : 'cannot be read'} (${e instanceof Error ? e.message : String(e)}).`);
  }
  return parseRegionRules(raw, `--regions ${file}`);
}

/**
 * `populate --check`: what a populate with --prune would add and remove, written nowhere. Exit 3
 * when the config file is behind the listing, 1 when it seems up to date but some accounts could
 * not be listed, else 0. Region and output differences are not access changes and do not count.
 */
function checkAccess(io: CliIo, json: boolean, text: string, s: NamedSession, listing: Listing, template: string, file: string): number {
  const c = accessChanges(text, s, { accounts: listing.accounts, roles: listing.roles, unknownAccounts: listing.failed.keys() }, template);
  const outOfDate = hasAccessChanges(c);
  if (json) {
    io.stdout(`${JSON.stringify({ upToDate: !outOfDate, added: c.plan.added, addedRoles: c.added, removed: c.removed, failedAccounts: [...listing.failed.keys()] }, null, 2)}\n`);
  } else {
    for (const n of c.plan.added) io.stdout(`+ ${n}\n`);
    for (const n of c.removed) io.stdout(`- ${n}\n`);
    io.stdout(
      outOfDate
        ? `${file} is out of date for "${s.name}": ${c.plan.added.length} to add, ${c.removed.length} to remove.\n`
        : `${file} is up to date for "${s.name}".\n`,
    );
  }
  if (outOfDate) return 3;
  return listing.failed.size > 0 ? 1 : 0;
}

function outputFlag(v: string | undefined): string {
  const out = v ?? 'json';
  if (!OUTPUTS.has(out)) throw new UsageError(`--output must be one of ${[...OUTPUTS].join(', ')}.`);
  return out;
}

function canOpenBrowser(io: CliIo): boolean {
  return !!io.openBrowser || canOpenBrowserOn(HOST_PLATFORM, io.env);
}

/** $BROWSER, else the platform's opener (browserCommand). Never a shell. */
function openWithSystemBrowser(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const [cmd, ...args] = browserCommand(url, HOST_PLATFORM, env);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, env });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
