// The extension's settings, read in one place and normalised (a hand-edited settings.json can
// hold anything). `readSettings` is the only part that touches the editor.
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './commandIds';
import { normalizeSettings, Settings } from './settingsModel';

export type { Settings } from './settingsModel';

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(CONFIG_SECTION);
  return normalizeSettings((key) => c.get<unknown>(key));
}

/** Fires `listener` when any of the extension's settings change. */
export function onDidChangeSettings(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(CONFIG_SECTION)) listener(e);
  });
}
