// The promise file calls the start-up path makes, built on node:fs's callbacks. Loading
// node:fs/promises costs 1.0–1.5 ms in a cold Node process (Node 20 on the bench machine, measured
// 2026-12-03: `require('node:fs/promises')` alone): the editor's extension host has it loaded
// already, but the command line paid it on every run; promisify over node:fs, which Node has
// loaded already, costs 0.1 ms. Code that never runs at start-up may import node:fs/promises.
import * as fs from 'node:fs';
import { promisify } from 'node:util';

export const readFile = promisify(fs.readFile);
export const stat = promisify(fs.stat);
export const lstat = promisify(fs.lstat);
export const readlink = promisify(fs.readlink);
export const readdir = promisify(fs.readdir);
export const rm = promisify(fs.rm);
export const mkdir = promisify(fs.mkdir);
export const chmod = promisify(fs.chmod);
