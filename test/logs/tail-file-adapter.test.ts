import {
	appendFileSync, fstatSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {StringDecoder} from 'node:string_decoder';
import {fileURLToPath} from 'node:url';
import Tail from 'tail-file';
import {
	afterAll, afterEach, beforeAll, describe, expect, type MockInstance, test, vi,
} from 'vitest';
import {
	TAIL_FILE_INTERNALS, TailFileAdapter, type TailFileHooks, type TailFileInternal, type TailFileInternals,
} from '../../source/logs/tail-file-adapter.js';
import {waitFor} from '../helpers/wait-for.js';

// The internals are tail-file's, not the adapter's: this file reaches them directly, to say which one changed.
type RawTail = Tail & TailFileInternals;
const TailWithInternals = Tail as unknown as new (file: string, options?: Record<string, unknown>) => RawTail;

const {version} = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('tail-file/package.json'), 'utf8')) as {version: string};
const SOURCE = fileURLToPath(new URL('../../source', import.meta.url));

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(async close => close()));
});

function logFile(contents: string): string {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-tail-file-'));
	closers.push(async () => {
		rmSync(directory, {recursive: true, force: true});
	});
	const file = path.join(directory, 'errors.log');
	writeFileSync(file, contents);
	return file;
}

/** A real TailFile on `file`, stopped after the test; `line` events collected. */
function rawTail(file: string, options: Record<string, unknown> = {}): {tail: RawTail; lines: string[]; errors: unknown[]} {
	const tail = new TailWithInternals(file, {startPos: 'start', secondary: `${file}.none`, ...options});
	const lines: string[] = [];
	const errors: unknown[] = [];
	tail.on('line', (line: string) => lines.push(line));
	tail.on('error', (error: unknown) => errors.push(error));
	closers.push(async () => tail.stop());
	return {tail, lines, errors};
}

/** A real TailFile started on a file holding `contents`, once it has emitted `lineCount` lines; `prepare` runs before the start. */
async function startedRawTail(contents: string, lineCount: number, prepare: (tail: RawTail) => void = () => undefined) {
	const file = logFile(contents);
	const {tail, lines} = rawTail(file);
	prepare(tail);
	tail.start();
	await waitFor(() => lines.length === lineCount, `${lineCount} lines`);
	return {file, tail, lines};
}

function kindOf(value: unknown): string {
	return value === null ? 'null' : typeof value;
}

/** Says what a member is now, for a failure message. */
function describeMember(value: unknown): string {
	return typeof value === 'function' ? `a function of ${value.length} parameters` : `a ${kindOf(value)}`;
}

/** Why a member is not what the adapter expects; undefined when it is. */
function mismatch(name: string, expected: TailFileInternal, fresh: RawTail, started: RawTail): string | undefined {
	const members = fresh as unknown as Record<string, unknown>;
	const prototype = Tail.prototype as unknown as Record<string, unknown>;
	switch (expected.kind) {
		case 'method': {
			const member = prototype[name];
			return typeof member === 'function' && member.length === expected.parameters
				? undefined
				: `${name} should be a method of ${expected.parameters} parameters; it is ${describeMember(member)}`;
		}

		case 'field': {
			if (!Object.hasOwn(fresh, name)) {
				return `${name} should be a field of every new Tail; it is ${name in fresh ? describeMember(members[name]) + ' on the prototype' : 'gone'}`;
			}

			return kindOf(members[name]) === expected.initially ? undefined : `${name} should start as a ${expected.initially}; it is ${describeMember(members[name])}`;
		}

		case 'handler': {
			const startedMembers = started as unknown as Record<string, unknown>;
			return startedMembers[name] !== undefined && startedMembers[name] === startedMembers[expected.setByStartTailTo]
				? undefined
				: `startTail should set ${name} to ${expected.setByStartTailTo}; it is ${describeMember(startedMembers[name])}`;
		}
	}
}

