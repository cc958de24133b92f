// Merges the SSO sessions of the config file with those an organisation ships in settings.json.
//
// The config file is what the AWS CLI uses, so it wins: a settings entry for the same start URL
// and region adds nothing but the mark that both define it, and a settings entry whose explicit
// name is taken by a different config session is left out (and reported). Settings are user
// input of unknown shape: every entry is checked, and a bad one becomes a problem, never an
// exception.
import { assertRegion } from './endpoints';
import { isSsoError } from './errors';
import { isProfileName, MAX_NAME_LENGTH, NAME_CHARS_TEXT } from './names';
import { isScope, scopesOrDefault } from './scopes';
import { NamedSession, normalizeStartUrl, startUrlKey, suggestSessionName } from './sessions';

export interface SessionSetting {
  name?: string;
  startUrl: string;
  region: string;
  scopes?: string[];
}

export type SessionSource = 'config' | 'settings' | 'both';

export type MergedSession = NamedSession & { source: SessionSource };

export interface SessionSettingProblem {
  /** Index of the entry in the settings array. */
  index: number;
  message: string;
}

/**
 * The merged sessions, config ones first (file order), then those only in settings. The array
 * also carries `problems` (entries left out, and why) and `sessions` (itself, for callers that
 * prefer destructuring `{ sessions, problems }`).
 */
export type MergedSessions = MergedSession[] & { sessions: MergedSession[]; problems: SessionSettingProblem[] };

/**
 * Start URL and region as one comparable key. The start URL compares as the AWS CLI compares it
 * (sessions.ts startUrlKey); a settings entry was normalised on input (check).
 */
function sameKey(startUrl: string, region: string): string {
  return `${startUrlKey(startUrl)}\n${region.trim()}`;
}

type Checked = { ok: true; value: { name?: string; startUrl: string; region: string; scopes: string[] } } | { ok: false; message: string };

function describeEntry(i: number, raw: unknown): string {
  const name = raw && typeof raw === 'object' ? (raw as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? `Session setting ${i + 1} ("${name}")` : `Session setting ${i + 1}`;
}

function check(raw: unknown, i: number): Checked {
  const what = describeEntry(i, raw);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: `${what} is not an object with startUrl and region.` };
  const r = raw as Record<string, unknown>;
  if (typeof r.startUrl !== 'string' || r.startUrl.trim() === '') return { ok: false, message: `${what} has no startUrl.` };
  let startUrl: string;
  try {
    startUrl = normalizeStartUrl(r.startUrl);
  } catch (e) {
    return { ok: false, message: `${what}: ${isSsoError(e) ? e.message : 'the start URL is invalid.'}` };
  }
  if (typeof r.region !== 'string') return { ok: false, message: `${what} has no region.` };
  const region = r.region.trim();
  try {
    assertRegion(region);
  } catch (e) {
    return { ok: false, message: `${what}: ${isSsoError(e) ? e.message : 'the region is invalid.'}` };
  }
  let scopes = scopesOrDefault([]);
  if (r.scopes !== undefined) {
    if (!Array.isArray(r.scopes) || r.scopes.length === 0 || !r.scopes.every(isScope)) {
      return { ok: false, message: `${what}: scopes must be a non-empty list of scope names (printable ASCII without spaces, commas, "#" or ";").` };
    }
    scopes = [...new Set(r.scopes as string[])];
  }
  let name: string | undefined;
  if (r.name !== undefined && r.name !== '') {
    if (!isProfileName(r.name)) {
      return { ok: false, message: `${what}: the name may only use ${NAME_CHARS_TEXT} (up to ${MAX_NAME_LENGTH}).` };
    }
    name = r.name;
  }
  return { ok: true, value: { name, startUrl, region, scopes } };
}

function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export function mergeSessions(fromConfig: readonly NamedSession[], fromSettings: readonly SessionSetting[]): MergedSessions {
  const out: MergedSession[] = fromConfig.map((s) => ({ ...s, scopes: [...s.scopes], source: 'config' as SessionSource }));
  const problems: SessionSettingProblem[] = [];
  const byKey = new Map<string, MergedSession>();
  for (const s of out) if (!byKey.has(sameKey(s.startUrl, s.region))) byKey.set(sameKey(s.startUrl, s.region), s);
  const taken = new Set(out.map((s) => s.name));

  (Array.isArray(fromSettings) ? fromSettings : []).forEach((raw, i) => {
    const c = check(raw, i);
    if (!c.ok) {
      problems.push({ index: i, message: c.message });
      return;
    }
    const { name, startUrl, region, scopes } = c.value;
    const twin = byKey.get(sameKey(startUrl, region));
    if (twin) {
      // Same portal and region: one session. The config's (or the first setting's) name and
      // scopes stand; a different explicit name is worth a word.
      if (twin.source === 'config') twin.source = 'both';
      if (name !== undefined && name !== twin.name) {
        problems.push({
          index: i,
          message: `Session setting ${i + 1} ("${name}") is the same start URL and region as session "${twin.name}"; "${twin.name}" is used.`,
        });
      }
      return;
    }
    if (name !== undefined && taken.has(name)) {
      const owner = out.find((s) => s.name === name)!;
      problems.push({
        index: i,
        message:
          owner.source === 'settings'
            ? `Session setting ${i + 1} ("${name}") repeats the name of an earlier session setting with another start URL or region; it is ignored.`
            : `Session setting ${i + 1} ("${name}") has the name of the config file's [sso-session ${name}], which points elsewhere; the config file wins and the setting is ignored.`,
      });
      return;
    }
    const merged: MergedSession = {
      name: name ?? uniqueName(suggestSessionName(startUrl), taken),
      startUrl,
      region,
      scopes,
      source: 'settings',
    };
    taken.add(merged.name);
    byKey.set(sameKey(startUrl, region), merged);
    out.push(merged);
  });

  const result = out as MergedSessions;
  Object.defineProperty(result, 'sessions', { value: out, enumerable: false });
  Object.defineProperty(result, 'problems', { value: problems, enumerable: false });
  return result;
}
