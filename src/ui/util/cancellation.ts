// The one bridge from the editor's CancellationToken to the core's AbortSignal.
import type * as vscode from 'vscode';

/**
 * An AbortController that cancellation tokens can be linked to as they come (a flow may start
 * before the progress notification that can cancel it exists). Dispose it when the work ends.
 */
export class Cancellation {
  private readonly ctl = new AbortController();
  private readonly subs: vscode.Disposable[] = [];

  get signal(): AbortSignal {
    return this.ctl.signal;
  }

  get cancelled(): boolean {
    return this.ctl.signal.aborted;
  }

  /** Cancels when `token` is cancelled. */
  link(token: vscode.CancellationToken | undefined): this {
    if (!token) return this;
    if (token.isCancellationRequested) this.cancel();
    else this.subs.push(token.onCancellationRequested(() => this.cancel()));
    return this;
  }

  cancel(): void {
    if (this.ctl.signal.aborted) return;
    const e = new Error('The operation was cancelled.');
    e.name = 'AbortError';
    this.ctl.abort(e);
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

/** Runs `fn` with a signal that aborts when `token` is cancelled. */
export async function withAbortSignal<T>(token: vscode.CancellationToken | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const c = new Cancellation().link(token);
  try {
    return await fn(c.signal);
  } finally {
    c.dispose();
  }
}