describe(`tail-file ${version} has every internal the adapter relies on (TAIL_FILE_INTERNALS)`, () => {
	// One tail started on a real file, for the handlers startTail sets.
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-tail-file-'));
	const file = path.join(directory, 'errors.log');
	const started = new TailWithInternals(file, {startPos: 'start'});
	beforeAll(async () => {
		writeFileSync(file, 'alpha\n');
		started.start();
		await waitFor(() => started.started === file, 'startTail');
	});
	afterAll(async () => {
		await started.stop();
		rmSync(directory, {recursive: true, force: true});
	});

	test.each(Object.entries(TAIL_FILE_INTERNALS) as Array<[string, TailFileInternal]>)('%s', (name, expected) => {
		const problem = mismatch(name, expected, new TailWithInternals(file), started);
		expect(problem, `tail-file ${version}: ${problem ?? ''} (the adapter: ${expected.use})`).toBeUndefined();
	});

	test('its documented face: start, stop and filename', () => {
		const tail = new TailWithInternals('/nowhere/errors.log');
		expect(typeof tail.start, `tail-file ${version}: start`).toBe('function');
		expect(typeof tail.stop, `tail-file ${version}: stop`).toBe('function');
		expect(tail.filename, `tail-file ${version}: filename`).toBe('/nowhere/errors.log');
	});
});

