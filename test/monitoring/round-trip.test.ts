import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {
	beforeAll, describe, expect, it,
} from 'vitest';
import {createMonitor, type MonitorStats} from '../../source/monitoring/index.js';
import {analyzeLogs} from '../../source/logs/analyze.js';
import {logsInDirectory} from '../../source/logs/plan.js';
import {analyzeJson} from '../../source/commands/analyze-json.js';
import {parseSourceLocation} from '../../source/logs/record-header.js';
import {
	createPerfScratch, readConnection, readIssue, readPerf,
} from '../../source/logs/payload.js';
import {readRecords, temporaryDirectory, type ReadRecord} from './read-back.js';

type Json = Record<string, any>;

const THIS_FILE = fileURLToPath(import.meta.url);
const SOURCE_LINES = readFileSync(THIS_FILE, 'utf8').split('\n');
/** The line of this file that calls error() from fetchImage, which errors.log names, and the one that throws, which the traceback names. */
const ERROR_CALL_LINE = SOURCE_LINES.findIndex(line => line.includes('monitor.error(\'Redis connection failed')) + 1;
const THROW_LINE = SOURCE_LINES.findIndex(line => line.includes('throw Object.assign(new Error(\'Error 111')) + 1;

function payload(record: ReadRecord, prefix: string): {bytes: Buffer; start: number; end: number; json: Json} {
	expect(record.header.message.startsWith(prefix)).toBe(true);
	const bytes = Buffer.from(record.header.message, 'utf8');
	return {
		bytes, start: Buffer.byteLength(prefix), end: bytes.length, json: JSON.parse(record.header.message.slice(prefix.length)) as Json,
	};
}

