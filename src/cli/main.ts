// The `aws-sso-profiles` command line: the core without an editor, for scripts, dev
// containers and tests. Prints no token or credential unless a command is asked for one.
import { plural } from '../core/plural';
import { canRefresh } from '../core/auth/renewable';
import { readCachedRoleCredentialsSync } from '../core/auth/roleCredentialCache';
import { readTokenFileSync } from '../core/auth/tokenCache';
import { ConfigFile } from '../core/config/configFile';
import { configWarnings, listProfiles } from '../core/config/read';
import { describeError, isAbortError, isSsoError } from '../core/errors';
import { PROFILE_NAME_PRESETS } from '../core/naming';
import { AwsPaths, resolveAwsPaths } from '../core/paths';
import { Clock, Log, systemClock } from '../core/ports';
import { findSession, NamedSession, rolesOf, sessionsInConfig } from '../core/sessions';
import { describeRemaining } from '../core/timeLeft';
import { resolveCredentialSource } from '../core/profileCredentials';
import { credentialFormat, formatCredentialsForCli } from './credentialsOutput';
import { ParsedArgs, parseArgs, UsageError } from './args';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Opens a URL in the user's browser; default: $BROWSER, else the platform's opener. */
  openBrowser?(url: string): Promise<void>;
  signal?: AbortSignal;
  clock?: Clock;
}

/** What main hands the other commands (./commands.ts). */
export interface CommandContext {
  io: CliIo;
  args: ParsedArgs;
  paths: AwsPaths;
  clock: Clock;
  log: Log;
  config: ConfigFile;
  /** The config file's text; warns once per run about what the AWS CLI may not read as meant. */
  configText(): Promise<string>;
  /** A flag's value; a UsageError when it is missing. */
  need(name: string): string;
  /** The session named by --sso-session. */
  session(): Promise<NamedSession>;
}

type Commands = typeof import('./commands');
let commands: Commands | undefined;

/** ./commands, required on first use: in the bundle, a file of its own (see esbuild.config.mjs). */
function cliCommands(): Commands {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  commands ??= require('./commands') as Commands;
  return commands;
}

const SPECS = {
  'add-session': { values: ['sso-session', 'start-url', 'region', 'scopes'] },
  login: { values: ['sso-session', 'timeout'], switches: ['device-code', 'no-browser', 'verbose'] },
  accounts: { values: ['sso-session'], switches: ['json', 'verbose'] },
  profile: { values: ['sso-session', 'account', 'role', 'name', 'template', 'region', 'output'], switches: ['force', 'verbose'] },
  populate: { values: ['sso-session', 'template', 'region', 'regions', 'output'], switches: ['prune', 'dry-run', 'check', 'json', 'verbose'] },
  status: { switches: ['json'] },
  logout: { values: ['sso-session'], switches: ['all', 'verbose'] },
  credentials: { values: ['profile', 'format'], switches: ['verbose'] },
} as const;