describe(`tail-file ${version} behaves as the adapter relies on`, () => {
	test('getLine calls onLine(null, line, pos) with each line and its offset; startTail points onLine at onLineForTail', async () => {
		let onLineForTail: MockInstance<RawTail['onLineForTail']> | undefined;
		const {tail} = await startedRawTail('alpha\nbeta\n', 2, tail => {
			onLineForTail = vi.spyOn(tail, 'onLineForTail');
		});
		expect(onLineForTail!.mock.calls, `tail-file ${version}: onLine(error, line, pos)`).toEqual([[null, 'alpha', 0], [null, 'beta', 6]]);
		expect(tail.onLine, `tail-file ${version}: startTail sets onLine`).toBe(tail.onLineForTail);
		expect(tail.onEndOfFile, `tail-file ${version}: startTail sets onEndOfFile`).toBe(tail.onEndOfFileForTail);
	});

	test('readStuff reads fd at pos, _bufsize bytes at most, into append(null, bytesRead, buffer); the end of the data is decode(null), then onEndOfFile with the unterminated rest in txt', async () => {
		const contents = 'alpha beta gamma delta epsilon\nzeta eta theta\npartial';
		const file = logFile(contents);
		const {tail} = rawTail(file, {_bufsize: 16});
		// Tail-file reads into one buffer again and again: each read's bytes are copied as they come.
		const reads: Array<{error: unknown; bytesRead: number; bytes: Buffer}> = [];
		const append = tail.append.bind(tail);
		tail.append = (error, bytesRead, buffer) => {
			reads.push({error, bytesRead, bytes: Buffer.from(buffer.subarray(0, bytesRead))});
			append(error, bytesRead, buffer);
		};

		const decode = vi.spyOn(tail, 'decode');
		let atEnd: {txt: string; pos: unknown; reading: boolean} | undefined;
		vi.spyOn(tail, 'onEndOfFileForTail').mockImplementation(() => {
			atEnd ??= {txt: tail.txt, pos: tail.pos, reading: tail.reading};
		});
		tail.start();
		const end = await waitFor(() => atEnd, 'onEndOfFile');
		for (const {error, bytesRead} of reads) {
			expect(error, `tail-file ${version}: append's error is null after a read`).toBeNull();
			expect(bytesRead, `tail-file ${version}: at most _bufsize bytes per read`).toBeLessThanOrEqual(16);
		}

		expect(Buffer.concat(reads.map(read => read.bytes)).toString(), `tail-file ${version}: append gets every byte in order`).toBe(contents);
		expect(decode.mock.calls.at(-1), `tail-file ${version}: decode(null) at the end of the data`).toEqual([null]);
		expect(end, `tail-file ${version}: txt, pos and reading at onEndOfFile`).toEqual({txt: 'partial', pos: contents.length, reading: false});
		expect(typeof tail.fd, `tail-file ${version}: fd`).toBe('number');
		expect(fstatSync(tail.fd as number).ino, `tail-file ${version}: fd is the file`).toBe(statSync(file).ino);
		expect(tail.ino, `tail-file ${version}: ino`).toBe(statSync(file).ino);
		expect(tail.decoder, `tail-file ${version}: decoder`).toBeInstanceOf(StringDecoder);
	});

	test('a pos set by hand is where readStuff reads next; reading is true while it does', async () => {
		const file = logFile('alpha\nbeta\n');
		const {tail, lines} = rawTail(file);
		const eof = new Promise(resolve => {
			tail.once('eof', resolve);
		});
		tail.start();
		await eof;
		expect(lines).toEqual(['alpha', 'beta']);
		tail.pos = 6;
		tail.readStuff();
		expect(tail.reading, `tail-file ${version}: reading while a read is under way`).toBe(true);
		await waitFor(() => lines.length === 3, 'the line read again');
		expect(lines[2], `tail-file ${version}: readStuff reads at pos`).toBe('beta');
	});

	test('setBytePos sets pos and drops the text not cut into lines', () => {
		const tail = new TailWithInternals('/nowhere/errors.log');
		tail.txt = 'pending';
		tail.setBytePos(5);
		expect({pos: tail.pos, txt: tail.txt}, `tail-file ${version}: setBytePos`).toEqual({pos: 5, txt: ''});
	});

	test('checkDir(type, name) is what the directory watcher (watcher) calls on a change; stop closes it', async () => {
		let checkDir: MockInstance<RawTail['checkDir']> | undefined;
		const {file, tail} = await startedRawTail('alpha\n', 1, tail => {
			checkDir = vi.spyOn(tail, 'checkDir');
		});
		expect(typeof tail.watcher?.close, `tail-file ${version}: watcher is an fs.watch`).toBe('function');
		appendFileSync(file, 'beta\n');
		await waitFor(() => checkDir!.mock.calls.some(([, name]) => name === 'errors.log'), 'checkDir for the file');
		expect(typeof checkDir!.mock.calls[0]![0], `tail-file ${version}: checkDir's type`).toBe('string');
		await tail.stop();
		expect(tail.watcher, `tail-file ${version}: stop closes the watcher`).toBeUndefined();
		expect(tail.started, `tail-file ${version}: started after stop`).toBeNull();
	});

	test('onError closes the file and stops before it emits error; checkDirError passes a watcher error to it', async () => {
		const {tail} = await startedRawTail('alpha\n', 1);
		let atError: {fd: unknown; started: unknown} | undefined;
		tail.on('error', () => {
			atError = {fd: tail.fd, started: tail.started};
		});
		const failure = new Error('watcher failed');
		tail.checkDirError(failure);
		expect(atError, `tail-file ${version}: onError stops first`).toEqual({fd: undefined, started: null});
	});

	test('start on a missing file emits error ENOENT (the secondary given does not exist either)', async () => {
		const file = path.join(path.dirname(logFile('')), 'missing.log');
		const {tail, errors} = rawTail(file);
		tail.start();
		await waitFor(() => errors.length > 0, 'the error');
		expect((errors[0] as NodeJS.ErrnoException).code, `tail-file ${version}: a missing file`).toBe('ENOENT');
	});
});

/** Hooks that record what they see and let everything through. */
function recordingHooks() {
	const seen = {
		lines: [] as string[], bytes: [] as string[], ends: 0, changes: [] as Array<string | null>, starts: 0, failing: 0, errors: [] as unknown[], restarts: [] as string[],
	};
	const hooks: TailFileHooks = {
		beforeRead: () => true,
		bytesRead(bytes) {
			seen.bytes.push(bytes.toString());
		},
		textDecoded: (pending, text) => pending + text,
		endOfFile() {
			seen.ends++;
		},
		directoryChanged(name) {
			seen.changes.push(name);
		},
		starting() {
			seen.starts++;
		},
		failing() {
			seen.failing++;
		},
		line(line) {
			seen.lines.push(line);
		},
		restart(reason) {
			seen.restarts.push(reason);
		},
		error(error) {
			seen.errors.push(error);
		},
	};
	return {seen, hooks};
}

