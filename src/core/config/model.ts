// Lossless model of an AWS config file, read exactly the way the AWS CLI (botocore) reads it.
//
// Never let the `ini` package parse or write ~/.aws/config: it drops comments and flattens
// nested values (`s3 =` blocks), so a round trip through it loses the user's bytes. This
// module keeps every byte (BOM, each line's own terminator, trailing spaces, a missing final
// newline) and reproduces Python's `configparser.RawConfigParser(strict=True)` as botocore
// uses it, so we can tell in advance whether the CLI will be able to read a file.
import { NAME_CHARS } from '../names';

export type Eol = '' | '\n' | '\r\n' | '\r';

export type LineKind = 'blank' | 'comment' | 'header' | 'option' | 'continuation' | 'invalid';

export interface ConfigLine {
  /** Offset of the line in the parsed text (a BOM counts as one character). */
  start: number;
  /** The line without its terminator. */
  text: string;
  /** The line's own terminator; '' only for a last line without a newline. */
  eol: Eol;
  kind: LineKind;
}

export interface ConfigOption {
  /** Lower-cased, as configparser's `optionxform` does. */
  key: string;
  /** Index of the `key = value` line. */
  line: number;
  /** Index of the last continuation line (equals `line` when the value is one line). */
  lastLine: number;
  /** The value as configparser returns it: continuation lines joined with `\n`. */
  value: string;
}

/**
 * How botocore files a section: `[default]` and `[profile x]` are profiles, `[sso-session x]`
 * and `[services x]` their own maps, `[DEFAULT]` configparser's defaults inherited by every
 * section. `ignored` is a `profile…`/`sso-session…`/`services…` header botocore drops because
 * its name does not split into exactly two shell words.
 */
export type SectionKind = 'profile' | 'sso-session' | 'services' | 'defaults' | 'other' | 'ignored';

export interface ConfigSection {
  /** The text between `[` and the last `]`, as configparser keeps it (not trimmed). */
  header: string;
  /** Index of the header line. */
  line: number;
  /** Index one past the section's last line: the next header, or the line count. */
  end: number;
  kind: SectionKind;
  /** The profile, sso-session or services name botocore derives from the header. */
  name?: string;
  options: ConfigOption[];
}

export type ProblemCode =
  | 'bom'
  | 'missing-section-header'
  | 'parse-error'
  | 'duplicate-section'
  | 'duplicate-option'
  | 'nested-value'
  | 'ambiguous-profile'
  | 'ambiguous-sso-session';

/** Something that makes the AWS CLI refuse the file (or, for `ambiguous-*`, silently pick one). */
export interface ConfigProblem {
  code: ProblemCode;
  /** 1-based line number, as editors show it. */
  line: number;
  message: string;
}

export interface ConfigModel {
  /** The file starts with a UTF-8 byte order mark (kept, but the CLI cannot read such a file). */
  bom: boolean;
  lines: ConfigLine[];
  sections: ConfigSection[];
  problems: ConfigProblem[];
  /** The terminator most lines use; new lines get this one. */
  eol: '\n' | '\r\n' | '\r';
  /** Whether the file ends with a line terminator (an empty file counts as yes). */
  finalNewline: boolean;
}

const BOM = '\ufeff';

/** Python's `str.isspace()`, which is what `strip()`, `\s` and configparser's indentation use. */
export function isPySpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Index of the first character that is not Python whitespace (the string's length if none). */
export function pyIndent(s: string): number {
  let i = 0;
  while (i < s.length && isPySpace(s.charCodeAt(i))) i++;
  return i;
}

export function pyStrip(s: string): string {
  if (s.length > 0 && !isPySpace(s.charCodeAt(0)) && !isPySpace(s.charCodeAt(s.length - 1))) return s;
  const start = pyIndent(s);
  if (start === s.length) return '';
  return s.slice(start, pyRstripEnd(s));
}

function pyRstrip(s: string): string {
  return s.slice(0, pyRstripEnd(s));
}

function pyRstripEnd(s: string): number {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return end;
}

/** Python's `str.splitlines()`, which botocore uses on nested values. */
const PY_SPLITLINES = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;

/**
 * Python's `shlex.split(s)` (POSIX mode, no comments), which botocore applies to
 * `profile …` / `sso-session …` / `services …` headers. Undefined where shlex raises.
 */
export function shlexSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let tok = '';
  let inTok = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inTok) out.push(tok);
      tok = '';
      inTok = false;
      i++;
      continue;
    }
    inTok = true;
    if (c === '\\') {
      if (i + 1 >= s.length) return undefined;
      tok += s[i + 1];
      i += 2;
    } else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return undefined;
      tok += s.slice(i + 1, j);
      i = j + 1;
    } else if (c === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return undefined;
        const d = s[i];
        if (d === '"') {
          i++;
          break;
        }
        // Inside double quotes a backslash only escapes `"` and itself; otherwise it stays.
        if (d === '\\' && i + 1 < s.length && (s[i + 1] === '"' || s[i + 1] === '\\')) {
          tok += s[i + 1];
          i += 2;
        } else {
          tok += d;
          i++;
        }
      }
    } else {
      tok += c;
      i++;
    }
  }
  if (inTok) out.push(tok);
  return out;
}

