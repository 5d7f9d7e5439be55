import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {analyzeLogs} from '../../source/logs/analyze.js';
import {parseRecordHeader} from '../../source/logs/record-header.js';
import {
	createPerfScratch, readConnection, readIssue, readPerf,
} from '../../source/logs/payload.js';
import {normalizeMessage, exceptionClass} from '../../source/logs/error-type.js';

const SEED_LINES = [
	'2024-01-15 10:30:15,123 - camera_system - INFO - CONNECTION: {"service": "redis", "status": true, "details": {"failures": 0}, "uptime": 3600.5}',
	'2024-01-15 10:30:15,124 - camera_system - WARNING - ISSUE: {"issue_type": "thread_timeout", "message": "Thread timeout in fetch_image", "severity": "WARNING", "count": 1, "uptime": 3600.5, "context": {}}',
	'2024-01-15 10:30:15,123 - camera_system - ERROR - fetch_image:123 - Redis connection failed: Connection refused',
	'2024-01-15 10:30:15,123 - PERF: {"metric": "fetch_image_duration", "value": 0.045, "unit": "seconds", "timestamp": 1705312215.123, "uptime": 3600.5}',
	'2024-01-15 10:30:15,124 - PERF: {"metric": "system_health", "value": {"cpu_percent": 25.5, "memory_percent": 45.2}, "unit": null, "timestamp": 1705312215.124, "uptime": 3600.5}',
	'2024-01-15 10:30:15,123 - ERROR - Camera 2 disconnected',
	'Traceback (most recent call last):',
	'  File "cam1_stream.py", line 123, in fetch_image',
	'redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.',
].map(line => Buffer.from(line));

/** A seed line with a random cut, insertion, overwrite or duplication. */
const mutatedLine = fc.tuple(fc.constantFrom(...SEED_LINES), fc.nat(), fc.nat(), fc.uint8Array({maxLength: 12}), fc.integer({min: 0, max: 4})).map(([line, a, b, bytes, how]) => {
	const at = a % (line.length + 1);
	const to = at + (b % (line.length + 1 - at));
	switch (how) {
		case 0: {
			return line.subarray(0, at);
		}

		case 1: {
			return Buffer.concat([line.subarray(0, at), bytes, line.subarray(at)]);
		}

		case 2: {
			return Buffer.concat([line.subarray(0, at), bytes, line.subarray(to)]);
		}

		case 3: {
			return Buffer.concat([line.subarray(0, at), line.subarray(at - Math.min(at, 5))]);
		}

		default: {
			return line;
		}
	}
});

const anyLine = fc.oneof(
	{weight: 3, arbitrary: mutatedLine},
	{weight: 1, arbitrary: fc.uint8Array({maxLength: 200}).map(bytes => Buffer.from(bytes))},
	{weight: 1, arbitrary: fc.constantFrom(...SEED_LINES)},
).map(line => Buffer.from(line.filter(byte => byte !== 0x0A)));

// The oracle, independent of the parser: the timestamp and separator of the seed's formats.
const RECORD_START = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:[,.]\d{3})? - /;

function startsRecord(line: Buffer): boolean {
	const text = line.toString('latin1');
	return RECORD_START.test(text.endsWith('\r') ? text.slice(0, -1) : text);
}

const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-fuzz-'));
let run = 0;

describe('the log engine on hostile input', () => {
	it('accounts for every one of 10⁵ fuzzed lines and never throws', async () => {
		let total = 0;
		await fc.assert(fc.asyncProperty(fc.array(anyLine, {minLength: 1000, maxLength: 1000}), async lines => {
			const file = path.join(directory, `fuzz-${run++}.log`);
			writeFileSync(file, Buffer.concat(lines.flatMap(line => [line, Buffer.from('\n')])));
			total += lines.length;
			const starts = lines.filter(line => startsRecord(line)).length;
			const firstStart = lines.findIndex(line => startsRecord(line));
			const orphans = firstStart === -1 ? lines.length : firstStart;

			const result = await analyzeLogs({sources: [{key: file, files: [file]}], workers: 0, chunkBytes: 4096});
			const {summary, problems} = result.logs[0]!;
			expect(problems).toEqual([]);
			expect(summary.lines).toBe(lines.length);
			expect(summary.records).toBe(starts);
			expect(summary.unparsed).toBe(orphans);
			expect(summary.records + summary.unparsed + summary.continuation).toBe(lines.length);
			expect(summary.invalid).toBeLessThanOrEqual(summary.records);
		}), {numRuns: 100, seed: 20_261_128});
		expect(total).toBe(100_000);
	}, 120_000);

	it('parses any string as a header or not, without throwing', () => {
		fc.assert(fc.property(fc.string({unit: 'binary', maxLength: 300}), text => {
			const header = parseRecordHeader(text);
			expect(header === undefined || typeof header.message === 'string').toBe(true);
		}), {numRuns: 20_000});
	});

	it('reads any payload as valid or invalid, without throwing', () => {
		const scratch = createPerfScratch();
		fc.assert(fc.property(fc.oneof(fc.uint8Array({maxLength: 300}), fc.json().map(json => Buffer.from(json))), bytes => {
			const buffer = Buffer.from(bytes);
			readConnection(buffer, 0, buffer.length);
			readIssue(buffer, 0, buffer.length);
			readPerf(buffer, 0, buffer.length, scratch);
		}), {numRuns: 20_000});
	});

	it('normalises any message in bounded length, without throwing', () => {
		fc.assert(fc.property(fc.string({maxLength: 2000}), text => {
			expect(normalizeMessage(text).length).toBeLessThanOrEqual(160);
			exceptionClass(text);
		}), {numRuns: 5000});
	});
});
