import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {collectRecentErrors} from '../../source/collectors/recent-errors.js';
import {errorLine, TRACEBACK} from '../helpers/seed-logs.js';

function logsDir(): string {
	return mkdtempSync(path.join(os.tmpdir(), 'camtop-errors-'));
}

const at = (second: number) => new Date(2024, 0, 15, 10, 30, second);

describe('collectRecentErrors', () => {
	it('gives the last N ERROR records, oldest first, each with its traceback', async () => {
		const directory = logsDir();
		const file = path.join(directory, 'errors.log');
		writeFileSync(file, [
			errorLine(at(1), 'main:10', 'old error'),
			errorLine(at(2), 'fetch_image:123', 'Redis connection failed: Connection refused'),
			...TRACEBACK,
			errorLine(at(3), 'watchdog:7', 'slow', 'WARNING'),
			errorLine(at(4), 'main:456', 'Function fetch_image failed', 'CRITICAL'),
			'',
		].join('\n'));

		const result = await collectRecentErrors([file], 2);
		expect(result.ok).toBe(true);
		const records = result.ok ? result.data.records : [];
		expect(records.map(record => record.message)).toEqual(['Redis connection failed: Connection refused', 'Function fetch_image failed']);
		expect(records[0]).toMatchObject({
			timestamp: '2024-01-15 10:30:02,000', level: 'ERROR', logger: 'camera_system', function: 'fetch_image', line: 123, traceback: TRACEBACK, file,
		});
		expect(records[1]).toMatchObject({
			level: 'CRITICAL', function: 'main', line: 456, traceback: [],
		});
	});

	it('reads only the end of a large file', async () => {
		const directory = logsDir();
		const file = path.join(directory, 'errors.log');
		const filler = Array.from({length: 200_000}, (_, index) => errorLine(at(index % 60), 'loop:1', `error number ${index}`));
		writeFileSync(file, `${filler.join('\n')}\n`);

		const result = await collectRecentErrors([file], 5);
		expect(result.ok && result.data.records.map(record => record.message)).toEqual([199_995, 199_996, 199_997, 199_998, 199_999].map(index => `error number ${index}`));
		// One 64 KiB chunk holds them; the file is over 15 MB.
		expect(result.ok && result.data.bytesRead).toBe(64 * 1024);
	});

	it('goes on into errors.log.1 after a rotation left errors.log short', async () => {
		const directory = logsDir();
		writeFileSync(path.join(directory, 'errors.log.1'), `${errorLine(at(1), 'a:1', 'before rotation')}\n`);
		writeFileSync(path.join(directory, 'errors.log'), `${errorLine(at(2), 'b:2', 'after rotation')}\n`);

		const result = await collectRecentErrors([path.join(directory, 'errors.log'), path.join(directory, 'errors.log.1')], 10);
		expect(result.ok && result.data.records.map(record => record.message)).toEqual(['before rotation', 'after rotation']);
	});

	it('gives none, without failing, when errors.log does not exist', async () => {
		expect(await collectRecentErrors([path.join(logsDir(), 'errors.log')], 5)).toEqual({ok: true, data: {records: [], bytesRead: 0}});
	});

	it('refuses a FIFO where errors.log should be, instead of blocking on it', async () => {
		const fifo = path.join(logsDir(), 'errors.log');
		execFileSync('mkfifo', [fifo]);
		expect(await collectRecentErrors([fifo], 5)).toEqual({ok: false, error: `${fifo}: not a regular file`});
	});

	it('caps a runaway traceback to its last lines', async () => {
		const directory = logsDir();
		const file = path.join(directory, 'errors.log');
		const frames = Array.from({length: 1000}, (_, index) => `  File "x.py", line ${index}, in f`);
		writeFileSync(file, [errorLine(at(1), 'f:1', 'RecursionError'), ...frames, 'RecursionError: maximum recursion depth exceeded'].join('\n'));
		const result = await collectRecentErrors([file], 1);
		const traceback = result.ok ? result.data.records[0]!.traceback : [];
		expect(traceback).toHaveLength(40);
		expect(traceback.at(-1)).toBe('RecursionError: maximum recursion depth exceeded');
	});
});
