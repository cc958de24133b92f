// The CONNECT-tunnel agent, bundled on its own into dist/proxy.js (src/lazyChunks.json), which
// src/core/network.ts requires only when the command line has a proxy to go through: https-proxy-agent
// and what it brings (agent-base, debug) are 25 KB the editor and a proxy-less command line never
// parse. Import nothing else here: whatever this file reaches is parsed with it.

/** `https-proxy-agent`. */
export function tunnel(): typeof import('https-proxy-agent') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('https-proxy-agent');
}
