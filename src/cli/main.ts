// The `aws-sso-profiles` command line: the core without an editor, for scripts, dev
// containers and tests. Prints no token or credential unless a command is asked for one.
import { spawn } from 'node:child_process';
import { ConfigFile } from '../core/config/configFile';
import { applyProfiles, configWarnings, listProfiles, upsertSsoSession } from '../core/config/edit';
import { canRefresh } from '../core/auth/refresh';
import { SsoAuth } from '../core/auth/session';
import { describeError, isAbortError, isSsoError, SsoError } from '../core/errors';
import { isAccountId } from '../core/names';
import { PROFILE_NAME_PRESETS, renderProfileName } from '../core/naming';
import { resolveAwsPaths } from '../core/paths';
import { Portal } from '../core/portal/portal';
import { Clock, Log, systemClock } from '../core/ports';
import { planPopulate, writeRoleProfile } from '../core/profiles';
import { parseScopes } from '../core/scopes';
import { findSession, NamedSession, normalizeStartUrl, rolesOfSession, sessionsInConfig } from '../core/sessions';
import { describeRemaining } from '../core/timeLeft';
import { parseArgs, UsageError } from './args';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Opens a URL in the user's browser; default: $BROWSER, else the platform's opener. */
  openBrowser?(url: string): Promise<void>;
  signal?: AbortSignal;
  clock?: Clock;
}

const SPECS = {
  'add-session': { values: ['sso-session', 'start-url', 'region', 'scopes'] },
  login: { values: ['sso-session', 'timeout'], switches: ['device-code', 'no-browser', 'verbose'] },
  accounts: { values: ['sso-session'], switches: ['json', 'verbose'] },
  profile: { values: ['sso-session', 'account', 'role', 'name', 'template', 'region', 'output'], switches: ['force', 'verbose'] },
  populate: { values: ['sso-session', 'template', 'region', 'output'], switches: ['prune', 'dry-run', 'json', 'verbose'] },
  status: { switches: ['json'] },
  logout: { values: ['sso-session'], switches: ['all', 'verbose'] },
} as const;

export const USAGE = `Usage: aws-sso-profiles <command> [options]

Commands:
  add-session --sso-session NAME --start-url URL --region REGION [--scopes a,b]
                Add or update an [sso-session] in the AWS config file.
  login       --sso-session NAME [--device-code | --no-browser] [--timeout SECONDS]
                Sign in. Opens a browser (authorization code with PKCE); with --device-code
                or --no-browser, prints a URL and a code to confirm on any device instead.
  accounts    --sso-session NAME [--json]
                List the accounts and roles you are assigned.
  profile     --sso-session NAME --account ID --role NAME [--name X] [--template T]
              [--region R] [--output json|text|table|yaml|yaml-stream] [--force]
                Write one [profile] for an account and role, as "aws configure sso" does.
  populate    --sso-session NAME [--template T] [--region R] [--output O] [--prune] [--dry-run] [--json]
                Write a profile for every account and role; --prune removes profiles this
                tool wrote that are no longer assigned.
  status      [--json]
                Show each session and how long its sign-in lasts.
  logout      --sso-session NAME | --all
                Sign out and delete the cached token and role credentials.

Templates: ${Object.entries(PROFILE_NAME_PRESETS)
  .map(([k, v]) => `${k} = ${v}`)
  .join('; ')}.
Files: AWS_CONFIG_FILE (default ~/.aws/config) and ~/.aws/sso/cache, shared with the AWS CLI.
`;

