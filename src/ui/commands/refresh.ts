// AWS SSO: Refresh — re-reads the config file and tokens and lists accounts again.
import type { App } from '../app';
import { sessionOf } from './targets';

export async function refreshCommand(app: App, arg?: unknown): Promise<void> {
  await app.store.reload();
  app.tree.refresh(sessionOf(app, arg));
  app.status.update();
}
