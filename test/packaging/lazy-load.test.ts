import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, runCli} from '../helpers/run-cli.js';

/** What only the monitor (React, Ink) or a box without /proc (systeminformation, ps-list) or `export` (prom-client) needs. */
const HEAVY = /(?:^|\/)node_modules\/(?:ink|react|react-reconciler|scheduler|yoga-layout|systeminformation|ps-list|prom-client)\//;

/**
The bundle's modules that ran, from V8's coverage of the bin: esbuild wraps each module that is loaded lazily in a
function named by its path (`node_modules/ink/build/index.js`), called once when the module is evaluated.
*/
async function evaluatedModules(args: string[]): Promise<string[]> {
	const cwd = mkdtempSync(path.join(os.tmpdir(), 'camtop-lazy-'));
	const coverage = path.join(cwd, 'coverage');
	const run = await runCli(args, {cwd, env: {NODE_V8_COVERAGE: coverage, REDIS_URL: 'redis://127.0.0.1:1'}});
	expect(run.code, run.stderr).toBeLessThanOrEqual(3);
	const modules: string[] = [];
	for (const file of readdirSync(coverage)) {
		const {result} = JSON.parse(readFileSync(path.join(coverage, file), 'utf8')) as {result: Array<{url: string; functions: Array<{functionName: string; ranges: Array<{count: number}>}>}>};
		for (const script of result.filter(entry => entry.url.endsWith(path.basename(CLI)))) {
			modules.push(...script.functions.filter(fn => /^source\/|(?:^|\/)node_modules\//.test(fn.functionName) && fn.ranges[0]!.count > 0).map(fn => fn.functionName));
		}
	}

	return modules;
}

describe('the one-file bin evaluates only what the command needs', () => {
	it.each([[['--version']], [['--help']], [['health', '--json']]])('camtop %j: no React, Ink, systeminformation, ps-list or prom-client', async args => {
		const modules = await evaluatedModules(args);
		// The marker works: the command line itself is seen running.
		expect(modules).toContain('source/cli.ts');
		expect(modules.filter(module => HEAVY.test(module))).toEqual([]);
	});
});
