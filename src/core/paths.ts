// Where the AWS CLI keeps its files, resolved the way the CLI resolves them.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

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

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') || p.startsWith('~\\') ? join(home, p.slice(1)) : p;
}

export function resolveAwsPaths(env: NodeJS.ProcessEnv = process.env, overrides: { configFile?: string } = {}): AwsPaths {
  const home = env.HOME || env.USERPROFILE || homedir();
  const aws = join(home, '.aws');
  const configFile = overrides.configFile || env.AWS_CONFIG_FILE || join(aws, 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE || join(aws, 'credentials');
  return {
    home,
    configFile: resolve(expandHome(configFile, home)),
    credentialsFile: resolve(expandHome(credentialsFile, home)),
    ssoCacheDir: join(aws, 'sso', 'cache'),
    cliCacheDir: join(aws, 'cli', 'cache'),
  };
}
