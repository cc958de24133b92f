// Thin wrappers around the editor's dialogs, each tagged with what it asks, so a host test can
// answer a dialog by its id instead of clicking (answers only exist in ExtensionMode.Test).
import * as vscode from 'vscode';
import type { Timers } from '../core/timers';

export type PromptId =
  | 'find'
  | 'pickSession'
  | 'startUrl'
  | 'region'
  | 'regionOther'
  | 'sessionName'
  | 'scopes'
  | 'sessionExists'
  | 'profileName'
  | 'profileExists'
  | 'profileClash'
  | 'addSessionToConfig'
  | 'populateMode'
  | 'confirmPopulate'
  | 'shell'
  | 'credentialsProfileName'
  | 'credentialsProfileShadows'
  | 'pickProfile'
  | 'pickLongTermKeys'
  | 'confirmRemoveKeys'
  | 'fixDependent'
  | 'confirmRemoveDependents'
  | 'deviceCode'
  | 'statusAction'
  | 'accountsSession'
  | 'roleAction'
  | 'chainedRoleArn'
  | 'chainedExternalId'
  | 'chainedSessionName'
  | 'chainedDuration'
  | 'chainedProfileName'
  | 'accessChanged'
  | 'consoleDestination'
  | 'consoleUrl'
  | 'consoleRegion'
  | 'accountAction'
  | 'chainedAction'
  | 'expiryEnding'
  | 'expiryEnded'
  | 'processProfileName'
  | 'pickKeptFresh';

/**
 * A scripted answer: the text for an input box (`ACCEPT` takes the proposed value), the label of
 * the item or button to pick, or a function choosing among the items (buttons come as items).
 */
export type Answer = string | typeof ACCEPT | undefined | ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined);

/** Accepts an input box's proposed value as it is. */
// Symbol.for: the tests are bundled separately from the extension, and must hand over the same symbol.
export const ACCEPT = Symbol.for('awsSsoProfiles.acceptProposedValue');

export class ScriptedAnswers {
  private readonly queues = new Map<PromptId, Answer[]>();
  /** Every prompt shown while answers were scripted, for assertions. */
  readonly asked: { id: PromptId; text: string; value?: string }[] = [];

  push(id: PromptId, ...answers: Answer[]): void {
    this.queues.set(id, [...(this.queues.get(id) ?? []), ...answers]);
  }

  has(id: PromptId): boolean {
    return (this.queues.get(id)?.length ?? 0) > 0;
  }

  take(id: PromptId, text: string, value?: string): Answer {
    this.asked.push(value === undefined ? { id, text } : { id, text, value });
    return this.queues.get(id)!.shift();
  }

  clear(): void {
    this.queues.clear();
    this.asked.length = 0;
  }
}

/**
 * After a quick input closes on Enter (the Command Palette, or a step of ours), the workbench gives
 * focus back to what had it; when that is a step of a walkthrough (the Get Started page opened on
 * first run), the Enter key's keyup lands on the step, selects it, and the page focuses the step
 * again 250 ms later (VS Code 1.100, gettingStarted.ts `selectStep`: a timer of
 * SLIDE_TRANSITION_TIME_MS). A picker or input box shown meanwhile loses the keyboard to the step,
 * and it cannot be given back: `workbench.action.focusQuickOpen` focuses the (hidden) list of an
 * input box, never its text field. So while a page of that kind is the active editor, a picker or
 * input box is shown only once the page's delayed focus has run (this long after it was asked
 * for), and it ignores focus loss, so a later theft does not close it.
 */
export const SHOW_BESIDE_WALKTHROUGH_AFTER_MS = 500;

export interface PrompterOptions {
  /** Where a dismissed dialog is logged. */
  log?: Pick<vscode.LogOutputChannel, 'info'>;
  /** For the wait beside a walkthrough (see SHOW_BESIDE_WALKTHROUGH_AFTER_MS); no wait without it. */
  timers?: Timers;
}

export class Prompter {
  constructor(
    private readonly scripted?: ScriptedAnswers,
    private readonly options: PrompterOptions = {},
  ) {}

  /**
   * Call when a dialog of ours is shown; returns what to call once it closed. Logs a dialog closed
   * without an answer, so a picker that vanished is visible in the output channel.
   */
  shown(id: PromptId): (answered: boolean) => void {
    return (answered) => {
      if (!answered) this.options.log?.info(`dialog "${id}" closed without a choice`);
    };
  }

