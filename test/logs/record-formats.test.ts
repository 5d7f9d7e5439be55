import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {exceptionClass} from '../../source/logs/error-type.js';
import {
	formatConnection, formatIssue, readConnection, readIssue,
} from '../../source/logs/event-records.js';
import {
	PAYLOAD_CONNECTION, PAYLOAD_ISSUE, PAYLOAD_OFFSETS, PAYLOAD_PERF, payloadKind, readPayloadObject,
} from '../../source/logs/payload.js';
import {createPerfScratch, formatPerf, readPerf} from '../../source/logs/perf-record.js';
import {
	formatLogTime, formatRecordHeader, formatSourceLocation, isRecordStart, parseRecordHeader, parseSourceLocation, type SourceLocation,
} from '../../source/logs/record-header.js';
import {formatThrownValue, formatTraceback} from '../../source/logs/traceback.js';
import type {Level} from '../../source/logs/line-header.js';

const TIME = new Date(2024, 0, 15, 10, 30, 15, 123).getTime();
const STAMP = formatLogTime(TIME);

/** A record's first line, written as the monitor writes it. */
function lineOf(logger: string | null, level: Level | null, message: string, location?: SourceLocation): string {
	return formatRecordHeader(STAMP, logger, level) + (location === undefined ? '' : formatSourceLocation(location)) + message;
}

/** A record's message as the readers get it: the bytes after the header, and where its payload starts. */
function payloadOf(line: string): {bytes: Buffer; kind: number; start: number; end: number} {
	const header = parseRecordHeader(line)!;
	const bytes = Buffer.from(header.message);
	const kind = payloadKind(bytes, 0, bytes.length);
	return {
		bytes, kind, start: PAYLOAD_OFFSETS[kind as keyof typeof PAYLOAD_OFFSETS], end: bytes.length,
	};
}

