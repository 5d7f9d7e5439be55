import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseSourceLocation} from '../../source/logs/record-header.js';
import {readRecords, temporaryDirectory} from './read-back.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = path.join(ROOT, 'test', 'monitoring', 'fixtures', 'monitored-app.ts');
const SHUTDOWN_TIMEOUT_MS = 1500;
/** The signal is sent once the app has handed the monitor this many records. */
const SIGNAL_AFTER = 20_000;
/** Node's start and exit around the bound, milliseconds: generous, this is a bound, not a measurement. */
const SLACK_MS = 3000;

type Run = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; msAfterSignal: number};

/** Runs the fixture app (TypeScript, through tsx), sending `signal` once it reports SIGNAL_AFTER records written. */
async function runApp(args: string[], signal?: NodeJS.Signals): Promise<Run> {
	// `--import tsx` resolves from the working directory: the repository's node_modules.
	const child = spawn(process.execPath, ['--import', 'tsx', APP, ...args], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	let signalledAt: number | undefined;
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		const lines = stdout.trimEnd().split('\n');
		if (signal !== undefined && signalledAt === undefined && Number(lines.at(-1)) >= SIGNAL_AFTER) {
			signalledAt = performance.now();
			child.kill(signal);
		}
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const [code, exitSignal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve => {
		child.on('close', (exitCode, closeSignal) => {
			resolve([exitCode, closeSignal]);
		});
	});
	return {
		code, signal: exitSignal, stdout, stderr, msAfterSignal: signalledAt === undefined ? Number.NaN : performance.now() - signalledAt,
	};
}

describe('a signal in the middle of heavy writing', () => {
	it.each([
		['SIGTERM', 0],
		['SIGINT', 130],
	] as const)('%s: every record handed over before it is on disk, cleanups ran last-first, exit %i within the bound', async (signal, exitCode) => {
		const logsDir = path.join(temporaryDirectory(), 'logs');
		const run = await runApp(['heavy', logsDir, String(SHUTDOWN_TIMEOUT_MS)], signal);
		expect({code: run.code, signal: run.signal, stderr: run.stderr}).toEqual({code: exitCode, signal: null, stderr: ''});
		expect(run.msAfterSignal).toBeLessThan(SHUTDOWN_TIMEOUT_MS + SLACK_MS);

		const reported = run.stdout.trimEnd().split('\n').map(Number);
		const last = reported.at(-1)!;
		expect(last).toBeGreaterThanOrEqual(SIGNAL_AFTER);
		// The signal came while the app was still writing, not after it had finished.
		expect(last).toBeLessThan(400_000);

		const messages = readRecords(path.join(logsDir, 'camera_system.log')).map(record => record.header.message);
		const sequences = messages.filter(message => message.startsWith('seq ')).map(message => Number(message.slice(4)));
		expect(sequences.length).toBe(last);
		expect(sequences.every((sequence, index) => sequence === index + 1)).toBe(true);
		expect(messages.slice(last)).toEqual([
			`Shutting down: received ${signal}`,
			'cleanup C (registered last)',
			'cleanup B (hangs)',
			'Cleanup hangs did not finish in time; shutting down without it',
			'cleanup A (registered first)',
			'Shutdown complete',
		]);
	});
});

describe('a logs directory under a regular file, in a process of its own', () => {
	it('says so once on stderr, exits normally and counts the lost writes', async () => {
		const directory = temporaryDirectory();
		const blocker = path.join(directory, 'a-file');
		writeFileSync(blocker, '');
		const run = await runApp(['unwritable', blocker]);
		expect(run.code).toBe(0);
		const problems = run.stderr.trimEnd().split('\n');
		expect(problems).toHaveLength(1);
		expect(problems[0]).toMatch(/^camtop\/monitoring: cannot write .*a-file.* \(not a directory\)/);
		const stats = JSON.parse(run.stdout) as {lostWrites: number};
		expect(stats.lostWrites).toBeGreaterThan(0);
	});
});

describe('a process that ends without shutdown()', () => {
	it('exits by itself once idle: no timer of the monitor keeps it alive, and its record is on disk', async () => {
		const logsDir = path.join(temporaryDirectory(), 'logs');
		const run = await runApp(['idle', logsDir]);
		expect({code: run.code, stderr: run.stderr}).toEqual({code: 0, stderr: ''});
		expect(readRecords(path.join(logsDir, 'camera_system.log')).map(record => record.header.message)).toEqual(['started, and nothing more to do']);
		expect(readRecords(path.join(logsDir, 'performance.log')).map(record => record.header.message)).toEqual([expect.stringMatching(/^PERF: {"metric": "system_health"/)]);
	});

	it('process.exit() still writes every queued record', async () => {
		const logsDir = path.join(temporaryDirectory(), 'logs');
		const run = await runApp(['exit', logsDir]);
		expect(run.code).toBe(3);
		const sequences = readRecords(path.join(logsDir, 'camera_system.log')).map(record => Number(record.header.message.slice(4)));
		expect(sequences.sort((a, b) => a - b)).toEqual(Array.from({length: 10_000}, (_, index) => index + 1));
	});

	it('an uncaught exception is written as CRITICAL with its traceback, where it was thrown, and the crash goes on as Node\'s', async () => {
		const logsDir = path.join(temporaryDirectory(), 'logs');
		const run = await runApp(['crash', logsDir]);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('TypeError: camera handle is null');
		const [crash] = readRecords(path.join(logsDir, 'errors.log'));
		expect(crash?.header.level).toBe('CRITICAL');
		expect(parseSourceLocation(crash!.header.message)).toMatchObject({function: 'explode', message: 'Uncaught exception'});
		expect(crash?.continuation.at(-1)).toBe('TypeError: camera handle is null');
	});
});
