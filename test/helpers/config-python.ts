// Reads config files with Python's configparser the way botocore (the AWS CLI) does, in one
// python3 process per batch, so tests can prove the CLI could parse what we wrote.
import { spawnSync } from 'node:child_process';

export interface PyView {
  ok: boolean;
  error?: string;
  /** botocore's profile map: name → key → value (nested values as objects, [DEFAULT] inherited). */
  profiles?: Record<string, Record<string, unknown>>;
  ssoSessions?: Record<string, Record<string, unknown>>;
  services?: Record<string, Record<string, unknown>>;
  /** configparser's own sections: header → key → joined value (no inheritance, no nesting). */
  sections?: Record<string, Record<string, string>>;
  /** Section headers in file order. */
  order?: string[];
  defaults?: Record<string, string>;
}

const SCRIPT = String.raw`
import configparser, json, shlex, sys

def parse_nested(value):
    out = {}
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        k, v = line.split('=', 1)
        out[k.strip()] = v.strip()
    return out

def name_of(key):
    try:
        parts = shlex.split(key)
    except ValueError:
        return None
    return parts[1] if len(parts) == 2 else None

results = []
for path in json.load(sys.stdin):
    try:
        cp = configparser.RawConfigParser()
        if not cp.read([path]):
            raise FileNotFoundError(path)
        raw = {}
        for s in cp.sections():
            raw[s] = {}
            for o in cp.options(s):
                v = cp.get(s, o)
                raw[s][o] = parse_nested(v) if v.startswith('\n') else v
        profiles, sessions, services = {}, {}, {}
        for key, values in raw.items():
            for prefix, target in (('profile', profiles), ('sso-session', sessions), ('services', services)):
                if key.startswith(prefix):
                    n = name_of(key)
                    if n is not None:
                        target[n] = values
                    break
            else:
                if key == 'default':
                    profiles['default'] = values
        results.append({
            'ok': True,
            'profiles': profiles,
            'ssoSessions': sessions,
            'services': services,
            'sections': {s: dict(cp._sections[s]) for s in cp.sections()},
            'order': cp.sections(),
            'defaults': dict(cp._defaults),
        })
    except (configparser.Error, UnicodeDecodeError, ValueError) as e:
        results.append({'ok': False, 'error': type(e).__name__ + ': ' + str(e)})
json.dump(results, sys.stdout)
`;

/** Parses every file (paths on disk, read by Python with universal newlines like the CLI). */
export function pythonView(paths: string[]): PyView[] {
  if (paths.length === 0) return [];
  const r = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify(paths),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONUTF8: '1', PYTHONIOENCODING: 'utf-8' },
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as PyView[];
}

/** Python's shlex.split for each string (null where it raises). */
export function pythonShlex(inputs: string[]): Array<string[] | null> {
  const r = spawnSync(
    'python3',
    [
      '-c',
      'import json,shlex,sys\nout=[]\nfor s in json.load(sys.stdin):\n  try: out.append(shlex.split(s))\n  except ValueError: out.append(None)\njson.dump(out,sys.stdout)',
    ],
    { input: JSON.stringify(inputs), encoding: 'utf8', env: { ...process.env, PYTHONUTF8: '1' } },
  );
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Array<string[] | null>;
}
