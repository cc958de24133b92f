// AWS SSO: Open AWS Config File — optionally at a profile's section.
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { App } from '../app';

export async function openConfigFileCommand(app: App, profile?: unknown): Promise<void> {
  const path = app.services.paths.configFile;
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  // A missing file opens as an untitled editor that saves to its path.
  const uri = exists ? vscode.Uri.file(path) : vscode.Uri.file(path).with({ scheme: 'untitled' });
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  if (typeof profile === 'string') {
    const at = doc
      .getText()
      .split(/\r?\n/)
      .findIndex((l) => l.trim() === `[profile ${profile}]` || (profile === 'default' && l.trim() === '[default]'));
    if (at >= 0) {
      const pos = new vscode.Position(at, 0);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.AtTop);
    }
  }
}
