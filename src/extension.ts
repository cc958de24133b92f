// Composition root of the editor extension: builds the services, views and commands and hands
// every disposable to the extension context. Nothing else lives here.
import * as vscode from 'vscode';
import { keepOwnWrites } from './ui/ownWrites';
import { realTimers } from './core/timers';
import { WakeUps } from './core/wakeUps';
import { AccountsProvider, AUTH_PROVIDER_ID } from './ui/accounts';
import { App, TestHooks } from './ui/app';
import { Command, OUTPUT_CHANNEL_NAME, SESSIONS_VIEW_ID } from './ui/commandIds';
import { ContextKey } from './ui/contextKeys';
import { KEPT_FRESH_STATE_KEY, keptFreshWiring } from './ui/keptFreshState';
import { LazyTree, lazyUi, registerCommands } from './ui/lazy';
import { SYNCED_KEYS } from './ui/pinKeys';
import type { Pins } from './ui/pins';
import { Prompter, ScriptedAnswers } from './ui/prompter';
import { Services } from './ui/services';
import { SessionStore } from './ui/sessionStore';
import { onDidChangeSettings, readSettings } from './ui/settings';
import { StatusBar } from './ui/status/statusBarItem';
import { createStatusSchedule } from './ui/status/createStatus';
import { ExpiryNotices } from './ui/status/expiryNotices';
import { formatTime } from './ui/util/formatTime';
import { TerminalProfile } from './ui/terminalProfile';
import { ActivationTimings, tapLog, TestApi, watchSdkLoad } from './ui/testing';
import type { TreeNode } from './ui/tree/nodes';
import { PreviewDocuments } from './ui/util/preview';
import { Walkthrough } from './ui/walkthrough';

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const timings: ActivationTimings = { activateStart: performance.now() };
  const testing = context.extensionMode === vscode.ExtensionMode.Test;
  const subs = context.subscriptions;
  const sdkProbe = testing ? watchSdkLoad() : undefined;
  if (sdkProbe) subs.push(sdkProbe);

  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  subs.push(log);
  const logLines = testing ? tapLog(log) : [];
  // The core reports non-secret facts only (names, regions, expiry times, error names, request IDs), routine steps at debug.
  const coreLog = (msg: string, level: 'debug' | 'info' | 'warn' | 'error' = 'info') => log[level](msg);

  let settings = readSettings();
  const services = new Services(coreLog, settings.configFile, lazyUi);
  subs.push(services);
  // Every timer and file watch of ours goes through one port that counts its wake-ups (idle cost).
  const wake = new WakeUps(realTimers());
  // globalState through one wrapper: VS Code's copy can lose a write to an echo of an earlier one.
  const state = keepOwnWrites(context.globalState);
  const store = new SessionStore(services, () => settings, log, undefined, wake, state);
  subs.push(store);
  // The sessions and their tokens from a quick synchronous read (a few KB), so the status bar
  // shows before activate() returns; the asynchronous reload below refines it.
  store.readQuickly();
  // Pins and recent roles follow the user to other machines (Settings Sync).
  state.setKeysForSync([...SYNCED_KEYS]);
  // The pins' model loads with the view or the first command that needs it.
  let pinsModel: Pins | undefined;
  const pins = () => (pinsModel ??= new (lazyUi().Pins)(state));
  const terminal = new TerminalProfile(context.environmentVariableCollection);
  subs.push(terminal);

  const answers = new ScriptedAnswers();
  const hooks: TestHooks = {};
  const prompter = new Prompter(testing ? answers : undefined, { log, timers: wake.timers('prompter') });
  const notices = new ExpiryNotices({
    clock: { now: () => Date.now() },
    timers: wake.timers('expiry'),
    states: () => store.states(),
    warnMinutes: () => settings.expiryWarningMinutes,
    focused: () => hooks.focused?.() ?? vscode.window.state.focused,
    show: (n) => void showExpiryNotice(prompter, n),
    memory: state,
    since: Date.now(),
  });
  subs.push(notices);
  const status = createStatusSchedule({
    store,
    services,
    settings: () => settings,
    activeProfile: () => terminal.active,
    log,
    wake,
    renewalRefused: (name) => notices.renewalRefused(name),
  });
  subs.push(status);
  const statusBar = new StatusBar(status, () => store.sessions.length > 0, testing ? () => (timings.statusShown = performance.now()) : undefined);
  subs.push(statusBar);
  // Shown now, from the quick read: the first thing the user sees of the extension.
  status.update();

  // The view's provider and the command bodies load on first use (src/ui/lazy.ts).
  const tree = new LazyTree(() => {
    const real = new (lazyUi().SessionsTreeProvider)(store, services, log, () => terminal.active, wake.timers('tree'), pins());
    subs.push(
      real.onDidChangePrefetch((all) => {
        treeView.message =
          all.length === 0
            ? undefined
            : all.map((p) => vscode.l10n.t('Listing roles of {0}: {1} of {2} accounts…', p.session, p.done, p.total)).join(' ');
      }),
      real.onDidListAll((e) => lazyUi().noticeListed(app, e.session, e.listing)),
    );
    return real;
  });
  subs.push(tree);
  const treeView = vscode.window.createTreeView<TreeNode>(SESSIONS_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  subs.push(treeView);

  const preview = new PreviewDocuments();
  subs.push(preview);
  const app: App = {
    context,
    state,
    log,
    services,
    store,
    get tree() {
      return tree.real();
    },
    treeView,
    status,
    terminal,
    preview,
    hooks,
    get pins() {
      return pins();
    },
    prompter,
    timers: wake.timers('commands'),
    settings: () => settings,
  };
  subs.push(
    ...registerCommands((id) => {
      // The tree exists once any command has run: it keeps the listing cache in step with sign-outs.
      tree.real();
      return lazyUi().commandBody(app, id);
    }),
  );
  // The Accounts menu: cheap to register (no listing, no SDK); its sign-in and sign-out are the commands'.
  const accounts = new AccountsProvider(store, services, prompter);
  subs.push(
    accounts,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, vscode.l10n.t('AWS IAM Identity Center'), accounts, { supportsMultipleAccounts: true }),
  );
  const walkthrough = new Walkthrough(context, store, terminal);
  subs.push(walkthrough);

  subs.push(
    store.onDidChange(() => {
      status.update();
      notices.update();
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
      notices.update();
    }),
  );

  // Reading the config file and the token cache is all activation does: no network, no SDK.
  // The watchers start after the first paint; the reload below reads what changed meanwhile.
  const watchSoon = setImmediate(() => store.watch());
  subs.push({ dispose: () => clearImmediate(watchSoon) });
  const firstRead = store.reload().then(() => status.update());
  // Opened after the first read, so a step already done (a session in the config file) shows ticked.
  void firstRead.then(() => walkthrough.openOnFirstInstall(), () => walkthrough.openOnFirstInstall());

  // Credentials kept fresh in the credentials file (opted in earlier) are written again, and any
  // left by a crash removed, once the editor has settled: the manager and the SDK load only then.
  keptFreshWiring.timers = wake.timers('keptFresh');
  const kept = state.get<unknown[]>(KEPT_FRESH_STATE_KEY);
  if (Array.isArray(kept) && kept.length > 0) {
    const soon = keptFreshWiring.timers.timeout(() => firstRead.then(() => lazyUi().keptFreshFor(app).start()).catch((e: unknown) => log.warn(`kept-fresh: ${e instanceof Error ? e.message : String(e)}`)), 2000);
    subs.push(soon);
  }

  if (!testing) return undefined;
  return {
    get tree() {
      return tree.real();
    },
    status,
    notices,
    accounts,
    store,
    get pins() {
      return pins();
    },
    freshPins: () => new (lazyUi().Pins)(state),
    context: () => context,
    answers,
    hooks,
    paths: () => services.paths,
    selection: () => treeView.selection.map((n) => n.id),
    treeMessage: () => treeView.message,
    statusBarItem: () => statusBar.shown,
    activeProfile: () => terminal.active,
    sdkLoaded: () => sdkProbe!.loaded(),
    logLines: () => logLines,
    walkthroughKeys: () => walkthrough.current,
    wakeUps: () => ({ counts: wake.snapshot(), cpuMs: wake.cpuMs() }),
    viewVisible: () => treeView.visible,
    timings,
  };
}

/**
 * "Your AWS session 'X' ends at 17:42" (or has ended), with Sign In Again, which signs in at once.
 * A warning, not a modal: it waits in the notification centre if the user is busy.
 */
async function showExpiryNotice(prompter: Prompter, n: { session: string; kind: 'ending' | 'ended'; expiresAt: number }): Promise<void> {
  const again = vscode.l10n.t('Sign In Again');
  const text =
    n.kind === 'ending'
      ? vscode.l10n.t('Your AWS session \'{0}\' ends at {1}.', n.session, formatTime(n.expiresAt))
      : vscode.l10n.t('Your AWS session \'{0}\' has ended.', n.session);
  const choice = await prompter.message(n.kind === 'ending' ? 'expiryEnding' : 'expiryEnded', 'warning', text, {}, again);
  if (choice === again) await vscode.commands.executeCommand(Command.signIn, n.session);
}

export function deactivate(): void {
  // No live keys left in the credentials file when the editor closes: removed synchronously, as
  // the editor gives deactivate() little time. Everything else is in context.subscriptions.
  keptFreshWiring.removeAllSync?.();
}
