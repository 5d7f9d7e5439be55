import {readFileSync} from 'node:fs';
import path from 'node:path';
import {
	beforeAll, describe, expect, it,
} from 'vitest';
import {analyzeLogs} from '../../source/logs/analyze.js';
import {logsInDirectory} from '../../source/logs/plan.js';
import {analyzeJson} from '../../source/commands/analyze-json.js';

// Written by a Python app through Python's own logging (scripts/python-app-logs.py), with what it wrote in expected.json.
const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'python-app');

type Json = Record<string, any>;
type Expected = {
	files: Record<string, {records: number; lines: number}>;
	exceptions: Record<string, number>;
	issues: Record<string, {count: number; in_errors_log: number}>;
	connections: Record<string, {up: number; down: number}>;
	metrics: Record<string, number>;
	plain_errors: string[];
};

/** The message of two lines the app logged with logger.critical(), as analyze keys it (its first line, numbers as `<n>`). */
const TWO_LINE_KEY = 'Camera camera_<n> stopped responding';

const counts = (types: Record<string, {count: number}>) => Object.fromEntries(Object.entries(types).map(([key, {count}]) => [key, count]));

describe('analyze on logs a Python app wrote through logging', () => {
	const expected = JSON.parse(readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as Expected;
	let json: Record<string, Json>;

	beforeAll(async () => {
		const directory = path.join(FIXTURE, 'logs');
		const result = await analyzeLogs({sources: logsInDirectory(directory, path.join(directory, 'none.log'), directory), workers: 0});
		json = analyzeJson(result) as Record<string, Json>;
	});

	it('reads every record of every file, none unparsed or invalid', () => {
		for (const [name, want] of Object.entries(expected.files)) {
			const got = json[name]!;
			expect({
				name, lines: got.lines, records: got.records, unparsed: got.unparsed, invalid: got.invalid,
			}).toEqual({
				name, lines: want.lines, records: want.records, unparsed: 0, invalid: 0,
			});
		}
	});

	it('keys errors.log by exception class, ISSUE records by type, and a plain message by its text', () => {
		expect(expected.plain_errors).toEqual([expect.stringMatching(/^Camera camera_2 stopped responding\n/)]);
		const issues = Object.entries(expected.issues).filter(([, {in_errors_log: count}]) => count > 0).map(([type, {in_errors_log: count}]) => [`ISSUE ${type}`, count]);
		expect(counts(json['errors.log']!.error_types as Json)).toEqual({
			...expected.exceptions, ...Object.fromEntries(issues), [TWO_LINE_KEY]: 1,
		});
	});

	it('gives a logger.exception() its traceback\'s last line, chained or not, and nothing else an exception', () => {
		const types = json['errors.log']!.error_types as Record<string, {exception: string | null; example: string}>;
		expect(types.ZeroDivisionError!.exception).toBe('ZeroDivisionError: division by zero');
		expect(types.KeyError!.exception).toBe('KeyError: \'camera_3\'');
		// Raised `from` a JSONDecodeError: the exception is the last of the chain, and the message's own second line is not it.
		expect(types.FrameDecodeError).toMatchObject({example: expect.stringMatching(/Frame decode failed$/), exception: expect.stringMatching(/^FrameDecodeError: frame of \d+ bytes/)});
		expect(types[TWO_LINE_KEY]!.exception).toBeNull();
		expect(types['ISSUE function_failure']).toMatchObject({example: expect.stringContaining('"issue_type": "function_failure"'), exception: null});
	});

	it('counts camera_system.log\'s ISSUE records by type and follows its CONNECTION records', () => {
		const main = json['camera_system.log']!;
		expect(counts(main.issue_types as Json)).toEqual(Object.fromEntries(Object.entries(expected.issues).map(([type, {count}]) => [type, count])));
		const connections = main.connections as Record<string, {up: number; down: number}>;
		expect(Object.fromEntries(Object.entries(connections).map(([service, {up, down}]) => [service, {up, down}]))).toEqual(expected.connections);
		// The main log has the same logger.exception() records, and keeps its ISSUE records out of its error types.
		expect(counts(main.error_types as Json)).toEqual({...expected.exceptions, [TWO_LINE_KEY]: 1});
	});

	it('counts PERF values per metric, percentiles within [min, max]', () => {
		const performance = json['performance.log']!.performance as Record<string, Json>;
		for (const [metric, count] of Object.entries(expected.metrics)) {
			const [parent, field] = metric.split('.');
			const stats = field === undefined ? performance[parent!]! : performance[parent!]![field]!;
			expect({metric, count: stats.count}).toEqual({metric, count});
			expect([stats.min <= stats.p50, stats.p50 <= stats.p95, stats.p95 <= stats.p99, stats.p99 <= stats.max]).toEqual([true, true, true, true]);
		}
	});
});
