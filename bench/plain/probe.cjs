// One cold sample of the extension's start in plain Node (a fresh process each, so V8 has compiled
// nothing yet): require of the bundle, activate() until it returns and until the status bar shows,
// and the JavaScript the process parsed for it (the bytes of every file required). Prints JSON.
//
//   node bench/plain/probe.cjs <dist/extension.js> [--view]   (HOME / AWS_CONFIG_FILE from the environment)
//
// --view: the Sessions view is open at start, so the editor asks the tree for its top level right
// after activation; what that loads is reported separately.
'use strict';
const Module = require('node:module');
const { statSync } = require('node:fs');
const { join, resolve } = require('node:path');

const bundle = resolve(process.argv[2]);
const view = process.argv.includes('--view');
const standIn = join(__dirname, 'vscode.cjs');
const { HOST_BUILTINS } = require('./hostBuiltins.cjs');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? standIn : resolveFilename.call(this, request, ...rest);
};
const vscode = require(standIn);
// Node's own modules that the editor's extension host has loaded before any extension starts (the
// editor bench checks this list against the real host): part of the environment, like `vscode`.
for (const m of HOST_BUILTINS) require(m);
let http2 = false;
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'node:http2' || request === 'http2') http2 = true;
  return load.call(this, request, ...rest);
};
const before = new Set(Object.keys(require.cache));
const required = () =>
  Object.keys(require.cache)
    .filter((f) => !before.has(f))
    .map((f) => ({ file: f, bytes: statSync(f).size }));

const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();

let provider;
const createTreeView = vscode.window.createTreeView;
vscode.window.createTreeView = (id, opts) => {
  provider = opts.treeDataProvider;
  return createTreeView(id, opts);
};
// The extension's globalState, kept in a file between samples when AWS_SSO_BENCH_MEMENTO names one:
// an editor start remembers what the previous one stored (as VS Code's globalState does).
const mementoFile = process.env.AWS_SSO_BENCH_MEMENTO;
const memento = new Map(mementoFile && require('node:fs').existsSync(mementoFile) ? Object.entries(JSON.parse(require('node:fs').readFileSync(mementoFile, 'utf8'))) : []);
const context = {
  subscriptions: [],
  extensionMode: vscode.ExtensionMode.Production,
  extension: { id: 'aws-sso-profiles.aws-sso-profiles' },
  extensionPath: join(bundle, '..', '..'),
  globalState: { get: (k, d) => (memento.has(k) ? memento.get(k) : d), update: async (k, v) => void memento.set(k, v), keys: () => [...memento.keys()], setKeysForSync: () => undefined },
  environmentVariableCollection: (() => {
    const vars = new Map();
    return { get: (k) => vars.get(k), replace: (k, v) => vars.set(k, { value: v }), delete: (k) => vars.delete(k), clear: () => vars.clear(), forEach: (f) => vars.forEach((v, k) => f(k, v)) };
  })(),
};
const t2 = performance.now();
ext.activate(context);
const t3 = performance.now();
const atActivate = required();

const finish = async () => {
  // What the first asynchronous read (and, with --view, the view's first question) adds.
  let viewMs;
  if (view && provider) {
    const v0 = performance.now();
    await provider.getChildren();
    viewMs = performance.now() - v0;
  }
  await new Promise((r) => setTimeout(r, 200));
  const settled = required();
  if (mementoFile) require('node:fs').writeFileSync(mementoFile, JSON.stringify(Object.fromEntries(memento)));
  const commands = vscode.__bench.commands.size;
  for (const d of context.subscriptions.reverse()) {
    try {
      d.dispose();
    } catch {}
  }
  process.stdout.write(
    JSON.stringify({
      requireMs: t1 - t0,
      activateMs: t3 - t2,
      statusShownMs: vscode.__bench.shownAt.length ? vscode.__bench.shownAt[0] - t2 : null,
      commands,
      files: atActivate,
      bytes: atActivate.reduce((n, f) => n + f.bytes, 0),
      settledFiles: settled,
      settledBytes: settled.reduce((n, f) => n + f.bytes, 0),
      viewMs,
      sdk: http2 || settled.some((f) => /(^|[\\/])sdk\.js$|@aws-sdk|@smithy/.test(f.file)),
    }) + '\n',
  );
  process.exit(0);
};
void finish();
