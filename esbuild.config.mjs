// Bundles the extension and the command-line entry. Type checking is a separate step
// (`npm run typecheck`, i.e. `tsc --noEmit`), as esbuild only strips types.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Parts of the AWS SDK that our calls never use, replaced at bundle time (each stub says why).
const sdkStubs = {
  name: 'sdk-stubs',
  setup(build) {
    const stubs = {
      '@aws-sdk/credential-provider-node': 'src/sdk-stubs/credential-provider-node.js',
      bowser: 'src/sdk-stubs/bowser.js',
    };
    const filter = new RegExp(`^(${Object.keys(stubs).map((k) => k.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: new URL(stubs[args.path], import.meta.url).pathname }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
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
  plugins: [sdkStubs],
  metafile: true,
  define: { __VERSION__: JSON.stringify(pkg.version) },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching');
} else {
  for (const b of builds) {
    const result = await esbuild.build(b);
    const bytes = Object.values(result.metafile.outputs)
      .filter((o) => o.entryPoint)
      .reduce((n, o) => n + o.bytes, 0);
    console.log(`[esbuild] ${b.outfile} ${(bytes / 1024).toFixed(1)} KB${production ? ' (production)' : ''}`);
  }
}
