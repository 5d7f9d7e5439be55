import {mkdtempSync, writeFileSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli} from './helpers/run-cli.js';

const cwd = mkdtempSync(path.join(os.tmpdir(), 'camtop-cli-'));
const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;

function expectOneLineUsageError(run: {code: number | null; stderr: string; stdout: string}, message: RegExp): void {
	expect(run.code).toBe(2);
	expect(run.stdout).toBe('');
	expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
	expect(run.stderr).toMatch(/^camtop: /);
	expect(run.stderr).toMatch(message);
	expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('camtop CLI', () => {
	it('prints help with usage, commands, options and examples', async () => {
		const run = await runCli(['--help'], {cwd});
		expect(run.code).toBe(0);
		for (const part of ['Usage', 'Commands', 'health', 'Options', '--logs', '--redis', '--config', '--interval', 'Examples']) {
			expect(run.stdout).toContain(part);
		}
	});

	it('prints help for a command', async () => {
		const run = await runCli(['health', '--help'], {cwd});
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('--json');
		expect(run.stdout).toContain('Exit codes');
	});

	it('keeps every help text within 80 columns', async () => {
		for (const args of [['--help'], ['health', '--help'], ['analyze', '--help'], ['export', '--help'], ['demo', '--help']]) {
			const run = await runCli(args, {cwd});
			expect(Math.max(...run.stdout.split('\n').map(line => [...line].length)), args.join(' ')).toBeLessThanOrEqual(80);
		}
	});

	it('prints its version', async () => {
		const run = await runCli(['--version'], {cwd});
		expect(run.code).toBe(0);
		expect(run.stdout.trim()).toBe(version);
	});

	it('rejects an unknown flag in one line', async () => {
		expectOneLineUsageError(await runCli(['health', '--bogus'], {cwd}), /unknown flag --bogus/);
		expectOneLineUsageError(await runCli(['--frobnicate-now', 'health'], {cwd}), /unknown flag --frobnicate-now/);
	});

	it('rejects a non-numeric --interval in one line', async () => {
		expectOneLineUsageError(await runCli(['health', '--interval', 'abc'], {cwd}), /--interval takes whole milliseconds, got "abc"/);
	});

	it('rejects a --config file that does not exist in one line', async () => {
		expectOneLineUsageError(await runCli(['health', '--config', 'missing.json'], {cwd}), /config file not found: .*missing\.json/);
	});

	it('rejects invalid JSON in the config file in one line', async () => {
		const file = path.join(cwd, 'broken.json');
		writeFileSync(file, '{"logs": "x",\n');
		expectOneLineUsageError(await runCli(['health', '--config', file], {cwd}), /broken\.json: invalid JSON/);
	});

	it('rejects a flag without its value in one line', async () => {
		expectOneLineUsageError(await runCli(['health', '--logs'], {cwd}), /--logs needs a value/);
	});

	it('refuses the full-screen monitor without a terminal, pointing to health and analyze', async () => {
		expectOneLineUsageError(await runCli([], {cwd}), /needs a terminal.*camtop health.*camtop analyze/);
	});

	it('rejects an unknown command', async () => {
		const run = await runCli(['fly'], {cwd});
		expect(run.code).toBe(2);
		expect(run.stderr).toContain('Unknown command: fly');
	});
});
