// Node modules the editor's extension host has already loaded when an extension activates, so that
// requiring them costs an extension nothing there. The plain-Node probe loads them before its clock
// starts; bench/host/activation.bench.ts reports any of them the real host had not loaded.
'use strict';
exports.HOST_BUILTINS = ['node:crypto', 'node:http', 'node:https', 'node:net', 'node:fs/promises', 'node:os', 'node:events', 'node:child_process', 'node:stream', 'node:url', 'node:util', 'node:zlib'];
