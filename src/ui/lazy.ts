// Stand-ins that activate() registers for the code in ./lazyUi, which loads on first use: each
// command id, and the Sessions view's data provider.
import * as vscode from 'vscode';
import { Command, CommandId } from './commandIds';
import type { TreeNode } from './tree/nodes';
import type { SessionsTreeProvider } from './tree/provider';
import { Disposable } from './util/disposable';

type LazyUiModule = typeof import('./lazyUi');
let loaded: LazyUiModule | undefined;

/** ./lazyUi, required on first use: in the bundle, a file of its own (see esbuild.config.mjs). */
export function lazyUi(): LazyUiModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./lazyUi') as LazyUiModule;
  return loaded;
}

/** Registers every command id; `body(id)` is asked for the real handler on the command's first run. */
export function registerCommands(body: (id: CommandId) => (...args: unknown[]) => unknown): vscode.Disposable[] {
  return (Object.values(Command) as CommandId[]).map((id) => {
    let run: ((...args: unknown[]) => unknown) | undefined;
    return vscode.commands.registerCommand(id, (...args: unknown[]) => (run ??= body(id))(...args));
  });
}

/**
 * The Sessions view's provider until the view (or a command) first needs the real one, which
 * `create` builds. The view may be open at start: the editor then asks for children at once.
 */
export class LazyTree extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private provider: SessionsTreeProvider | undefined;

  constructor(private readonly create: () => SessionsTreeProvider) {
    super();
  }

  /** The real provider, built now if it was not yet. */
  real(): SessionsTreeProvider {
    if (!this.provider) {
      const p = this._register(this.create());
      this.provider = p;
      this._register(p.onDidChangeTreeData((e) => this._onDidChangeTreeData.fire(e)));
    }
    return this.provider;
  }

  getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.real().getChildren(node);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.real().getParent(node);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return this.real().getTreeItem(node);
  }

  /** Nothing to redraw until the real provider has drawn something. */
  redraw(): void {
    this.provider?.redraw();
  }
}
