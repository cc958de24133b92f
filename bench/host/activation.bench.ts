// Runs inside the extension host (code-server), as the `--extensionTestsPath` of bench/editor.ts.
// Measures 2. activation and 5. the tree with thousands of accounts; writes JSON to AWS_SSO_BENCH_RESULT.
//
// Activation: the extension under test is a copy whose manifest has no activation event of its own, so
// nothing activates it before this file runs. This file loads the real bundle (dist/extension.js) itself,
// puts a wrapper in its place in Node's module cache, then asks VS Code to activate the extension: VS
// Code's loader gets the wrapper from the cache and calls its activate() with the real context, and the
// wrapper times the real activate(). "Status bar shown": the extension's own timing hook
// (TestApi.timings.statusShown, stamped right after item.show()) when it has one; else the first store
// change after which the StatusBar has sessions and text to show (our listener is registered after the
// extension's own, which shows the item synchronously, so it runs right after item.show()).
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import lazyChunks from '../../src/lazyChunks.json';
import type { TestApi } from '../../src/ui/testing';
import type { TreeNode } from '../../src/ui/tree/nodes';
import { startProfile } from './cpuProfile';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HOST_BUILTINS } = require('../plain/hostBuiltins.cjs') as { HOST_BUILTINS: string[] };
/** How the bundle requires the SDK's own file (src/lazyChunks.json). */
const SDK_CHUNK = `./${Object.entries(lazyChunks).find(([, c]) => typeof c === 'object' && c.entry === 'src/core/sdkModules.ts')?.[0]}`;

const EXTENSION_ID = 'aws-sso-profiles.aws-sso-profiles';

type Result = Record<string, unknown>;

function gcNow(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
  gc?.();
}

const heapMB = () => process.memoryUsage().heapUsed / 1024 / 1024;

async function measureActivation(result: Result): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  result.alreadyActive = ext.isActive;
  if (ext.isActive) throw new Error('the extension was activated before the benchmark could time it');
  const mainPath = join(ext.extensionPath, (ext.packageJSON as { main: string }).main);
  const resolved = require.resolve(mainPath);
  // The JavaScript of the extension parsed so far: the files of its dist/ folder in Node's module cache.
  const dist = dirname(resolved);
  const parsed = () =>
    Object.keys(require.cache)
      .filter((f) => dirname(f) === dist)
      .map((f) => ({ file: relative(ext.extensionPath, f), bytes: statSync(f).size }));
  // Node's modules that the plain-Node bench loads before its clock starts, as this host has: any missing here?
  const loadList = new Set((process as unknown as { moduleLoadList: string[] }).moduleLoadList);
  result.hostBuiltinsNotLoaded = HOST_BUILTINS.filter((m) => !loadList.has(`NativeModule ${m.replace(/^node:/, '')}`));

  // Our own probe for the SDK during the bundle's load and activate(): its HTTP handler is the only
  // thing in the bundle that requires http2 (see src/ui/testing.ts), and the host loaded that long ago.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { prototype: { require: (id: string) => unknown } };
  const original = Module.prototype.require;
  let sdkDuringActivation = false;
  // The bundle requires what it loads on first use by a relative path (see esbuild.config.mjs).
  const chunks: string[] = [];
  Module.prototype.require = function (this: unknown, id: string) {
    if (id === 'node:http2' || id === 'http2' || id === SDK_CHUNK || /@aws-sdk|@smithy/.test(id)) sdkDuringActivation = true;
    if (/^\.\/[\w-]+\.js$/.test(id)) chunks.push(id);
    return original.call(this, id);
  };

  const profiling = !!process.env.AWS_SSO_BENCH_PROFILE;
  let profile: (() => Promise<unknown>) | undefined;
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(resolved) as { activate: (c: vscode.ExtensionContext) => TestApi | undefined; deactivate?: () => void };
  const tLoaded = performance.now();
  let tCall = 0;
  let tReturned = 0;
  let tShown = 0;
  /** The sessions a previous start of this editor remembered were there at activation. */
  let remembered = false;
  let sdkAtShown: boolean | undefined;
  let parsedAtActivate: { file: string; bytes: number }[] = [];
  let shown!: () => void;
  const shownP = new Promise<void>((r) => (shown = r));
  const wrapper = {
    activate(ctx: vscode.ExtensionContext) {
      // The profiler starts synchronously (an in-thread inspector session answers at once).
      if (profiling) profile = startProfile(100);
      remembered = ctx.globalState.get('awsSsoProfiles.configSessions') !== undefined;
      tCall = performance.now();
      const api = real.activate(ctx);
      tReturned = performance.now();
      parsedAtActivate = parsed();
      if (api?.timings) {
        // The extension stamps both ends itself (same clock: performance.now() in this process).
        const t = api.timings;
        const done = () => {
          tCall = t.activateStart;
          tShown = t.statusShown!;
          sdkAtShown = api.sdkLoaded();
          shown();
        };
        if (t.statusShown !== undefined) done();
        else {
          const sub = api.store.onDidChange(() => {
            if (t.statusShown !== undefined && tShown === 0) {
              sub.dispose();
              done();
            }
          });
        }
      } else if (api) {
        const sub = api.store.onDidChange(() => {
          if (tShown === 0 && api.store.sessions.length > 0 && api.status.current.text !== '') {
            tShown = performance.now();
            sdkAtShown = api.sdkLoaded();
            sub.dispose();
            shown();
          }
        });
      }
      return api;
    },
    deactivate: () => real.deactivate?.(),
  };
  require.cache[resolved]!.exports = wrapper;
  const api = await ext.activate();
  const tActivated = performance.now();
  if (!api) throw new Error('no test API: is the extension running in ExtensionMode.Test?');
  if (tCall === 0) throw new Error('VS Code did not load the extension through the module cache: activate() was not timed');
  await Promise.race([shownP, new Promise((r) => setTimeout(r, 10_000))]);
  Module.prototype.require = original;
  if (profile) writeFileSync(process.env.AWS_SSO_BENCH_PROFILE!, JSON.stringify({ windowMs: { callMs: 0, shownMs: tShown - tCall }, profile: await profile() }));
  result.activation = {
    bundleLoadMs: tLoaded - t0,
    activateCallMs: tReturned - tCall,
    loadPlusActivateMs: tLoaded - t0 + (tReturned - tCall),
    parsedAtActivate,
    parsedWhenShown: parsed(),
    chunksRequiredDuringLoadOrActivate: chunks,
    activateToStatusBarMs: tShown ? tShown - tCall : null,
    hostActivateMs: tActivated - tCall,
    statusText: api.status.current.text,
    sdkLoadedByStatusBar: sdkAtShown ?? null,
    sdkRequiredDuringLoadOrActivate: sdkDuringActivation,
    remembered,
  };
  return api;
}

