// A throwaway HOME with AWS_* pointing into it, so no test ever touches the real ~/.aws.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsPaths, resolveAwsPaths } from '../../src/core/paths';

export interface TempHome {
  dir: string;
  env: NodeJS.ProcessEnv;
  paths: AwsPaths;
  cleanup(): Promise<void>;
}

export async function tempHome(prefix = 'aws-sso-test-'): Promise<TempHome> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = {
    HOME: dir,
    USERPROFILE: dir,
    AWS_CONFIG_FILE: join(dir, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials'),
  };
  return {
    dir,
    env,
    paths: resolveAwsPaths(env),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
