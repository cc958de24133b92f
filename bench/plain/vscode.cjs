// A stand-in for the editor's `vscode` module, enough for the extension's activate() to run in plain
// Node (bench/plain/probe.cjs): real event emitters, items that record what they show, settings at
// their defaults. Loaded before the clock starts, as the editor's own API is already there.
'use strict';

class Disposable {
  constructor(fn) {
    this.fn = fn;
  }
  static from(...ds) {
    return new Disposable(() => ds.forEach((d) => d.dispose()));
  }
  dispose() {
    this.fn?.();
    this.fn = undefined;
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (fn, thisArg) => {
      const l = thisArg ? fn.bind(thisArg) : fn;
      this.listeners.add(l);
      return new Disposable(() => this.listeners.delete(l));
    };
  }
  fire(e) {
    for (const l of [...this.listeners]) l(e);
  }
  dispose() {
    this.listeners.clear();
  }
}

const noEvent = () => new Disposable();
/** Whatever the extension asks of an object the bench does not model: callable, every member too, events included. */
function anything() {
  const target = function () {};
  return new Proxy(target, {
    get: (_t, p) => (p === 'then' ? undefined : p === 'dispose' ? () => undefined : p.toString().startsWith('onDid') ? noEvent : anything()),
    apply: () => anything(),
    construct: () => anything(),
  });
}

class Uri {
  constructor(scheme, path) {
    this.scheme = scheme;
    this.path = path;
    this.fsPath = path;
  }
  static file(p) {
    return new Uri('file', p);
  }
  static parse(s) {
    const i = s.indexOf(':');
    return new Uri(s.slice(0, i), s.slice(i + 1));
  }
  static from(c) {
    return new Uri(c.scheme, c.path ?? '');
  }
  toString() {
    return `${this.scheme}:${this.path}`;
  }
}

const shownAt = [];
function statusBarItem() {
  return {
    text: '',
    show() {
      if (shownAt.length === 0) shownAt.push(performance.now());
      this.visible = true;
    },
    hide() {
      this.visible = false;
    },
    dispose() {},
  };
}

const defaults = {
  'profileName.preset': 'default',
  'profileName.template': '{accountName}-{roleName}',
  defaultRegion: '',
  defaultOutput: 'json',
  signInFlow: 'auto',
  expiryWarningMinutes: 30,
  configFile: '',
  sessions: [],
};

const commands = new Map();
module.exports = {
  Disposable,
  EventEmitter,
  Uri,
  ThemeColor: class {
    constructor(id) {
      this.id = id;
    }
  },
  ThemeIcon: class {
    constructor(id, color) {
      this.id = id;
      this.color = color;
    }
  },
  MarkdownString: class {
    constructor(value = '', supportThemeIcons = false) {
      this.value = value;
      this.supportThemeIcons = supportThemeIcons;
    }
    appendMarkdown(s) {
      this.value += s;
      return this;
    }
    appendText(s) {
      this.value += s;
      return this;
    }
  },
  TreeItem: class {
    constructor(label, collapsibleState) {
      this.label = label;
      this.collapsibleState = collapsibleState;
    }
  },
  RelativePattern: class {
    constructor(base, pattern) {
      this.base = base;
      this.pattern = pattern;
    }
  },
  Position: class {},
  Range: class {},
  Selection: class {},
  TabInputTextDiff: class {},
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  UIKind: { Desktop: 1, Web: 2 },
  TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
  l10n: { t: (s, ...args) => (typeof s === 'string' ? s.replace(/\{(\d+)\}/g, (_m, i) => String(args[i])) : s.message) },
  env: { uiKind: 1, remoteName: undefined, clipboard: anything(), openExternal: async () => true, asExternalUri: async (u) => u },
  window: {
    createOutputChannel: () => {
      const noop = () => undefined;
      return { trace: noop, debug: noop, info: noop, warn: noop, error: noop, appendLine: noop, append: noop, show: noop, dispose: noop };
    },
    createStatusBarItem: statusBarItem,
    createTreeView: () => ({ selection: [], message: undefined, visible: false, onDidChangeVisibility: noEvent, onDidChangeSelection: noEvent, onDidExpandElement: noEvent, onDidCollapseElement: noEvent, reveal: async () => undefined, dispose() {} }),
    state: { focused: true, active: true },
    onDidChangeWindowState: noEvent,
    tabGroups: { all: [], onDidChangeTabs: noEvent },
    withProgress: (_o, task) => task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: noEvent }),
    setStatusBarMessage: () => new Disposable(),
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
  },
  workspace: {
    getConfiguration: () => ({ get: (k, d) => (k in defaults ? defaults[k] : d) }),
    onDidChangeConfiguration: noEvent,
    createFileSystemWatcher: () => ({ onDidChange: noEvent, onDidCreate: noEvent, onDidDelete: noEvent, dispose() {} }),
    registerTextDocumentContentProvider: () => new Disposable(),
  },
  authentication: { registerAuthenticationProvider: () => new Disposable(), onDidChangeSessions: noEvent },
  commands: {
    registerCommand: (id, fn) => {
      commands.set(id, fn);
      return new Disposable(() => commands.delete(id));
    },
    executeCommand: async () => undefined,
  },
  /** For the probe: when the first status-bar item was first shown, and the commands registered. */
  __bench: { shownAt, commands },
};