/** Files a header the way botocore's `build_profile_map` does (the order of tests matters). */
function classifyHeader(header: string): { kind: SectionKind; name?: string } {
  for (const prefix of ['profile', 'sso-session', 'services'] as const) {
    if (header.startsWith(prefix)) {
      const parts = shlexSplit(header);
      if (parts && parts.length === 2) return { kind: prefix, name: parts[1] };
      return { kind: 'ignored' };
    }
  }
  if (header === 'default') return { kind: 'profile', name: 'default' };
  if (header === 'DEFAULT') return { kind: 'defaults' };
  return { kind: 'other' };
}

/**
 * Line boundaries the way Python's universal-newline reading splits (`\r\n`, `\r` or `\n`),
 * as pairs [end of text, start of next line] in a typed array: no object per line.
 */
function lineBounds(body: string): Int32Array {
  // Separate loops for LF-only text and the rest: a rarely taken `\r` branch inside one loop
  // sent V8 (Node 20) into a slow path about 10,000 times slower on a 2 MB file.
  const hasCr = body.indexOf('\r') >= 0;
  let count = 0;
  if (!hasCr) {
    for (let at = body.indexOf('\n'); at >= 0; at = body.indexOf('\n', at + 1)) count++;
  } else {
    const re = /\r\n|\r|\n/g;
    while (re.exec(body) !== null) count++;
  }
  // The last character tested directly: a `/[\r\n]$/` search would try every position of the text.
  const lastCode = body.charCodeAt(body.length - 1);
  const last = body.length > 0 && lastCode !== 10 && lastCode !== 13 ? 1 : 0;
  const out = new Int32Array((count + last) * 2);
  let k = 0;
  if (!hasCr) {
    for (let at = body.indexOf('\n'); at >= 0; at = body.indexOf('\n', at + 1)) {
      out[k++] = at;
      out[k++] = at + 1;
    }
  } else {
    const re = /\r\n|\r|\n/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(body)) !== null) {
      out[k++] = m.index;
      out[k++] = m.index + m[0].length;
    }
  }
  if (last) {
    out[k++] = body.length;
    out[k++] = body.length;
  }
  return out;
}

function eolAt(body: string, textEnd: number, next: number): Eol {
  const n = next - textEnd;
  return n === 0 ? '' : n === 2 ? '\r\n' : body.charCodeAt(textEnd) === 10 ? '\n' : '\r';
}

// The common header, filed without shlex: a name of these characters needs no quoting.
const SIMPLE_HEADER = new RegExp(`^(profile|sso-session|services) [${NAME_CHARS}]+$`);

/** Parses `text` into the lossless model. Never throws: what the CLI would reject is in `problems`. */
export function parseConfig(text: string): ConfigModel {
  return scan(text, true) as ConfigModel;
}

/**
 * Sections, options and problems only, without the per-line model: enough to check what the
 * CLI will read, at a fraction of the memory for a large file.
 */
export function parseSections(text: string): Pick<ConfigModel, 'sections' | 'problems'> {
  return scan(text, false);
}

