// 3. Size: the production (minified) bundles and the .vsix, built in a scratch folder so the shared
// dist/ (which other runs may be using) is left alone. The build is the project's own esbuild.config.mjs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './lib';

export interface SizeFigures {
  extensionBundleBytes: number;
  cliBundleBytes: number;
  /** Every production bundle in dist/, bytes. */
  bundles: Record<string, number>;
  /** The files the editor extension ships (dist/extension.js and what it loads on first use), together. */
  extensionFilesBytes: number;
  extensionFiles: string[];
  /** The command line's (dist/cli.js and what it loads), together. */
  cliFilesBytes: number;
  vsixBytes?: number;
  /** What vsce needed to be told to package (fields missing from the manifest or files). */
  vsceFlags: string[];
  vsceWarnings: string[];
  /** Manifest fields and files vsce wanted that the project lacks. */
  missing: string[];
  vsceError?: string;
  /** Compressed bytes in the .vsix by part (needs `unzip`). */
  vsixByPart?: Record<string, number>;
  /** Biggest contributors to the minified extension bundle, by package (bytes in the output). */
  bundleByPackage?: { name: string; bytes: number }[];
}

interface BuildConfig {
  bundles(o: { production?: boolean; outdir?: string }): import('esbuild').BuildOptions[];
  filesOf(main: string): string[];
}

/** The project's own build (esbuild.config.mjs): its options and which files ship with each bundle. */
export async function buildConfig(): Promise<BuildConfig> {
  return (await import(pathToFileURL(join(REPO, 'esbuild.config.mjs')).href)) as BuildConfig;
}

/** Where the bytes of dist/extension.js come from, by package (ours by folder): the production build of esbuild.config.mjs, not written. */
export async function bundleComposition(): Promise<{ name: string; bytes: number }[]> {
  const esbuild = await import('esbuild');
  const { bundles } = await buildConfig();
  const main = bundles({ production: true }).find((b) => String(b.outfile).endsWith('extension.js'))!;
  const r = await esbuild.build({ ...main, write: false, logLevel: 'silent' });
  const by = new Map<string, number>();
  for (const o of Object.values(r.metafile!.outputs)) {
    for (const [file, info] of Object.entries(o.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const name = m ? m[1] : file.startsWith('src/') ? `src/${file.split('/')[1]}` : file;
      by.set(name, (by.get(name) ?? 0) + info.bytesInOutput);
    }
  }
  return [...by].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

// The same flags as scripts/package.mjs, so the figure is the size of what `npm run package` ships.
const VSCE_FLAGS = ['--no-dependencies'];

/** Builds production bundles into `<scratch>/dist` and packages them; returns the scratch folder too. */
export async function benchSize(opts: { vsix: boolean; log?: (s: string) => void }): Promise<SizeFigures & { scratch: string }> {
  const scratch = mkdtempSync(join(tmpdir(), 'aws-sso-bench-size-'));
  try {
    for (const f of ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'esbuild.config.mjs']) {
      if (existsSync(join(REPO, f))) copyFileSync(join(REPO, f), join(scratch, f));
    }
    // The README the .vsix carries, as scripts/package.mjs writes it.
    const { vsixReadme } = (await import(pathToFileURL(join(REPO, 'scripts/package.mjs')).href)) as { vsixReadme(text: string): string };
    writeFileSync(join(scratch, 'README.md'), vsixReadme(readFileSync(join(REPO, 'README.md'), 'utf8')));
    if (existsSync(join(REPO, 'media'))) cpSync(join(REPO, 'media'), join(scratch, 'media'), { recursive: true });
    if (existsSync(join(REPO, 'l10n'))) cpSync(join(REPO, 'l10n'), join(scratch, 'l10n'), { recursive: true });
    // esbuild follows the link to the real sources and resolves packages from the repository's node_modules.
    symlinkSync(join(REPO, 'src'), join(scratch, 'src'), 'dir');
    symlinkSync(join(REPO, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    const b = spawnSync(process.execPath, ['esbuild.config.mjs', '--production'], { cwd: scratch, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`production build failed:\n${b.stdout}${b.stderr}`);
    const { filesOf } = await buildConfig();
    const bundles = Object.fromEntries(
      readdirSync(join(scratch, 'dist'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => [f, statSync(join(scratch, 'dist', f)).size]),
    );
    const together = (files: string[]) => files.reduce((n, f) => n + (bundles[f] ?? 0), 0);
    const out: SizeFigures & { scratch: string } = {
      scratch,
      extensionBundleBytes: bundles['extension.js'],
      cliBundleBytes: bundles['cli.js'],
      bundles,
      extensionFiles: filesOf('extension.js'),
      extensionFilesBytes: together(filesOf('extension.js')),
      cliFilesBytes: together(filesOf('cli.js')),
      vsceFlags: VSCE_FLAGS,
      vsceWarnings: [],
      missing: [],
    };
    const manifest = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')) as { repository?: unknown };
    if (!manifest.repository) out.missing.push('package.json "repository"');
    if (!existsSync(join(scratch, 'LICENSE'))) out.missing.push('LICENSE file');
    if (opts.vsix) {
      // A manifest icon that does not exist (yet) stops vsce; measure without it and say so.
      const pkg = JSON.parse(readFileSync(join(scratch, 'package.json'), 'utf8')) as { icon?: string };
      if (pkg.icon && !existsSync(join(scratch, pkg.icon))) {
        out.missing.push(`icon ${pkg.icon} (package.json names it; measured without an icon)`);
        delete pkg.icon;
        writeFileSync(join(scratch, 'package.json'), JSON.stringify(pkg, null, 2));
      }
      // Nothing but the package's own files in the folder vsce walks.
      rmSync(join(scratch, 'src'));
      rmSync(join(scratch, 'node_modules'));
      const vsix = join(scratch, 'x.vsix');
      const vsce = join(REPO, 'node_modules/@vscode/vsce/vsce');
      const r = spawnSync(process.execPath, [vsce, 'package', ...VSCE_FLAGS, '-o', vsix], {
        cwd: scratch,
        encoding: 'utf8',
        input: 'n\n',
        timeout: 120_000,
      });
      const text = `${r.stdout}\n${r.stderr}`;
      out.vsceWarnings = text.split('\n').filter((l) => /WARNING|warning/.test(l)).map((l) => l.trim()).slice(0, 10);
      if (r.status === 0 && existsSync(vsix)) {
        out.vsixBytes = statSync(vsix).size;
        out.vsixByPart = vsixParts(vsix);
      }
      else out.vsceError = text.trim().split('\n').slice(-5).join(' | ');
    }
    return out;
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  }
}

/** Compressed size of each part of the package: the two bundles, screenshots, the rest. */
function vsixParts(vsix: string): Record<string, number> | undefined {
  const r = spawnSync('unzip', ['-lv', vsix], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const parts: Record<string, number> = {};
  for (const line of r.stdout.split('\n')) {
    // Length Method Size Cmpr Date Time CRC-32 Name
    const m = /^\s*\d+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+\S+\s+[0-9a-f]{8}\s+(.+)$/.exec(line);
    if (!m) continue;
    const name = m[2].replace(/^extension\//, '');
    const part = name.startsWith('dist/') ? name : name.startsWith('media/screenshots/') ? 'media/screenshots/' : name.startsWith('media/') ? 'media/ (other)' : 'manifest, readme, changelog, nls';
    parts[part] = (parts[part] ?? 0) + Number(m[1]);
  }
  return parts;
}
