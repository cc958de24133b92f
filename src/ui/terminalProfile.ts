// "Use Profile in New Terminals": AWS_PROFILE (and AWS_CONFIG_FILE when the config file is not
// the default one) through the extension's environment-variable collection, which VS Code
// applies to every new terminal of this workspace and keeps across restarts.
import * as vscode from 'vscode';
import { ContextKey } from './contextKeys';
import { Disposable } from './util/disposable';

const t = vscode.l10n.t;

export class TerminalProfile extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<string | undefined>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly collection: vscode.GlobalEnvironmentVariableCollection) {
    super();
    collection.description = new vscode.MarkdownString(t('Sets `AWS_PROFILE` for AWS SSO Profiles.'));
    void this.updateContext();
  }

  /** The profile new terminals get, if one is set. */
  get active(): string | undefined {
    return this.collection.get('AWS_PROFILE')?.value;
  }

  /**
   * Sets the profile for new terminals. `configFile` is set as AWS_CONFIG_FILE too when the
   * user chose a config file other than the one the terminal would read by default.
   */
  use(profile: string, configFile?: string): void {
    this.collection.replace('AWS_PROFILE', profile);
    if (configFile) this.collection.replace('AWS_CONFIG_FILE', configFile);
    else this.collection.delete('AWS_CONFIG_FILE');
    this.collection.description = new vscode.MarkdownString(t('Sets `AWS_PROFILE={0}` (AWS SSO Profiles).', profile));
    void this.updateContext();
    this._onDidChange.fire(profile);
  }

  clear(): void {
    this.collection.delete('AWS_PROFILE');
    this.collection.delete('AWS_CONFIG_FILE');
    void this.updateContext();
    this._onDidChange.fire(undefined);
  }

  private updateContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', ContextKey.activeProfile, !!this.active);
  }
}