function scan(text: string, full: boolean): Pick<ConfigModel, 'sections' | 'problems'> & Partial<ConfigModel> {
  const bom = text.charCodeAt(0) === 0xfeff;
  const base = bom ? 1 : 0;
  const body = bom ? text.slice(1) : text;
  const bounds = lineBounds(body);
  const lineCount = bounds.length / 2;
  const lines: ConfigLine[] = full ? new Array(lineCount) : [];
  const sections: ConfigSection[] = [];
  const problems: ConfigProblem[] = [];
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  let firstEol: Eol = '';

  if (bom) {
    problems.push({
      code: 'bom',
      line: 1,
      message:
        'the file starts with a UTF-8 byte order mark (BOM), which the AWS CLI cannot read. Save it as UTF-8 without BOM.',
    });
  }

  // What configparser remembers between lines (see RawConfigParser._read).
  const sectionsSeen = new Set<string>();
  // Keys of earlier sections, only for headers that occur more than once ([DEFAULT] may):
  // configparser checks duplicates per header, not per block.
  const earlierKeys = new Map<string, Set<string>>();
  const firstOfHeader = new Map<string, ConfigSection>();
  let cursect: ConfigSection | undefined;
  let keys: Set<string> | undefined;
  let bigKeys: Set<string> | undefined;
  let opt: ConfigOption | undefined;
  let pieces: string[] | undefined;
  let blanks = 0;
  let indentLevel = 0;
  const nested: Array<{ opt: ConfigOption; section: ConfigSection }> = [];

  const closeOption = () => {
    if (opt && pieces) {
      opt.value = pyRstrip(pieces.join('\n'));
      if (opt.value.charCodeAt(0) === 10) nested.push({ opt, section: cursect! });
    }
    opt = undefined;
    pieces = undefined;
    blanks = 0;
  };

  let ls = 0;
  for (let i = 0; i < lineCount; ls = bounds[2 * i + 1], i++) {
    // Positions into `body` instead of per-line copies: this loop runs once per line.
    const te = bounds[2 * i];
    const eol = eolAt(body, te, bounds[2 * i + 1]);
    if (eol === '\n') lf++;
    else if (eol === '\r\n') crlf++;
    else if (eol === '\r') cr++;
    if (firstEol === '') firstEol = eol;
    let kind: LineKind = 'blank';
    classify: {
      let indent = ls;
      while (indent < te && isPySpace(body.charCodeAt(indent))) indent++;
      if (indent === te) {
        // A blank line belongs to the open value (joined, then right-stripped away).
        if (opt) blanks++;
        break classify;
      }
      // Comments are whole lines only: `region = x # y` has the value `x # y`.
      const first = body.charCodeAt(indent);
      if (first === 35 /* # */ || first === 59 /* ; */) {
        kind = 'comment';
        break classify;
      }
      let end = te;
      while (isPySpace(body.charCodeAt(end - 1))) end--;
      if (opt && indent - ls > indentLevel) {
        kind = 'continuation';
        pieces ??= [opt.value];
        for (; blanks > 0; blanks--) pieces.push('');
        pieces.push(body.slice(indent, end));
        opt.lastLine = i;
        break classify;
      }
      indentLevel = indent - ls;
      let close = -1;
      if (first === 91 /* [ */) {
        close = end - 1;
        while (close > indent && body.charCodeAt(close) !== 93 /* ] */) close--;
      }
      if (close >= indent + 2) {
        kind = 'header';
        closeOption();
        const header = body.slice(indent + 1, close);
        if (cursect) cursect.end = i;
        const c: { kind: SectionKind; name?: string } = SIMPLE_HEADER.test(header)
          ? { kind: header.slice(0, header.indexOf(' ')) as SectionKind, name: header.slice(header.indexOf(' ') + 1) }
          : classifyHeader(header);
        cursect = { header, line: i, end: lineCount, kind: c.kind, options: [] };
        if (c.name !== undefined) cursect.name = c.name;
        sections.push(cursect);
        keys = earlierKeys.get(header);
        bigKeys = undefined;
        const earlier = firstOfHeader.get(header);
        if (earlier && !keys) {
          // The second block of this header: the first is the only earlier one (from the third on,
          // `earlierKeys` has them all), so no scan over every section per repeated header.
          keys = new Set();
          for (const o of earlier.options) keys.add(o.key);
          earlierKeys.set(header, keys);
        } else if (!earlier) {
          firstOfHeader.set(header, cursect);
        }
        // configparser files [DEFAULT] apart and never calls it a duplicate.
        if (header !== 'DEFAULT') {
          if (sectionsSeen.has(header)) {
            problems.push({
              code: 'duplicate-section',
              line: i + 1,
              message: `section [${header}] appears more than once.`,
            });
          }
          sectionsSeen.add(header);
        }
        break classify;
      }
      kind = 'invalid';
      if (!cursect) {
        problems.push({
          code: 'missing-section-header',
          line: i + 1,
          message: 'text before the first [section] header.',
        });
        break classify;
      }
      // Searches stay within the line: an indexOf over `body` could run on to the end of a
      // large file for every line.
      let delim = indent;
      for (let c = body.charCodeAt(delim); delim < end && c !== 61 /* = */ && c !== 58 /* : */; ) {
        c = body.charCodeAt(++delim);
      }
      if (delim === end) {
        // configparser notes the error and keeps the previous option open.
        problems.push({
          code: 'parse-error',
          line: i + 1,
          message: 'a line that is neither "key = value", a comment nor a [section].',
        });
        break classify;
      }
      closeOption();
      if (delim === indent) {
        // configparser keeps going with an empty (falsy) option name: nothing continues it.
        problems.push({ code: 'parse-error', line: i + 1, message: 'a value without a key name.' });
        break classify;
      }
      kind = 'option';
      let keyEnd = delim;
      while (isPySpace(body.charCodeAt(keyEnd - 1))) keyEnd--;
      // Most keys are lower-case ASCII already; toLowerCase is a runtime call worth skipping.
      let plain = true;
      for (let c = indent; c < keyEnd && plain; c++) {
        const ch = body.charCodeAt(c);
        plain = ch < 65 || (ch > 90 && ch < 128);
      }
      const key = plain ? body.slice(indent, keyEnd) : body.slice(indent, keyEnd).toLowerCase();
      // A section rarely has many keys: a scan beats a Set per section on a large file.
      const own = cursect.options;
      let dup = keys !== undefined && keys.has(key);
      if (!dup && own.length <= 16) {
        for (let k = 0; k < own.length && !dup; k++) dup = own[k].key === key;
      } else if (!dup) {
        if (!bigKeys) bigKeys = new Set(own.map((o) => o.key));
        dup = bigKeys.has(key);
      }
      if (dup) {
        problems.push({
          code: 'duplicate-option',
          line: i + 1,
          message: `key "${key}" appears more than once in [${cursect.header}] (keys are not case-sensitive).`,
        });
      }
      keys?.add(key);
      bigKeys?.add(key);
      let valueStart = delim + 1;
      while (valueStart < end && isPySpace(body.charCodeAt(valueStart))) valueStart++;
      opt = { key, line: i, lastLine: i, value: valueStart < end ? body.slice(valueStart, end) : '' };
      cursect.options.push(opt);
    }
    if (full) lines[i] = { start: ls + base, text: body.slice(ls, te), eol, kind };
  }
  closeOption();

  for (const { opt: o, section } of nested) {
    // botocore reads a value that starts on the next line as `key = value` pairs and
    // rejects the whole file when one of those lines has no `=`.
    const bad = o.value.split(PY_SPLITLINES).some((l) => {
      const s = pyStrip(l);
      return s !== '' && !s.includes('=');
    });
    if (bad) {
      problems.push({
        code: 'nested-value',
        line: o.line + 1,
        message: `every indented line under "${o.key} =" in [${section.header}] must be "name = value".`,
      });
    }
  }

  addAmbiguities(sections, problems);
  problems.sort((a, b) => a.line - b.line);
  if (!full) return { sections, problems };

  // The most common terminator; on a tie, the first line's.
  const count = { '': -1, '\n': lf, '\r\n': crlf, '\r': cr };
  let eolStyle = (firstEol || '\n') as '\n' | '\r\n' | '\r';
  for (const e of ['\n', '\r\n', '\r'] as const) {
    if (count[e] > count[eolStyle]) eolStyle = e;
  }
  const finalNewline = lineCount === 0 || lines[lineCount - 1].eol !== '';
  return { bom, lines, sections, problems, eol: eolStyle, finalNewline };
}

