// Bundles the extension, the command-line entry and the code they load on first use. Type checking
// is a separate step (`npm run typecheck`, i.e. `tsc --noEmit`), as esbuild only strips types.
//
//   node esbuild.config.mjs [--production] [--watch]
//
// Other scripts (the benchmark, the bundle tests) import `bundles()`, so that every build of these
// files uses the same options.
//
// Lazy chunks (src/lazyChunks.json): a source module that the code require()s inside a function is
// bundled on its own into dist/<chunk>, and the bundles require that file instead of carrying it, so
// that starting the extension or `status` neither runs nor parses it. esbuild writes CommonJS here,
// which has no code splitting; so that no module of ours exists twice (a second SsoError class, a
// second copy of a module's state), a chunk with a `host` bundle takes every module the host also
// has from the host at load time: the host hands a table of them to the chunk's `load()`, and the
// chunk's imports of those modules read from it. Under tsx (tests) the source modules are required
// directly and none of this applies.
import * as esbuild from 'esbuild';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = dirname(fileURLToPath(import.meta.url));

// Parts of the AWS SDK that our calls never use, replaced at bundle time (each stub says why).
const sdkStubs = {
  name: 'sdk-stubs',
  setup(build) {
    const stubs = {
      '@aws-sdk/credential-provider-node': 'src/sdk-stubs/credential-provider-node.js',
      bowser: 'src/sdk-stubs/bowser.js',
      '@smithy/core/event-streams': 'src/sdk-stubs/event-streams.js',
    };
    const filter = new RegExp(`^(${Object.keys(stubs).map((k) => k.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: join(ROOT, stubs[args.path]) }));
  },
};

/**
 * dist/ file holding the command line for the extension to install under ~/.aws (src/core/
 * processProfile.ts installCli): Brotli-compressed JSON `{ files: {name: text}, shared: [name] }`,
 * `files` being filesOf('cli.js') that the extension does not ship itself, `shared` the ones it
 * does (sdk.js). One file, Brotli: 45 KB in the .vsix where the three bundles took 52.
 */
export const CLI_PACK = 'cli-pack.json.br';

/** The command line as CLI_PACK holds it, from the bundles in `dir`. */
export function cliPack(dir) {
  const shipped = new Set(filesOf('extension.js'));
  const mine = filesOf('cli.js');
  const files = Object.fromEntries(mine.filter((f) => !shipped.has(f)).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  const json = Buffer.from(JSON.stringify({ files, shared: mine.filter((f) => shipped.has(f)) }));
  return brotliCompressSync(json, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: json.length } });
}

/** The bundles started from outside: output file → entry. */
const MAINS = { 'extension.js': 'src/extension.ts', 'cli.js': 'src/cli.ts' };

/** Output file → { entry, host? }, from src/lazyChunks.json. */
export const LAZY_CHUNKS = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(join(ROOT, 'src/lazyChunks.json'), 'utf8'))).filter(([k]) => !k.startsWith('$')),
);

// esbuild names files by their real paths: src/ may be a link (the packaging and benchmark builds
// run in a staging folder that links to the repository's), so every comparison is of real paths.
const SRC = realpathSync(join(ROOT, 'src'));
const real = (f) => realpathSync(join(ROOT, f));
/** A source file's name in a chunk's table: its path under src/. */
const key = (abs) => relative(SRC, abs).split('\\').join('/');
const chunkOfEntry = new Map(Object.entries(LAZY_CHUNKS).map(([out, c]) => [real(c.entry), out]));
const chunkSpecifier = new RegExp(`^\\.\\.?/(.*/)?(${Object.values(LAZY_CHUNKS).map((c) => c.entry.replace(/^.*\/|\.ts$/g, '')).join('|')})$`);

/** The real paths of what a build reaches (chunks left out) → their imports, from a pass that writes nothing. */
async function inputsOf(options, entry) {
  const r = await esbuild.build({
    ...options,
    entryPoints: [entry],
    outfile: undefined,
    outdir: undefined,
    write: false,
    minify: false,
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [sdkStubs, lazyChunks({ analysis: true })],
  });
  const abs = (f) => resolve(ROOT, f);
  return new Map(Object.entries(r.metafile.inputs).map(([f, i]) => [abs(f), i.imports.map((x) => abs(x.path))]));
}

/**
 * What a chunk takes from its host: the host's modules that the chunk's own modules import (real
 * paths of our sources). What those import in turn comes with them, from the host.
 */
async function sharedWithHost(options, chunk) {
  const { entry, host } = LAZY_CHUNKS[chunk];
  if (!host) return [];
  const [mine, theirs] = await Promise.all([inputsOf(options, real(entry)), inputsOf(options, real(host))]);
  const shared = new Set();
  for (const [file, imports] of mine) {
    if (theirs.has(file)) continue;
    for (const i of imports) if (theirs.has(i) && i.startsWith(SRC + sep)) shared.add(i);
  }
  return [...shared].sort();
}

/**
 * In a bundle: a `require('./<chunk entry>')` becomes a require of the chunk's file, through a
 * loader that hands it the shared modules. In a chunk's own build: its entry and its imports of
 * shared modules (see the top of this file). `analysis`: chunks are only left out.
 */
function lazyChunks({ analysis = false, chunk } = {}) {
  return {
    name: 'lazy-chunks',
    setup(build) {
      const options = build.initialOptions;
      const entry = options.entryPoints?.[0];
      const entryFile = typeof entry === 'string' && !entry.includes(':') ? realpathSync(resolve(ROOT, entry)) : undefined;
      let shared = [];
      build.onStart(async () => {
        shared = !analysis && chunk ? await sharedWithHost(options, chunk) : [];
      });

      build.onResolve({ filter: chunkSpecifier }, (args) => {
        if (args.kind === 'entry-point' || args.namespace !== 'file') return undefined;
        const out = chunkOfEntry.get(`${resolve(args.resolveDir, args.path)}.ts`);
        if (!out) return undefined;
        if (args.kind !== 'require-call') {
          return { errors: [{ text: `${args.path} is loaded on first use: require() it inside a function, do not import it (${args.importer})` }] };
        }
        if (analysis) return { path: `./${out}`, external: true };
        const host = LAZY_CHUNKS[out].host;
        if (host && real(host) !== entryFile) {
          return { errors: [{ text: `${out} takes modules from ${host}; ${entryFile ?? args.importer} cannot load it` }] };
        }
        return { path: out, namespace: 'lazy-loader' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-loader' }, async (args) => {
        const list = await sharedWithHost(options, args.path);
        const table = list.map((f) => `  ${JSON.stringify(key(f))}: () => require(${JSON.stringify(f)}),`).join('\n');
        return { contents: `module.exports = require("./${args.path}").load({\n${table}\n});\n`, resolveDir: ROOT, loader: 'js' };
      });
      build.onResolve({ filter: /^\.\/[\w.-]+\.js$/ }, (args) => (args.namespace === 'lazy-loader' ? { path: args.path, external: true } : undefined));

      if (analysis || !chunk) return;
      // The chunk's own build: its entry runs the source entry once the host's table is in place.
      build.onResolve({ filter: /^lazy-chunk:/ }, (args) => ({ path: args.path, namespace: 'lazy-chunk' }));
      build.onLoad({ filter: /^lazy-chunk:/, namespace: 'lazy-chunk' }, () => ({
        contents: [
          'const table = require("lazy-chunk-table");',
          `exports.load = (shared) => { table.set(shared); return require(${JSON.stringify(real(LAZY_CHUNKS[chunk].entry))}); };`,
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      }));
      build.onResolve({ filter: /^lazy-chunk-table$/ }, () => ({ path: 'table', namespace: 'lazy-chunk-table' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-chunk-table' }, () => ({
        contents: [
          'let shared;',
          'exports.set = (s) => { shared = s; };',
          // A chunk from another build than its host's would find a module missing: say so.
          `exports.get = (f) => { const m = shared && shared[f]; if (!m) throw new Error(\`${chunk} and its host bundle come from different builds (\${f})\`); return m(); };`,
        ].join('\n'),
        loader: 'js',
      }));
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace !== 'file' || shared.length === 0) return undefined;
        for (const ext of ['.ts', `${sep}index.ts`]) {
          const f = resolve(args.resolveDir, args.path) + ext;
          if (shared.includes(f)) return { path: key(f), namespace: 'lazy-shared' };
        }
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-shared' }, (args) => ({
        contents: `module.exports = require("lazy-chunk-table").get(${JSON.stringify(args.path)});`,
        loader: 'js',
        // A change to a shared module's imports can change what is shared.
        watchFiles: shared,
      }));
    },
  };
}

