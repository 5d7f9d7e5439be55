import {readdirSync, statSync} from 'node:fs';
import path from 'node:path';
import {
	beforeAll, describe, expect, it,
} from 'vitest';
import {createMonitor, type MonitorStats} from '../../source/monitoring/index.js';
import {readRecords, recordBytes, temporaryDirectory} from './read-back.js';

const MAIN_LIMIT = 64 * 1024;
const ERROR_LIMIT = 16 * 1024;
const RECORDS = 12_000;
/** Every this many records is an error with a traceback: it goes to errors.log too. */
const ERROR_EVERY = 6;

/**
The files of one log, oldest first, checked on the way: exactly `name` and `name.1` … `name.5`; every record whole
(a traceback only after the record it belongs to, in the same file); every rotated file at least the limit, and
under it without its last record (rotation right after the record that reached it). Returns the sequence numbers
of the records, in file order.
*/
function readRotated(directory: string, name: string, limit: number, sequenceOf: (message: string) => number | undefined): number[] {
	const entries = readdirSync(directory).filter(entry => entry.startsWith(name)).sort();
	expect(entries).toEqual([name, ...[1, 2, 3, 4, 5].map(index => `${name}.${index}`)]);
	const sequences: number[] = [];
	for (const entry of [...[5, 4, 3, 2, 1].map(index => `${name}.${index}`), name]) {
		const file = path.join(directory, entry);
		const records = readRecords(file);
		for (const record of records) {
			const failure = /\(failure (\d+)\)$/.exec(record.header.message);
			if (failure === null) {
				expect(record.continuation).toEqual([]);
			} else {
				expect(record.continuation[0]).toBe('Traceback (most recent call last):');
				expect(record.continuation.at(-1)).toBe(`Error: failure ${failure[1]}`);
			}

			const sequence = sequenceOf(record.header.message);
			if (sequence !== undefined) {
				sequences.push(sequence);
			}
		}

		if (entry !== name) {
			const {size} = statSync(file);
			expect({entry, atLimit: size >= limit}).toEqual({entry, atLimit: true});
			expect({entry, withoutLast: size - recordBytes(records.at(-1)!) < limit}).toEqual({entry, withoutLast: true});
		}
	}

	return sequences;
}

function numberAfter(pattern: RegExp): (message: string) => number | undefined {
	return message => {
		const match = pattern.exec(message);
		return match === null ? undefined : Number(match[1]);
	};
}

/** Main-log records carry `#N`, error records `@N` too; shutdown's own records neither. */
const mainSequence = numberAfter(/^#(\d+) /);
const errorSequence = numberAfter(/@(\d+) /);

function expectNewestRun(sequences: number[], last: number): void {
	expect(sequences.at(-1)).toBe(last);
	const first = sequences[0]!;
	expect(sequences).toEqual(Array.from({length: last - first + 1}, (_, index) => first + index));
}

describe('rotation by size, 5 backups', () => {
	let directory: string;
	let logsDir: string;
	let stats: MonitorStats;
	let mainRecords = 0;
	let errorRecords = 0;

	beforeAll(async () => {
		directory = temporaryDirectory();
		logsDir = path.join(directory, 'logs');
		const monitor = createMonitor({
			logsDir, legacyLog: path.join(directory, 'greencam.log'), rotationBytes: MAIN_LIMIT, errorRotationBytes: ERROR_LIMIT, handleSignals: false,
		});
		for (let index = 1; index <= RECORDS; index++) {
			if (index % ERROR_EVERY === 0) {
				try {
					throw new Error(`failure ${index}`);
				} catch (error) {
					monitor.error(`#${++mainRecords} error @${++errorRecords} (failure ${index})`, {error});
				}
			} else {
				// Records of many sizes, so that no two rotations fall alike.
				monitor.info(`#${++mainRecords} ${'x'.repeat(index % 97)}`);
			}

			if (index % 1000 === 0) {
				// Let the writes and rotations run between bursts, as in an application.
				await new Promise(resolve => {
					setImmediate(resolve);
				});
			}
		}

		await monitor.shutdown();
		stats = monitor.stats();
	});

	it('lost nothing on the way', () => {
		expect(stats.lostWrites).toBe(0);
		expect(stats.errorsLog).toBe(errorRecords);
	});

	it('camera_system.log: .1 … .5 kept, whole records, the newest ones without a gap', () => {
		const sequences = readRotated(logsDir, 'camera_system.log', MAIN_LIMIT, mainSequence);
		expectNewestRun(sequences, mainRecords);
		// Rotated many times: the records kept are a small part of those written.
		expect(sequences.length).toBeLessThan(mainRecords / 4);
	});

	it('greencam.log rotates alike', () => {
		const sequences = readRotated(directory, 'greencam.log', MAIN_LIMIT, mainSequence);
		expectNewestRun(sequences, mainRecords);
	});

	it('errors.log: its own limit, tracebacks never parted from their records', () => {
		const sequences = readRotated(logsDir, 'errors.log', ERROR_LIMIT, errorSequence);
		expectNewestRun(sequences, errorRecords);
		expect(sequences.length).toBeLessThan(errorRecords / 3);
	});

	it('performance.log rotates daily, not by size', () => {
		expect(readdirSync(logsDir).filter(entry => entry.startsWith('performance.log'))).toEqual(['performance.log']);
	});
});
