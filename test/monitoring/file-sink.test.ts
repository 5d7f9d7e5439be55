import {existsSync, readdirSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {FileSink} from '../../source/monitoring/file-sink.js';
import {formatLogTime} from '../../source/logs/record-header.js';
import {waitFor} from '../helpers/wait-for.js';
import {readRecords, temporaryDirectory} from './read-back.js';

const line = (sequence: number) => `${formatLogTime(Date.now())} - PERF: {"metric": "seq", "value": ${sequence}, "unit": null, "timestamp": 0, "uptime": 0}\n`;
const sequenceOf = (message: string) => Number(/"value": (\d+)/.exec(message)![1]);

function failOnError(file: string, error: unknown): never {
	throw new Error(`${file}: ${String(error)}`);
}

describe('FileSink', () => {
	it('rotates on an interval (performance.log\'s daily rotation, here every second) without losing or splitting a record', async () => {
		const file = path.join(temporaryDirectory(), 'performance.log');
		const sink = new FileSink({
			file, interval: '1s', backups: 5, maxPendingBytes: 1024 * 1024, onError: failOnError,
		});
		let sequence = 0;
		await waitFor(() => {
			for (let index = 0; index < 10; index++) {
				sink.write(line(++sequence));
			}

			return existsSync(`${file}.2`);
		}, 'two rotations', 10_000, 10);
		await sink.close();
		expect(sink.lost).toBe(0);
		expect(sink.written).toBe(sequence);
		const names = readdirSync(path.dirname(file)).sort();
		expect(names.slice(0, 3)).toEqual(['performance.log', 'performance.log.1', 'performance.log.2']);
		const sequences = names.reverse().flatMap(name => readRecords(path.join(path.dirname(file), name)).map(record => sequenceOf(record.header.message)));
		expect(sequences).toEqual(Array.from({length: sequence}, (_, index) => index + 1));
	});

	it('drops records over the pending bound, counts them, and writes the others in order', async () => {
		const file = path.join(temporaryDirectory(), 'camera_system.log');
		const sink = new FileSink({
			file, rotationBytes: 1024 * 1024, backups: 5, maxPendingBytes: 10 * line(100).length, onError: failOnError,
		});
		const accepted: number[] = [];
		for (let sequence = 1; sequence <= 100; sequence++) {
			if (sink.write(line(sequence))) {
				accepted.push(sequence);
			}
		}

		await sink.close();
		expect(accepted.length).toBeGreaterThanOrEqual(10);
		expect(accepted.length).toBeLessThan(100);
		expect(sink.lost).toBe(100 - accepted.length);
		expect(readRecords(file).map(record => sequenceOf(record.header.message))).toEqual(accepted);
		expect(sink.write(line(101))).toBe(false);
	});
});
