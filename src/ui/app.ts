// What every command and view gets: the services and views built by the composition root.
import type * as vscode from 'vscode';
import type { DevicePrompt } from '../core/auth/deviceFlow';
import type { Timers } from '../core/timers';
import type { Pins } from './pins';
import type { Prompter } from './prompter';
import type { Services } from './services';
import type { SessionStore } from './sessionStore';
import type { Settings } from './settingsModel';
import type { StatusSchedule } from './status/statusSchedule';
import type { TerminalProfile } from './terminalProfile';
import type { TreeNode } from './tree/nodes';
import type { SessionsTreeProvider } from './tree/provider';
import type { PreviewDocuments } from './util/preview';

/** Replacements for interactive steps that a host test cannot click through (test mode only). */
export interface TestHooks {
  /** Replaces the device-code modal (and the browser): true continues to polling. */
  deviceCode?: (prompt: DevicePrompt) => Promise<boolean>;
  /**
   * Replaces opening a URL in the browser (the console, PKCE). The URL can be a credential (the
   * console's carries a sign-in token): only a test, against the fake, may see it.
   */
  openExternal?: (url: string) => Promise<boolean>;
  /** Replaces copying to the clipboard; receives the text (tests only). */
  clipboard?: (text: string) => Promise<void>;
  /** Told about every failure a command showed to the user. */
  onFailure?: (e: unknown) => void;
  /** Replaces the window's focus state for the expiry notices (whether a heads-up may show). */
  focused?: () => boolean;
}

export interface App {
  readonly context: vscode.ExtensionContext;
  /** The extension's globalState, read and written through ownWrites.ts (never `context.globalState`). */
  readonly state: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
  readonly services: Services;
  readonly store: SessionStore;
  readonly tree: SessionsTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly status: StatusSchedule;
  readonly terminal: TerminalProfile;
  readonly prompter: Prompter;
  /** Timers of the commands' own (counted with the others: core/wakeUps.ts). */
  readonly timers: Timers;
  readonly preview: PreviewDocuments;
  readonly hooks: TestHooks;
  /** Pinned accounts and roles, recent roles (globalState). */
  readonly pins: Pins;
  settings(): Settings;
}