describe('each record kind, written by its format* and read back by its read*', () => {
	it('ISSUE: every field, non-ASCII and nesting included, in the seed\'s key order', () => {
		const fields = {
			issueType: 'thread_timeout', message: 'Thread timeout in fetch_image', severity: 'WARNING', count: 3, uptimeSeconds: 3600.5, context: {camera: 'cam1', ünïcode: 'naïve ✓ 📷', nested: {list: [1, 2.5, null, true]}},
		};
		const line = lineOf('camera_system', 'WARNING', formatIssue(fields));
		const {bytes, kind, start, end} = payloadOf(line);
		expect(kind).toBe(PAYLOAD_ISSUE);
		expect(readIssue(bytes, start, end)).toEqual({issueType: 'thread_timeout'});
		const object = readPayloadObject(kind, bytes, start, end)!;
		expect(Object.keys(object)).toEqual(['issue_type', 'message', 'severity', 'count', 'uptime', 'context']);
		expect(object).toEqual({
			issue_type: fields.issueType, message: fields.message, severity: fields.severity, count: fields.count, uptime: fields.uptimeSeconds, context: fields.context,
		});
	});

	it('CONNECTION: every field, status up and down', () => {
		for (const status of [true, false]) {
			const fields = {
				service: 'redis', status, details: {error: 'Connection refused', failures: 2}, uptimeSeconds: 12,
			};
			const {bytes, kind, start, end} = payloadOf(lineOf('camera_system', status ? 'INFO' : 'WARNING', formatConnection(fields)));
			expect(kind).toBe(PAYLOAD_CONNECTION);
			expect(readConnection(bytes, start, end)).toEqual({service: 'redis', status});
			const object = readPayloadObject(kind, bytes, start, end)!;
			expect(Object.keys(object)).toEqual(['service', 'status', 'details', 'uptime']);
			expect(object).toEqual({
				service: 'redis', status, details: fields.details, uptime: 12,
			});
		}
	});

	it('PERF: any number, name and unit reads back exactly, through the fast path or JSON.parse', () => {
		const scratch = createPerfScratch();
		fc.assert(fc.property(
			fc.string({minLength: 1, unit: 'grapheme'}),
			fc.double({noNaN: true, noDefaultInfinity: true}).filter(value => !Object.is(value, -0)),
			fc.option(fc.string({unit: 'grapheme'})),
			fc.double({min: 0, max: 1e7, noNaN: true}),
			(metric, value, unit, uptimeSeconds) => {
				const line = lineOf(null, null, formatPerf({
					metric, value, unit, time: TIME, uptimeSeconds,
				}));
				const header = parseRecordHeader(line)!;
				expect(header).toMatchObject({
					timestamp: STAMP, time: TIME, logger: null, level: null,
				});
				const {bytes, kind, start, end} = payloadOf(line);
				expect(kind).toBe(PAYLOAD_PERF);
				const event = readPerf(bytes, start, end, scratch);
				const read = event === scratch
					? {metric: bytes.toString('utf8', scratch.metricStart, scratch.metricEnd), value: scratch.value, unit: scratch.unitEnd > scratch.unitStart ? bytes.toString('utf8', scratch.unitStart, scratch.unitEnd) : null}
					: event;
				expect(read).toEqual({metric, value, unit});
				expect(readPayloadObject(kind, bytes, start, end)).toMatchObject({timestamp: TIME / 1000, uptime: uptimeSeconds});
			},
		), {seed: 13, numRuns: 500});
	});

	it('PERF: the seed\'s layout of a plain number is read without JSON.parse', () => {
		const scratch = createPerfScratch();
		const {bytes, start, end} = payloadOf(lineOf(null, null, formatPerf({
			metric: 'fetch_image_duration', value: 0.045, unit: 'seconds', time: TIME, uptimeSeconds: 3600.5,
		})));
		expect(readPerf(bytes, start, end, scratch)).toBe(scratch);
		expect(scratch.value).toBe(0.045);
	});

	it('PERF: an object value (system_health) reads back field for field', () => {
		const value = {
			cpu_percent: 25.5, memory_percent: 45.2, disk_percent: 61, threads: 12,
		};
		const {bytes, start, end} = payloadOf(lineOf(null, null, formatPerf({
			metric: 'system_health', value, unit: null, time: TIME, uptimeSeconds: 1,
		})));
		expect(readPerf(bytes, start, end, createPerfScratch())).toEqual({metric: 'system_health', value, unit: null});
	});

	it('error records: the main log\'s line and errors.log\'s, whose function:line reads back', () => {
		const message = 'Redis connection failed - Connection refused';
		expect(parseRecordHeader(lineOf('camera_system', 'ERROR', message))).toEqual({
			timestamp: STAMP, time: TIME, logger: 'camera_system', level: 'ERROR', message,
		});
		const located = parseRecordHeader(lineOf('camera_system', 'CRITICAL', message, {function: 'fetch_image', line: 123}))!;
		expect(located).toMatchObject({logger: 'camera_system', level: 'CRITICAL'});
		expect(parseSourceLocation(located.message)).toEqual({function: 'fetch_image', line: 123, message});
		expect(parseRecordHeader(lineOf(null, 'ERROR', 'Camera 2 disconnected'))).toMatchObject({logger: null, level: 'ERROR', message: 'Camera 2 disconnected'});
	});

	it('tracebacks: continuation lines only, the exception class on the last line, a chain root cause first', () => {
		const lines = formatTraceback([
			{frames: [{file: '/app/redis.js', line: 7, function: 'connect'}], name: 'ConnectionError', message: 'Error 111'},
			{
				frames: [{file: '/app/camera.js', line: 12, function: 'fetchImage'}, {text: 'at eval (eval at <anonymous>)'}],
				name: 'RuntimeError',
				// A message line that would read as a record of its own.
				message: `frame lost\n${STAMP} - camera_system - ERROR - not a record`,
			},
		]);
		expect(lines).toEqual([
			'Traceback (most recent call last):',
			'  File "/app/redis.js", line 7, in connect',
			'ConnectionError: Error 111',
			'',
			'The above exception was the direct cause of the following exception:',
			'',
			'Traceback (most recent call last):',
			'  File "/app/camera.js", line 12, in fetchImage',
			'  at eval (eval at <anonymous>)',
			'RuntimeError: frame lost',
			`  ${STAMP} - camera_system - ERROR - not a record`,
		]);
		expect(lines.some(line => isRecordStart(line))).toBe(false);
		expect(exceptionClass(formatTraceback([{frames: [], name: 'TypeError', message: 'bad frame'}]).at(-1)!)).toBe('TypeError');
		expect(formatThrownValue('{"code":42}')).toEqual(['Thrown value: {"code":42}']);
	});
});
