// What each production bundle holds (the builds of esbuild.config.mjs, in memory): the AWS SDK only in
// dist/sdk.js, no module of ours twice among the files one process loads, and every file a bundle
// requires at run time shipped with it.
import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { BuildOptions } from 'esbuild';

const REPO = join(__dirname, '../../..');

interface BuildConfig {
  bundles(o: { production?: boolean }): BuildOptions[];
  filesOf(main: string): string[];
}
const config = () => import(pathToFileURL(join(REPO, 'esbuild.config.mjs')).href) as Promise<BuildConfig>;

interface Built {
  /** Real paths of the inputs. */
  inputs: string[];
  text: string;
}

async function buildAll(): Promise<Record<string, Built>> {
  const esbuild = await import('esbuild');
  const out: Record<string, Built> = {};
  for (const b of (await config()).bundles({ production: true })) {
    const r = await esbuild.build({ ...b, write: false, logLevel: 'silent' });
    const main = Object.values(r.metafile!.outputs).find((o) => o.entryPoint)!;
    out[basename(String(b.outfile))] = {
      inputs: Object.keys(main.inputs).map((f) => (f.includes(':') ? f : resolve(REPO, f))),
      text: r.outputFiles!.find((f) => f.path.endsWith('.js'))!.text,
    };
  }
  return out;
}

const SDK = /node_modules[\\/]@(aws-sdk|smithy)[\\/]/;
const SRC = realpathSync(join(REPO, 'src'));

test('the AWS SDK is in dist/sdk.js only; no source module is in two files of one process; each bundle ships what it requires', { timeout: 120_000 }, async () => {
  const built = await buildAll();
  const { filesOf } = await config();
  assert.ok(built['sdk.js'].inputs.some((f) => /client-sso-oidc/.test(f)) && built['sdk.js'].inputs.some((f) => /client-sso[\\/]/.test(f)));
  for (const [file, b] of Object.entries(built)) {
    if (file === 'sdk.js') continue;
    assert.deepEqual(b.inputs.filter((f) => SDK.test(f)), [], `${file} carries SDK code`);
  }
  for (const main of ['extension.js', 'cli.js']) {
    const files = filesOf(main);
    const seen = new Map<string, string>();
    for (const f of files) {
      for (const input of built[f].inputs.filter((i) => i.startsWith(SRC))) {
        assert.equal(seen.get(input), undefined, `${input} is in both ${seen.get(input)} and ${f}`);
        seen.set(input, f);
      }
      // What the file requires next to itself at run time (the loaders of esbuild.config.mjs).
      for (const [, req] of built[f].text.matchAll(/require\("\.\/([\w.-]+\.js)"\)/g)) {
        assert.ok(files.includes(req), `${f} requires ./${req}, which does not ship with ${main} (${files.join(', ')})`);
      }
    }
  }
  // The editor's start does not reach the command line's code, nor the other way round.
  assert.ok(!filesOf('extension.js').includes('cli-commands.js') && !filesOf('cli.js').includes('ui.js'));
});

test('a lazily loaded module imported (not required inside a function) stops the build', { timeout: 60_000 }, async () => {
  const esbuild = await import('esbuild');
  const main = (await config()).bundles({ production: false })[0];
  await assert.rejects(
    esbuild.build({
      ...main,
      entryPoints: undefined,
      stdin: { contents: "import * as ui from './ui/lazyUi';\nexport const x = ui;\n", resolveDir: join(REPO, 'src'), sourcefile: 'eager.ts', loader: 'ts' },
      write: false,
      logLevel: 'silent',
    }),
    /is loaded on first use: require\(\) it inside a function/,
  );
});
