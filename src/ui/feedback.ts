// Failures shown to the user: the core's message plus buttons for what to do next.
import * as vscode from 'vscode';
import { describeError, isSsoError } from '../core/errors';
import { Activity, adviseOn, Remedy, remedyCommand } from './errorAdvice';
import type { App } from './app';
import type { UiSession } from './sessionsModel';

const t = vscode.l10n.t;

function remedyLabel(r: Remedy): string {
  switch (r) {
    case 'signIn':
      return t('Sign In');
    case 'signInWithDeviceCode':
      return t('Sign In with a Device Code');
    case 'retry':
      return t('Retry');
    case 'openConfigFile':
      return t('Open Config File');
    case 'showLog':
      return t('Show Log');
  }
}

export interface FailureContext {
  activity: Activity;
  session?: UiSession;
  retry?: () => unknown;
}

/** Logs the failure (message only) and shows it with its remedies; resolves once handled. */
export async function showFailure(app: App, e: unknown, ctx: FailureContext): Promise<void> {
  const advice = adviseOn(e, ctx.activity, t);
  if (!advice.message) {
    app.log.info(`${ctx.activity}: cancelled`);
    return;
  }
  // The cause's name, status and AWS request ID (support asks for it); never its message.
  const cause = isSsoError(e) && e.cause !== undefined ? ` [${describeError(e.cause)}]` : '';
  app.log.error(`${ctx.activity}${ctx.session ? ` (${ctx.session.name})` : ''}: ${advice.message}${cause}`);
  const remedies = advice.remedies.filter((r) => r !== 'retry' || ctx.retry);
  const labels = remedies.map(remedyLabel);
  const show = advice.severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const picked = await show(advice.message, ...labels);
  const remedy = remedies[labels.indexOf(picked ?? '')];
  const run = remedy && remedyCommand(remedy, ctx.session?.name);
  if (run) await vscode.commands.executeCommand(run.command, ...run.args);
  else if (remedy === 'retry') await ctx.retry?.();
  else if (remedy === 'showLog') app.log.show(true);
}

/**
 * Wraps a command so that a failure is shown with its remedies. It does not reject: the editor
 * would show a second, generic "command resulted in an error" message.
 */
export function guarded<A extends unknown[]>(
  app: App,
  activity: Activity,
  fn: (...args: A) => Promise<unknown>,
): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      app.hooks.onFailure?.(e);
      void showFailure(app, e, { activity });
      return undefined;
    }
  };
}
