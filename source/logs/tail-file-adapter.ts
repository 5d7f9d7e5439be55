import fs, {closeSync, type FSWatcher} from 'node:fs';
import path from 'node:path';
import type {StringDecoder} from 'node:string_decoder';
import Tail from 'tail-file';

/**
The one module that touches tail-file's internals. tail-file 1.4.16 (pinned in package.json) documents only its
constructor options, start, stop and its events; what camtop needs beyond that — reading at an offset of its choosing,
seeing each read's bytes, deciding itself what a rotation was — it gets by overriding or reading the members below,
typed here from its tail.js. test/logs/tail-file-adapter.test.ts checks each one on a real TailFile, by name, against
TAIL_FILE_INTERNALS: an upgrade that changes one fails there, not in a rotation under load. (Exported for that test
only: everything else goes through TailFileAdapter.)
*/
export type TailFileInternals = {
	/** The file being tailed; null before start and after a stop. */
	started: string | null;
	/** Byte offset of the next read; 'init' until the first stat of the file. */
	pos: number | 'init';
	/** The open descriptor: null at first, 'init' while it opens, deleted (undefined) when the tail stops. */
	fd: number | 'init' | null | undefined;
	/** Inode of the file being tailed, from its stat before the open; null until then. */
	ino: number | null;
	/** An fs.read is under way. */
	reading: boolean;
	/** The fs.watch of the file's directory, made by startTail: null at first, deleted (undefined) by stop. */
	watcher: FSWatcher | null | undefined;
	/** Decoded text not cut into lines yet. */
	txt: string;
	decoder: StringDecoder;
	/** Bytes per read (4096 unless given as an option). */
	_bufsize: number;
	/** What the end of the data read leads to: startTail points it at onEndOfFileForTail. */
	onEndOfFile: () => void;
	/** What each line (or a read error) leads to: startTail points it at onLineForTail. */
	onLine: LineHandler;
	/** Reads from `fd` at `pos` unless a read is under way; opens the file first if need be. */
	readStuff(): void;
	/** The callback of fs.read: advances `pos` by `bytesRead` and decodes the bytes, or decodes null at the end. */
	append(error: NodeJS.ErrnoException | null, bytesRead: number, buffer: Buffer): void;
	/** Adds the chunk's text to `txt` and hands out lines (getLine); null: the end of the data, onEndOfFile. */
	decode(chunk: Buffer | null, count?: number): void;
	/** Cuts the first line off `txt` and calls onLine(null, line, pos), or reads more when there is no whole line. */
	getLine(): void;
	/** At the end of the data: tail-file's own check for a rename or a truncation (asynchronous, by name). */
	onEndOfFileForTail(): void;
	/** Emits `line`, then asks for the next one on setImmediate; an error alone goes to onError. */
	onLineForTail: LineHandler;
	/** Points onLine and onEndOfFile at the tail's handlers, makes the directory watcher, starts reading. */
	startTail(filename: string): void;
	/** The directory watcher's change handler. */
	checkDir(type: string, name: string | null): void;
	/** The directory watcher's error handler: onError. */
	checkDirError(error: unknown): void;
	/** Stops (closing the file, without waiting) and emits `error`. */
	onError(error: unknown): void;
	/** Sets `pos` and drops the text not cut into lines yet. */
	setBytePos(pos: number | 'start'): void;
};

/** Tail-file calls onLine with an error alone, or with no error, the line and its character offset. */
type LineHandler = {
	(error: NodeJS.ErrnoException): void;
	(error: null, line: string, pos: number): void;
};

/** What the adapter expects of a tail-file internal; `use` says what it does with it. */
export type TailFileInternal =
	/** On the prototype, declared with this many parameters. */
	| {kind: 'method'; parameters: number; use: string}
	/** An own property of a new instance, of this type (typeof, or 'null') at first. */
	| {kind: 'field'; initially: 'null' | 'string' | 'number' | 'boolean' | 'object'; use: string}
	/** A property startTail sets to one of the instance's methods. */
	| {kind: 'handler'; setByStartTailTo: 'onEndOfFileForTail' | 'onLineForTail'; use: string};

