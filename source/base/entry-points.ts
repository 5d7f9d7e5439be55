import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

// The analyze worker bundled on its own, written into the one-file bin as code by scripts/bundle.mjs.
declare const CAMTOP_ANALYZE_WORKER: string | undefined;

/** The first argument that tells the one-file bin to be a demo worker process: `--camtop-role=demo-worker`. */
export const ROLE_FLAG = '--camtop-role=';

let bin: string | undefined;

/** Said by source/bin.ts, the entry of the one-file bin, before any command runs: worker processes start from it. */
export function startWorkersFrom(file: string): void {
	bin = file;
}

/**
Where a demo worker process starts, and its first arguments: the bin, told its role, when camtop runs as one file
(dist/camtop.mjs holds every module, none lies beside it), else `module`, the worker's own.
*/
export function demoWorkerEntry(module: URL): {file: string; argv: string[]} {
	return bin === undefined ? {file: fileURLToPath(module), argv: []} : {file: bin, argv: [`${ROLE_FLAG}demo-worker`]};
}

/**
The module an analyze worker thread runs: in the one-file bin, the worker's own small bundle as a data: URL (a thread
that parsed the whole bin would cost about 6 MiB more); else `module`, the worker beside the caller under tsc's output.
Undefined where there is none (the sources, under vitest): analyze then reads in its own thread.
*/
export function analyzeWorkerModule(module: URL): URL | undefined {
	if (typeof CAMTOP_ANALYZE_WORKER === 'string') {
		return new URL(`data:text/javascript,${encodeURIComponent(CAMTOP_ANALYZE_WORKER)}`);
	}

	return existsSync(module) ? module : undefined;
}
