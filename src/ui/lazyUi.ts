// The editor's code that activation does not need, loaded on first use and bundled on its own
// (dist/ui.js, src/lazyChunks.json): the command bodies and the Sessions view's provider, with what
// only they use. activate() registers stand-ins for both (./lazy.ts).
export { commandBody } from './commands';
export { SessionsTreeProvider } from './tree/provider';
