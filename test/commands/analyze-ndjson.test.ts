import {spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import {
	beforeAll, describe, expect, it,
} from 'vitest';
import {CLI, runCli} from '../helpers/run-cli.js';
import {writeCorpus, type Expected} from '../helpers/corpus.js';
import {errorLine, stamp, TRACEBACK} from '../helpers/seed-logs.js';

type NdjsonRecord = Record<string, unknown>;

function parseLines(stdout: string): NdjsonRecord[] {
	expect(stdout.endsWith('\n') || stdout === '').toBe(true);
	return stdout.split('\n').filter(line => line !== '').map(line => JSON.parse(line) as NdjsonRecord);
}

/** The CLI's stdout as bytes: runCli decodes it, which would hide invalid UTF-8. */
async function runForBytes(args: string[], cwd: string): Promise<{code: number | null; stdout: Buffer; stderr: string}> {
	const child = spawn(process.execPath, [CLI, ...args], {
		cwd, env: {
			PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', XDG_CONFIG_HOME: path.join(cwd, '.no-user-config'),
		}, stdio: ['ignore', 'pipe', 'pipe'],
	});
	const stdout: Buffer[] = [];
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	return {code, stdout: Buffer.concat(stdout), stderr};
}

function totalRecords(json: Record<string, {records: number}>): number {
	return Object.values(json).reduce((sum, log) => sum + log.records, 0);
}

describe('camtop analyze --ndjson on the seed\'s formats', () => {
	let root: string;

	beforeAll(() => {
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-ndjson-'));
		mkdirSync(path.join(root, 'logs'));
		writeFileSync(path.join(root, 'logs', 'camera_system.log'), [
			'2024-01-15 10:30:15,123 - camera_system - INFO - CONNECTION: {"service": "redis", "status": true, "details": {"failures": 0}, "uptime": 3600.5}',
			'2024-01-15 10:30:15,124 - camera_system - WARNING - ISSUE: {"issue_type": "thread_timeout", "message": "Thread timeout in fetch_image", "severity": "WARNING", "count": 1, "uptime": 3600.5, "context": {"thread": "fetch"}}',
			'2024-01-15 10:30:16,000 - camera_system - INFO - Frame 12 published',
			'',
		].join('\n'));
		writeFileSync(path.join(root, 'logs', 'errors.log'), [
			'2024-01-15 10:30:15,123 - camera_system - ERROR - fetch_image:123 - Redis connection failed: Connection refused',
			...TRACEBACK,
			'2024-01-15 10:30:15,124 - camera_system - ERROR - main:456 - Function fetch_image failed',
			'',
		].join('\n'));
		writeFileSync(path.join(root, 'logs', 'performance.log'), [
			'2024-01-15 10:30:15,123 - PERF: {"metric": "fetch_image_duration", "value": 0.045, "unit": "seconds", "timestamp": 1705312215.123, "uptime": 3600.5}',
			'2024-01-15 10:30:15,124 - PERF: {"metric": "system_health", "value": {"cpu_percent": 25.5, "memory_percent": 45.2}, "unit": null, "timestamp": 1705312215.124, "uptime": 3600.5}',
			'2024-01-15 10:30:15,125 - PERF: {"metric": "cut',
			'',
		].join('\n'));
		// The legacy log sits beside the app, not in logs/.
		writeFileSync(path.join(root, 'greencam.log'), [
			'2024-07-01 08:00:00,500 - greencam - WARNING - Camera 2 slow',
			'2024-07-01 08:00:01 - ERROR - Camera 2 disconnected',
			'',
		].join('\n'));
	});

	it('writes one object per record, every field, in the order analyze reads the files', async () => {
		const run = await runCli(['analyze', '--ndjson'], {cwd: root, env: {TZ: 'Europe/Paris'}});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const records = parseLines(run.stdout);
		expect(records).toEqual([
			{
				'@timestamp': '2024-01-15T10:30:15.123+01:00', timestamp: '2024-01-15 10:30:15,123', file: 'logs/camera_system.log', logger: 'camera_system', level: 'INFO', kind: 'connection',
				message: 'CONNECTION: {"service": "redis", "status": true, "details": {"failures": 0}, "uptime": 3600.5}',
				connection: {
					service: 'redis', status: true, details: {failures: 0}, uptime: 3600.5,
				},
			},
			{
				'@timestamp': '2024-01-15T10:30:15.124+01:00', timestamp: '2024-01-15 10:30:15,124', file: 'logs/camera_system.log', logger: 'camera_system', level: 'WARNING', kind: 'issue',
				message: 'ISSUE: {"issue_type": "thread_timeout", "message": "Thread timeout in fetch_image", "severity": "WARNING", "count": 1, "uptime": 3600.5, "context": {"thread": "fetch"}}',
				issue: {
					issue_type: 'thread_timeout', message: 'Thread timeout in fetch_image', severity: 'WARNING', count: 1, uptime: 3600.5, context: {thread: 'fetch'},
				},
			},
			{
				'@timestamp': '2024-01-15T10:30:16.000+01:00', timestamp: '2024-01-15 10:30:16,000', file: 'logs/camera_system.log', logger: 'camera_system', level: 'INFO', kind: 'log', message: 'Frame 12 published',
			},
			{
				'@timestamp': '2024-01-15T10:30:15.123+01:00', timestamp: '2024-01-15 10:30:15,123', file: 'logs/errors.log', logger: 'camera_system', level: 'ERROR', function: 'fetch_image', line: 123, kind: 'log',
				message: 'Redis connection failed: Connection refused', traceback: TRACEBACK,
			},
			{
				'@timestamp': '2024-01-15T10:30:15.124+01:00', timestamp: '2024-01-15 10:30:15,124', file: 'logs/errors.log', logger: 'camera_system', level: 'ERROR', function: 'main', line: 456, kind: 'log', message: 'Function fetch_image failed',
			},
			{
				'@timestamp': '2024-01-15T10:30:15.123+01:00', timestamp: '2024-01-15 10:30:15,123', file: 'logs/performance.log', logger: null, level: null, kind: 'perf',
				message: 'PERF: {"metric": "fetch_image_duration", "value": 0.045, "unit": "seconds", "timestamp": 1705312215.123, "uptime": 3600.5}',
				perf: {
					metric: 'fetch_image_duration', value: 0.045, unit: 'seconds', timestamp: 1_705_312_215.123, uptime: 3600.5,
				},
			},
			{
				'@timestamp': '2024-01-15T10:30:15.124+01:00', timestamp: '2024-01-15 10:30:15,124', file: 'logs/performance.log', logger: null, level: null, kind: 'perf',
				message: 'PERF: {"metric": "system_health", "value": {"cpu_percent": 25.5, "memory_percent": 45.2}, "unit": null, "timestamp": 1705312215.124, "uptime": 3600.5}',
				perf: {
					metric: 'system_health', value: {cpu_percent: 25.5, memory_percent: 45.2}, unit: null, timestamp: 1_705_312_215.124, uptime: 3600.5,
				},
			},
			// A payload that is not JSON of the seed's shape (analyze's invalid) is a plain record: no `perf` to trust.
			{
				'@timestamp': '2024-01-15T10:30:15.125+01:00', timestamp: '2024-01-15 10:30:15,125', file: 'logs/performance.log', logger: null, level: null, kind: 'log', message: 'PERF: {"metric": "cut',
			},
			// Summer time: the offset of the day the record was written, not of today.
			{
				'@timestamp': '2024-07-01T08:00:00.500+02:00', timestamp: '2024-07-01 08:00:00,500', file: 'greencam.log', logger: 'greencam', level: 'WARNING', kind: 'log', message: 'Camera 2 slow',
			},
			{
				'@timestamp': '2024-07-01T08:00:01.000+02:00', timestamp: '2024-07-01 08:00:01', file: 'greencam.log', logger: null, level: 'ERROR', kind: 'log', message: 'Camera 2 disconnected',
			},
		]);
		// Key order is fixed, for people reading the stream.
		expect(Object.keys(records[3]!)).toEqual(['@timestamp', 'timestamp', 'file', 'logger', 'level', 'function', 'line', 'kind', 'message', 'traceback']);
	});

	it('gives the same number of records as analyze --json, and the same recent errors as --recent-errors --json', async () => {
		const json = JSON.parse((await runCli(['analyze', '--json'], {cwd: root})).stdout) as Record<string, {records: number}>;
		const ndjson = parseLines((await runCli(['analyze', '--ndjson'], {cwd: root})).stdout);
		expect(ndjson).toHaveLength(totalRecords(json));

		const recentJson = JSON.parse((await runCli(['analyze', '--recent-errors', '--json'], {cwd: root})).stdout) as {recent_errors: Array<{timestamp: string; traceback: string[]}>};
		const recent = parseLines((await runCli(['analyze', '--recent-errors', '--ndjson'], {cwd: root})).stdout);
		expect(recent.map(record => record.timestamp)).toEqual(recentJson.recent_errors.map(error => error.timestamp));
		expect(recent[0]).toMatchObject({
			file: 'logs/errors.log', level: 'ERROR', function: 'fetch_image', traceback: recentJson.recent_errors[0]!.traceback,
		});
	});

	it('writes @timestamp with the offset in force: half hours, a skipped DST hour, an impossible date', async () => {
		const directory = path.join(root, 'zones');
		mkdirSync(directory);
		writeFileSync(path.join(directory, 'camera_system.log'), [
			'2024-03-10 02:30:00,000 - camera_system - INFO - in the hour New York skipped',
			'2024-02-30 10:00:00,000 - camera_system - INFO - no such day',
			'',
		].join('\n'));
		const newYork = parseLines((await runCli(['analyze', '--ndjson', '--file', 'zones/camera_system.log'], {cwd: root, env: {TZ: 'America/New_York'}})).stdout);
		// 02:30 did not exist; Date reads it as 03:30 EDT, the instant 07:30Z, which these digits and offset name too.
		expect(newYork.map(record => record['@timestamp'])).toEqual(['2024-03-10T02:30:00.000-05:00', null]);
		expect(Date.parse(newYork[0]!['@timestamp'] as string)).toBe(Date.parse('2024-03-10T07:30:00Z'));
		expect(newYork[1]).toMatchObject({timestamp: '2024-02-30 10:00:00,000', message: 'no such day'});

		const kolkata = parseLines((await runCli(['analyze', '--ndjson', '--file', 'logs/errors.log'], {cwd: root, env: {TZ: 'Asia/Kolkata'}})).stdout);
		expect(kolkata[0]!['@timestamp']).toBe('2024-01-15T10:30:15.123+05:30');
	});

	it('rejects --json with --ndjson in one line', async () => {
		const run = await runCli(['analyze', '--json', '--ndjson'], {cwd: root});
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr).toBe('camtop: --json and --ndjson are two output formats: choose one (see camtop analyze --help)\n');
	});

	it('says in one line when a --file cannot be read, and writes the others', async () => {
		const run = await runCli(['analyze', '--ndjson', '--file', 'logs/nope.log', '--file', 'greencam.log', '--file', 'logs/errors.log'], {cwd: root});
		expect(run.code).toBe(1);
		expect(run.stderr).toBe('camtop: logs/nope.log: missing\n');
		expect(parseLines(run.stdout).map(record => record.file)).toEqual(['greencam.log', 'greencam.log', 'logs/errors.log', 'logs/errors.log']);
	});

	it('shows the flag and an example in analyze --help', async () => {
		const run = await runCli(['analyze', '--help'], {cwd: root});
		expect(run.stdout).toContain('--ndjson');
		expect(run.stdout).toContain('camtop analyze --ndjson | jq -c \'select(.level=="ERROR")\'');
		expect(Math.max(...run.stdout.split('\n').map(line => line.length))).toBeLessThanOrEqual(80);
	});
});

