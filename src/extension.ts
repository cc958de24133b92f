// Composition root of the editor extension. The editor UI arrives with issue #3; for now
// activation only creates the log channel so the manifest is a valid extension.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('AWS SSO Profiles', { log: true });
  context.subscriptions.push(log);
}

export function deactivate(): void {
  // Nothing to do: every disposable is in context.subscriptions.
}
