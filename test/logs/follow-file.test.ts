import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {
	appendFileSync, chmodSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {
	afterEach, describe, expect, test,
} from 'vitest';
import {FileFollower, type FollowStatus} from '../../source/logs/follow-file.js';
import {CUT_MARK, MAX_LINE_CHARS} from '../../source/logs/guarded-tail.js';
import {isRecordStart} from '../../source/logs/record-header.js';
import {LogFeed} from '../../source/feeds/log-feed.js';
import {ErrorFeed} from '../../source/feeds/error-feed.js';
import {errorLine, TRACEBACK} from '../helpers/seed-logs.js';
import {waitFor} from '../helpers/wait-for.js';

const WRITER = fileURLToPath(new URL('../helpers/log-writer.mjs', import.meta.url));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(async close => close()));
});

function temporaryDirectory(): string {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-follow-'));
	closers.push(async () => {
		rmSync(directory, {recursive: true, force: true});
	});
	return directory;
}

const record = (index: number) => errorLine(new Date(2026, 10, 28, 12, 0, 0), `fetch_image:${index}`, `record ${index}`);

/**
Two more looks at the file, each proved by a record appended once the one before it was `read` (numbered from `next`):
a late duplicate of what came earlier would arrive before them.
*/
async function twoMoreLooks(file: string, next: number, read: (number: number) => boolean): Promise<void> {
	for (const number of [next, next + 1]) {
		appendFileSync(file, `${record(number)}\n`);
		await waitFor(() => read(number), `record ${number}, appended last`);
	}
}

function follow(file: string, backfillRecords = 50, pollMs?: number) {
	const lines: string[] = [];
	const statuses: FollowStatus[] = [];
	const follower = new FileFollower(file, {
		backfillRecords, backfillBytes: 1024 * 1024, isRecordStart, checkMs: 100, pollMs,
		onLine: line => lines.push(line),
		onStatus: status => statuses.push(status),
	});
	follower.start();
	closers.push(async () => follower.close());
	return {follower, lines, statuses};
}

