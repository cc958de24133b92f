// Realistic AWS config files from a seeded PRNG: both comment styles, blank-line runs, CRLF and
// mixed endings, trailing spaces, nested `s3 =` blocks, [services], [plugins], quoted names,
// unicode, `:` delimiters, values holding `#`, very long files, and files the CLI refuses.
import type { Rng } from './trust-prng';

export type Refusal =
  | 'bom'
  | 'default-twice'
  | 'duplicate-section'
  | 'duplicate-key'
  | 'before-header'
  | 'no-delimiter'
  | 'bad-nested';

export interface GeneratedConfig {
  text: string;
  /** Why the CLI (and so our edits) must refuse the file; undefined for a good file. */
  refusal?: Refusal;
  /** Keys of a [DEFAULT] section, which every section (new ones too) inherits. */
  defaults: Record<string, string>;
  /** Profile / sso-session names that can be edited (plain names, as botocore sees them). */
  profileNames: string[];
  sessionNames: string[];
  lineCount: number;
}

const PLAIN_NAMES = ['dev', 'prod', 'staging', 'team-a/admin', 'ops@corp', 'x.y+z%1', 'Ops:Read_Only', 'sandbox-01', 'data.eng', 'a'];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1', 'us-gov-west-1'];
const UNICODE = ['Zürich', 'café ☕', '日本語', 'Ελληνικά', 'emoji 🚀', 'naïve – dash', 'ß\u00a0nbsp'];

export interface GenOptions {
  /** Roughly how many sections; default 2..14. */
  sections?: number;
  /** Probability that the file is one the CLI refuses. */
  refusalRate?: number;
}

interface Line {
  text: string;
}