/**
 * The files next to `main` (extension.js or cli.js) that it can require at run time, itself first:
 * what a package must ship with it.
 */
export function filesOf(main) {
  const entry = MAINS[main];
  if (!entry) throw new Error(`no bundle ${main}`);
  // `loadedBy`: a chunk that shares nothing (no `host`) but only that bundle's code requires.
  return [main, ...Object.entries(LAZY_CHUNKS).filter(([, c]) => (c.host ?? c.loadedBy ?? entry) === entry).map(([out]) => out)];
}

/** The builds of `node esbuild.config.mjs`, each writing one file into `outdir`. */
export function bundles({ production = false, outdir = 'dist' } = {}) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    // `vscode` is provided by the editor at run time.
    external: ['vscode'],
    // The AWS SDK's packages ship CommonJS (`main`) and ES modules (`module`). Bundled from CommonJS, a
    // client's `require` of @smithy/core or @aws-sdk/core keeps every export of each submodule (CBOR,
    // event streams, waiters, codecs no client here uses); from ES modules esbuild keeps only what is
    // called: dist/sdk.js 340 -> 250 KB (measured 2026-12-03 with STS, SSO and SSO OIDC).
    mainFields: ['module', 'main'],
    metafile: true,
    define: { __VERSION__: JSON.stringify(pkg.version) },
  };
  return [
    ...Object.entries(MAINS).map(([out, entry]) => ({
      ...common,
      plugins: [sdkStubs, lazyChunks()],
      entryPoints: [entry],
      outfile: join(outdir, out),
      // The command line is run as a program (package.json `bin`).
      ...(out === 'cli.js' ? { banner: { js: '#!/usr/bin/env node' } } : {}),
    })),
    ...Object.keys(LAZY_CHUNKS).map((out) => ({
      ...common,
      plugins: [sdkStubs, lazyChunks({ chunk: out })],
      entryPoints: [`lazy-chunk:${out}`],
      outfile: join(outdir, out),
    })),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const production = process.argv.includes('--production');
  const builds = bundles({ production });
  if (process.argv.includes('--watch')) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching');
  } else {
    let total = 0;
    for (const b of builds) {
      const result = await esbuild.build(b);
      const bytes = Object.values(result.metafile.outputs)
        .filter((o) => o.entryPoint)
        .reduce((n, o) => n + o.bytes, 0);
      total += bytes;
      console.log(`[esbuild] ${b.outfile} ${(bytes / 1024).toFixed(1)} KB${production ? ' (production)' : ''}`);
    }
    console.log(`[esbuild] together ${(total / 1024).toFixed(1)} KB`);
    // What the extension installs under ~/.aws for a credential_process profile (CLI_PACK).
    writeFileSync(join(ROOT, 'dist', CLI_PACK), cliPack(join(ROOT, 'dist')));
  }
}