async function measureTree(api: TestApi, result: Result): Promise<void> {
  // Time each ListAccounts page arriving: wrap http.request before the SDK first captures it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('node:http') as typeof import('node:http');
  const originalRequest = http.request;
  const pages: number[] = [];
  (http as { request: unknown }).request = function (this: unknown, ...args: unknown[]) {
    const req = (originalRequest as (...a: unknown[]) => import('node:http').ClientRequest).apply(this, args);
    const path = typeof args[0] === 'object' && args[0] !== null ? String((args[0] as { path?: unknown }).path ?? '') : String(args[0]);
    if (path.includes('/assignment/accounts')) req.once('response', () => pages.push(performance.now()));
    return req;
  };
  try {
    const session = (await api.tree.getChildren()).find((n) => n.kind === 'session');
    if (!session) throw new Error('no session in the tree');
    gcNow();
    const heap0 = heapMB();
    // Each page of accounts as the tree's listing receives it (after the SDK parsed it), when the
    // extension tells (onDidListAccounts); the 'accounts' event is the end of the listing.
    const pageEvents: number[] = [];
    let tListed = 0;
    const sub = api.tree.onDidListAccounts?.((e) => {
      if (e.kind === 'accountsPage') pageEvents.push(performance.now());
      else if (e.kind === 'accounts') tListed = performance.now();
    });
    const tAsk = performance.now();
    const first = await api.tree.getChildren(session);
    // What the view does next for the rows it renders: their TreeItems.
    const items = first.slice(0, 50).map((n: TreeNode) => api.tree.getTreeItem(n));
    const tShown = performance.now();
    if (first.length === 0 || items[0].label === undefined) throw new Error('no accounts shown');
    const listing = api.tree.listing(session.kind === 'session' ? session.session : (undefined as never));
    // Shown page by page: the rest arrive in the background; the heap is measured with all of them.
    const all = await listing.loadAccounts();
    const tAll = performance.now();
    sub?.dispose();
    const accounts = await api.tree.getChildren(session);
    const heapHeld = heapMB();
    gcNow();
    const heapAccounts = heapMB() - heap0;
    // The background prefetch of every account's roles, then the heap of the complete listing.
    const tPrefetch = performance.now();
    const until = Date.now() + 120_000;
    while (!listing.complete && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const prefetchS = (performance.now() - tPrefetch) / 1000;
    gcNow();
    const heapComplete = heapMB() - heap0;
    result.tree = {
      accounts: Math.max(accounts.length, all.length),
      firstShownAccounts: first.length,
      pages: pages.length,
      firstPageToShownMs: pages.length ? tShown - pages[0] : null,
      firstPageEventToShownMs: pageEvents.length ? tShown - pageEvents[0] : null,
      lastPageToAllShownMs: pages.length ? tAll - pages[pages.length - 1] : null,
      listedMs: tListed ? tListed - tAsk : tAll - tAsk,
      askToShownMs: tShown - tAsk,
      heapAccountsMB: heapAccounts,
      heapBeforeGcMB: heapHeld - heap0,
      rolesComplete: listing.complete,
      prefetchS,
      heapCompleteMB: heapComplete,
    };
  } finally {
    (http as { request: unknown }).request = originalRequest;
  }
}

export async function run(): Promise<void> {
  const out = process.env.AWS_SSO_BENCH_RESULT;
  if (!out) throw new Error('AWS_SSO_BENCH_RESULT is not set');
  const result: Result = {};
  try {
    const api = await measureActivation(result);
    if (process.env.AWS_SSO_BENCH_TREE === '1') await measureTree(api, result);
  } catch (e) {
    result.error = e instanceof Error ? e.stack ?? e.message : String(e);
  }
  writeFileSync(out, JSON.stringify(result, null, 2));
  if (result.error) throw new Error(String(result.error));
}