describe('following a log', () => {
	test('back-fills the last records, then follows appends', async () => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		writeFileSync(file, Array.from({length: 10}, (_, index) => `${record(index)}\n`).join('') + `${TRACEBACK.join('\n')}\n`);
		const {lines} = follow(file, 3);
		// The last 3 records: 7, 8 and 9 with its traceback.
		await waitFor(() => lines.length === 3 + TRACEBACK.length, 'back-fill');
		expect(lines[0]).toContain('record 7');
		expect(lines.slice(3)).toEqual(TRACEBACK);
		appendFileSync(file, `${record(10)}\n`);
		await waitFor(() => lines.at(-1)?.includes('record 10'), 'the appended record');
		expect(lines).toHaveLength(4 + TRACEBACK.length);
	});

	test('a line written in two parts is one line', async () => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		writeFileSync(file, '');
		const {lines, follower} = follow(file);
		await waitFor(() => follower.status.state === 'following', 'following');
		const line = record(1);
		// Its first part written at once after a whole line: once that line is read, so is the part (one write, one read).
		appendFileSync(file, `${record(0)}\n${line.slice(0, 30)}`);
		await waitFor(() => lines.length === 1, 'the line before');
		appendFileSync(file, `${line.slice(30)}\n`);
		await waitFor(() => lines.length === 2, 'the line');
		expect(lines).toEqual([record(0), line]);
	});

	test('waits for a logs directory and a file that do not exist yet', async () => {
		const directory = path.join(temporaryDirectory(), 'logs');
		const file = path.join(directory, 'errors.log');
		const {lines, follower} = follow(file);
		await waitFor(() => follower.status.detail === 'logs directory missing', 'directory missing');
		mkdirSync(directory);
		await waitFor(() => follower.status.detail === 'missing', 'file missing');
		appendFileSync(file, `${record(1)}\n${record(2)}\n`);
		await waitFor(() => lines.length === 2, 'both records of the new file');
		expect(follower.status.state).toBe('following');
	});

	// Each on change events, and on a timer only (pollMs 300: what camtop export does every 5 s).
	const modes = [['on change events', undefined], ['on a timer only', 300]] as const;

	test.each(modes)('a file deleted while followed is said, and followed again when it comes back (%s)', async (_, pollMs) => {
		const directory = temporaryDirectory();
		const file = path.join(directory, 'errors.log');
		writeFileSync(file, `${record(1)}\n`);
		const {lines, follower} = follow(file, 50, pollMs);
		await waitFor(() => lines.length === 1, 'the first record');
		// The first record may come from the back-fill before the tail has the file open: a record appended and read
		// proves the file is followed, so that its deletion is a deletion of a followed file.
		appendFileSync(file, `${record(2)}\n`);
		await waitFor(() => lines.length === 2, 'a record read by the tail');
		rmSync(file);
		await waitFor(() => follower.status.detail === 'missing (deleted)', 'deleted');
		appendFileSync(file, `${record(3)}\n`);
		await waitFor(() => lines.length === 3, 'the record of the new file');
		expect(lines[2]).toContain('record 3');
		rmSync(directory, {recursive: true});
		await waitFor(() => follower.status.detail === 'missing (directory gone)', 'directory gone');
	});

	test.each(modes)('copytruncate followed at once by more bytes than were read: nothing lost, nothing twice (%s)', async (_, pollMs) => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		writeFileSync(file, `${record(0)}\n`);
		const {lines} = follow(file, 50, pollMs);
		await waitFor(() => lines.length === 1, 'the first record');
		// Appended and rotated away before the follower can read them: they are only in errors.log.1 …
		appendFileSync(file, `${record(1)}\n${record(2)}\n`);
		copyFileSync(file, `${file}.1`);
		truncateSync(file, 0);
		// … and the new file is longer than the old offset at once.
		appendFileSync(file, Array.from({length: 500}, (_, index) => `${record(3 + index)}\n`).join(''));
		await waitFor(() => lines.length >= 503, 'every record');
		await twoMoreLooks(file, 503, number => lines.at(-1) === record(number));
		expect(lines.map(line => /record (\d+)/.exec(line)![1])).toEqual(Array.from({length: 505}, (_, index) => String(index)));
	});

	test('an unterminated line is cut at 64 KiB and marked; the next line is whole', async () => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		writeFileSync(file, '');
		const {lines, follower} = follow(file);
		await waitFor(() => follower.status.state === 'following', 'following');
		appendFileSync(file, 'x'.repeat(300 * 1024));
		await waitFor(() => lines.length === 1, 'the cut line, before its end was written');
		expect(lines[0]).toBe('x'.repeat(MAX_LINE_CHARS) + CUT_MARK);
		const next = record(1);
		appendFileSync(file, `yyy\n${next}\n`);
		await waitFor(() => lines.length === 2, 'the next line');
		expect(lines[1]).toBe(next);
	});

	test('a file that may not be read is said, and followed once it may', async () => {
		const directory = temporaryDirectory();
		chmodSync(directory, 0o755);
		const file = path.join(directory, 'errors.log');
		writeFileSync(file, `${record(1)}\n`);
		chmodSync(file, 0o600);
		// Root reads every file: the follower runs in a child process as nobody (uid 65534).
		const script = `
			import {FileFollower} from ${JSON.stringify(new URL('../../dist/logs/follow-file.js', import.meta.url).href)};
			const follower = new FileFollower(${JSON.stringify(file)}, {backfillRecords: 5, backfillBytes: 65536, isRecordStart: () => true, checkMs: 100,
				onLine: line => console.log('line', line), onStatus: status => console.log('status', status.state, status.detail)});
			follower.start();
			// Until the test ends: it kills this process, or its stdin ends with the test's process.
			process.stdin.on('end', () => follower.close()).resume();`;
		const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script], {stdio: ['pipe', 'pipe', 'pipe']});
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		child.stderr.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		closers.push(async () => {
			child.kill();
		});
		await waitFor(() => output.includes('status failed permission denied'), `permission denied (${output})`);
		chmodSync(file, 0o644);
		await waitFor(() => output.includes('line '), `the record once readable (${output})`);
		expect(output).toContain(record(1).slice(0, 20));
	});
});

