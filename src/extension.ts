// Composition root of the editor extension: builds the services, views and commands and hands
// every disposable to the extension context. Nothing else lives here.
import * as vscode from 'vscode';
import { App, TestHooks } from './ui/app';
import { OUTPUT_CHANNEL_NAME, SESSIONS_VIEW_ID } from './ui/commandIds';
import { registerAllCommands } from './ui/commands';
import { ContextKey } from './ui/contextKeys';
import { Prompter, ScriptedAnswers } from './ui/prompter';
import { Services } from './ui/services';
import { SessionStore } from './ui/sessionStore';
import { onDidChangeSettings, readSettings } from './ui/settings';
import { StatusBar } from './ui/status/statusBar';
import { createStatusModel } from './ui/status/createStatus';
import { TerminalProfile } from './ui/terminalProfile';
import { tapLog, TestApi, watchSdkLoad } from './ui/testing';
import type { TreeNode } from './ui/tree/nodes';
import { SessionsTreeProvider } from './ui/tree/provider';
import { PreviewDocuments } from './ui/util/preview';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const testing = context.extensionMode === vscode.ExtensionMode.Test;
  const subs = context.subscriptions;
  const sdkProbe = testing ? watchSdkLoad() : undefined;
  if (sdkProbe) subs.push(sdkProbe);

  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  subs.push(log);
  const logLines = testing ? tapLog(log) : [];
  // The core reports non-secret facts only (names, regions, expiry times, error names).
  const coreLog = (msg: string) => log.info(msg);

  let settings = readSettings();
  const services = new Services(coreLog, settings.configFile);
  const store = new SessionStore(services, () => settings, log);
  subs.push(store);
  const terminal = new TerminalProfile(context.environmentVariableCollection);
  subs.push(terminal);

  const tree = new SessionsTreeProvider(store, services, log, () => terminal.active);
  subs.push(tree);
  const treeView = vscode.window.createTreeView<TreeNode>(SESSIONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  subs.push(treeView);
  subs.push(
    tree.onDidChangePrefetch((all) => {
      treeView.message =
        all.length === 0
          ? undefined
          : all.map((p) => vscode.l10n.t('Listing roles of {0}: {1} of {2} accounts…', p.session, p.done, p.total)).join(' ');
    }),
  );

  const status = createStatusModel({ store, services, settings: () => settings, activeProfile: () => terminal.active, log });
  subs.push(status);
  const statusBar = new StatusBar(status, () => store.sessions.length > 0);
  subs.push(statusBar);

  const preview = new PreviewDocuments();
  subs.push(preview);
  const answers = new ScriptedAnswers();
  const hooks: TestHooks = {};
  const app: App = {
    context,
    log,
    services,
    store,
    tree,
    treeView,
    status,
    terminal,
    preview,
    hooks,
    prompter: new Prompter(testing ? answers : undefined),
    settings: () => settings,
  };
  subs.push(...registerAllCommands(app));

  subs.push(
    store.onDidChange(() => {
      status.update();
      statusBar.refresh();
      void vscode.commands.executeCommand('setContext', ContextKey.signedIn, store.sessions.some((s) => store.phase(s.name) !== 'signedOut'));
    }),
    terminal.onDidChange(() => {
      status.update();
      tree.redraw();
    }),
    onDidChangeSettings(() => {
      settings = readSettings();
      if (services.configure(settings.configFile)) store.watch();
      void store.reload();
      status.update();
    }),
  );

  // Reading the config file and the token cache is all activation does: no network, no SDK.
  store.watch();
  void store.reload().then(() => status.update());

  if (!testing) return undefined;
  return {
    tree,
    status,
    store,
    answers,
    hooks,
    paths: () => services.paths,
    selection: () => treeView.selection.map((n) => n.id),
    activeProfile: () => terminal.active,
    sdkLoaded: () => sdkProbe!.loaded(),
    logLines: () => logLines,
  };
}

export function deactivate(): void {
  // Nothing to do: every disposable is in context.subscriptions.
}
