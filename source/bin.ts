#!/usr/bin/env node
// The entry of the one-file camtop, dist/camtop.mjs (scripts/bundle.mjs). Holding every module, the bin is also what
// the demo's worker processes run, told so by their first argument. Each branch is a dynamic import, which the bundle
// evaluates only when it is taken: `camtop health` never evaluates React or Ink.
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {ROLE_FLAG, startWorkersFrom} from './base/entry-points.js';

startWorkersFrom(fileURLToPath(import.meta.url));
if (process.argv[2] === `${ROLE_FLAG}demo-worker`) {
	process.argv.splice(2, 1);
	await import('./demo/worker.js');
} else {
	await import('./cli.js');
}
