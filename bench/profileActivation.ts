// Diagnostic, not part of `npm run bench`: a CPU profile of the extension's load and activation in the
// editor, with an unminified bundle so that functions keep their names. Prints the heaviest functions and
// source files (by self time, bundle load + activate() + until the status bar shows).
//
//   node --import tsx bench/profileActivation.ts [--keep DIR]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEditor } from './editor';
import { buildConfig } from './size';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aws-sso-bench-prof-'));
  try {
    // The project's builds, unminified so that functions keep their names.
    const esbuild = await import('esbuild');
    for (const b of (await buildConfig()).bundles({ production: false, outdir: join(dir, 'dist') })) await esbuild.build({ ...b, sourcemap: false, logLevel: 'error' });
    const r = await benchEditor({ repeats: 1, treeAccounts: 10, productionDist: join(dir, 'dist'), log: console.log, profileDir: dir, tree: false });
    console.log(JSON.stringify(r.runs[0].activation));
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no profile written');
    const { windowMs, profile: p } = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      windowMs: { callMs: number; shownMs: number | null };
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
    };
    // The profile runs from activate() to the status bar (callMs 0) and stops a little after it.
    const loadEndUs = windowMs.callMs * 1000;
    const shownUs = (windowMs.shownMs ?? Infinity) * 1000;
    // Which source file each bundle line belongs to: esbuild marks them with `// path` comments.
    const bundle = readFileSync(join(dir, 'dist/extension.js'), 'utf8').split('\n');
    const fileOfLine: string[] = [];
    let current = '(bundle)';
    for (const line of bundle) {
      const m = /^\s*\/\/ ((?:src|node_modules)\/\S+)$/.exec(line);
      if (m) current = m[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1');
      fileOfLine.push(current);
    }
    const selfUs = new Map<number, number>();
    const loadUs = new Map<number, number>();
    let at = 0;
    p.samples.forEach((id, i) => {
      // The first delta is Profiler.start itself (it blocks while V8 lists the scripts, ~0.4 s here),
      // which ends just before activate() is called: the first sample is t = 0.
      if (i > 0) at += p.timeDeltas[i] ?? 0;
      const d = p.timeDeltas[i + 1] ?? 0;
      if (at >= loadEndUs && at <= shownUs) selfUs.set(id, (selfUs.get(id) ?? 0) + d);
      else if (at < loadEndUs) loadUs.set(id, (loadUs.get(id) ?? 0) + d);
    });
    const byFn = new Map<string, number>();
    const byFile = new Map<string, number>();
    const loadByFile = new Map<string, number>();
    for (const n of p.nodes) {
      const us = selfUs.get(n.id) ?? 0;
      const inBundle = n.callFrame.url.includes('dist/extension.js');
      const src = inBundle ? fileOfLine[n.callFrame.lineNumber] ?? '(bundle)' : n.callFrame.url ? 'vscode/node' : n.callFrame.functionName;
      const fn = `${n.callFrame.functionName || '(anonymous)'} [${src}]`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + us);
      byFile.set(src, (byFile.get(src) ?? 0) + us);
      loadByFile.set(src, (loadByFile.get(src) ?? 0) + (loadUs.get(n.id) ?? 0));
    }
    const top = (m: Map<string, number>, n: number) =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${(v / 1000).toFixed(1).padStart(7)} ms  ${k}`).join('\n');
    console.log(`window: bundle load 0–${windowMs.callMs.toFixed(1)} ms, activate() → status bar ${windowMs.callMs.toFixed(1)}–${windowMs.shownMs?.toFixed(1)} ms`);
    console.log('bundle load, self time by source:\n' + top(loadByFile, 10));
    console.log('activate() → status bar, self time by source:\n' + top(byFile, 15));
    const sum = (pred: (k: string) => boolean) => [...byFile].filter(([k]) => pred(k)).reduce((n, [, v]) => n + v, 0) / 1000;
    const ours = sum((k) => k.startsWith('src/'));
    const deps = sum((k) => !k.startsWith('src/') && k !== 'vscode/node' && /^[@a-z]/.test(k) && !/^[a-z]+$/i.test(k));
    const host = sum((k) => k === 'vscode/node');
    const total = sum(() => true);
    console.log(`activate() → status bar: ${total.toFixed(1)} ms sampled; our code (src/**) ${ours.toFixed(1)} ms, bundled packages ${deps.toFixed(1)} ms, VS Code and other extensions ${host.toFixed(1)} ms, native (IO, GC, messages) ${(total - ours - deps - host).toFixed(1)} ms`);
    console.log('activate() → status bar, self time by function:\n' + top(byFn, 25));
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
