// What the extension hands to its host tests (only when VS Code runs it in test mode): the
// models behind the views, and ways to answer dialogs without clicking.
import type { AwsPaths } from '../core/paths';
import { sdkRequired } from '../core/sdk';
import type { AccountsProvider } from './accounts';
import type { TestHooks } from './app';
import type { Pins } from './pins';
import type { ScriptedAnswers } from './prompter';
import type { SessionStore } from './sessionStore';
import type { ExpiryNotices } from './status/expiryNotices';
import type { StatusSchedule } from './status/statusSchedule';
import type { SessionsTreeProvider } from './tree/provider';

export interface TestApi {
  tree: SessionsTreeProvider;
  status: StatusSchedule;
  /** The heads-up before a session ends, and the notice at its end. */
  notices: ExpiryNotices;
  /** The Accounts menu's provider (id awsSsoProfiles). */
  accounts: AccountsProvider;
  store: SessionStore;
  pins: Pins;
  /** A new Pins over the same globalState: what the next start of the editor reads. */
  freshPins(): Pins;
  /** The extension's context (its globalState, for tests that reset what it remembers). */
  context(): import('vscode').ExtensionContext;
  /** Queued answers to dialogs, by prompt id. */
  answers: ScriptedAnswers;
  /** Replacements for the browser, the clipboard and the device-code modal. */
  hooks: TestHooks;
  paths(): AwsPaths;
  /** Ids of the nodes selected in the Sessions view. */
  selection(): string[];
  /** The Sessions view's message line (background listing progress), as shown. */
  treeMessage(): string | undefined;
  /** The status-bar item as shown: its text (with the icon), its tooltip's Markdown, and whether it is visible. */
  statusBarItem(): { text: string; tooltip: string; visible: boolean };
  /** The active profile for new terminals. */
  activeProfile(): string | undefined;
  /** Whether the AWS SDK has been initialised since activation began (see watchSdkLoad). */
  sdkLoaded(): boolean;
  /** Every line written to the log channel since activation. */
  logLines(): readonly string[];
  /** The walkthrough steps' context keys as last set by src/ui/walkthrough.ts. */
  walkthroughKeys(): Readonly<Record<string, boolean>>;
  /** Our wake-ups so far by source (timers that ran, file events that arrived; core/wakeUps.ts) and their CPU time, for the idle benchmark. */
  wakeUps(): { counts: Record<string, number>; cpuMs: Record<string, number> };
  /** Whether the Sessions view is shown. */
  viewVisible(): boolean;
  /** When activation happened (performance.now() in the extension host), for the benchmark. */
  timings: ActivationTimings;
}

export interface ActivationTimings {
  /** activate() was entered. */
  activateStart: number;
  /** The status-bar item was first shown; undefined until then. */
  statusShown?: number;
}

/** Test mode only: keeps a copy of what goes to the log channel, so tests can check it for secrets. */
export function tapLog(log: { [k in 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'appendLine']: (...a: never[]) => void }): string[] {
  const lines: string[] = [];
  for (const m of ['trace', 'debug', 'info', 'warn', 'error', 'appendLine'] as const) {
    const original = log[m].bind(log) as (...a: unknown[]) => void;
    (log as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
      lines.push(a.map((x) => (x instanceof Error ? x.message : String(x))).join(' '));
      original(...a);
    };
  }
  return lines;
}

/**
 * Test mode only: watches for the AWS SDK being loaded: its one loader (core/sdk.ts) required it (in
 * the bundle, the file dist/sdk.js), or anything initialised its HTTP handler, the only code that
 * requires Node's http2, through Module.prototype.require. (The host itself loads http2 early, so
 * Node's own module list cannot tell.) The bundle's load and activate() before this probe starts are
 * covered by a unit test that loads dist/extension.js in a fresh process.
 */
export function watchSdkLoad(): { loaded(): boolean; dispose(): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as { prototype: { require: (id: string) => unknown } };
  const original = Module.prototype.require;
  let loaded = false;
  const spy = function (this: unknown, id: string) {
    if (id === 'node:http2' || id === 'http2') loaded = true;
    return original.call(this, id);
  };
  Module.prototype.require = spy;
  return {
    loaded: () => loaded || sdkRequired(),
    dispose: () => {
      if (Module.prototype.require === spy) Module.prototype.require = original;
    },
  };
}