/** Every tail-file internal this module relies on, as tail-file 1.4.16 has it. The test checks each; the type keeps the list whole. */
export const TAIL_FILE_INTERNALS = {
	started: {kind: 'field', initially: 'null', use: 'read: whether it is tailing; set by the timer-only start'},
	pos: {kind: 'field', initially: 'string', use: 'read: the offset read to; set: seek'},
	fd: {kind: 'field', initially: 'null', use: 'read: the open file; set: replaceFile'},
	ino: {kind: 'field', initially: 'null', use: 'read: the open file\'s inode; set: replaceFile'},
	reading: {kind: 'field', initially: 'boolean', use: 'read: a read is under way'},
	watcher: {kind: 'field', initially: 'null', use: 'read and set: pauseWatching, resumeWatching'},
	txt: {kind: 'field', initially: 'string', use: 'read and set: takePending, and the text hook'},
	decoder: {kind: 'field', initially: 'object', use: 'write and end: decode, takePending'},
	_bufsize: {kind: 'field', initially: 'number', use: 'given as an option: bytes per read'},
	onEndOfFile: {kind: 'handler', setByStartTailTo: 'onEndOfFileForTail', use: 'set by the timer-only start, as startTail sets it'},
	onLine: {kind: 'handler', setByStartTailTo: 'onLineForTail', use: 'set by the timer-only start, as startTail sets it'},
	readStuff: {kind: 'method', parameters: 0, use: 'overridden: hooks.beforeRead decides whether it runs; called by read'},
	append: {kind: 'method', parameters: 3, use: 'overridden: hooks.bytesRead sees the bytes, then it runs'},
	decode: {kind: 'method', parameters: 2, use: 'overridden: a chunk\'s text goes through hooks.textDecoded (tail-file\'s own is not called); null runs it'},
	getLine: {kind: 'method', parameters: 0, use: 'called after decoding, as tail-file\'s decode does'},
	onEndOfFileForTail: {kind: 'method', parameters: 0, use: 'replaced: hooks.endOfFile (tail-file\'s own is not called)'},
	onLineForTail: {kind: 'method', parameters: 3, use: 'the line handler the timer-only start sets'},
	startTail: {kind: 'method', parameters: 1, use: 'overridden: hooks.starting, then it runs, or without its watcher (timer only)'},
	checkDir: {kind: 'method', parameters: 2, use: 'overridden: with the file open, hooks.directoryChanged (tail-file\'s own is not called)'},
	checkDirError: {kind: 'method', parameters: 1, use: 'the error handler of the watcher resumeWatching makes'},
	onError: {kind: 'method', parameters: 1, use: 'overridden: hooks.failing, then it runs'},
	setBytePos: {kind: 'method', parameters: 1, use: 'called by replaceFile'},
} as const satisfies Record<keyof TailFileInternals, TailFileInternal>;

/**
What the adapter asks of its owner. All but the three events are called from inside tail-file's read cycle, and must
not wait.
*/
export type TailFileHooks = {
	/** Before each read. False: do not read now (the hook has moved the tail itself, or will). */
	beforeRead(): boolean;
	/** The bytes a read just got, before they are decoded. */
	bytesRead(bytes: Buffer): void;
	/** A read's text: returns the text to cut into lines, given what was pending (tail-file itself appends). */
	textDecoded(pending: string, text: string): string;
	/** A read found no more bytes: every whole line is handed out, an unterminated rest pending (instead of tail-file's own rotation check). */
	endOfFile(): void;
	/** Something changed in the file's directory while the file is open (instead of tail-file's read on every event). */
	directoryChanged(name: string | null): void;
	/** Tail-file starts following the file (at start, and again after it reopened it); the first read comes after. */
	starting(): void;
	/** Tail-file is about to stop on an error: it closes the file, then `error` follows. */
	failing(): void;
	/** Tail-file's events. */
	line(line: string): void;
	restart(reason: string): void;
	error(error: unknown): void;
};

export type TailFileOptions = {
	/** Bytes per read. */
	readBytes: number;
	/** False: no directory watcher; the owner calls read() when it wants a read. */
	watch: boolean;
};

/** The file tail-file has open: its descriptor (do not close it: replaceFile does), the offset read to, its inode. */
export type OpenFile = {fd: number; pos: number; ino: number};

const TailWithInternals = Tail as unknown as new (filename: string, options: ConstructorParameters<typeof Tail>[1] & {_bufsize: number}) => Tail & TailFileInternals;

/** Tail-file with its internals wired to the hooks. */
class HookedTail extends TailWithInternals {
	readonly #hooks: TailFileHooks;
	readonly #watch: boolean;

	constructor(file: string, {readBytes, watch}: TailFileOptions, hooks: TailFileHooks) {
		// Tail-file falls back to `<file>.1` when the file is missing at start, and tails it from its end: a name that
		// never exists turns that off (the follower starts a tail only on a file it has just seen).
		super(file, {
			startPos: 'end', force: false, _bufsize: readBytes, secondary: `${file}.camtop-no-secondary`,
		});
		this.#hooks = hooks;
		this.#watch = watch;
		this.on('line', (line: string) => {
			hooks.line(line);
		});
		this.on('restart', (reason: string) => {
			hooks.restart(reason);
		});
		this.on('error', (error: unknown) => {
			hooks.error(error);
		});
	}

	override readStuff(): void {
		if (this.#hooks.beforeRead()) {
			super.readStuff();
		}
	}