describe('camtop analyze --ndjson on awkward input', () => {
	it('joins continuation lines to their record, capped, and skips lines before a file\'s first record', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-ndjson-traceback-'));
		mkdirSync(path.join(root, 'logs'));
		const frames = Array.from({length: 30}, (_, index) => `  File "/opt/cam/deep.py", line ${index}, in level_${index}`);
		writeFileSync(path.join(root, 'logs', 'errors.log'), [
			'  File "/opt/cam/cam1_stream.py", line 1, in <module>',
			'    left over from the rotated file',
			errorLine(new Date(2024, 0, 1, 12), 'fetch_image:123', 'deep failure'),
			'Traceback (most recent call last):',
			...frames,
			'',
			`RecursionError: ${'x'.repeat(1000)}`,
			errorLine(new Date(2024, 0, 1, 12, 0, 1), 'main:456', 'shallow failure'),
			'   ',
			'ValueError: bad frame',
			'',
		].join('\n'));
		const run = await runCli(['analyze', '--ndjson'], {cwd: root, env: {TZ: 'UTC', CAMTOP_DEBUG: '1'}});
		expect(run.code).toBe(0);
		const records = parseLines(run.stdout);
		expect(records).toHaveLength(2);
		const deep = records[0]!;
		const traceback = deep.traceback as string[];
		// The last 20 non-blank lines (the exception is at the end), each cut to 400 bytes.
		expect(traceback).toHaveLength(20);
		expect(deep.traceback_omitted).toBe(32 - 20);
		expect(traceback[0]).toBe(frames[11]);
		expect(traceback.at(-1)).toBe(`RecursionError: ${'x'.repeat(400 - 'RecursionError: '.length)}`);
		expect(records[1]).toMatchObject({message: 'shallow failure', traceback: ['ValueError: bad frame']});
		expect(records[1]).not.toHaveProperty('traceback_omitted');
		expect(run.stderr).toContain('2 records, 35 continuation lines, 2 before a file\'s first record');
	});

	it('reads a log with its rotated siblings oldest first, a .gz among them', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-ndjson-rotated-'));
		mkdirSync(path.join(root, 'logs'));
		const line = (hour: number, text: string) => errorLine(new Date(2024, 0, 1, hour), 'f:1', text);
		writeFileSync(path.join(root, 'logs', 'errors.log.2.gz'), gzipSync(`${line(1, 'oldest')}\n${TRACEBACK[0]}\n`));
		// A rotated file can start in the middle of a traceback: those lines belong to no record of this file.
		writeFileSync(path.join(root, 'logs', 'errors.log.1'), `${TRACEBACK[3]}\n${line(2, 'older')}\n`);
		writeFileSync(path.join(root, 'logs', 'errors.log'), `${TRACEBACK[1]}\n${line(3, 'newest')}`);
		const run = await runCli(['analyze', '--ndjson'], {cwd: root, env: {TZ: 'UTC'}});
		expect(run.stderr).toBe('');
		const records = parseLines(run.stdout);
		expect(records.map(record => [record.file, record.message, record.traceback ?? null])).toEqual([
			['logs/errors.log.2.gz', 'oldest', [TRACEBACK[0]]],
			['logs/errors.log.1', 'older', null],
			['logs/errors.log', 'newest', null],
		]);
		const json = JSON.parse((await runCli(['analyze', '--json'], {cwd: root})).stdout) as Record<string, {records: number}>;
		expect(records).toHaveLength(totalRecords(json));
	});

	it('writes valid UTF-8 JSON lines for invalid UTF-8, ESC, NUL and C1 bytes', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-ndjson-bytes-'));
		mkdirSync(path.join(root, 'logs'));
		const header = Buffer.from(`${stamp(new Date(2024, 0, 1, 9))} - camera_system - ERROR - `);
		writeFileSync(path.join(root, 'logs', 'camera_system.log'), Buffer.concat([
			header,
			Buffer.from([0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x72, 0x65, 0x64, 0xFF, 0xFE, 0xC3, 0x00, 0x07, 0x7F]),
			Buffer.from(' \u009B2J \u2028 caf\u00E9'),
			Buffer.from('\n'),
			Buffer.from([0x09, 0x1B, 0x5D, 0x30, 0x3B, 0xE2, 0x82, 0x0A]),
			header,
			Buffer.from('ISSUE: {"issue_type": "t\\u001b", "message": "\\u0000 \u00FF"}\n'),
			Buffer.concat([Buffer.from(stamp(new Date(2024, 0, 1, 9, 1))), Buffer.from(' - PERF: {"metric": "fps\u0085", "value": 1.5, "unit": null, "timestamp": 1.0, "uptime": 2.0}\n')]),
		]));
		const run = await runForBytes(['analyze', '--ndjson'], root);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const text = new TextDecoder('utf8', {fatal: true}).decode(run.stdout);
		const lines = text.split('\n').filter(line => line !== '');
		expect(lines).toHaveLength(3);
		for (const line of lines) {
			// Nothing a terminal acts on: no C0 or C1 control, no DEL, raw in the output.
			expect(line).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/);
		}

		const records = lines.map(line => JSON.parse(line) as NdjsonRecord);
		expect(records[0]!.message).toBe('\u001B[31mred\uFFFD\uFFFD\uFFFD\u0000\u0007\u007F \u009B2J \u2028 café');
		expect(records[0]!.traceback).toEqual(['\t\u001B]0;\uFFFD']);
		expect(records[1]).toMatchObject({kind: 'issue', issue: {issue_type: 't\u001B', message: '\u0000 ÿ'}});
		expect(records[2]).toMatchObject({kind: 'perf', perf: {metric: 'fps\u0085', value: 1.5}});
	});
});

