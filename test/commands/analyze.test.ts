import {execFileSync} from 'node:child_process';
import {
	mkdirSync, mkdtempSync, symlinkSync, writeFileSync,
} from 'node:fs';
import {gzipSync} from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import {
	beforeAll, describe, expect, it,
} from 'vitest';
import stringWidth from 'string-width';
import {runCli} from '../helpers/run-cli.js';
import {writeCorpus, type Expected} from '../helpers/corpus.js';
import {errorLine, stamp, TRACEBACK} from '../helpers/seed-logs.js';

/**
`camtop analyze` as the seed's users call it: from the app's directory, logs in ./logs.
*/
describe('camtop analyze', () => {
	let root: string;
	let expected: Record<string, Expected>;

	beforeAll(() => {
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-analyze-cli-'));
		// Over two 32 MiB chunks in the largest logs: the worker threads and the merge are on the path.
		expected = writeCorpus({directory: path.join(root, 'logs'), bytes: 90 * 1024 * 1024, seed: 3});
	}, 60_000);

	it('keys the JSON by path as given, so the seed\'s jq one-liners work', async () => {
		const run = await runCli(['analyze', '--json'], {cwd: root});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const json = JSON.parse(run.stdout);
		expect(Object.keys(json).sort()).toEqual(['logs/camera_system.log', 'logs/errors.log', 'logs/greencam.log', 'logs/performance.log']);
		// jq '."logs/errors.log".error_types'
		const errorTypes = json['logs/errors.log'].error_types as Record<string, {count: number; first_seen: string; last_seen: string; example: string}>;
		expect(Object.fromEntries(Object.entries(errorTypes).map(([key, type]) => [key, type.count]))).toEqual(expected['errors.log']!.errorTypes);
		expect(errorTypes['redis.exceptions.ConnectionError']).toMatchObject({first_seen: expect.stringMatching(/^2024-01-1\d /), example: expect.stringContaining('Redis connection failed')});
	});

	it('counts exactly through the worker threads', async () => {
		const run = await runCli(['analyze', '--json'], {cwd: root, env: {CAMTOP_DEBUG: '1'}});
		// The largest logs span several 32 MiB chunks, read by this thread and a worker.
		expect(run.stderr).toMatch(/^camtop: analyze read [4-9] chunks on 2 threads$/m);
		// A worker that cannot start leaves its chunks to this thread: the counts would hide it, the debug line does not.
		expect(run.stderr).not.toMatch(/worker thread failed/);
		const json = JSON.parse(run.stdout);
		for (const [name, want] of Object.entries(expected)) {
			const got = json[`logs/${name}`];
			expect({
				name, lines: got.lines, records: got.records, levels: got.levels,
			}).toEqual({
				name, lines: want.lines, records: want.records, levels: want.levels,
			});
		}

		const main = json['logs/camera_system.log'];
		expect(Object.fromEntries(Object.entries(main.issue_types as Record<string, {count: number}>).map(([type, {count}]) => [type, count]))).toEqual(expected['camera_system.log']!.issueTypes);
		for (const [service, history] of Object.entries(expected['camera_system.log']!.connections)) {
			expect(main.connections[service]).toMatchObject({
				up: history.up, down: history.down, transitions: history.transitions, last_status: history.lastStatus,
			});
			expect(main.connections[service].downtime_seconds).toBeCloseTo(history.downtimeSeconds, 2);
		}

		expect(json['logs/performance.log'].performance.fetch_image_duration.count).toBe(expected['performance.log']!.metrics.fetch_image_duration);
	}, 60_000);

	it('analyses one file with --file, keyed as given', async () => {
		const run = await runCli(['analyze', '--file', 'logs/errors.log', '--json'], {cwd: root});
		expect(Object.keys(JSON.parse(run.stdout))).toEqual(['logs/errors.log']);
	});

	it('prints a report that fits 80 columns, with an hourly histogram', async () => {
		const run = await runCli(['analyze'], {cwd: root, env: {NO_COLOR: '1'}});
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('logs/errors.log');
		expect(run.stdout).toContain('Hourly activity');
		expect(run.stdout).toMatch(/█+/);
		expect(run.stdout).toContain('redis.exceptions.ConnectionError');
		expect(Math.max(...run.stdout.split('\n').map(line => stringWidth(line)))).toBeLessThanOrEqual(80);
	});

	it('says when a --file cannot be read, in one line, and reports the rest', async () => {
		const run = await runCli(['analyze', '--file', 'logs/nope.log', '--file', 'logs/greencam.log', '--json'], {cwd: root});
		expect(run.code).toBe(1);
		expect(run.stderr).toBe('camtop: logs/nope.log: missing\n');
		expect(JSON.parse(run.stdout)['logs/greencam.log'].records).toBe(expected['greencam.log']!.records);
	});

	it('refuses a FIFO given as a log, in one line, instead of blocking on it', async () => {
		execFileSync('mkfifo', [path.join(root, 'pipe.log')]);
		const run = await runCli(['analyze', '--file', 'pipe.log', '--json'], {cwd: root});
		expect(run.code).toBe(1);
		expect(run.stderr).toBe('camtop: pipe.log: not a regular file\n');
	});

	it('rejects a bad --hours in one line', async () => {
		const run = await runCli(['analyze', '--hours', 'six'], {cwd: root});
		expect(run.code).toBe(2);
		expect(run.stderr).toBe('camtop: --hours takes a positive number of hours, got "six"\n');
	});
});

