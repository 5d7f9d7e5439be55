import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {
	beforeAll, describe, expect, it,
} from 'vitest';
import {analyzeLogs, type AnalyzeResult} from '../../source/logs/analyze.js';
import {logsInDirectory, planChunks} from '../../source/logs/plan.js';
import {analyzeJson} from '../../source/commands/analyze-json.js';
import {writeCorpus, type Expected} from '../helpers/corpus.js';
import {errorLine, stamp, TRACEBACK} from '../helpers/seed-logs.js';

type Json = Record<string, any>;

function temporaryDir(): string {
	return mkdtempSync(path.join(os.tmpdir(), 'camtop-analyze-'));
}

async function analyzeDirectory(directory: string, options: {chunkBytes?: number; hours?: number; recentErrors?: number} = {}): Promise<{result: AnalyzeResult; json: Record<string, Json>}> {
	// In this thread: vitest runs the TypeScript sources, which worker threads cannot load. The CLI tests cover workers.
	const result = await analyzeLogs({sources: logsInDirectory(directory, path.join(directory, 'none.log'), directory), workers: 0, ...options});
	return {result, json: analyzeJson(result) as Record<string, Json>};
}

describe('analyze on a corpus in the seed\'s formats', () => {
	let directory: string;
	let expected: Record<string, Expected>;
	let json: Record<string, Json>;

	beforeAll(async () => {
		directory = temporaryDir();
		expected = writeCorpus({directory, bytes: 4_000_000, seed: 7});
		({json} = await analyzeDirectory(directory));
	});

	it('counts every line and record, with none unparsed or invalid', () => {
		for (const [name, want] of Object.entries(expected)) {
			const got = json[name]!;
			expect({
				name, lines: got.lines, records: got.records, continuation: got.continuation_lines, unparsed: got.unparsed, invalid: got.invalid,
			})
				.toEqual({
					name, lines: want.lines, records: want.records, continuation: want.tracebackLines, unparsed: 0, invalid: 0,
				});
		}
	});

	it('counts levels exactly', () => {
		for (const [name, want] of Object.entries(expected)) {
			expect(json[name]!.levels).toEqual(want.levels);
		}
	});

	it('counts ISSUE records by type exactly', () => {
		const got = json['camera_system.log']!.issue_types as Record<string, {count: number}>;
		expect(Object.fromEntries(Object.entries(got).map(([type, {count}]) => [type, count]))).toEqual(expected['camera_system.log']!.issueTypes);
	});

	it('follows each service\'s CONNECTION history: up, down, transitions, downtime, last status', () => {
		const got = json['camera_system.log']!.connections as Record<string, Json>;
		const want = expected['camera_system.log']!.connections;
		expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
		for (const [service, history] of Object.entries(want)) {
			expect({
				service, up: got[service]!.up, down: got[service]!.down, transitions: got[service]!.transitions, last: got[service]!.last_status,
			})
				.toEqual({
					service, up: history.up, down: history.down, transitions: history.transitions, last: history.lastStatus,
				});
			expect(got[service]!.downtime_seconds).toBeCloseTo(history.downtimeSeconds, 3);
		}
	});

	it('counts PERF values per metric exactly, system_health per field', () => {
		const performance = json['performance.log']!.performance as Record<string, Json>;
		for (const [metric, count] of Object.entries(expected['performance.log']!.metrics)) {
			const [parent, field] = metric.split('.');
			const stats = field === undefined ? performance[parent!]! : performance[parent!]![field]!;
			expect({metric, count: stats.count}).toEqual({metric, count});
		}
	});

	it('groups errors by exception class, else by the message with its numbers, IPs, paths and ids replaced', () => {
		for (const name of ['errors.log', 'camera_system.log', 'greencam.log']) {
			const got = json[name]!.error_types as Record<string, {count: number}>;
			expect(Object.fromEntries(Object.entries(got).map(([key, {count}]) => [key, count]))).toEqual(expected[name]!.errorTypes);
		}
	});

	it('gives percentiles, trend and worst hour of a metric', () => {
		const stats = (json['performance.log']!.performance as Record<string, Json>).fetch_image_duration!;
		// The generator draws durations uniformly from 0–0.2 s: the sketch is within 1 % of the true quantile.
		expect(stats.p50).toBeGreaterThan(0.09);
		expect(stats.p50).toBeLessThan(0.11);
		expect(stats.p95).toBeGreaterThan(0.18);
		expect(stats.p99).toBeLessThanOrEqual(stats.max);
		expect(stats.min).toBeGreaterThanOrEqual(0);
		expect(stats.unit).toBe('seconds');
		expect(typeof stats.trend_per_hour).toBe('number');
		expect(stats.worst_hour).toMatchObject({hour: expect.stringMatching(/^2024-01-15 \d\d$/)});
	});

	it('reports hourly activity, errors and warnings keyed YYYY-MM-DD HH', () => {
		const main = json['camera_system.log']!;
		const hours = main.hourly_activity as Record<string, number>;
		expect(Object.keys(hours).every(hour => /^\d{4}-\d\d-\d\d \d\d$/.test(hour))).toBe(true);
		expect(Object.values(hours).reduce((sum, count) => sum + count, 0)).toBe(expected['camera_system.log']!.records);
		expect(Object.values(main.hourly_errors as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(expected['camera_system.log']!.levels.ERROR);
		expect(Object.values(main.hourly_warnings as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(expected['camera_system.log']!.levels.WARNING);
	});

	it('gives the same answer read in many small chunks as in one', async () => {
		expect(planChunks(logsInDirectory(directory, path.join(directory, 'none.log'), directory), 64 * 1024).length).toBeGreaterThan(40);
		const chunked = (await analyzeDirectory(directory, {chunkBytes: 64 * 1024})).json;
		for (const name of Object.keys(expected)) {
			const {performance: wholePerformance, ...whole} = json[name]!;
			const {performance: chunkedPerformance, ...parts} = chunked[name]!;
			expect(parts).toEqual(whole);
			for (const [metric, stats] of Object.entries(wholePerformance as Record<string, Json>)) {
				const other = (chunkedPerformance as Record<string, Json>)[metric]!;
				for (const key of ['count', 'min', 'max', 'p50', 'p95', 'p99', 'unit']) {
					expect(other[key]).toEqual(stats[key]);
				}
			}
		}
	});
});

describe('analyze on rotated logs', () => {
	it('reads .gz and numbered siblings, oldest first, as one log with the current file', async () => {
		const directory = temporaryDir();
		const record = (hour: number, message: string) => errorLine(new Date(2024, 0, 15, hour), 'f:1', message);
		writeFileSync(path.join(directory, 'errors.log.3.gz'), gzipSync(`${record(1, 'oldest')}\n`));
		writeFileSync(path.join(directory, 'errors.log.2'), `${record(2, 'older')}\n`);
		writeFileSync(path.join(directory, 'errors.log.1'), `${record(3, 'old')}\n${TRACEBACK.join('\n')}\n`);
		writeFileSync(path.join(directory, 'errors.log'), `${record(4, 'now')}\n`);

		const {json} = await analyzeDirectory(directory);
		const log = json['errors.log']!;
		expect(log.files).toEqual(['errors.log.3.gz', 'errors.log.2', 'errors.log.1', 'errors.log'].map(name => path.join(directory, name)));
		expect(log.records).toBe(4);
		expect(log.continuation_lines).toBe(TRACEBACK.length);
		expect(log.first_timestamp).toBe('2024-01-15 01:00:00,000');
		expect(log.last_timestamp).toBe('2024-01-15 04:00:00,000');
		expect(Object.keys(json)).toEqual(['errors.log']);
	});
});

describe('analyze --hours', () => {
	it('keeps the records of the last N hours before the newest record, not before now', async () => {
		const directory = temporaryDir();
		const lines = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(hour => `${stamp(new Date(2023, 5, 1, hour, 30))} - camera_system - INFO - tick ${hour}`);
		writeFileSync(path.join(directory, 'camera_system.log'), `${lines.join('\n')}\n`);
		const {result, json} = await analyzeDirectory(directory, {hours: 3});
		expect(result.window).toEqual({hours: 3, start: new Date(2023, 5, 1, 6, 30).getTime(), end: new Date(2023, 5, 1, 9, 30).getTime()});
		// 06:30 (exactly at the start), 07:30, 08:30, 09:30.
		expect(json['camera_system.log']!.records).toBe(4);
		expect(json['camera_system.log']!.outside_window).toBe(6);
		expect(json['camera_system.log']!.window).toMatchObject({hours: 3, end: '2023-06-01 09:30:00,000'});
	});
});

describe('analyze --recent-errors', () => {
	it('keeps the last N error records whole, tracebacks attached', async () => {
		const directory = temporaryDir();
		const records = Array.from({length: 8}, (_, index) => [errorLine(new Date(2024, 0, 1, 0, index), `f:${index}`, `error ${index}`), ...TRACEBACK]).flat();
		writeFileSync(path.join(directory, 'errors.log'), `${records.join('\n')}\n`);
		const {result} = await analyzeDirectory(directory, {recentErrors: 3});
		const {recent} = result.logs[0]!.summary;
		expect(recent.map(record => record.message)).toEqual(['f:5 - error 5', 'f:6 - error 6', 'f:7 - error 7']);
		expect(recent[2]!.traceback).toEqual(TRACEBACK);
	});
});

describe('analyze keys and bounds', () => {
	it('nests only the fields of object values under their metric, and takes any name as a key', async () => {
		const directory = temporaryDir();
		const perf = (metric: string, value: string) => `2024-01-15 10:30:15,123 - PERF: {"metric": "${metric}", "value": ${value}, "unit": null, "timestamp": 1.0, "uptime": 1.0}`;
		writeFileSync(path.join(directory, 'performance.log'), `${[perf('queue', '5'), perf('queue.count', '7'), perf('__proto__', '1'), perf('system_health', '{"cpu_percent": 5}')].join('\n')}\n`);
		const performance = (await analyzeDirectory(directory)).json['performance.log']!.performance as Record<string, Json>;
		expect(performance.queue).toMatchObject({count: 1, max: 5});
		expect(performance['queue.count']).toMatchObject({count: 1, max: 7});
		expect(Object.hasOwn(performance, '__proto__')).toBe(true);
		expect(performance.system_health).toMatchObject({cpu_percent: {count: 1, max: 5}});
		const empty: Json = {};
		expect(empty.count).toBeUndefined();
	});

	it('takes a last line for an exception only after a Traceback line', async () => {
		const directory = temporaryDir();
		writeFileSync(path.join(directory, 'errors.log'), [
			errorLine(new Date(2024, 0, 1), 'save:1', 'Could not save config'),
			'Reason: disk full',
			errorLine(new Date(2024, 0, 1), 'login:2', 'Login refused'),
			'Reason: bad password',
			'',
		].join('\n'));
		const types = (await analyzeDirectory(directory)).json['errors.log']!.error_types as Record<string, {count: number; exception: string | null}>;
		expect(Object.keys(types).sort()).toEqual(['Could not save config', 'Login refused']);
		// A second line is not an exception either.
		expect(types['Could not save config']!.exception).toBeNull();
	});

	it('keys errors.log\'s ISSUE records by issue_type and CONNECTION records by service and status, not by their JSON', async () => {
		const directory = temporaryDir();
		const issue = (type: string, count: number) => `ISSUE: {"issue_type": "${type}", "message": "Process client.py exited (${count})", "severity": "ERROR", "count": ${count}, "uptime": 1.5, "context": {"camera": "camera_2"}}`;
		const connection = (service: string, status: boolean) => `CONNECTION: {"service": "${service}", "status": ${status}, "details": {"failures": 3}, "uptime": 2.5}`;
		const at = new Date(2024, 0, 1);
		writeFileSync(path.join(directory, 'errors.log'), [
			errorLine(at, 'log_issue:88', issue('function_failure', 1)),
			errorLine(at, 'log_issue:88', issue('function_failure', 2)),
			// An ISSUE with a traceback is still keyed by its type; its exception is the traceback's.
			errorLine(at, 'log_issue:88', issue('pickle_error', 1)),
			...TRACEBACK,
			errorLine(at, '<module>:3', connection('redis', false)),
			errorLine(at, 'watch:9', connection('redis', false)),
			errorLine(at, 'watch:9', connection('camera_1', true)),
			// Without the location it is read as camera_system.log's are, into issue_types; cut, it is a message as any other.
			`${stamp(at)} - camera_system - CRITICAL - ${issue('thread_timeout', 1)}`,
			errorLine(at, 'log_issue:88', 'ISSUE: {"issue_type": "cut'),
			'',
		].join('\n'));
		const log = (await analyzeDirectory(directory)).json['errors.log']!;
		const types = log.error_types as Record<string, {count: number; exception: string | null}>;
		expect(Object.fromEntries(Object.entries(types).map(([key, {count}]) => [key, count]))).toEqual({
			'ISSUE function_failure': 2,
			'ISSUE pickle_error': 1,
			'CONNECTION redis down': 2,
			'CONNECTION camera_1 up': 1,
			'ISSUE: {"issue_type": "cut': 1,
		});
		expect(log.issue_types).toMatchObject({thread_timeout: {count: 1}});
		expect(types['ISSUE function_failure']!.exception).toBeNull();
		expect(types['ISSUE pickle_error']!.exception).toBe(TRACEBACK.at(-1));
	});

	it('counts services past the bound instead of dropping them silently', async () => {
		const directory = temporaryDir();
		const lines = Array.from({length: 205}, (_, index) => `2024-01-15 10:30:15,123 - camera_system - INFO - CONNECTION: {"service": "camera_${index}", "status": true}`);
		writeFileSync(path.join(directory, 'camera_system.log'), `${lines.join('\n')}\n`);
		const log = (await analyzeDirectory(directory)).json['camera_system.log']!;
		expect(Object.keys(log.connections as Json)).toHaveLength(200);
		expect(log.over_limit).toEqual({service_events: 5, metric_values: 0});
	});
});

describe('analyze on bad input', () => {
	it('counts orphan lines, cut JSON and impossible dates without throwing', async () => {
		const directory = temporaryDir();
		const good = '2024-01-15 10:30:15,123';
		writeFileSync(path.join(directory, 'camera_system.log'), [
			'garbage before any record',
			'\u0000\u0001binary\uFFFD',
			`${good} - camera_system - INFO - CONNECTION: {"service": "redis", "status": tr`,
			`${good} - camera_system - WARNING - ISSUE: {"issue_type": 42}`,
			`${good} - PERF: {"metric": "x", "value": "fast"}`,
			`${good} - PERF: {"metric": "deep", "value": ${'['.repeat(100_000)}`,
			'2024-02-31 10:00:00,000 - camera_system - INFO - the 31st of February',
			'2024-02-31 10:00:00,000 - camera_system - INFO - CONNECTION: {"both": "wrong"}',
			`${good} - camera_system - INFO - CONNECTION: {"service": "redis", "status": true}\r`,
			'',
		].join('\n'));
		const {json} = await analyzeDirectory(directory);
		const log = json['camera_system.log']!;
		// The record with an impossible date and a broken payload is invalid once.
		expect(log).toMatchObject({
			lines: 9, records: 7, unparsed: 2, continuation_lines: 0, invalid: 6,
		});
		expect(log.connections).toMatchObject({redis: {up: 1, down: 0}});
		expect(log.levels).toEqual({INFO: 4, WARNING: 1});
	});

	it('reads a megabyte line as one line, cut to its head', async () => {
		const directory = temporaryDir();
		const huge = `2024-01-15 10:30:15,123 - camera_system - ERROR - ${'x'.repeat(3 * 1024 * 1024)}`;
		writeFileSync(path.join(directory, 'errors.log'), `${huge}\n2024-01-15 10:30:16,000 - camera_system - INFO - after\n`);
		const {json} = await analyzeDirectory(directory, {chunkBytes: 1024 * 1024});
		expect(json['errors.log']).toMatchObject({lines: 2, records: 2, levels: {ERROR: 1, INFO: 1}});
		// Its head was read as a record: the example is the start of its message.
		expect(Object.values(json['errors.log']!.error_types as Record<string, {example: string}>)[0]!.example).toBe('x'.repeat(300));
	});
});