function addAmbiguities(sections: ConfigSection[], problems: ConfigProblem[]): void {
  for (const kind of ['profile', 'sso-session'] as const) {
    const first = new Map<string, ConfigSection>();
    for (const s of sections) {
      if (s.kind !== kind || s.name === undefined) continue;
      const prev = first.get(s.name);
      if (!prev) {
        first.set(s.name, s);
        continue;
      }
      problems.push({
        code: kind === 'profile' ? 'ambiguous-profile' : 'ambiguous-sso-session',
        line: s.line + 1,
        message: `[${prev.header}] (line ${prev.line + 1}) and [${s.header}] both define ${kind} "${s.name}"; the AWS CLI silently uses only the last one. Remove one of them.`,
      });
    }
  }
}

/**
 * Whether the AWS CLI refuses the file for this problem. An `ambiguous-*` one it reads (keeping
 * the later section): that is a warning, and blocks only an edit of that profile or session.
 */
export function isBlocking(p: ConfigProblem): boolean {
  return p.code !== 'ambiguous-profile' && p.code !== 'ambiguous-sso-session';
}

/** A short description of the problems, for an error message. */
export function describeProblems(problems: readonly ConfigProblem[], max = 3): string {
  const shown = problems.slice(0, max).map((p) => `line ${p.line}: ${p.message}`);
  if (problems.length > max) shown.push(`and ${problems.length - max} more`);
  return shown.join('; ');
}
