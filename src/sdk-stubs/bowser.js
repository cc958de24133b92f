// Bundle-time stand-in for `bowser` (see esbuild.config.mjs): the SDK loads it only to parse a
// browser's user agent, which never happens in Node.
'use strict';
const empty = () => ({ browser: {}, os: {}, platform: {}, engine: {} });
module.exports = { parse: empty, default: { parse: empty } };
