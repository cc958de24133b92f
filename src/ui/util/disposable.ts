// A base class that owns disposables, as in vscode-pull-request-github.
import * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly _disposables: vscode.Disposable[] = [];
  private _isDisposed = false;

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  protected _register<T extends vscode.Disposable>(d: T): T {
    if (this._isDisposed) d.dispose();
    else this._disposables.push(d);
    return d;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    while (this._disposables.length) {
      try {
        this._disposables.pop()!.dispose();
      } catch {
        // One failing disposable must not keep the others alive.
      }
    }
  }
}
