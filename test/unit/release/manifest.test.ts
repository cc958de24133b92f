// The manifest as a user and the gallery see it: every shown string through package.nls.json,
// the metadata a .vsix needs, the icon, the licence.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync('package.nls.json', 'utf8'));

/** Every user-facing string of the manifest, with where it is. */
function shownStrings(): [string, unknown][] {
  const c = pkg.contributes;
  const out: [string, unknown][] = [
    ['displayName', pkg.displayName],
    ['description', pkg.description],
    ['untrustedWorkspaces', pkg.capabilities.untrustedWorkspaces.description],
    ['configuration.title', c.configuration.title],
  ];
  for (const x of c.commands) out.push([`${x.command}.title`, x.title], [`${x.command}.category`, x.category]);
  for (const x of c.viewsContainers.activitybar) out.push([`${x.id}.title`, x.title]);
  for (const [, views] of Object.entries(c.views) as [string, { id: string; name: string; contextualTitle?: string }[]][]) {
    for (const v of views) out.push([`${v.id}.name`, v.name], [`${v.id}.contextualTitle`, v.contextualTitle]);
  }
  for (const w of c.viewsWelcome) out.push([`viewsWelcome ${w.view}`, w.contents]);
  for (const w of c.walkthroughs) {
    out.push([`${w.id}.title`, w.title], [`${w.id}.description`, w.description]);
    for (const s of w.steps) {
      out.push([`${s.id}.title`, s.title], [`${s.id}.description`, s.description]);
      if (s.media.altText !== undefined) out.push([`${s.id}.altText`, s.media.altText]);
    }
  }
  const walk = (key: string, p: Record<string, unknown>) => {
    for (const f of ['description', 'markdownDescription', 'patternErrorMessage', 'deprecationMessage', 'markdownDeprecationMessage']) {
      if (p[f] !== undefined) out.push([`${key}.${f}`, p[f]]);
    }
    for (const f of ['enumDescriptions', 'markdownEnumDescriptions']) {
      for (const [i, d] of ((p[f] as unknown[]) ?? []).entries()) out.push([`${key}.${f}[${i}]`, d]);
    }
    const props = (p.properties ?? (p.items as Record<string, unknown> | undefined)?.properties) as Record<string, Record<string, unknown>> | undefined;
    for (const [k, sub] of Object.entries(props ?? {})) walk(`${key}.${k}`, sub);
  };
  for (const [k, p] of Object.entries(c.configuration.properties) as [string, Record<string, unknown>][]) walk(k, p);
  return out.filter(([, v]) => v !== undefined);
}

test('every user-facing manifest string is a %key% with a text in package.nls.json', () => {
  const strings = shownStrings();
  assert.ok(strings.length > 60, `found ${strings.length}`);
  for (const [where, value] of strings) {
    assert.equal(typeof value, 'string', where);
    const m = /^%([^%]+)%$/.exec(value as string);
    assert.ok(m, `${where} is not localisable: ${String(value)}`);
    assert.equal(typeof nls[m[1]], 'string', `${where}: package.nls.json has no "${m[1]}"`);
    assert.ok(nls[m[1]].trim().length > 0, `${where}: empty text`);
  }
});

test('package.nls.json has no key the manifest does not use', () => {
  const used = new Set(shownStrings().map(([, v]) => (v as string).slice(1, -1)));
  const unused = Object.keys(nls).filter((k) => !used.has(k));
  assert.deepEqual(unused, []);
});

test('gallery metadata: icon, banner, categories, keywords, repository, licence', () => {
  assert.equal(pkg.icon, 'media/icon.png');
  const png = readFileSync(pkg.icon);
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'the icon is 128 × 128 px');
  assert.match(pkg.galleryBanner.color, /^#[0-9a-fA-F]{6}$/);
  assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  assert.ok(pkg.categories.length > 0);
  assert.ok(pkg.keywords.length > 0 && pkg.keywords.length <= 30, 'vsce allows at most 30 keywords');
  assert.match(pkg.repository.url, /^https:\/\//);
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License/);
  assert.equal(pkg.scripts.package, 'node scripts/package.mjs');
});

test('the changelog follows Keep a Changelog with an Unreleased section', () => {
  const log = readFileSync('CHANGELOG.md', 'utf8');
  assert.match(log, /keepachangelog\.com/);
  assert.match(log, /^## \[Unreleased\]\n\n### Added\n/m);
  for (const what of ['Core', 'Command line', 'Editor UI', 'Walkthrough', 'Packaging']) assert.match(log, new RegExp(`\\*\\*${what}\\*\\*`), what);
});
