// The README's commands and settings tables, generated from package.json and package.nls.json so
// they cannot drift from what the extension contributes.
//
//   npm run readme:tables                  # rewrite the regions in README.md
//   node scripts/readme-tables.mjs --check # exit 1 when README.md differs (test/unit/release)
//   node scripts/readme-tables.mjs --check --readme other.md
//
// Regions: <!-- commands:start --> … <!-- commands:end --> and <!-- settings:start --> … <!-- settings:end -->.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Replaces `%key%` with its package.nls.json text. */
function localize(value, nls) {
  const m = typeof value === 'string' ? /^%(.+)%$/.exec(value) : null;
  return m && typeof nls[m[1]] === 'string' ? nls[m[1]] : value;
}

/** One line of a table cell: no newlines, no unescaped pipes, `#setting#` links as code. */
function cell(text) {
  return String(text)
    .replace(/`#([\w.]+)#`/g, '`$1`')
    .replace(/\r?\n+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

/** What a palette `when` clause means, in words. */
function paletteWhen(when) {
  if (when === undefined) return 'yes';
  if (when === 'false') return 'no (acts on a tree item)';
  const words = {
    'awsSsoProfiles.signedIn': 'when signed in',
    'awsSsoProfiles.activeProfile': 'when terminals use a profile',
  };
  return words[when] ?? `when \`${when}\``;
}

const NODE_WORDS = { awsSession: 'session', awsAccount: 'account', awsRole: 'role', awsRetry: 'failed listing' };

/** Where in the AWS SSO view a command is offered: its title bar and the tree items' menus. */
function viewPlaces(command, menus) {
  const places = [];
  if ((menus['view/title'] ?? []).some((m) => m.command === command)) places.push('view title bar');
  const kinds = [];
  for (const m of menus['view/item/context'] ?? []) {
    if (m.command !== command) continue;
    for (const [token, word] of Object.entries(NODE_WORDS)) {
      if (m.when?.includes(`(^|;)${token};`) && !kinds.includes(word)) kinds.push(word);
    }
  }
  if (kinds.length) places.push(`${kinds.join(', ')} item${kinds.length > 1 ? 's' : ''}`);
  return places.join('; ') || '—';
}

export function commandsTable(pkg, nls) {
  const menus = pkg.contributes.menus ?? {};
  const rows = pkg.contributes.commands.map((c) => {
    const title = `${localize(c.category, nls)}: ${localize(c.title, nls)}`;
    const palette = (menus.commandPalette ?? []).find((m) => m.command === c.command);
    return `| ${cell(title)} | \`${c.command}\` | ${cell(paletteWhen(palette?.when))} | ${cell(viewPlaces(c.command, menus))} |`;
  });
  return ['| Command | ID | Command palette | In the AWS SSO view |', '|---|---|---|---|', ...rows].join('\n');
}

function typeOf(p) {
  if (p.enum) return p.enum.map((v) => `\`${v}\``).join(', ');
  if (p.type === 'array' && p.items?.type === 'object') return 'list of sessions';
  return p.type;
}

function defaultOf(p) {
  if (p.default === undefined) return '—';
  if (p.default === '') return '(empty)';
  return `\`${JSON.stringify(p.default)}\``;
}

export function settingsTable(pkg, nls) {
  const props = pkg.contributes.configuration.properties;
  const rows = Object.entries(props)
    .sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0))
    .map(([key, p]) => {
      const description = localize(p.markdownDescription ?? p.description ?? '', nls);
      const scope = p.scope === 'machine-overridable' ? ' (machine)' : '';
      return `| \`${key}\`${scope} | ${cell(typeOf(p))} | ${cell(defaultOf(p))} | ${cell(description)} |`;
    });
  return ['| Setting | Values | Default | What it does |', '|---|---|---|---|', ...rows].join('\n');
}

/** README text with both regions replaced; throws when a region's markers are missing. */
export function applyTables(readme, pkg, nls) {
  let out = readme;
  for (const [name, table] of [['commands', commandsTable(pkg, nls)], ['settings', settingsTable(pkg, nls)]]) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README has no ${start} … ${end} region`);
    out = `${out.slice(0, i + start.length)}\n${table}\n${out.slice(j)}`;
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const readmePath = args.includes('--readme') ? resolve(args[args.indexOf('--readme') + 1]) : join(REPO, 'README.md');
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const nls = JSON.parse(readFileSync(join(REPO, 'package.nls.json'), 'utf8'));
  const before = readFileSync(readmePath, 'utf8');
  const after = applyTables(before, pkg, nls);
  if (args.includes('--check')) {
    if (after !== before) {
      console.error(`${readmePath}: the commands or settings tables differ from package.json; run \`npm run readme:tables\``);
      process.exit(1);
    }
    console.log('README tables match package.json');
  } else if (after !== before) {
    writeFileSync(readmePath, after);
    console.log(`rewrote the tables in ${readmePath}`);
  } else {
    console.log('README tables already match package.json');
  }
}