export function generateConfig(r: Rng, opts: GenOptions = {}): GeneratedConfig {
  const lines: Line[] = [];
  const defaults: Record<string, string> = {};
  const profileNames: string[] = [];
  const sessionNames: string[] = [];
  const usedProfiles = new Set<string>();
  const usedSessions = new Set<string>();
  const usedHeaders = new Set<string>();
  let serial = 0;
  const uniq = (base: string) => `${base}${serial++ === 0 ? '' : `-${serial}`}`;

  const trail = () => (r.chance(0.15) ? r.pick([' ', '  ', '\t', ' \t ']) : '');
  const push = (t: string) => lines.push({ text: t + trail() });
  const blanks = () => {
    const n = r.chance(0.3) ? r.int(0, 4) : 1;
    for (let i = 0; i < n; i++) lines.push({ text: r.chance(0.1) ? r.pick([' ', '\t', '   ']) : '' });
  };
  const comment = () => {
    const c = r.pick(['#', ';']);
    const body = r.pick(['managed by hand', `note: ${r.pick(UNICODE)}`, '[profile not-a-header]', 'key = value', '', 'TODO: rotate keys']);
    push(`${r.chance(0.2) ? '  ' : ''}${c}${r.chance(0.7) ? ' ' : ''}${body}`);
  };
  const kv = (indent: string, key: string, value: string) => {
    const d = r.pick([' = ', '=', ' =', '= ', ': ', ':', ' : ']);
    // `key =` with nothing after it would open a nested block; keep a space-free `=` then.
    push(`${indent}${key}${value === '' ? ' =' : d}${value}`);
  };
  const header = (h: string) => {
    usedHeaders.add(h);
    push(`[${h}]`);
  };

  // Writes keys of one section; returns nothing. Nested blocks are indented deeper than keys.
  const body = (pairs: Array<[string, string]>, nested: Array<[string, Array<[string, string]>]> = []) => {
    const indent = r.chance(0.08) ? '  ' : '';
    const items: Array<() => void> = pairs.map(([k, v]) => () => kv(indent, k, v));
    for (const [k, sub] of nested) {
      items.push(() => {
        push(`${indent}${k} =`);
        for (const [sk, sv] of sub) push(`${indent}${r.pick(['  ', '    ', '\t'])}${sk} = ${sv}`);
      });
    }
    r.shuffle(items);
    for (const it of items) {
      if (r.chance(0.12)) comment();
      it();
    }
  };

  const profileName = (): string | undefined => {
    for (let tries = 0; tries < 20; tries++) {
      const n = r.chance(0.7) ? uniq(r.pick(PLAIN_NAMES)) : r.pick(PLAIN_NAMES) + `-${r.int(0, 9999)}`;
      if (!usedProfiles.has(n)) return n;
    }
    return undefined;
  };

  const addProfile = () => {
    const kind = r.pick(['keys', 'sso', 'managed', 'legacy', 'assume', 'process', 'quoted', 'unicode'] as const);
    let name: string | undefined;
    let hdr: string;
    if (kind === 'quoted') {
      // A name with a space: botocore reads it, our edits never target it.
      name = `my profile ${serial++}`;
      hdr = r.chance(0.5) ? `profile "${name}"` : `profile '${name}'`;
    } else if (kind === 'unicode') {
      name = `café-${serial++}`;
      hdr = `profile ${name}`;
    } else {
      name = profileName();
      if (!name) return;
      hdr = r.chance(0.1) ? `profile "${name}"` : r.chance(0.05) ? `profile  ${name}` : `profile ${name}`;
    }
    if (usedProfiles.has(name) || usedHeaders.has(hdr)) return;
    usedProfiles.add(name);
    if (kind !== 'quoted' && kind !== 'unicode') profileNames.push(name);
    header(hdr);
    const pairs: Array<[string, string]> = [];
    const nested: Array<[string, Array<[string, string]>]> = [];
    const session = sessionNames.length > 0 ? r.pick(sessionNames) : 'corp';
    switch (kind) {
      case 'keys':
        pairs.push(['aws_access_key_id', 'AKIAIOSFODNN7EXAMPLE'], ['aws_secret_access_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
        break;
      case 'sso':
      case 'managed':
        pairs.push(['sso_session', session], ['sso_account_id', String(r.int(1e11, 1e12 - 1))], ['sso_role_name', r.pick(['Admin', 'ReadOnly', 'Dev'])]);
        if (kind === 'managed') pairs.push(['aws_sso_profiles_managed', r.pick(['true', 'True', 'TRUE'])]);
        break;
      case 'legacy':
        pairs.push(['sso_start_url', 'https://legacy.awsapps.com/start'], ['sso_region', r.pick(REGIONS)], ['sso_account_id', '111122223333'], ['sso_role_name', 'Legacy']);
        break;
      case 'assume':
        pairs.push(['role_arn', 'arn:aws:iam::123456789012:role/x'], ['source_profile', 'default']);
        break;
      case 'process':
        pairs.push(['credential_process', '/usr/local/bin/creds --profile "a b" # not a comment; really']);
        break;
      default:
        pairs.push(['description', r.pick(UNICODE)]);
    }
    if (r.chance(0.5)) pairs.push([r.pick(['region', 'Region', 'REGION']), r.pick(REGIONS)]);
    if (r.chance(0.2)) pairs.push(['output', r.pick(['json', 'text', 'table'])]);
    if (r.chance(0.2)) pairs.push(['description', `team #${r.int(1, 9)} ; owner: ${r.pick(UNICODE)}`]);
    if (r.chance(0.15)) pairs.push(['cli_pager', '']);
    if (r.chance(0.25)) nested.push(['s3', [['max_concurrent_requests', String(r.int(1, 64))], ['addressing_style', 'path']]]);
    // No duplicate keys (the refusal case adds them on purpose).
    const seen = new Set<string>();
    body(pairs.filter(([k]) => !seen.has(k.toLowerCase()) && !!seen.add(k.toLowerCase())), nested);
  };

  const addSession = () => {
    let name = uniq(r.pick(['corp', 'org', 'my-sso', 'sso@acme', 'idc.main']));
    const quoted = r.chance(0.08);
    if (quoted) name = `my sso ${serial++}`;
    if (usedSessions.has(name)) return;
    const hdr = quoted ? `sso-session "${name}"` : `sso-session ${name}`;
    if (usedHeaders.has(hdr)) return;
    usedSessions.add(name);
    if (!quoted) sessionNames.push(name);
    header(hdr);
    const pairs: Array<[string, string]> = [
      ['sso_start_url', `https://d-${r.int(1e9, 9999999999)}.awsapps.com/start${r.chance(0.3) ? '/' : ''}`],
      ['sso_region', r.pick(REGIONS)],
    ];
    if (r.chance(0.7)) pairs.push(['sso_registration_scopes', r.pick(['sso:account:access', 'sso:account:access, codewhisperer:completions', 'sso:account:access,x:y'])]);
    body(pairs);
  };

  const addOther = () => {
    const which = r.pick(['services', 'plugins', 'preview', 'default'] as const);
    if (which === 'services') {
      const h = `services ${uniq('svc')}`;
      header(h);
      body([], [
        ['s3', [['endpoint_url', 'http://127.0.0.1:9000']]],
        ['sso_oidc', [['endpoint_url', 'https://oidc.example.invalid']]],
      ]);
    } else if (which === 'plugins') {
      if (usedHeaders.has('plugins')) return;
      header('plugins');
      body([['cli_legacy_plugin_path', '/opt/plugins'], ['myplugin', 'awscli_plugin.module']]);
    } else if (which === 'preview') {
      if (usedHeaders.has('preview')) return;
      header('preview');
      body([['cloudfront', 'true']]);
    } else {
      if (usedProfiles.has('default')) return;
      usedProfiles.add('default');
      profileNames.push('default');
      header('default');
      body([['region', r.pick(REGIONS)], ['output', 'json']], r.chance(0.4) ? [['s3', [['signature_version', 's3v4']]]] : []);
    }
  };

  // Preamble.
  if (r.chance(0.5)) comment();
  if (r.chance(0.3)) blanks();
  if (r.chance(0.06)) {
    header('DEFAULT');
    const k = r.pick(['cli_timestamp_format', 'parameter_validation']);
    const v = r.pick(['iso8601', 'true']);
    defaults[k] = v;
    body([[k, v]]);
    blanks();
  }
  const n = opts.sections ?? r.int(2, 14);
  for (let i = 0; i < n; i++) {
    const p = r.next();
    if (p < 0.25) addSession();
    else if (p < 0.8) addProfile();
    else addOther();
    if (r.chance(0.8)) blanks();
    if (r.chance(0.15)) comment();
  }

  let refusal: Refusal | undefined;
  if (r.chance(opts.refusalRate ?? 0.12)) {
    refusal = r.pick(['bom', 'default-twice', 'duplicate-section', 'duplicate-key', 'before-header', 'no-delimiter', 'bad-nested'] as const);
    switch (refusal) {
      case 'default-twice':
        // `[default]` and `[profile default]`: the CLI silently uses one of them.
        if (!usedHeaders.has('default')) lines.push({ text: '[default]' }, { text: 'region = us-east-1' }, { text: '' });
        lines.push({ text: '[profile default]' }, { text: 'region = eu-west-1' });
        break;
      case 'duplicate-section':
        lines.push({ text: '[preview]' }, { text: 'a = 1' }, { text: '[preview]' }, { text: 'b = 2' });
        break;
      case 'duplicate-key':
        lines.push({ text: '[profile dup-key]' }, { text: 'region = us-east-1' }, { text: 'Region = eu-west-1' });
        break;
      case 'before-header':
        lines.unshift({ text: 'region = us-east-1' });
        break;
      case 'no-delimiter':
        lines.push({ text: '[profile no-delim]' }, { text: 'this line has no delimiter' });
        break;
      case 'bad-nested':
        lines.push({ text: '[profile bad-nested]' }, { text: 's3 =' }, { text: '  not a pair' });
        break;
      case 'bom':
        break;
    }
  }

  // Very rarely a CR-only file; otherwise LF, CRLF or a mix.
  const style = r.pick(['lf', 'lf', 'lf', 'crlf', 'crlf', 'mixed', r.chance(0.2) ? 'cr' : 'lf'] as const);
  const eolFor = () => (style === 'lf' ? '\n' : style === 'crlf' ? '\r\n' : style === 'cr' ? '\r' : r.pick(['\n', '\r\n']));
  let text = lines.map((l) => l.text + eolFor()).join('');
  if (r.chance(0.2)) text = text.replace(/(\r\n|\r|\n)$/, '');
  if (refusal === 'bom') text = '\ufeff' + text;
  return { text, refusal, defaults, profileNames, sessionNames, lineCount: lines.length };
}