describe('camtop analyze on awkward input', () => {
	it('writes all of a large JSON answer into a pipe', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-pipe-'));
		mkdirSync(path.join(root, 'logs'));
		const hours = Array.from({length: 24 * 60}, (_, hour) => `${stamp(new Date(2024, 0, 1, hour))} - camera_system - INFO - tick`);
		writeFileSync(path.join(root, 'logs', 'camera_system.log'), `${hours.join('\n')}\n`);
		const run = await runCli(['analyze', '--json'], {cwd: root});
		// Over 64 KiB, the size of a pipe's buffer: an exit before stdout drained cut it there.
		expect(run.stdout.length).toBeGreaterThan(100_000);
		expect(Object.keys(JSON.parse(run.stdout)['logs/camera_system.log'].hourly_activity)).toHaveLength(24 * 60);
	});

	it('keeps a record from the hour a DST change skipped', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-dst-'));
		mkdirSync(path.join(root, 'logs'));
		writeFileSync(path.join(root, 'logs', 'camera_system.log'), [
			'2024-03-10 01:30:00,000 - camera_system - INFO - CONNECTION: {"service": "redis", "status": true}',
			'2024-03-10 02:30:00,000 - camera_system - INFO - CONNECTION: {"service": "redis", "status": false}',
			'2024-03-10 03:30:00,000 - camera_system - INFO - CONNECTION: {"service": "redis", "status": true}',
			'',
		].join('\n'));
		const run = await runCli(['analyze', '--json'], {cwd: root, env: {TZ: 'America/New_York'}});
		expect(JSON.parse(run.stdout)['logs/camera_system.log']).toMatchObject({records: 3, invalid: 0, connections: {redis: {up: 2, down: 1, transitions: 2}}});
	});

	it('reads what it can of a truncated gzip and of a log with a dangling rotated sibling, and says what it could not', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-broken-'));
		mkdirSync(path.join(root, 'logs'));
		const records = Array.from({length: 2000}, (_, index) => errorLine(new Date(2024, 0, 1, 0, 0, index % 60), 'f:1', `error ${index}`));
		const gzip = gzipSync(`${records.join('\n')}\n`);
		writeFileSync(path.join(root, 'logs', 'errors.log.2.gz'), gzip.subarray(0, Math.floor(gzip.length / 2)));
		symlinkSync(path.join(root, 'nowhere'), path.join(root, 'logs', 'errors.log.1'));
		writeFileSync(path.join(root, 'logs', 'errors.log'), `${records[0]}\n`);
		const run = await runCli(['analyze', '--json'], {cwd: root});
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('camtop: logs/errors.log: errors.log.1: missing');
		expect(run.stderr).toMatch(/camtop: logs\/errors\.log: errors\.log\.2\.gz: unexpected end of file after \d+ lines/);
		const log = JSON.parse(run.stdout)['logs/errors.log'];
		expect(log.records).toBeGreaterThan(1);
		expect(log.records).toBeLessThan(2001);
	});
});

describe('camtop analyze --hours and --recent-errors on last year\'s logs', () => {
	let root: string;

	beforeAll(() => {
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-recent-'));
		mkdirSync(path.join(root, 'logs'));
		const hourly = Array.from({length: 12}, (_, hour) => [errorLine(new Date(2025, 2, 3, hour), 'fetch_image:123', `failure at hour ${hour}`), ...TRACEBACK]).flat();
		writeFileSync(path.join(root, 'logs', 'errors.log'), `${hourly.join('\n')}\n`);
		writeFileSync(path.join(root, 'logs', 'camera_system.log'), `${stamp(new Date(2025, 2, 3, 11))} - camera_system - INFO - fine\n`);
	});

	it('--hours 6 keeps the six hours before the newest record, and says so', async () => {
		const json = JSON.parse((await runCli(['analyze', '--hours', '6', '--json'], {cwd: root})).stdout);
		expect(json['logs/errors.log']).toMatchObject({records: 7, outside_window: 5, window: {hours: 6, start: '2025-03-03 05:00:00,000', end: '2025-03-03 11:00:00,000'}});
		const text = await runCli(['analyze', '--hours', '6'], {cwd: root, env: {NO_COLOR: '1'}});
		expect(text.stdout).toContain('Window: the last 6 h before the newest record in the files (2025-03-03 11:00:00)');
		expect(Math.max(...text.stdout.split('\n').map(line => stringWidth(line)))).toBeLessThanOrEqual(80);
	});

	it('--recent-errors --hours 2 lists the errors of those hours with their exception', async () => {
		const run = await runCli(['analyze', '--recent-errors', '--hours', '2'], {cwd: root, env: {NO_COLOR: '1'}});
		expect(run.code).toBe(0);
		const lines = run.stdout.trim().split('\n');
		expect(lines[0]).toBe('Errors of the last 2 h before the newest record (2025-03-03 11:00:00)');
		expect(Math.max(...lines.map(line => stringWidth(line)))).toBeLessThanOrEqual(80);
		expect(lines.filter(line => line.includes('failure at hour')).map(line => /hour (\d+)/.exec(line)![1])).toEqual(['9', '10', '11']);
		expect(run.stdout).toContain('redis.exceptions.ConnectionError');

		const json = JSON.parse((await runCli(['analyze', '--recent-errors', '--json'], {cwd: root})).stdout);
		expect(json.recent_errors).toHaveLength(12);
		expect(json.recent_errors[11]).toMatchObject({
			file: 'logs/errors.log', level: 'ERROR', timestamp: '2025-03-03 11:00:00,000', traceback: TRACEBACK,
		});
	});
});