describe('camtop analyze --ndjson on a corpus', () => {
	let root: string;
	let expected: Record<string, Expected>;

	beforeAll(() => {
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-ndjson-corpus-'));
		expected = writeCorpus({directory: path.join(root, 'logs'), bytes: 8 * 1024 * 1024, seed: 11});
	}, 60_000);

	it('writes as many objects as analyze --json counts records, per file', async () => {
		const json = JSON.parse((await runCli(['analyze', '--json'], {cwd: root})).stdout) as Record<string, {records: number}>;
		const run = await runCli(['analyze', '--ndjson'], {cwd: root});
		expect(run.stderr).toBe('');
		const counts: Record<string, number> = {};
		for (const line of run.stdout.split('\n').filter(line => line !== '')) {
			const {file} = (JSON.parse(line) as {file: string});
			counts[file] = (counts[file] ?? 0) + 1;
		}

		expect(counts).toEqual(Object.fromEntries(Object.entries(json).map(([file, log]) => [file, log.records])));
		expect(counts['logs/errors.log']).toBe(expected['errors.log']!.records);
	});

	it('--hours keeps the records analyze --json --hours keeps, newest last', async () => {
		const json = JSON.parse((await runCli(['analyze', '--json', '--hours', '0.1'], {cwd: root})).stdout) as Record<string, {records: number; outside_window: number; window: {start: string}}>;
		const records = parseLines((await runCli(['analyze', '--ndjson', '--hours', '0.1'], {cwd: root})).stdout);
		expect(json['logs/errors.log']!.outside_window).toBeGreaterThan(0);
		expect(records).toHaveLength(totalRecords(json));
		const {start} = json['logs/errors.log']!.window;
		expect(records.every(record => (record.timestamp as string) >= start)).toBe(true);
	});

	it('exits quietly with 0 when the reader closes the pipe early (| head -1)', async () => {
		const child = spawn(process.execPath, [CLI, 'analyze', '--ndjson'], {cwd: root, env: {PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: path.join(root, '.no-user-config')}, stdio: ['ignore', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const first = await new Promise<string>(resolve => {
			child.stdout.once('data', (chunk: Buffer) => {
				resolve(chunk.toString().split('\n')[0]!);
				// What head does after its first line: close its end of the pipe while camtop is still writing.
				child.stdout.destroy();
			});
		});
		const code = await new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		expect(JSON.parse(first)).toMatchObject({file: 'logs/camera_system.log'});
		expect(stderr).toBe('');
		expect(code).toBe(0);
	});
});
