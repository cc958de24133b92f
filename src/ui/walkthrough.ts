// The Get Started walkthrough in the editor: sets the context keys its steps complete on as their
// state is reached, and opens it once, on the first activation after install.
//
// Why a step is also marked complete by command: the workbench registers a walkthrough's
// `onContext:` events when its walkthrough service first starts (lazily, e.g. when the page
// opens); a key that is already true then never ticks its step in that window (VS Code 1.100). So
// when a state is reached we set the key and run `welcome.markStepComplete` too; if that command
// is missing, the context key alone still does its job.
import * as vscode from 'vscode';
import { ContextKey } from './contextKeys';
import type { SessionStore } from './sessionStore';
import type { TerminalProfile } from './terminalProfile';
import { Disposable } from './util/disposable';
import { Mode, shouldOpenWalkthrough, StepKey, stepRef, WALKTHROUGH_SHOWN_KEY, walkthroughKeys, walkthroughRef } from './walkthroughModel';

let current: Walkthrough | undefined;

export class Walkthrough extends Disposable {
  private readonly keys: Partial<Record<StepKey, boolean>> = {};

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: SessionStore,
    private readonly terminal: TerminalProfile,
  ) {
    super();
    this._register(store.onDidChange(() => this.update()));
    this._register(terminal.onDidChange(() => this.update()));
    this._register({ dispose: () => (current = current === this ? undefined : current) });
    current = this;
    this.update();
  }

  /** The context keys as last set (for the host tests). */
  get current(): Readonly<Record<string, boolean>> {
    return { ...this.keys };
  }

  /** Opens the walkthrough if this is the first activation after install; true when it did. */
  async openOnFirstInstall(): Promise<boolean> {
    const m = this.context.extensionMode;
    const mode: Mode = m === vscode.ExtensionMode.Production ? 'production' : m === vscode.ExtensionMode.Test ? 'test' : 'development';
    if (!shouldOpenWalkthrough(mode, this.context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY, false))) return false;
    await this.context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', walkthroughRef(this.context.extension.id), false);
    return true;
  }

  /** Sets a step's context key; marks the step complete when it turns true. */
  set(key: StepKey, value: boolean): void {
    if (this.keys[key] === value) return;
    this.keys[key] = value;
    // signedIn and activeProfile are also set where the menus need them; setting them again is harmless.
    void vscode.commands.executeCommand('setContext', key, value);
    if (value) {
      void Promise.resolve(vscode.commands.executeCommand('welcome.markStepComplete', stepRef(this.context.extension.id, key))).catch(() => undefined);
    }
  }

  private update(): void {
    const k = walkthroughKeys({
      sessions: this.store.sessions.map((s) => ({ name: s.name, signedIn: this.store.phase(s.name) !== 'signedOut' })),
      profiles: this.store.profiles,
      activeProfile: this.terminal.active,
    });
    for (const [key, value] of Object.entries(k)) this.set(key as StepKey, value);
  }
}

/** Step 5: the long-term key check ran; `none` when no access key is left in the AWS files. */
export function setLongTermKeysChecked(none: boolean): void {
  if (current) current.set(ContextKey.noLongTermKeys, none);
  else void vscode.commands.executeCommand('setContext', ContextKey.noLongTermKeys, none);
}
