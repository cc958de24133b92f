// Where the AWS CLI keeps its files, resolved the way the CLI resolves them.
import { homedir } from 'node:os';
import { HOST_PLATFORM, pathFor, type PlatformName } from './platform';

export interface AwsPaths {
  home: string;
  /** `AWS_CONFIG_FILE`, else `~/.aws/config`. */
  configFile: string;
  /** `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`. */
  credentialsFile: string;
  /** `~/.aws/sso/cache`: SSO tokens and client registrations. */
  ssoCacheDir: string;
  /** `~/.aws/cli/cache`: role credentials the CLI cached. */
  cliCacheDir: string;
}

/** `~` and `~/…` (also `~\…` on Windows) as Python's os.path.expanduser, which botocore applies to both variables. */
function expandHome(p: string, home: string, platform: PlatformName): string {
  const tilde = p === '~' || p.startsWith('~/') || (platform === 'win32' && p.startsWith('~\\'));
  return tilde ? pathFor(platform).join(home, p.slice(1)) : p;
}

/**
 * The home the AWS CLI's Python finds: on Windows %USERPROFILE%, else %HOMEDRIVE%%HOMEPATH%
 * (HOME is ignored there, e.g. the /c/Users/… one Git Bash sets); elsewhere $HOME.
 */
function homeOf(env: NodeJS.ProcessEnv, platform: PlatformName): string {
  if (platform === 'win32') return env.USERPROFILE || (env.HOMEDRIVE && env.HOMEPATH ? env.HOMEDRIVE + env.HOMEPATH : '') || homedir();
  return env.HOME || env.USERPROFILE || homedir();
}

export function resolveAwsPaths(
  env: NodeJS.ProcessEnv = process.env,
  overrides: { configFile?: string } = {},
  platform: PlatformName = HOST_PLATFORM,
): AwsPaths {
  const { join, resolve } = pathFor(platform);
  const home = homeOf(env, platform);
  const aws = join(home, '.aws');
  const configFile = overrides.configFile || env.AWS_CONFIG_FILE || join(aws, 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(aws, 'credentials');
  return {
    home,
    configFile: resolve(expandHome(configFile, home, platform)),
    credentialsFile: resolve(expandHome(credentialsFile, home, platform)),
    ssoCacheDir: join(aws, 'sso', 'cache'),
    cliCacheDir: join(aws, 'cli', 'cache'),
  };
}
