// Pure text-to-text edits of an AWS config file: list, add, update and remove SSO profiles and
// sso-sessions, leaving every line they do not own byte-identical. The same planner edits the
// shared credentials file (setSectionPairs).
//
// Each edit checks its own result: the output is parsed again and must read, for the CLI,
// exactly as the input plus the intended change. Anything else is refused, never written.
import { assertRegion } from '../endpoints';
import { SsoError } from '../errors';
import {
  CHAINED_MAX_SECONDS,
  CHAINED_MIN_SECONDS,
  isAccountId,
  isChainedDuration,
  isExternalId,
  isRoleSessionName,
  MAX_NAME_LENGTH,
  NAME_CHARS_TEXT,
  parseRoleArn,
  profileNameProblem,
} from '../names';
import { isScope, parseScopes, scopesOrDefault } from '../scopes';
import { SsoSession } from '../types';
import {
  ConfigLine,
  ConfigModel,
  ConfigOption,
  ConfigProblem,
  ConfigSection,
  describeProblems,
  Eol,
  isBlocking,
  isPySpace,
  parseConfig,
  parseSections,
  pyIndent,
} from './model';
import { isManaged, MANAGED_KEY, MANAGED_VALUE, parsed, readable, refuseAmbiguous } from './read';

export interface SsoSessionSpec {
  name: string;
  startUrl: string;
  region: string;
  /**
   * Written as `sso_registration_scopes`. When omitted, an existing section keeps its scopes line
   * (or its lack of one) and a new section gets the default scope.
   */
  scopes?: readonly string[];
}

export interface ProfileSpec {
  name: string;
  ssoSession: string;
  accountId: string;
  roleName: string;
  /** Written when given; when omitted an existing `region` line is left as it is. */
  region?: string;
  /** Written when given; when omitted an existing `output` line is left as it is. */
  output?: string;
}

/**
 * A chained profile: the CLI assumes `roleArn` with the credentials of `sourceProfile` (an SSO
 * profile). Optional keys are written when given; when omitted an existing line is left as it is.
 */
export interface ChainedProfileSpec {
  name: string;
  sourceProfile: string;
  roleArn: string;
  roleSessionName?: string;
  externalId?: string;
  durationSeconds?: number;
  region?: string;
  output?: string;
}