describe('read on a timer only (pollMs, as camtop export reads)', () => {
	test('appends written between two looks are read together, in order', async () => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		writeFileSync(file, `${record(0)}\n`);
		const {lines} = follow(file, 50, 300);
		await waitFor(() => lines.length === 1, 'the back-fill');
		for (let index = 1; index <= 20; index++) {
			appendFileSync(file, `${record(index)}\n`);
		}

		await waitFor(() => lines.length === 21, 'the 20 appended records');
		expect(lines.map(line => /record (\d+)/.exec(line)![1])).toEqual(Array.from({length: 21}, (_, index) => String(index)));
	});

	test('a rename rotation between two looks: the old file to its end, then the new one', async () => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		writeFileSync(file, `${record(0)}\n`);
		const {lines} = follow(file, 50, 300);
		await waitFor(() => lines.length === 1, 'the back-fill');
		appendFileSync(file, `${record(1)}\n`);
		renameSync(file, `${file}.1`);
		writeFileSync(file, `${record(2)}\n`);
		await waitFor(() => lines.length === 3, 'both sides of the rotation');
		expect(lines.map(line => /record (\d+)/.exec(line)![1])).toEqual(['0', '1', '2']);
	});
});

describe('through rotation under load', () => {
	test.each([
		['read on change events', undefined],
		['read on a timer only, 2–3 rotations between reads (pollMs, as camtop export reads)', 250],
	])('5,000 records/s, rotated 30 times (every 100 ms, as often as a busy file is polled) alternating rename and copytruncate, %s: every record once', async (_, pollMs) => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		const numbers: number[] = [];
		let tracebackLines = 0;
		const feed = new LogFeed(file, {
			record(header, line) {
				numbers.push(Number(/fetch_image:(\d+)/.exec(line)?.[1]));
				return true;
			},
			continuation() {
				tracebackLines++;
				return true;
			},
		}, {
			backfillRecords: 100, backfillBytes: 1024 * 1024, checkMs: 100, pollMs,
		});
		feed.start();
		closers.push(async () => feed.close());
		// Following before the first record: had it first looked once the writer was under way, it would back-fill only
		// the last 100 records, as it should.
		await waitFor(() => feed.status.detail === 'missing', 'the feed to find no file yet');
		const writer = spawn(process.execPath, [WRITER, file, '5000', '30', '100'], {stdio: ['ignore', 'pipe', 'inherit']});
		closers.push(async () => {
			writer.kill();
		});
		let stdout = '';
		writer.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		const [code] = await once(writer, 'exit') as [number];
		expect(code).toBe(0);
		const written = JSON.parse(stdout) as {records: number; lines: number};
		await waitFor(() => numbers.length >= written.records, `all ${written.records} records (${numbers.length} so far)`, 15_000).catch((error: unknown) => {
			const seen = new Set(numbers);
			const missing = Array.from({length: written.records}, (_, index) => index + 1).filter(number => !seen.has(number));
			throw new Error(`${String(error)}; missing ${missing.length}: ${missing.slice(0, 5).join(' ')} … ${missing.slice(-5).join(' ')}`);
		});
		await twoMoreLooks(file, written.records + 1, number => numbers.at(-1) === number);
		expect(feed.rotations).toBeGreaterThanOrEqual(10);
		expect(numbers).toEqual(Array.from({length: written.records + 2}, (_, index) => index + 1));
		expect(tracebackLines).toBe(written.lines - written.records);
	}, 60_000);
});

describe('the error feed', () => {
	test('joins tracebacks to their record, live', async () => {
		const file = path.join(temporaryDirectory(), 'errors.log');
		writeFileSync(file, `${record(1)}\n`);
		const errors = new ErrorFeed(file, 10);
		errors.feed.start();
		closers.push(async () => errors.feed.close());
		await waitFor(() => errors.current().ok && (errors.current() as {data: {records: unknown[]}}).data.records.length === 1, 'back-fill');
		appendFileSync(file, `${record(2)}\n${TRACEBACK.join('\n')}\n`);
		const result = await waitFor(() => {
			const current = errors.current();
			return current.ok && current.data.records.at(-1)?.traceback.length === TRACEBACK.length ? current.data : undefined;
		}, 'the record with its traceback');
		expect(result.records.map(entry => entry.message)).toEqual(['record 1', 'record 2']);
		expect(result.records[1]!.function).toBe('fetch_image');
		expect(result.records[1]!.traceback).toEqual(TRACEBACK);
	});

	test('a missing log is a failure with its reason, not a throw', async () => {
		const errors = new ErrorFeed(path.join(temporaryDirectory(), 'nope', 'errors.log'), 10);
		errors.feed.start();
		closers.push(async () => errors.feed.close());
		await waitFor(() => !errors.current().ok, 'the failure');
		expect(errors.current()).toEqual({ok: false, error: 'logs directory missing'});
	});
});
