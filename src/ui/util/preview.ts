// Read-only virtual documents for previewing a config-file change as a diff before writing it.
import * as vscode from 'vscode';
import { Disposable } from './disposable';

export const PREVIEW_SCHEME = 'aws-sso-profiles-preview';

export class PreviewDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this._onDidChange.event;
  private seq = 0;

  constructor() {
    super();
    this._register(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }

  /** A document named like `fileName` (for syntax colouring) holding `text`. */
  create(fileName: string, label: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${++this.seq}/${label}/${fileName}` });
    this.docs.set(uri.toString(), text);
    return uri;
  }

  /** Shows `before` and `after` side by side and returns a function that closes the diff again. */
  async showDiff(fileName: string, before: string, after: string, title: string): Promise<() => Promise<void>> {
    const left = this.create(fileName, 'current', before);
    const right = this.create(fileName, 'proposed', after);
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true, preserveFocus: false });
    return async () => {
      const tabs = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === right.toString());
      if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
      this.docs.delete(left.toString());
      this.docs.delete(right.toString());
    };
  }
}