export interface ConfigChanges {
  /**
   * Sessions the user asked to write (add-session, the Add SSO Session wizard): added, or updated
   * in place (only `sso_start_url`, `sso_region` and, when given, `sso_registration_scopes`).
   */
  setSessions?: readonly SsoSessionSpec[];
  /**
   * Sessions the profiles need: added when the file has no `[sso-session NAME]`. An existing one
   * is never touched, whatever it holds: what the AWS CLI registers and signs in with is the
   * user's to say, and writing profiles is not asking to change it.
   */
  addMissingSessions?: readonly SsoSessionSpec[];
  upserts?: readonly ProfileSpec[];
  /**
   * Chained profiles, added or updated like `upserts`; each source profile must be in the file or
   * among `upserts`.
   */
  chainedUpserts?: readonly ChainedProfileSpec[];
  /**
   * Points existing profiles, ours or written by hand, at another `source_profile`: only that
   * line changes (added after the last key when the profile inherits it). The new source must be
   * a profile of the file or among `upserts`.
   */
  sourceProfiles?: ReadonlyArray<{ profile: string; sourceProfile: string }>;
  /** Profile names. Names that do not exist are skipped. */
  removals?: readonly string[];
  /**
   * Update a profile of that name even when the user wrote it by hand. Only our keys change
   * and it stays unmarked, so a later prune never removes it. Default: refuse.
   */
  overwriteUnmanaged?: boolean;
  /** Remove listed profiles even when not written by this extension. Default: skip them. */
  removeUnmanaged?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Input checks

const CONTROL_RE = /[\x00-\x1f\x7f\x85\u2028\u2029]/;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// The JavaScript SDK cuts a line at `#` or `;` that follows whitespace; the CLI does not.
const SDK_COMMENT_RE = /(^|\s)[#;]/;

function assertName(kind: string, name: unknown): asserts name is string {
  if (profileNameProblem(name) !== undefined) {
    throw new SsoError(
      'InvalidInput',
      `${JSON.stringify(name)} cannot be used as ${kind} name: use 1 to ${MAX_NAME_LENGTH} ${NAME_CHARS_TEXT} only (other characters break the file or cannot be read by the AWS SDKs).`,
    );
  }
}

function assertValue(what: string, value: unknown): asserts value is string {
  const bad = (why: string) => new SsoError('InvalidInput', `The ${what} ${JSON.stringify(value)} ${why}`);
  if (typeof value !== 'string' || value === '') throw bad('is empty.');
  if (CONTROL_RE.test(value)) throw bad('contains a line break or control character.');
  if (LONE_SURROGATE_RE.test(value)) throw bad('is not valid Unicode text.');
  if (isPySpace(value.charCodeAt(0)) || isPySpace(value.charCodeAt(value.length - 1))) {
    throw bad('starts or ends with white space, which the CLI would drop.');
  }
  if (SDK_COMMENT_RE.test(value)) throw bad('contains "#" or ";" after a space, which the AWS SDKs read as a comment.');
}

function checkSession(s: SsoSessionSpec): void {
  assertName('an sso-session', s.name);
  assertValue('start URL', s.startUrl);
  assertValue('SSO region', s.region);
  assertRegion(s.region);
  if (s.scopes === undefined) return;
  if (!Array.isArray(s.scopes) || s.scopes.length === 0) {
    throw new SsoError('InvalidInput', `The sso-session "${s.name}" needs at least one registration scope.`);
  }
  for (const scope of s.scopes) {
    if (!isScope(scope)) {
      throw new SsoError(
        'InvalidInput',
        `The registration scope ${JSON.stringify(scope)} cannot be written: use printable ASCII without spaces, commas, "#" or ";".`,
      );
    }
  }
}

function checkProfile(p: ProfileSpec): void {
  assertName('a profile', p.name);
  assertName('an sso-session', p.ssoSession);
  if (!isAccountId(p.accountId)) {
    throw new SsoError('InvalidInput', `The account ID ${JSON.stringify(p.accountId)} is not 12 digits.`);
  }
  assertValue('role name', p.roleName);
  if (p.region !== undefined) {
    assertValue('region', p.region);
    assertRegion(p.region);
  }
  if (p.output !== undefined) assertValue('output format', p.output);
}

function checkChained(p: ChainedProfileSpec): void {
  assertName('a profile', p.name);
  assertName('a source profile', p.sourceProfile);
  if (p.sourceProfile === p.name) throw new SsoError('InvalidInput', `The profile "${p.name}" cannot be its own source profile.`);
  if (typeof parseRoleArn(p.roleArn) === 'string') {
    throw new SsoError('InvalidInput', `${JSON.stringify(p.roleArn)} is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME).`);
  }
  if (p.roleSessionName !== undefined && !isRoleSessionName(p.roleSessionName)) {
    throw new SsoError('InvalidInput', `The role session name ${JSON.stringify(p.roleSessionName)} must be 2 to 64 letters, digits or _ + = , . @ -.`);
  }
  if (p.externalId !== undefined && !isExternalId(p.externalId)) {
    throw new SsoError('InvalidInput', 'The external ID must be 2 to 1224 letters, digits or _ + = , . @ : / -.');
  }
  if (p.durationSeconds !== undefined && !isChainedDuration(p.durationSeconds)) {
    throw new SsoError('InvalidInput', `A chained session lasts ${CHAINED_MIN_SECONDS} to ${CHAINED_MAX_SECONDS} seconds (AWS ends role chains after one hour).`);
  }
  if (p.region !== undefined) {
    assertValue('region', p.region);
    assertRegion(p.region);
  }
  if (p.output !== undefined) assertValue('output format', p.output);
}

/** For a new section (`adding`) scopes are always written; an update writes them only when given. */
function sessionPairs(s: SsoSessionSpec, adding: boolean): Array<[string, string]> {
  // The order `aws configure sso-session` writes them in.
  const pairs: Array<[string, string]> = [
    ['sso_start_url', s.startUrl],
    ['sso_region', s.region],
  ];
  const scopes = s.scopes ?? (adding ? scopesOrDefault([]) : undefined);
  if (scopes !== undefined) pairs.push(['sso_registration_scopes', scopes.join(',')]);
  return pairs;
}

function profilePairs(p: ProfileSpec): Array<[string, string]> {
  // The order `aws configure sso` writes them in.
  const pairs: Array<[string, string]> = [
    ['sso_session', p.ssoSession],
    ['sso_account_id', p.accountId],
    ['sso_role_name', p.roleName],
  ];
  if (p.region !== undefined) pairs.push(['region', p.region]);
  if (p.output !== undefined) pairs.push(['output', p.output]);
  return pairs;
}

function chainedPairs(p: ChainedProfileSpec): Array<[string, string]> {
  // The keys of the AWS CLI's assume-role profile, in the order its documentation shows them.
  const pairs: Array<[string, string]> = [
    ['role_arn', p.roleArn],
    ['source_profile', p.sourceProfile],
  ];
  if (p.roleSessionName !== undefined) pairs.push(['role_session_name', p.roleSessionName]);
  if (p.externalId !== undefined) pairs.push(['external_id', p.externalId]);
  if (p.durationSeconds !== undefined) pairs.push(['duration_seconds', String(p.durationSeconds)]);
  if (p.region !== undefined) pairs.push(['region', p.region]);
  if (p.output !== undefined) pairs.push(['output', p.output]);
  return pairs;
}

/** Keys that make a profile sign in through SSO itself: a chained profile must not also have them. */
const SSO_PROFILE_KEYS = ['sso_session', 'sso_start_url', 'sso_account_id', 'sso_role_name'];

function sameValue(key: string, current: string, wanted: string): boolean {
  if (key === 'sso_registration_scopes') return parseScopes(current, 'file').join(',') === parseScopes(wanted, 'file').join(',');
  return current === wanted;
}

// ---------------------------------------------------------------------------------------------
// Planning and applying

/** How a file of one kind is written. The config file's are CONFIG_FILE; credentials.ts has its own. */
export interface FileRules {
  /** The file in messages: "AWS config file". */
  what: string;
  /**
   * A changed value whose line the JavaScript SDK cannot read (it matches keys case-sensitively
   * and splits only at `=`) is rewritten as `key = value`. Otherwise a line keeps the user's key
   * spelling and delimiter.
   */
  sdkKeys: boolean;
  /**
   * A new section gets one blank line before it even when the file already ends with a blank
   * line, so that removing the section again gives back the original bytes.
   */
  alwaysBlankBefore: boolean;
  /** A line added at the end of a file without a final newline gets one (else none is added). */
  addFinalNewline: boolean;
  /**
   * Two sections defining one profile or sso-session (`[default]` and `[profile default]`) are
   * an ambiguity an edit must never add. Not so in a file whose sections are exact headers.
   */
  namesProfiles: boolean;
}

const CONFIG_FILE: FileRules = {
  what: 'AWS config file',
  sdkKeys: false,
  alwaysBlankBefore: true,
  addFinalNewline: false,
  namesProfiles: true,
};

/** A line to write; `eol: null` takes the file's usual line ending. */
interface OutLine {
  text: string;
  eol: Eol | null;
}

/** Replace lines [start, end) with `lines` (an insertion when start === end). */
interface Edit {
  start: number;
  end: number;
  lines: OutLine[];
}

interface NewSection {
  header: string;
  pairs: Array<[string, string]>;
}

class Plan {
  readonly edits: Edit[] = [];
  readonly appended: NewSection[] = [];
  /** Per touched section: the values it must end up with changed, or null when removed. */
  readonly expected = new Map<ConfigSection, Map<string, string> | null>();

  constructor(
    readonly model: ConfigModel,
    readonly text: string,
    readonly rules: FileRules = CONFIG_FILE,
  ) {}

  /** Sets `pairs` in an existing section: values changed in place, missing keys added after the last key. */
  update(section: ConfigSection, pairs: ReadonlyArray<[string, string]>): void {
    const lines = this.model.lines;
    const changed = new Map<string, string>();
    const missing: OutLine[] = [];
    const next = section.end < lines.length ? lines[section.end].text : '';
    // A key indented deeper than the next header would turn that header into a continuation
    // line; as deep as the next header is always read as a new key.
    const indent = next.slice(0, pyIndent(next));
    for (const [key, value] of pairs) {
      const opt = section.options.find((o) => o.key === key);
      if (opt && sameValue(key, opt.value, value)) continue;
      changed.set(key, value);
      if (opt) this.edits.push(replaceValue(lines, opt, value, this.rules.sdkKeys));
      else missing.push({ text: `${indent}${key} = ${value}`, eol: null });
    }
    if (missing.length > 0) {
      const at = section.options.length > 0 ? section.options[section.options.length - 1].lastLine + 1 : section.line + 1;
      this.edits.push({ start: at, end: at, lines: missing });
    }
    if (changed.size > 0) this.expected.set(section, changed);
  }

  append(header: string, pairs: Array<[string, string]>): void {
    this.appended.push({ header, pairs });
  }

  /** Removes the sections: header to last key, plus the blank lines that follow. */
  remove(sections: ConfigSection[]): void {
    const lines = this.model.lines;
    const ranges = sections.map((s) => {
      let end = s.options.length > 0 ? s.options[s.options.length - 1].lastLine + 1 : s.line + 1;
      while (end < s.end && lines[end].kind === 'blank') end++;
      this.expected.set(s, null);
      return { start: s.line, end };
    });
    ranges.sort((a, b) => b.start - a.start);
    // A removal that reaches the end of the file also takes the one blank line that `render`
    // puts before an appended section, so adding a profile and removing it again gives back
    // the original bytes.
    let tail = lines.length;
    for (const r of ranges) {
      if (r.end >= tail) tail = r.start;
      this.edits.push({ start: r.start, end: r.end, lines: [] });
    }
    if (tail < lines.length && tail > 0 && lines[tail - 1].kind === 'blank') {
      this.edits.push({ start: tail - 1, end: tail, lines: [] });
    }
  }

  render(): string {
    const { lines, eol, finalNewline } = this.model;
    const src = this.text;
    const edits = [...this.edits].sort((a, b) => a.start - b.start || a.end - b.end);
    // Untouched runs of lines are copied as one slice of the input: fast, and byte-exact by
    // construction. Each piece's `eol` is that of its last line, fixed up below.
    const out: OutLine[] = [];
    let endsBlank = false;
    const copy = (from: number, to: number) => {
      if (to > from) {
        const last = lines[to - 1];
        out.push({ text: src.slice(lines[from].start, last.start + last.text.length), eol: last.eol });
        endsBlank = last.kind === 'blank';
      }
    };
    let i = 0;
    for (const e of edits) {
      if (e.start > i) copy(i, e.start);
      for (const l of e.lines) {
        out.push(l);
        endsBlank = pyIndent(l.text) === l.text.length;
      }
      i = Math.max(i, e.end);
    }
    copy(i, lines.length);
    for (const block of this.appended) {
      const text = [`[${block.header}]`, ...block.pairs.map(([k, v]) => `${k} = ${v}`)];
      if (out.length > 0 && (this.rules.alwaysBlankBefore || !endsBlank)) text.unshift('');
      out.push({ text: text.join(eol), eol: null });
      endsBlank = false;
    }
    const parts: string[] = new Array(out.length + 1);
    parts[0] = this.model.bom ? '\ufeff' : '';
    const last = out.length - 1;
    for (let k = 0; k < last; k++) {
      const e = out[k].eol;
      parts[k + 1] = out[k].text + (e === null || e === '' ? eol : e);
    }
    if (last >= 0) {
      // A file that ended without a newline still does: a new last line gets none, and a kept
      // line that a removal made the last one drops its terminator when it is the file's usual
      // one (the separator an earlier append gave it, so adding and then removing a section
      // gives back the bytes). Any other terminator is the user's and stays: a CRLF line in an
      // LF file keeps its CR LF.
      const e = out[last].eol;
      const missing = !finalNewline && !(this.rules.addFinalNewline && e === null);
      const ending = e === null ? (missing ? '' : eol) : e === '' || (missing && e === eol) ? '' : e;
      parts[last + 1] = out[last].text + ending;
    }
    return parts.join('');
  }

  /**
   * The new text, after checking that the AWS CLI reads it as the input plus the planned changes
   * (and nothing else); throws SsoError('ConfigFile') otherwise.
   */
  finish(): string {
    if (this.edits.length === 0 && this.appended.length === 0) return this.text;
    const out = this.render();
    const result = parseSections(out);
    const blocking = result.problems.filter(isBlocking);
    // The input's own ambiguities stay; an edit never adds one.
    const ambiguities = (m: Pick<ConfigModel, 'problems'>) => m.problems.length - m.problems.filter(isBlocking).length;
    if (blocking.length > 0 || (this.rules.namesProfiles && ambiguities(result) > ambiguities(this.model))) {
      throw new SsoError(
        'ConfigFile',
        `Refused to change the ${this.rules.what}: the result could not be read by the AWS CLI (${describeProblems(blocking.length > 0 ? blocking : result.problems)}). The file was left untouched.`,
      );
    }
    const at = this.firstDifference(result);
    if (at >= 0) {
      const s = result.sections[at] ?? this.model.sections[Math.min(at, this.model.sections.length - 1)];
      throw new SsoError(
        'ConfigFile',
        `Refused to change the ${this.rules.what}: the edit would change how the AWS CLI reads other settings${s ? ` near [${s.header}]` : ''} (unusual indentation). The file was left untouched.`,
      );
    }
    return out;
  }

  /**
   * Index of the first section of `result` that does not read, for the CLI, as the input with
   * only the planned changes; -1 when all do.
   */
  firstDifference(result: Pick<ConfigModel, 'sections'>): number {
    const got = result.sections;
    let j = 0;
    for (const s of this.model.sections) {
      const change = this.expected.get(s);
      if (change === null) continue;
      const r = got[j];
      if (!r || r.header !== s.header) return j;
      if (change ? !sameValues(withChanges(s.options, change), r.options) : !sameOptions(s.options, r.options)) return j;
      j++;
    }
    for (const block of this.appended) {
      const r = got[j];
      if (!r || r.header !== block.header || !samePairs(block.pairs, r.options)) return j;
      j++;
    }
    return j === got.length ? -1 : j;
  }
}

function sameOptions(a: ConfigOption[], b: ConfigOption[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k].key !== b[k].key || a[k].value !== b[k].value) return false;
  return true;
}

function withChanges(options: ConfigOption[], change: Map<string, string>): Map<string, string> {
  const m = new Map(options.map((o) => [o.key, o.value]));
  for (const [k, v] of change) m.set(k, v);
  return m;
}

function sameValues(want: Map<string, string>, got: ConfigOption[]): boolean {
  return got.length === want.size && got.every((o) => want.get(o.key) === o.value);
}

/** `got` holds exactly the (distinct-keyed) `pairs`, in any order; no Map per appended section. */
function samePairs(pairs: ReadonlyArray<[string, string]>, got: ConfigOption[]): boolean {
  if (got.length !== pairs.length) return false;
  for (const o of got) {
    let found = false;
    for (const [k, v] of pairs) {
      if (k === o.key) {
        found = v === o.value;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

function replaceValue(lines: ConfigLine[], opt: ConfigOption, value: string, sdkKeys: boolean): Edit {
  const line = lines[opt.line];
  const eq = line.text.indexOf('=');
  const colon = line.text.indexOf(':');
  const delim = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
  let start = delim + 1;
  while (start < line.text.length && isPySpace(line.text.charCodeAt(start))) start++;
  // The key, its spelling and its delimiter stay the user's (unless the JavaScript SDK must read
  // the line and cannot: then `key = value`); old continuation lines go, but comments and blank
  // lines among them stay.
  const sdkReadable = line.text.charCodeAt(delim) === 61 /* = */ && line.text.slice(0, delim).trim() === opt.key;
  const text =
    !sdkKeys || sdkReadable ? line.text.slice(0, start) + value : `${line.text.slice(0, pyIndent(line.text))}${opt.key} = ${value}`;
  const kept: OutLine[] = [{ text, eol: line.eol }];
  for (let k = opt.line + 1; k <= opt.lastLine; k++) {
    if (lines[k].kind !== 'continuation') kept.push(lines[k]);
  }
  return { start: opt.line, end: opt.lastLine + 1, lines: kept };
}

/** The config file's header of a profile: `[default]`, or `[profile NAME]` for any other, as the AWS CLI writes them. */
export function profileHeader(name: string): string {
  return name === 'default' ? 'default' : `profile ${name}`;
}

function index(model: ConfigModel, kind: 'profile' | 'sso-session'): Map<string, ConfigSection> {
  const m = new Map<string, ConfigSection>();
  for (const s of model.sections) if (s.kind === kind && s.name !== undefined) m.set(s.name, s);
  return m;
}

/**
 * Applies all changes in one pass over the file (sessions first, then profiles). New sections
 * are appended, each after one blank line (none at the top of an empty file). Throws
 * SsoError('InvalidInput') for a bad name or value, and SsoError('ConfigFile') when the input
 * is, or the output would be, a file the AWS CLI cannot read, or when a change names a profile
 * or session that two sections define; nothing is half-applied.
 */
export function applyProfiles(text: string, changes: ConfigChanges): string {
  const setSessions = changes.setSessions ?? [];
  const addSessions = changes.addMissingSessions ?? [];
  const upserts = changes.upserts ?? [];
  const chainedUpserts = changes.chainedUpserts ?? [];
  const removals = changes.removals ?? [];
  const sourceProfiles = changes.sourceProfiles ?? [];
  setSessions.forEach(checkSession);
  addSessions.forEach(checkSession);
  upserts.forEach(checkProfile);
  chainedUpserts.forEach(checkChained);
  const once = (what: string, names: string[]) => {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new SsoError('InvalidInput', `${what} "${n}" is listed twice in one change.`);
      seen.add(n);
    }
    return seen;
  };
  const sessionNames = once('The sso-session', [...setSessions, ...addSessions].map((s) => s.name));
  const upsertNames = once('The profile', [...upserts, ...chainedUpserts].map((p) => p.name));
  for (const n of removals) {
    if (upsertNames.has(n)) throw new SsoError('InvalidInput', `The profile "${n}" cannot be both written and removed.`);
  }
  const repointed = once('The profile', sourceProfiles.map((r) => r.profile));
  for (const r of sourceProfiles) {
    assertName('a profile', r.profile);
    assertName('a source profile', r.sourceProfile);
    if (r.profile === r.sourceProfile) throw new SsoError('InvalidInput', `The profile "${r.profile}" cannot be its own source profile.`);
    if (upsertNames.has(r.profile) || removals.includes(r.profile)) {
      throw new SsoError('InvalidInput', `The profile "${r.profile}" is listed twice in one change.`);
    }
  }

  const model = readable(text, true);
  refuseAmbiguous(model, 'sso-session', setSessions.map((s) => s.name));
  refuseAmbiguous(model, 'profile', [...upsertNames, ...removals, ...repointed]);
  const plan = new Plan(model, text);
  const profiles = index(model, 'profile');
  const existingSessions = index(model, 'sso-session');

  for (const s of setSessions) {
    const found = existingSessions.get(s.name);
    if (found) plan.update(found, sessionPairs(s, false));
    else plan.append(`sso-session ${s.name}`, sessionPairs(s, true));
  }
  for (const s of addSessions) {
    if (!existingSessions.has(s.name)) plan.append(`sso-session ${s.name}`, sessionPairs(s, true));
  }
  /** A profile of ours: appended when new, updated when ours (or overwriting is allowed), else refused. */
  const put = (name: string, pairs: Array<[string, string]>) => {
    const found = profiles.get(name);
    if (!found) {
      plan.append(profileHeader(name), [...pairs, [MANAGED_KEY, MANAGED_VALUE]]);
    } else if (isManaged(found) || changes.overwriteUnmanaged) {
      plan.update(found, pairs);
    } else {
      throw new SsoError(
        'InvalidInput',
        `A profile named "${name}" already exists and was not written by aws-sso-profiles; choose another name or allow overwriting it.`,
      );
    }
  };
  for (const p of upserts) {
    if (!sessionNames.has(p.ssoSession) && !existingSessions.has(p.ssoSession)) {
      throw new SsoError(
        'InvalidInput',
        `The profile "${p.name}" refers to sso-session "${p.ssoSession}", which is not in the config file.`,
      );
    }
    put(p.name, profilePairs(p));
  }
  for (const p of chainedUpserts) {
    if (!profiles.has(p.sourceProfile) && !upserts.some((u) => u.name === p.sourceProfile)) {
      throw new SsoError('InvalidInput', `The profile "${p.name}" starts from profile "${p.sourceProfile}", which is not in the config file.`);
    }
    if (profiles.get(p.name)?.options.some((o) => SSO_PROFILE_KEYS.includes(o.key))) {
      throw new SsoError('InvalidInput', `The profile "${p.name}" signs in through SSO; choose another name for the chained profile.`);
    }
    put(p.name, chainedPairs(p));
  }
  for (const r of sourceProfiles) {
    const found = profiles.get(r.profile);
    if (!found) throw new SsoError('InvalidInput', `No profile "${r.profile}" in the config file.`);
    if (!profiles.has(r.sourceProfile) && !upsertNames.has(r.sourceProfile)) {
      throw new SsoError('InvalidInput', `The profile "${r.profile}" would start from profile "${r.sourceProfile}", which is not in the config file.`);
    }
    plan.update(found, [['source_profile', r.sourceProfile]]);
  }
  const doomed: ConfigSection[] = [];
  for (const n of removals) {
    const found = profiles.get(n);
    if (found && (changes.removeUnmanaged || isManaged(found))) doomed.push(found);
  }
  plan.remove(doomed);
  return plan.finish();
}

/**
 * Sets `pairs` in the section whose header is exactly `header`, adding the section at the end
 * when there is none; every other byte stays. For files other than the config file (the shared
 * credentials file), under their own `rules`. Throws SsoError('ConfigFile') as applyProfiles.
 */
export function setSectionPairs(text: string, header: string, pairs: ReadonlyArray<[string, string]>, rules: FileRules): string {
  const model = readable(text, true, rules.what);
  const plan = new Plan(model, text, rules);
  const section = model.sections.find((s) => s.header === header);
  if (section) plan.update(section, pairs);
  else plan.append(header, [...pairs]);
  return plan.finish();
}

/** Adds an `[sso-session]` section, or updates the keys of an existing one: for a user who asked to. */
export function upsertSsoSession(text: string, session: SsoSessionSpec): string {
  return applyProfiles(text, { setSessions: [session] });
}


/**
 * Writes `pairs` into a section of ours, whose header is exactly `header`: a new section gets the
 * managed key after `pairs`; one that carries it is updated (other keys left alone); a section of
 * that name we did not write is refused (SsoError 'InvalidInput'), whatever it holds. For sections
 * that are ours whole (a credential_process profile, a kept-fresh credentials-file section).
 */
export function upsertManagedSection(text: string, header: string, pairs: ReadonlyArray<[string, string]>, rules: FileRules = CONFIG_FILE): string {
  const model = readable(text, true, rules.what);
  const plan = new Plan(model, text, rules);
  const matching = model.sections.filter((s) => s.header === header);
  if (rules.namesProfiles) refuseAmbiguous(model, 'profile', matching.flatMap((s) => (s.kind === 'profile' && s.name !== undefined ? [s.name] : [])));
  const section = matching[matching.length - 1];
  if (!section) plan.append(header, [...pairs, [MANAGED_KEY, MANAGED_VALUE]]);
  else if (isManaged(section)) plan.update(section, pairs);
  else throw new SsoError('InvalidInput', `[${header}] in the ${rules.what} was not written by aws-sso-profiles; it was left as it is. Choose another name.`);
  return plan.finish();
}

/**
 * Removes the sections whose header is one of `headers` and that carry the managed key, with the
 * blank lines after them; any other section stays, byte for byte. Throws SsoError('ConfigFile') as
 * applyProfiles.
 */
export function removeManagedSections(text: string, headers: Iterable<string>, rules: FileRules = CONFIG_FILE): string {
  return removeSectionsWhere(text, headers, rules, isManaged);
}

/**
 * Removes the sections whose header is one of `headers`, whatever they hold, with the blank lines after
 * them: only on the user's word (a migration's broken dependents). Throws SsoError('ConfigFile') as applyProfiles.
 */
export function removeSections(text: string, headers: Iterable<string>, rules: FileRules): string {
  return removeSectionsWhere(text, headers, rules, () => true);
}

function removeSectionsWhere(text: string, headers: Iterable<string>, rules: FileRules, may: (s: ConfigSection) => boolean): string {
  const wanted = new Set(headers);
  if (wanted.size === 0) return text;
  const model = readable(text, true, rules.what);
  const doomed = model.sections.filter((s) => wanted.has(s.header) && may(s));
  if (doomed.length === 0) return text;
  const plan = new Plan(model, text, rules);
  plan.remove(doomed);
  return plan.finish();
}

/** The headers of the sections carrying the managed key, in file order (no validation: for clean-up). */
export function managedHeaders(text: string): string[] {
  return parsed(text).sections.filter(isManaged).map((s) => s.header);
}