describe('every record kind, read back by camtop\'s log engine', () => {
	let directory: string;
	let logsDir: string;
	let legacyLog: string;
	let stats: MonitorStats;
	let json: Record<string, Json>;
	let before: number;
	let after: number;

	beforeAll(async () => {
		directory = temporaryDirectory();
		logsDir = path.join(directory, 'logs');
		legacyLog = path.join(directory, 'greencam.log');
		before = Date.now();
		const monitor = createMonitor({
			logsDir, legacyLog, level: 'DEBUG', handleSignals: false, slowCallSeconds: 0,
		});
		monitor.start();
		monitor.debug('debug message');
		monitor.info('info message');
		monitor.warning('warning message');
		function fetchImage() {
			try {
				throw Object.assign(new Error('Error 111 connecting to localhost:6379. Connection refused.'), {name: 'ConnectionError'});
			} catch (error) {
				monitor.error('Redis connection failed: Connection refused', {error});
			}
		}

		fetchImage();
		monitor.error('an error without a traceback');
		monitor.critical('critical message', {error: new RangeError('frame index out of range', {cause: new Error('the root cause')})});
		monitor.info('two\nlines\r\nand a third');
		expect(monitor.timed('sync_step', () => 7)).toBe(7);
		expect(await monitor.timed('async_step', async () => 'done')).toBe('done');
		expect(() => monitor.timed('sync_failure', () => {
			throw new TypeError('bad frame');
		})).toThrow('bad frame');
		await expect(monitor.timed('fetch_image', async () => {
			throw new Error('camera unreachable');
		})).rejects.toThrow('camera unreachable');
		monitor.metric('queue_size', 12, 'items');
		monitor.metric('frame_ratio', -0.125);
		monitor.metric('camera_stats', {fps: 9.5, dropped: 3}, 'count');
		monitor.issue('thread_timeout', 'Thread timeout in fetch_image', {camera: 'cam1', ünïcode: 'naïve ✓ 📷', nested: {list: [1, 2.5, null, true]}});
		monitor.issue('thread_timeout', 'Thread timeout again');
		monitor.issue('queue_overflow', 'Queue full', {size: 100}, 'CRITICAL');
		monitor.connection('redis', true);
		monitor.connection('redis', false, {error: 'Connection refused'});
		monitor.connection('redis', false);
		monitor.connection('camera_1', true, {url: 'rtsp://cam1/stream'});
		monitor.onShutdown(() => {
			monitor.info('cleanup registered first, run last');
		});
		monitor.onShutdown(async () => {
			monitor.info('cleanup registered last, run first');
		});
		await monitor.shutdown();
		after = Date.now();
		stats = monitor.stats();
		// In this thread: vitest runs the TypeScript sources, which worker threads cannot load.
		const result = await analyzeLogs({sources: logsInDirectory(logsDir, legacyLog, directory), workers: 0});
		json = analyzeJson(result) as Record<string, Json>;
	});

	it('wrote what it says it wrote, and lost nothing', () => {
		expect(stats).toEqual({
			records: {
				DEBUG: 1, INFO: 8, WARNING: 7, ERROR: 6, CRITICAL: 2,
			},
			perf: 6,
			issues: {thread_timeout: 2, queue_overflow: 1, function_failure: 2},
			connections: 4,
			connectionFailures: {redis: 2},
			errorsLog: 8,
			lostWrites: 0,
		});
	});

	it('every line is a record or a traceback line, none unparsed or invalid', () => {
		expect(Object.keys(json).sort()).toEqual(['greencam.log', 'logs/camera_system.log', 'logs/errors.log', 'logs/performance.log']);
		for (const [name, log] of Object.entries(json)) {
			expect({
				name, unparsed: log.unparsed, invalid: log.invalid, problems: log.problems,
			}).toEqual({
				name, unparsed: 0, invalid: 0, problems: undefined,
			});
		}
	});

	it('counts levels, issue types, connections and errors as stats() does', () => {
		const nonZero = (levels: Record<string, number>) => Object.fromEntries(Object.entries(levels).filter(([, count]) => count > 0));
		const main = json['logs/camera_system.log']!;
		expect(main.levels).toEqual(nonZero(stats.records));
		expect(json['greencam.log']!.levels).toEqual(nonZero(stats.records));
		expect(Object.fromEntries(Object.entries(main.issue_types as Record<string, Json>).map(([type, {count}]) => [type, count]))).toEqual(stats.issues);
		const connections = main.connections as Record<string, {up: number; down: number}>;
		expect(Object.values(connections).reduce((sum, {up, down}) => sum + up + down, 0)).toBe(stats.connections);
		expect(Object.fromEntries(Object.entries(connections).filter(([, {down}]) => down > 0).map(([service, {down}]) => [service, down]))).toEqual(stats.connectionFailures);
		expect(connections.redis).toMatchObject({up: 1, down: 2, last_status: false});
		expect(connections.camera_1).toMatchObject({up: 1, down: 0, last_status: true});
		expect(json['logs/errors.log']!.records).toBe(stats.errorsLog);
		expect(json['logs/performance.log']!.records).toBe(stats.perf);
	});

	it('reads the tracebacks as continuation lines and groups errors by exception class', () => {
		const errorTypes = json['logs/errors.log']!.error_types as Record<string, Json>;
		expect(errorTypes.ConnectionError).toMatchObject({count: 1});
		expect(errorTypes.RangeError).toMatchObject({count: 1});
		expect(errorTypes.TypeError).toMatchObject({count: 1});
		const continuation = readRecords(path.join(logsDir, 'errors.log')).reduce((sum, record) => sum + record.continuation.length, 0);
		expect(json['logs/errors.log']!.continuation_lines).toBe(continuation);
		expect(continuation).toBeGreaterThan(10);
	});

	it('counts PERF records per metric, system_health per field', () => {
		const performance = json['logs/performance.log']!.performance as Record<string, Json>;
		expect(Object.keys(performance).sort()).toEqual(['async_step_duration', 'camera_stats', 'frame_ratio', 'queue_size', 'sync_step_duration', 'system_health']);
		expect(performance.queue_size).toMatchObject({
			count: 1, min: 12, max: 12, unit: 'items',
		});
		expect(performance.frame_ratio).toMatchObject({count: 1, min: -0.125});
		expect(performance.sync_step_duration).toMatchObject({count: 1, unit: 'seconds'});
		expect(Object.keys(performance.system_health!).sort()).toEqual(['cpu_percent', 'disk_percent', 'memory_percent', 'threads']);
		expect(performance.system_health!.threads).toMatchObject({count: 1});
	});

	it('main log: each record field for field, in order', () => {
		const records = readRecords(path.join(logsDir, 'camera_system.log'));
		for (const record of records) {
			expect(record.header.logger).toBe('camera_system');
			expect(record.header.time).toBeGreaterThanOrEqual(before);
			expect(record.header.time).toBeLessThanOrEqual(after);
			expect(record.header.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/);
		}

		const plain = records.filter(record => !/^(?:ISSUE|CONNECTION): /.test(record.header.message)).map(record => [record.header.level, record.header.message]);
		expect(plain).toEqual([
			['DEBUG', 'debug message'],
			['INFO', 'info message'],
			['WARNING', 'warning message'],
			['ERROR', 'Redis connection failed: Connection refused'],
			['ERROR', 'an error without a traceback'],
			['CRITICAL', 'critical message'],
			['INFO', 'two lines  and a third'],
			['WARNING', expect.stringMatching(/^Slow call: sync_step took \d+\.\d{3} s$/)],
			['WARNING', expect.stringMatching(/^Slow call: async_step took \d+\.\d{3} s$/)],
			['ERROR', 'Function sync_failure failed'],
			['ERROR', 'Function fetch_image failed'],
			['INFO', 'Shutting down: shutdown requested'],
			['INFO', 'cleanup registered last, run first'],
			['INFO', 'cleanup registered first, run last'],
			['INFO', 'Shutdown complete'],
		]);

		const traceback = records.find(record => record.header.message.startsWith('Redis connection failed'))!.continuation;
		expect(traceback[0]).toBe('Traceback (most recent call last):');
		expect(traceback).toContain(`  File "${THIS_FILE}", line ${THROW_LINE}, in fetchImage`);
		expect(traceback.at(-1)).toBe('ConnectionError: Error 111 connecting to localhost:6379. Connection refused.');
		const chained = records.find(record => record.header.message === 'critical message')!.continuation;
		expect(chained.filter(line => line === 'Traceback (most recent call last):')).toHaveLength(2);
		expect(chained).toContain('The above exception was the direct cause of the following exception:');
		expect(chained.at(-1)).toBe('RangeError: frame index out of range');
		expect(readFileSync(legacyLog, 'utf8')).toBe(readFileSync(path.join(logsDir, 'camera_system.log'), 'utf8'));
	});

	it('ISSUE records: every field, in the seed\'s byte layout', () => {
		const issues = readRecords(path.join(logsDir, 'camera_system.log')).filter(record => record.header.message.startsWith('ISSUE: '));
		const read = issues.map(record => {
			const {bytes, start, end, json: fields} = payload(record, 'ISSUE: ');
			expect(readIssue(bytes, start, end)).toEqual({issueType: fields.issue_type});
			expect(record.header.level).toBe(fields.severity);
			expect(fields.uptime).toBeGreaterThanOrEqual(0);
			expect(Object.keys(fields)).toEqual(['issue_type', 'message', 'severity', 'count', 'uptime', 'context']);
			const {uptime, ...rest} = fields;
			return rest;
		});
		expect(read).toEqual([
			{
				issue_type: 'function_failure', message: 'Function sync_failure failed: bad frame', severity: 'ERROR', count: 1, context: {function: 'sync_failure', error: 'bad frame', duration_seconds: expect.any(Number)},
			},
			{
				issue_type: 'function_failure', message: 'Function fetch_image failed: camera unreachable', severity: 'ERROR', count: 2, context: {function: 'fetch_image', error: 'camera unreachable', duration_seconds: expect.any(Number)},
			},
			{
				issue_type: 'thread_timeout', message: 'Thread timeout in fetch_image', severity: 'WARNING', count: 1, context: {camera: 'cam1', ünïcode: 'naïve ✓ 📷', nested: {list: [1, 2.5, null, true]}},
			},
			{
				issue_type: 'thread_timeout', message: 'Thread timeout again', severity: 'WARNING', count: 2, context: {},
			},
			{
				issue_type: 'queue_overflow', message: 'Queue full', severity: 'CRITICAL', count: 1, context: {size: 100},
			},
		]);
		// Python's json.dumps: ", " and ": ", non-ASCII as \uXXXX (a surrogate pair above U+FFFF).
		expect(issues[2]!.header.message).toMatch(/^ISSUE: {"issue_type": "thread_timeout", "message": "Thread timeout in fetch_image", "severity": "WARNING", "count": 1, "uptime": \d+(?:\.\d+)?, "context": {"camera": "cam1", "\\u00fcn\\u00efcode": "na\\u00efve \\u2713 \\ud83d\\udcf7", "nested": {"list": \[1, 2\.5, null, true]}}}$/);
	});

	it('CONNECTION records: every field, failures counted per service', () => {
		const connections = readRecords(path.join(logsDir, 'camera_system.log')).filter(record => record.header.message.startsWith('CONNECTION: '));
		const read = connections.map(record => {
			const {bytes, start, end, json: fields} = payload(record, 'CONNECTION: ');
			expect(readConnection(bytes, start, end)).toEqual({service: fields.service, status: fields.status});
			expect(record.header.level).toBe(fields.status ? 'INFO' : 'WARNING');
			expect(Object.keys(fields)).toEqual(['service', 'status', 'details', 'uptime']);
			return [fields.service, fields.status, fields.details];
		});
		expect(read).toEqual([
			['redis', true, {failures: 0}],
			['redis', false, {error: 'Connection refused', failures: 1}],
			['redis', false, {failures: 2}],
			['camera_1', true, {url: 'rtsp://cam1/stream', failures: 0}],
		]);
		expect(connections[0]!.header.message).toMatch(/^CONNECTION: {"service": "redis", "status": true, "details": {"failures": 0}, "uptime": \d+(?:\.\d+)?}$/);
	});

	it('PERF records: the fast path reads every number record, values as passed', () => {
		const scratch = createPerfScratch();
		const records = readRecords(path.join(logsDir, 'performance.log'));
		const read = records.map(record => {
			expect(record.header.level).toBeNull();
			expect(record.header.logger).toBeNull();
			const {bytes, start, end, json: fields} = payload(record, 'PERF: ');
			expect(Object.keys(fields)).toEqual(['metric', 'value', 'unit', 'timestamp', 'uptime']);
			// The timestamp is the header's, in seconds.
			expect(fields.timestamp).toBe(record.header.time / 1000);
			const event = readPerf(bytes, start, end, scratch);
			if (typeof fields.value === 'number') {
				expect(event).toBe(scratch);
				expect(bytes.toString('utf8', scratch.metricStart, scratch.metricEnd)).toBe(fields.metric);
				expect(scratch.value).toBe(fields.value);
				expect(scratch.unitEnd > scratch.unitStart ? bytes.toString('utf8', scratch.unitStart, scratch.unitEnd) : null).toBe(fields.unit);
			} else {
				expect(event).toEqual({metric: fields.metric, value: fields.value, unit: fields.unit});
			}

			return [fields.metric, fields.value, fields.unit];
		});
		expect(read).toEqual([
			['system_health', {
				cpu_percent: expect.any(Number), memory_percent: expect.any(Number), disk_percent: expect.any(Number), threads: expect.any(Number),
			}, null],
			['sync_step_duration', expect.any(Number), 'seconds'],
			['async_step_duration', expect.any(Number), 'seconds'],
			['queue_size', 12, 'items'],
			['frame_ratio', -0.125, null],
			['camera_stats', {fps: 9.5, dropped: 3}, 'count'],
		]);
		const health = read[0]![1] as Record<string, number>;
		for (const field of ['cpu_percent', 'memory_percent', 'disk_percent']) {
			expect(health[field]).toBeGreaterThanOrEqual(0);
			expect(health[field]).toBeLessThanOrEqual(100);
		}

		expect(Number.isInteger(health.threads) && health.threads! > 0).toBe(true);
		expect(read[1]![1]).toBeGreaterThanOrEqual(0);
	});

	it('errors.log: ERROR and CRITICAL only, each with its caller\'s function:line', () => {
		const records = readRecords(path.join(logsDir, 'errors.log'));
		expect(records.map(record => record.header.level)).toEqual(['ERROR', 'ERROR', 'CRITICAL', 'ERROR', 'ERROR', 'ERROR', 'ERROR', 'CRITICAL']);
		const located = records.map(record => ({level: record.header.level, ...parseSourceLocation(record.header.message)}));
		expect(located[0]).toEqual({
			level: 'ERROR', function: 'fetchImage', line: ERROR_CALL_LINE, message: 'Redis connection failed: Connection refused',
		});
		for (const record of located) {
			expect(record.function).not.toBeNull();
			expect(record.line).toBeGreaterThan(0);
		}

		expect(located.map(record => record.message)).toEqual([
			'Redis connection failed: Connection refused',
			'an error without a traceback',
			'critical message',
			'Function sync_failure failed',
			expect.stringMatching(/^ISSUE: {"issue_type": "function_failure"/),
			'Function fetch_image failed',
			expect.stringMatching(/^ISSUE: {"issue_type": "function_failure"/),
			expect.stringMatching(/^ISSUE: {"issue_type": "queue_overflow"/),
		]);
		expect(records).toHaveLength(stats.errorsLog);
	});
});

describe('createMonitor options', () => {
	it('level filters the main log, not errors.log; quick calls write no slow-call warning', async () => {
		const directory = temporaryDirectory();
		const monitor = createMonitor({
			logsDir: directory, legacyLog: null, level: 'WARNING', handleSignals: false,
		});
		monitor.debug('not written');
		monitor.info('not written either');
		monitor.warning('written');
		monitor.error('in both');
		monitor.issue('minor', 'below the level', {}, 'WARNING');
		monitor.connection('redis', true);
		monitor.timed('quick', () => 1);
		await monitor.shutdown();
		const main = readRecords(path.join(directory, 'camera_system.log')).map(record => record.header.message);
		expect(main).toEqual(['written', 'in both', expect.stringMatching(/^ISSUE: /)]);
		expect(readRecords(path.join(directory, 'errors.log')).map(record => parseSourceLocation(record.header.message).message)).toEqual(['in both']);
		expect(monitor.stats()).toMatchObject({
			records: {
				DEBUG: 0, INFO: 0, WARNING: 2, ERROR: 1, CRITICAL: 0,
			}, connections: 0, perf: 1,
		});
	});

	it('refuses nonsense numbers at creation, with the option named', () => {
		expect(() => createMonitor({rotationBytes: 0, handleSignals: false})).toThrow(/rotationBytes/);
		expect(() => createMonitor({backups: 1.5, handleSignals: false})).toThrow(/backups/);
		expect(() => createMonitor({level: 'LOUD' as 'INFO', handleSignals: false})).toThrow(/level/);
	});

	it('shutdown() is idempotent and records after it are not written', async () => {
		const directory = temporaryDirectory();
		const monitor = createMonitor({logsDir: directory, legacyLog: null, handleSignals: false});
		monitor.info('before');
		const first = monitor.shutdown('test over');
		expect(monitor.shutdown()).toBe(first);
		await first;
		monitor.info('after');
		monitor.metric('after', 1);
		expect(readRecords(path.join(directory, 'camera_system.log')).map(record => record.header.message)).toEqual(['before', 'Shutting down: test over', 'Shutdown complete']);
	});
});

describe('a logs directory that cannot be created', () => {
	it('throws nothing from createMonitor, records or shutdown, and counts what was lost', async () => {
		const directory = temporaryDirectory();
		const blocker = path.join(directory, 'a-file');
		writeFileSync(blocker, 'not a directory\n');
		const monitor = createMonitor({
			logsDir: path.join(blocker, 'logs'), legacyLog: path.join(blocker, 'greencam.log'), handleSignals: false, shutdownTimeoutMs: 1000,
		});
		monitor.start();
		for (let index = 0; index < 100; index++) {
			monitor.info(`record ${index}`);
			monitor.error('an error', {error: new Error('x')});
			monitor.metric('value', index);
			monitor.issue('kind', 'an issue');
			monitor.connection('redis', index % 2 === 0);
			monitor.timed('step', () => index);
		}

		await monitor.shutdown();
		expect(monitor.stats().lostWrites).toBeGreaterThan(0);
		expect(readFileSync(blocker, 'utf8')).toBe('not a directory\n');
	});
});