  /**
   * Await before showing a picker or an input box: resolves at once, or beside a walkthrough once
   * the page has taken the keyboard back (SHOW_BESIDE_WALKTHROUGH_AFTER_MS).
   */
  async readyToShow(): Promise<void> {
    const timers = this.options.timers;
    if (!timers || !this.besideWalkthrough()) return;
    await new Promise<void>((resolve) => timers.timeout(resolve, SHOW_BESIDE_WALKTHROUGH_AFTER_MS));
  }

  /**
   * The active editor is a walkthrough, the Welcome page or another page of that kind (a tab
   * without a known input): a picker shown now must survive the page taking focus back.
   */
  besideWalkthrough(): boolean {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    return !!tab && tab.input === undefined;
  }

  private async showing<T>(id: PromptId, p: Thenable<T | undefined>): Promise<T | undefined> {
    const done = this.shown(id);
    let r: T | undefined;
    try {
      r = await p;
    } finally {
      done(r !== undefined);
    }
    return r;
  }

  /**
   * For dialogs built by hand (a live quick pick): the scripted choice among `items`, or
   * `{ scripted: false }` when the real dialog must be shown.
   */
  pickScripted<T extends vscode.QuickPickItem>(id: PromptId, text: string, items: readonly T[]): { scripted: false } | { scripted: true; item: T | undefined } {
    if (!this.scripted?.has(id)) return { scripted: false };
    return { scripted: true, item: pickScripted(items, this.scripted.take(id, text)) };
  }

  isScripted(id: PromptId): boolean {
    return !!this.scripted?.has(id);
  }

  async inputBox(id: PromptId, options: vscode.InputBoxOptions): Promise<string | undefined> {
    if (this.scripted?.has(id)) {
      const answer = this.scripted.take(id, options.prompt ?? options.title ?? '', options.value);
      const a = answer === ACCEPT ? (options.value ?? '') : answer;
      if (typeof a !== 'string') return undefined;
      const problem = await options.validateInput?.(a);
      const message = typeof problem === 'string' ? problem : problem?.message;
      if (message) throw new Error(`scripted answer to ${id} is invalid: ${message}`);
      return a;
    }
    await this.readyToShow();
    return this.showing(id, vscode.window.showInputBox({ ignoreFocusOut: true, ...options }));
  }

  async quickPick<T extends vscode.QuickPickItem>(
    id: PromptId,
    items: readonly T[] | Thenable<readonly T[]>,
    options: vscode.QuickPickOptions & { canPickMany?: false },
  ): Promise<T | undefined> {
    if (this.scripted?.has(id)) {
      const all = await items;
      const a = this.scripted.take(id, options.title ?? options.placeHolder ?? '');
      return pickScripted(all, a);
    }
    await this.readyToShow();
    return this.showing(id, vscode.window.showQuickPick(items as readonly T[], { ignoreFocusOut: this.besideWalkthrough(), ...options }));
  }

  async quickPickMany<T extends vscode.QuickPickItem>(
    id: PromptId,
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Promise<T[] | undefined> {
    if (this.scripted?.has(id)) {
      const a = this.scripted.take(id, options.title ?? options.placeHolder ?? '');
      if (a === undefined) return undefined;
      // A scripted multi-pick takes every item picked by default, or the one named.
      return typeof a === 'string' && a === '*' ? items.filter((i) => i.picked) : items.filter((i) => i === pickScripted(items, a));
    }
    await this.readyToShow();
    return this.showing(id, vscode.window.showQuickPick(items as readonly T[], { ignoreFocusOut: this.besideWalkthrough(), ...options, canPickMany: true }));
  }

  async message<T extends string>(
    id: PromptId,
    severity: 'info' | 'warning' | 'error',
    text: string,
    options: vscode.MessageOptions,
    ...actions: T[]
  ): Promise<T | undefined> {
    if (this.scripted?.has(id)) {
      const a = this.scripted.take(id, text);
      if (typeof a === 'function') {
        const picked = a(actions.map((label) => ({ label })));
        return actions.find((x) => x === picked?.label);
      }
      return actions.find((x) => x === a);
    }
    const show =
      severity === 'error'
        ? vscode.window.showErrorMessage
        : severity === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    // A modal dialog keeps focus by itself; a notification is no picker (nothing to log).
    return options.modal ? this.showing(id, show(text, options, ...actions)) : show(text, options, ...actions);
  }
}

function pickScripted<T extends vscode.QuickPickItem>(items: readonly T[], a: Answer): T | undefined {
  if (a === undefined || a === ACCEPT) return undefined;
  if (typeof a === 'function') return a(items) as T | undefined;
  return items.find((i) => i.label === a || stripIcons(i.label) === a);
}

function stripIcons(label: string): string {
  return label.replace(/\$\([^)]*\)\s*/g, '');
}