/** An adapter started on a file holding `contents`, once it has read to its end. */
async function startedAdapter(contents: string, watch: boolean, changeHooks: (hooks: TailFileHooks) => void = () => undefined) {
	const file = logFile(contents);
	const {seen, hooks} = recordingHooks();
	changeHooks(hooks);
	const adapter = new TailFileAdapter(file, {readBytes: 4096, watch}, hooks);
	closers.push(async () => adapter.stop());
	adapter.start();
	await waitFor(() => seen.ends === 1, 'the end of the file');
	return {file, seen, adapter};
}

describe('TailFileAdapter', () => {
	test('read on demand (no watcher): starts at the end; seek, takePending, replaceFile and fail do what they say', async () => {
		const {file, seen, adapter} = await startedAdapter('one\ntwo\n', false);
		expect(seen.starts).toBe(1);
		expect(adapter.isStarted).toBe(true);
		const open = adapter.open!;
		expect(open.pos).toBe(8);
		expect(open.ino).toBe(statSync(file).ino);
		expect(fstatSync(open.fd).ino).toBe(open.ino);

		adapter.seek(0);
		adapter.read();
		await waitFor(() => seen.lines.length === 2, 'the lines from offset 0');
		expect(seen.lines).toEqual(['one', 'two']);
		expect(seen.bytes).toEqual(['one\ntwo\n']);
		await waitFor(() => seen.ends === 2, 'the end of the file again');

		appendFileSync(file, 'thr');
		adapter.read();
		await waitFor(() => seen.ends === 3, 'the end of the unterminated line');
		expect(adapter.open?.pos).toBe(11);
		expect(adapter.takePending()).toBe('thr');

		const other = logFile('four\n');
		const fd = openSync(other, 'r');
		adapter.replaceFile(fd, fstatSync(fd).ino);
		expect(adapter.open).toEqual({fd, pos: 0, ino: fstatSync(fd).ino});
		adapter.read();
		await waitFor(() => seen.lines.length === 3, 'the line of the other file');
		expect(seen.lines[2]).toBe('four');

		adapter.fail(new Error('gone'));
		expect(seen.failing).toBe(1);
		expect(seen.errors).toEqual([new Error('gone')]);
		expect(adapter.open).toBeUndefined();
		expect(adapter.isStarted).toBe(false);
	});

	test('decode hands bytes to the line cutter through textDecoded', async () => {
		const {seen, adapter} = await startedAdapter('', false, hooks => {
			hooks.textDecoded = (pending, text) => pending + text.toUpperCase();
		});
		adapter.decode(Buffer.from('five\nsix\n'));
		await waitFor(() => seen.lines.length === 2, 'the decoded lines');
		expect(seen.lines).toEqual(['FIVE', 'SIX']);
	});

	test('with a watcher: directoryChanged on each change while open; watching paused and resumed', async () => {
		const {file, seen, adapter} = await startedAdapter('one\n', true);
		appendFileSync(file, 'two\n');
		await waitFor(() => seen.changes.includes('errors.log'), 'a change event');
		adapter.pauseWatching();
		expect(adapter.resumeWatching()).toBe(true);
		seen.changes.length = 0;
		appendFileSync(file, 'three\n');
		await waitFor(() => seen.changes.includes('errors.log'), 'a change event from the new watcher');
	});
});

test('no module but the adapter imports tail-file', () => {
	const importers = readdirSync(SOURCE, {recursive: true, encoding: 'utf8'})
		.filter(entry => /\.tsx?$/.test(entry) && !entry.endsWith('.d.ts'))
		.filter(entry => /(?:from|import\(|require\()\s*["']tail-file["']/.test(readFileSync(path.join(SOURCE, entry), 'utf8')));
	expect(importers).toEqual([path.join('logs', 'tail-file-adapter.ts')]);
});