export const USAGE = `Usage: aws-sso-profiles <command> [options]

Commands:
  add-session --sso-session NAME --start-url URL --region REGION [--scopes a,b]
                Add or update an [sso-session] in the AWS config file. The URL as pasted:
                http becomes https, "#/..." is cut; --region may be left out when the URL
                names it (https://ssoins-....portal.REGION.app.aws).
  login       --sso-session NAME [--device-code | --no-browser] [--timeout SECONDS]
                Sign in. Opens a browser (authorization code with PKCE); with --device-code
                or --no-browser, prints a URL and a code to confirm on any device instead.
  accounts    --sso-session NAME [--json]
                List the accounts and roles you are assigned.
  profile     --sso-session NAME --account ID --role NAME [--name X] [--template T]
              [--region R] [--output json|text|table|yaml|yaml-stream] [--force]
                Write one [profile] for an account and role, as "aws configure sso" does.
  populate    --sso-session NAME [--template T] [--region R] [--regions FILE] [--output O] [--prune] [--dry-run] [--json]
                Write a profile for every account and role; --prune removes profiles this
                tool wrote that are no longer assigned. --regions FILE: a JSON object mapping
                an account ID or account-name pattern ("prod-*") to the profile's region; the
                first match wins, others get --region (default: the session's region).
  populate    --sso-session NAME --check [--template T] [--json]
                Write nothing; list the roles with no profile (+) and the profiles this tool
                wrote whose role is gone (-). Exit 3 when the config file is out of date.
  status      [--json]
                Show each session and how long its sign-in lasts.
  logout      --sso-session NAME | --all
                Sign out and delete the cached token and role credentials.
  credentials --profile NAME [--format process|env|json]
                Print the profile's role credentials (process: the JSON a credential_process
                prints). Never signs in: when the session has ended, exits 1 and says so.

Templates: ${Object.entries(PROFILE_NAME_PRESETS)
  .map(([k, v]) => `${k} = ${v}`)
  .join('; ')}.
Files: AWS_CONFIG_FILE (default ~/.aws/config) and ~/.aws/sso/cache, shared with the AWS CLI.
Network: HTTPS_PROXY, NO_PROXY and AWS_CA_BUNDLE (or the profile's ca_bundle) as the AWS CLI reads
  them, and NODE_EXTRA_CA_CERTS.
`;

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
  const config = new ConfigFile(paths.configFile);
  let warned = false;
  const configText = async () => {
    const text = (await config.read())?.text ?? '';
    // What the AWS CLI reads, but maybe not as meant: said once per run.
    if (!warned) for (const w of configWarnings(text)) io.stderr(`warning: ${paths.configFile} line ${w.line}: ${oneLine(w.message)}\n`);
    warned = true;
    return text;
  };
  const need = (name: string): string => {
    const v = args.values.get(name);
    if (v === undefined || v === '') throw new UsageError(`--${name} is required.`);
    return v;
  };
  const session = async (): Promise<NamedSession> => findSession(await configText(), need('sso-session'));

  try {
    switch (args.command) {
      case 'status': {
        const text = await configText();
        const now = clock.now();
        const profiles = listProfiles(text);
        // Read synchronously: a few small files, and `status` has nothing to do meanwhile.
        const rows = sessionsInConfig(text).map((s) => {
          const t = readTokenFileSync(paths, s);
          return {
            name: s.name,
            startUrl: s.startUrl,
            region: s.region,
            signedIn: !!t && t.expiresAt > now,
            expiresAt: t ? new Date(t.expiresAt).toISOString() : undefined,
            refreshable: canRefresh(t, now),
            profiles: rolesOf(profiles, s.name).length,
          };
        });
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
            io.stdout(`${r.name}  ${r.startUrl} (${r.region})  ${state}  ${plural(r.profiles, '1 profile', `${r.profiles} profiles`)}\n`);
          }
        }
        return 0;
      }

      case 'credentials': {
        // The fast path: credentials the AWS CLI or an earlier run cached, without loading the
        // other commands or the SDK (credential_process runs this on every tool start).
        const format = credentialFormat(args.values.get('format'));
        const source = resolveCredentialSource(await configText(), need('profile'));
        // A chained profile's keys come from STS each time: the slow path.
        const hit = source.kind === 'sso-role' ? readCachedRoleCredentialsSync(paths, source.session, source.role, clock.now()) : undefined;
        if (hit) {
          io.stdout(formatCredentialsForCli(hit, format));
          return 0;
        }
        return await cliCommands().run(args.command, { io, args, paths, clock, log, config, configText, need, session });
      }

      case 'add-session':
      case 'login':
      case 'accounts':
      case 'profile':
      case 'populate':
      case 'logout':
        return await cliCommands().run(args.command, { io, args, paths, clock, log, config, configText, need, session });
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
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

/**
 * Strings from the service go to a terminal: no control characters, line separators or
 * bidirectional overrides (which could make text read differently from what it is).
 */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}
