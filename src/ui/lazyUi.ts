// The editor's code that activation does not need, loaded on first use and bundled on its own
// (dist/ui.js, src/lazyChunks.json): the command bodies, the Sessions view's provider, sign-in and
// the portal, with what only they use. activate() registers stand-ins (./lazy.ts, Services).
export { SsoAuth } from '../core/auth/session';
export { Portal } from '../core/portal/portal';
export { commandBody } from './commands';
export { noticeListed } from './commands/accessNotice';
export { Pins } from './pins';
export { SessionsTreeProvider } from './tree/provider';
export { keptFreshFor } from './keptFresh';
