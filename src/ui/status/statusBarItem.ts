// The status-bar item: a thin view of StatusSchedule's words.
import * as vscode from 'vscode';
import { Command } from '../commandIds';
import { Disposable } from '../util/disposable';
import { escapeIcons, escapeMarkdown } from '../util/markdown';
import type { StatusSchedule } from './statusSchedule';
import type { StatusView } from './statusText';

const t = vscode.l10n.t;

export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private visible = false;

  constructor(
    private readonly model: StatusSchedule,
    private readonly hasSessions: () => boolean,
    /** Told once, when the item first shows (test mode: activation timing). */
    private onFirstShown?: () => void,
  ) {
    super();
    this.item = this._register(vscode.window.createStatusBarItem('awsSsoProfiles.status', vscode.StatusBarAlignment.Left, 50));
    this.item.name = t('AWS SSO');
    this.item.command = Command.showStatusActions;
    this._register(model.onDidChange((v) => this.render(v)));
    this.render(model.current);
  }

  /** Re-evaluates visibility (sessions came or went). */
  refresh(): void {
    this.render(this.model.current);
  }

  /** What the item shows now (the editor offers no way to read a status-bar item back). */
  get shown(): { text: string; tooltip: string; visible: boolean } {
    const tip = this.item.tooltip;
    return { text: this.item.text, tooltip: typeof tip === 'string' ? tip : (tip?.value ?? ''), visible: this.visible };
  }

  private render(v: StatusView): void {
    if (!this.hasSessions() || v.text === '') {
      this.item.hide();
      this.visible = false;
      return;
    }
    this.item.text = `$(cloud) ${escapeIcons(v.text)}`;
    this.item.backgroundColor =
      v.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : v.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(v.tooltip.map((l) => escapeMarkdown(l)).join('  \n'));
    md.appendMarkdown(`\n\n${t('Click for sign-in, refresh and profile actions.')}`);
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: v.accessibilityLabel, role: 'button' };
    this.item.show();
    this.visible = true;
    if (this.onFirstShown) {
      const told = this.onFirstShown;
      this.onFirstShown = undefined;
      told();
    }
  }
}