	override append(error: NodeJS.ErrnoException | null, bytesRead: number, buffer: Buffer): void {
		if (error === null && bytesRead > 0) {
			this.#hooks.bytesRead(buffer.subarray(0, bytesRead));
		}

		super.append(error, bytesRead, buffer);
	}

	override decode(chunk: Buffer | null): void {
		if (chunk === null) {
			super.decode(null);
			return;
		}

		this.txt = this.#hooks.textDecoded(this.txt, this.decoder.write(chunk));
		this.getLine();
	}

	override onEndOfFileForTail(): void {
		if (this.started !== null) {
			this.#hooks.endOfFile();
		}
	}

	override checkDir(type: string, name: string | null): void {
		if (typeof this.fd === 'number') {
			this.#hooks.directoryChanged(name);
		} else {
			// Not open: tail-file's own handling (a file appearing) applies.
			super.checkDir(type, name);
		}
	}

	override startTail(filename: string): void {
		this.#hooks.starting();
		if (!this.#watch) {
			// As tail-file's startTail, without its watcher.
			this.onEndOfFile = this.onEndOfFileForTail;
			this.onLine = this.onLineForTail;
			this.started = filename;
			this.getLine();
			return;
		}

		// Tail-file's own start does the fs.watch of the directory, which throws when the directory is gone.
		try {
			super.startTail(filename);
		} catch (error) {
			this.onError(error);
		}
	}

	override onError(error: unknown): void {
		this.#hooks.failing();
		super.onError(error);
	}
}

/**
Tail-file, driven through a small API of its own: start and stop, a read now, where it is in which file, moving it to
another offset or another file, and the hooks (TailFileHooks) that see and steer each step of its read cycle.
*/
export class TailFileAdapter {
	readonly #tail: HookedTail;

	constructor(file: string, options: TailFileOptions, hooks: TailFileHooks) {
		this.#tail = new HookedTail(file, options, hooks);
	}

	/** Opens the file (after a stat) and reads from its end; lines and errors arrive through the hooks. */
	start(): void {
		this.#tail.start();
	}

	/** Stops reading, closes the file and the directory watcher. */
	async stop(): Promise<void> {
		await this.#tail.stop();
	}

	/** The file as named when the tail was made. */
	get file(): string {
		return this.#tail.filename;
	}

	/** Whether it is following the file: from start until a stop or an error. */
	get isStarted(): boolean {
		return this.#tail.started !== null;
	}

	/** A read is under way. */
	get isReading(): boolean {
		return this.#tail.reading;
	}

	/** The file open now; undefined while opening, between files, or stopped. */
	get open(): OpenFile | undefined {
		const {fd, pos, ino} = this.#tail;
		return typeof fd === 'number' && typeof pos === 'number' && typeof ino === 'number' ? {fd, pos, ino} : undefined;
	}

	/** Runs a read cycle now (beforeRead first), unless one is under way. */
	read(): void {
		this.#tail.readStuff();
	}

	/** The next read starts at `pos`, bytes; text already decoded stays. */
	seek(pos: number): void {
		this.#tail.pos = pos;
	}

	/** From now on reads `fd` (inode `ino`) from its start: the old descriptor is closed unless it is `fd`, pending text dropped. */
	replaceFile(fd: number, ino: number): void {
		const {fd: old} = this.#tail;
		if (old !== fd && typeof old === 'number') {
			closeSync(old);
		}

		this.#tail.fd = fd;
		this.#tail.ino = ino;
		this.#tail.setBytePos(0);
	}

	/** Stops on an error as tail-file stops on one of its own: failing, the file closed, then `error`. */
	fail(error: unknown): void {
		this.#tail.onError(error);
	}

	/** Hands `bytes` to the decoder as if read (textDecoded applies); the lines in them go out one by one. */
	decode(bytes: Buffer): void {
		this.#tail.decode(bytes);
	}

	/** Takes the text decoded but not handed out as lines yet, a partial character included. */
	takePending(): string {
		const pending = this.#tail.txt + this.#tail.decoder.end();
		this.#tail.txt = '';
		return pending;
	}

	/** Closes the directory watcher: no directoryChanged until resumeWatching. */
	pauseWatching(): void {
		const {watcher} = this.#tail;
		this.#tail.watcher = undefined;
		watcher?.close();
	}

	/** Makes the directory watcher again, as startTail makes it. False when it cannot be (no inotify watch left). */
	resumeWatching(): boolean {
		const tail = this.#tail;
		// Null: tail-file never made one (a timer-only tail), and none is made here either; only a paused one is remade.
		if (tail.watcher !== undefined || tail.started === null) {
			return true;
		}

		try {
			const watcher = fs.watch(path.dirname(tail.filename));
			watcher.on('change', tail.checkDir.bind(tail));
			watcher.on('error', tail.checkDirError.bind(tail));
			tail.watcher = watcher;
			return true;
		} catch {
			return false;
		}
	}
}