const OUTPUTS = new Set(['json', 'text', 'table', 'yaml', 'yaml-stream']);

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, SPECS);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`aws-sso-profiles: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.command === 'help' || args.switches.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  if (args.command === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }

  const paths = resolveAwsPaths(io.env);
  const clock = io.clock ?? systemClock;
  const verbose = args.switches.has('verbose');
  // --verbose prints every line, routine steps included.
  const log: Log = (msg, level = 'info') => {
    if (verbose) io.stderr(`[${level}] ${msg}\n`);
  };
  const auth = new SsoAuth({ paths, env: io.env, clock, log });
  const config = new ConfigFile(paths.configFile);
  let warned = false;
  const configText = async () => {
    const text = (await config.read())?.text ?? '';
    // What the AWS CLI reads, but maybe not as meant: said once per run.
    if (!warned) for (const w of configWarnings(text)) io.stderr(`warning: ${paths.configFile} line ${w.line}: ${oneLine(w.message)}\n`);
    warned = true;
    return text;
  };
  const skippedAccount = (id: string) =>
    io.stderr(`warning: skipped an account: its account ID ${JSON.stringify(oneLine(id).slice(0, 40))} is not 12 digits (a broken or hostile answer).\n`);
  const need = (name: string): string => {
    const v = args.values.get(name);
    if (v === undefined || v === '') throw new UsageError(`--${name} is required.`);
    return v;
  };
  const session = async (): Promise<NamedSession> => findSession(await configText(), need('sso-session'));
  // Each Portal owns an SDK client with open sockets: disposed when the command ends.
  const portals: Portal[] = [];
  const portalFor = (s: NamedSession) => {
    const p = new Portal({ region: s.region, env: io.env, clock });
    portals.push(p);
    return p;
  };
  const signal = io.signal;

  try {
    switch (args.command) {
      case 'add-session': {
        const name = need('sso-session');
        const startUrl = normalizeStartUrl(need('start-url'));
        const region = need('region');
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
          io.stdout(`${rows.length} account(s), ${rows.reduce((n, r) => n + r.roles.length, 0)} role(s).\n`);
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
          output,
          prune: args.switches.has('prune'),
          unknownAccounts: listing.failed.keys(),
        };
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

      case 'status': {
        const text = await configText();
        const now = clock.now();
        const rows = await Promise.all(
          sessionsInConfig(text).map(async (s) => {
            const t = await auth.readToken(s);
            return {
              name: s.name,
              startUrl: s.startUrl,
              region: s.region,
              signedIn: !!t && t.expiresAt > now,
              expiresAt: t ? new Date(t.expiresAt).toISOString() : undefined,
              refreshable: canRefresh(t, now),
              profiles: rolesOfSession(text, s.name).length,
            };
          }),
        );
        if (args.switches.has('json')) {
          io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        } else if (rows.length === 0) {
          io.stdout(`No [sso-session] in ${paths.configFile}. Add one with "aws-sso-profiles add-session".\n`);
        } else {
          for (const r of rows) {
            const state = r.signedIn
              ? `signed in, ${describeRemaining(Date.parse(r.expiresAt!), now)} left${r.refreshable ? ' (refreshable)' : ''}`
              : r.expiresAt
                ? 'expired: sign in again'
                : 'signed out';
            io.stdout(`${r.name}  ${r.startUrl} (${r.region})  ${state}  ${r.profiles} profile(s)\n`);
          }
        }
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
    throw new UsageError(`Unknown command "${args.command}".`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`aws-sso-profiles: ${e.message}\n`);
      return 2;
    }
    if (isAbortError(e) || isSsoError(e, 'Cancelled')) {
      io.stderr('Cancelled.\n');
      return 130;
    }
    if (isSsoError(e)) {
      if (e.cause !== undefined) log(`cause: ${describeError(e.cause)}`, 'error');
      io.stderr(`aws-sso-profiles: ${e.message}\n`);
      return 1;
    }
    // Unexpected: the message only, never the error object (it may hold a request).
    io.stderr(`aws-sso-profiles: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    for (const p of portals) p.dispose();
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

function outputFlag(v: string | undefined): string {
  const out = v ?? 'json';
  if (!OUTPUTS.has(out)) throw new UsageError(`--output must be one of ${[...OUTPUTS].join(', ')}.`);
  return out;
}

/**
 * Strings from the service go to a terminal: no control characters, line separators or
 * bidirectional overrides (which could make text read differently from what it is).
 */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

function canOpenBrowser(io: CliIo): boolean {
  if (io.openBrowser || io.env.BROWSER) return true;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return !!(io.env.DISPLAY || io.env.WAYLAND_DISPLAY);
}

/** $BROWSER (a command given the URL as its argument), else the platform's opener. Never a shell. */
function openWithSystemBrowser(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const [cmd, ...args] = env.BROWSER
    ? [...env.BROWSER.split(' ').filter(Boolean), url]
    : process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['rundll32', 'url.dll,FileProtocolHandler', url]
        : ['xdg-open', url];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true, env });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
