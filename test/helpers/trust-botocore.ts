// Reads config files with the AWS CLI's own botocore (the copy bundled with /usr/bin/aws),
// `raw_config_parse` + `build_profile_map`, many files per python3 process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

export interface BotoView {
  ok: boolean;
  /** Exception class name and message when botocore refused the file. */
  error?: string;
  profiles?: Record<string, Record<string, unknown>>;
  ssoSessions?: Record<string, Record<string, unknown>>;
  services?: Record<string, Record<string, unknown>>;
}

function findBotocore(): string | undefined {
  const r = spawnSync('dpkg', ['-L', 'awscli'], { encoding: 'utf8' });
  const hit = (r.stdout ?? '').split('\n').find((l) => l.endsWith('/botocore/configloader.py'));
  if (hit && existsSync(hit)) return dirname(dirname(hit));
  return undefined;
}

/** The folder to put on sys.path so `import botocore` is the CLI's copy; undefined when absent. */
export const BOTOCORE_PATH = findBotocore();

const SCRIPT = String.raw`
import json, sys
sys.path.insert(0, sys.argv[1])
from botocore import configloader
import botocore
assert botocore.__file__.startswith(sys.argv[1]), botocore.__file__
out = []
for path in json.load(sys.stdin):
    try:
        m = configloader.build_profile_map(configloader.raw_config_parse(path))
        out.append({'ok': True, 'profiles': m.get('profiles', {}), 'ssoSessions': m.get('sso_sessions', {}), 'services': m.get('services', {})})
    except Exception as e:
        out.append({'ok': False, 'error': type(e).__name__ + ': ' + str(e)})
json.dump(out, sys.stdout)
`;

/** botocore's reading of each file. Throws when python3 itself fails. */
export function botocoreView(paths: readonly string[]): BotoView[] {
  if (paths.length === 0) return [];
  if (!BOTOCORE_PATH) throw new Error('the awscli package (with its botocore) is not installed');
  const r = spawnSync('python3', ['-c', SCRIPT, BOTOCORE_PATH], {
    input: JSON.stringify(paths),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    // UTF-8 whatever the locale, as on a developer machine; HOME is irrelevant (paths are absolute).
    env: { PATH: process.env.PATH, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8', PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (r.status !== 0) throw new Error(`python3 (botocore) failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as BotoView[];
}

/** Splits `items` into chunks of `size` and reads each chunk in one python process. */
export function botocoreViewBatched(paths: readonly string[], size = 300): BotoView[] {
  const out: BotoView[] = [];
  for (let i = 0; i < paths.length; i += size) out.push(...botocoreView(paths.slice(i, i + size)));
  return out;
}
