import fs, {
	closeSync, constants, fstatSync, openSync, readSync, statSync,
} from 'node:fs';
import path from 'node:path';
import Tail from 'tail-file';

/** A line longer than this is cut, characters (≈ bytes for the ASCII these logs are). */
export const MAX_LINE_CHARS = 64 * 1024;
/** Ends a line that was cut at MAX_LINE_CHARS. */
export const CUT_MARK = ' […cut at 64 KiB]';
/**
Bytes kept from just before the read position, and from the start of the file: the same bytes there mean the same
contents, bytes. The end alone is not enough: a log often ends with the same traceback line every time, and its start
holds the first record's timestamp.
*/
export const FINGERPRINT_BYTES = 1024;
const HEAD_BYTES = 256;
/** At most this much of a rotated copy is read to catch up after a copytruncate, bytes. */
const MAX_CATCH_UP_BYTES = 8 * 1024 * 1024;
/**
While a file is being written, it is read on a timer this often instead of on every change event, ms. A logger
writing line by line makes one inotify event per line: merely receiving 1,000 of them a second costs 2 % of a core
(bench:tail), reading on each one 10 %. Part of the 250 ms from append to screen.
*/
const BUSY_POLL_MS = 100;
/**
A change event this soon after the last one means a busy writer: switch to polling. A calm one (a record a second) is
read on its event: closing and reopening the watcher for each one cost 0.3 % of a core per log (bench:export).
*/
const BUSY_EVENT_GAP_MS = 100;
/** Polls in a row that find nothing new before change events take over again. */
const QUIET_POLLS = 2;
/** Rotated copies looked through for the rest of a truncated file: the seed's LOG_BACKUP_COUNT. */
export const MAX_BACKUPS = 5;
/** Bytes per read: tail-file's 4 KiB means a round trip through libuv per few dozen lines. */
const READ_BYTES = 64 * 1024;

/** Where to go on reading a file: its inode, the byte offset, and the bytes just before that offset. */
export type ResumePoint = {ino: number; pos: number; fingerprint: Buffer};

/**
Tail-file, with guards for what it gets wrong (measured on 1.4.16, the pinned version: these override its internals):

- copytruncate followed at once by more bytes than were read: it goes on at the old offset and loses the start of
  the new file. Before every read the bytes just before the offset are compared with those read there; on a
  mismatch (or a shorter file) the rest of the rotated copy (`<file>.1`, or `.2`… if rotated on since) is read, then
  the new file from its start.
- an unterminated line is buffered without bound: cut at MAX_LINE_CHARS and marked, the rest skipped to its newline.
- it can only start at the end or the start: `resume` puts it at an exact offset of the same inode.

Emits tail-file's `line`, `error`, `restart` and `eof` events.
*/
export class GuardedTail extends Tail {
	#fingerprint: Buffer = Buffer.alloc(0);
	/** The first bytes of the file as first seen; empty until then. */
	#head: Buffer = Buffer.alloc(0);
	#resume: ResumePoint | undefined;
	/** The head of an over-long line was emitted: drop text until its newline. */
	#skipping = false;
	#pollTimer: NodeJS.Timeout | undefined;
	#lastPoint: ResumePoint | undefined;
	#quietPolls = 0;
	#polledAt = -1;
	/** When the last change event for this file came, ms on the monotonic clock. */
	#eventAt = Number.NEGATIVE_INFINITY;
	readonly #basename: string;
	/** Set: no watcher at all, the file is looked at this often, ms. */
	readonly #pollOnlyMs: number | undefined;

	/**
	`pollMs`: read on a timer only, never on change events: for views that need no sub-second latency (`camtop
	export`), where reading what a calm log wrote over a few seconds at once costs a fraction of reading each line
	as it comes (an interpreted read cycle, ≈ 1 ms of CPU per line at a line a second: bench:export).
	*/
	constructor(file: string, resume?: ResumePoint, {pollMs}: {pollMs?: number} = {}) {
		// Tail-file falls back to `<file>.1` when the file is missing at start, and tails it from its end: a name that
		// never exists turns that off (the follower starts a tail only on a file it has just seen).
		super(file, {
			startPos: 'end', force: false, _bufsize: READ_BYTES, secondary: `${file}.camtop-no-secondary`,
		});
		this.#resume = resume;
		this.#basename = path.basename(file);
		this.#pollOnlyMs = pollMs;
	}

	/**
	The directory watcher's event. The logs directory holds every log, and each log's tail watches it: only events
	for this file (or its rotated siblings) matter. One alone is read at once; one hard on the heels of another switches
	to polling until the file is quiet again.
	*/
	override checkDir(type: string, name: string | null): void {
		if (typeof this.fd !== 'number') {
			// Not open: tail-file's own handling (a file appearing) applies.
			super.checkDir(type, name);
			return;
		}

		if (name !== null && !name.startsWith(this.#basename)) {
			return;
		}

		const now = performance.now();
		const busy = now - this.#eventAt < BUSY_EVENT_GAP_MS;
		this.#eventAt = now;
		if (this.#pollTimer === undefined && !busy) {
			this.readable = true;
			this.readStuff();
			return;
		}

		if (this.#pollTimer === undefined) {
			this.#closeWatcher();
			this.#quietPolls = 0;
			this.#polledAt = -1;
			this.#pollTimer = setInterval(() => {
				this.#poll();
			}, BUSY_POLL_MS);
		}
	}

	/** Where this tail would go on from; undefined before it has opened the file. */
	get resumePoint(): ResumePoint | undefined {
		return typeof this.pos === 'number' && typeof this.ino === 'number' && typeof this.fd === 'number'
			? {ino: this.ino, pos: this.pos, fingerprint: this.#fingerprint}
			: undefined;
	}

	override async stop(): Promise<boolean> {
		this.#stopPolling();
		return super.stop();
	}

	#poll(): void {
		if (typeof this.fd !== 'number' || typeof this.pos !== 'number') {
			// Restarting (rotation) or stopped: tail-file's start makes a watcher of its own.
			this.#stopPolling();
			return;
		}

		this.#quietPolls = this.pos === this.#polledAt && !this.reading ? this.#quietPolls + 1 : 0;
		this.#polledAt = this.pos;
		if (this.#quietPolls >= QUIET_POLLS && this.#openWatcher()) {
			this.#stopPolling();
		}

		// One more read after the watcher is back: a write between the last poll and the watcher would go unseen.
		this.readable = true;
		this.readStuff();
	}

	/**
	A timed look (pollMs): two stats when nothing changed; a read cycle when the file grew, shrank (copytruncate) or
	was replaced (rename), which the read's end of file sorts out as it does for change events.
	*/
	#pollTimed(): void {
		const {fd, pos} = this;
		if (typeof fd !== 'number' || typeof pos !== 'number' || this.reading) {
			// Restarting (its startTail sets the timer again) or reading already.
			return;
		}

		try {
			if (fstatSync(fd).size === pos && statSync(this.filename).ino === this.ino) {
				return;
			}
		} catch {
			// The name is gone: the read's end of file says what happened.
		}

		this.readable = true;
		this.readStuff();
	}

	#stopPolling(): void {
		clearInterval(this.#pollTimer);
		this.#pollTimer = undefined;
	}

	#closeWatcher(): void {
		const {watcher} = this;
		this.watcher = undefined;
		watcher?.close();
	}

	/** Tail-file's own watcher, made as its startTail makes it. False when it cannot be (no inotify watch left): keep polling then. */
	#openWatcher(): boolean {
		if (this.watcher !== undefined || this.started === null) {
			return true;
		}

		try {
			const watcher = fs.watch(path.dirname(this.filename));
			watcher.on('change', this.checkDir.bind(this));
			watcher.on('error', this.checkDirError.bind(this));
			this.watcher = watcher;
			return true;
		} catch {
			return false;
		}
	}

	override readStuff(): void {
		if (this.#guard()) {
			super.readStuff();
		}
	}

	/**
	At the end of what was read. tail-file decides on a rename rotation after an asynchronous stat, and loses what
	the writer appended to the old file between its last read and the rename: decided here synchronously, and the
	old file's size looked at again after the new file was seen.
	*/
	override onEndOfFileForTail(): void {
		if (this.started === null) {
			return;
		}

		let primary;
		try {
			primary = statSync(this.filename);
		} catch {
			// Deleted or renamed away with nothing in its place yet: stay on the open file until a new one appears.
		}

		// After the stat, the old file is looked at again: a copytruncate (even to the same length) or more lines put in
		// it before the rotation seen above are read before the new file.
		const {fd} = this;
		if (!this.#guard() || typeof fd !== 'number' || typeof this.pos !== 'number') {
			return;
		}

		if (fstatSync(fd).size > this.pos) {
			this.readStuff();
			return;
		}

		if (primary !== undefined && primary.ino !== this.ino && primary.size > 0) {
			// Renamed away and a new file in its place: the old one is read to its end (above); now the new one.
			let next: number | undefined;
			try {
				next = openSync(this.filename, constants.O_RDONLY | constants.O_NONBLOCK);
				const {ino} = fstatSync(next);
				// Rotations faster than the polls: generations between the old file (now `.k`) and the new one.
				this.#emitRemaining(this.#unread(this.pos, this.ino ?? undefined, ino) ?? '');
				this.#readFromStart(next, ino, 'NEWPRIME');
			} catch (error) {
				if (next !== undefined) {
					closeSync(next);
				}

				this.onError(error);
			}

			return;
		}

		this.emit('eof', this.pos);
	}

	/**
	Tail-file stops (closing the file) before it emits `error`: the point to resume from is kept first, so the
	caller can go on from there rather than read the back-fill again.
	*/
	override onError(error: unknown): void {
		this.#lastPoint = this.resumePoint ?? this.#lastPoint;
		super.onError(error);
	}

	/** Where the tail was when it last had the file open: for going on after an error. */
	get lastPoint(): ResumePoint | undefined {
		return this.resumePoint ?? this.#lastPoint;
	}

	/** Tail-file's own start does the fs.watch of the directory, which throws when the directory is gone. */
	override startTail(filename: string): void {
		if (this.#pollOnlyMs !== undefined) {
			// As tail-file's startTail, without its watcher.
			this.onEndOfFile = this.onEndOfFileForTail;
			this.onLine = this.onLineForTail;
			this.started = filename;
			this.#stopPolling();
			this.#pollTimer = setInterval(() => {
				this.#pollTimed();
			}, this.#pollOnlyMs);
			this.getLine();
			return;
		}

		try {
			super.startTail(filename);
		} catch (error) {
			this.onError(error);
		}
	}

	override append(error: NodeJS.ErrnoException | null, bytesRead: number, buffer: Buffer): void {
		if (error === null && bytesRead > 0) {
			this.#remember(buffer.subarray(0, bytesRead));
		}

		super.append(error, bytesRead, buffer);
	}

	override decode(chunk: Buffer | null): void {
		if (chunk === null) {
			super.decode(null);
			return;
		}

		let text = this.decoder.write(chunk);
		if (this.#skipping) {
			const newline = text.indexOf('\n');
			if (newline === -1) {
				this.getLine();
				return;
			}

			text = text.slice(newline + 1);
			this.#skipping = false;
		}

		this.txt += text;
		const lineStart = this.txt.lastIndexOf('\n') + 1;
		if (this.txt.length - lineStart > MAX_LINE_CHARS) {
			this.txt = `${this.txt.slice(0, lineStart + MAX_LINE_CHARS)}${CUT_MARK}\n`;
			this.#skipping = true;
		}

		this.getLine();
	}

	/** True when reading on at `pos` is safe; else it has restarted the tail and the caller must not go on. */
	#guard(): boolean {
		const {fd} = this;
		if (typeof fd !== 'number' || typeof this.pos !== 'number' || this.started === null || this.reading) {
			return true;
		}

		if (this.#resume !== undefined) {
			// The first read after opening: tail-file put pos at the end it saw; go back to where the caller stopped.
			const resume = this.#resume;
			this.#resume = undefined;
			if (resume.ino === this.ino) {
				this.pos = resume.pos;
				this.#fingerprint = resume.fingerprint;
			} else {
				// Rotated since: the rest of the old file from its rotated name (and any newer ones), then all of this one.
				const unread = this.#unread(resume.pos, resume.ino, this.ino ?? undefined);
				if (unread !== undefined) {
					this.#emitRemaining(unread);
				}

				this.pos = 0;
				this.#fingerprint = Buffer.alloc(0);
			}

			this.#head = Buffer.alloc(0);
		}

		const {size} = fstatSync(fd);
		if (this.#head.length === 0 && this.pos > 0) {
			this.#head = readAt(fd, 0, Math.min(HEAD_BYTES, this.pos));
		}

		if (size >= this.pos && this.#matches(fd, this.pos) && readAt(fd, 0, this.#head.length).equals(this.#head)) {
			return true;
		}

		this.#restartAfterTruncate();
		return false;
	}

	#matches(fd: number, pos: number): boolean {
		const length = Math.min(this.#fingerprint.length, pos);
		return length === 0 || readAt(fd, pos - length, length).equals(this.#fingerprint.subarray(-length));
	}

	/** Emits what was left unread of the old contents (from the rotated copy), then reads the file from its start. */
	#restartAfterTruncate(): void {
		// The copy holds what was not read; copies made since are newer; this file, read again from 0, is the newest.
		this.#emitRemaining(this.#unread(this.pos as number, undefined, this.ino ?? undefined) ?? '');
		// Truncated in place: the same file, read again from its start.
		this.#readFromStart(this.fd as number, this.ino!, 'TRUNCATE');
	}

	/**
	Emits every line not emitted yet: those tail-file holds (it hands them out one per setImmediate, so several can
	wait when a read comes from a poll), then `extra`. A last piece without its newline is emitted as well: it is the
	end of contents that will not grow any more.
	*/
	#emitRemaining(extra: string): void {
		let text = this.txt + this.decoder.end() + extra;
		this.txt = '';
		if (this.#skipping) {
			text = text.slice(text.indexOf('\n') + 1);
			this.#skipping = false;
		}

		const lines = text.split('\n');
		if (lines.at(-1) === '') {
			lines.pop();
		}

		for (const line of lines) {
			this.emit('line', line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}${CUT_MARK}` : line);
		}
	}

	/**
	Goes on at the start of `fd` at once. tail-file would close, stat the name and open again, asynchronously: a
	rotation in between (at a few per second under load) lost the whole file it should have read.
	*/
	#readFromStart(fd: number, ino: number, reason: 'TRUNCATE' | 'NEWPRIME'): void {
		if (this.fd !== fd && typeof this.fd === 'number') {
			closeSync(this.fd);
		}

		this.fd = fd;
		this.ino = ino;
		this.setBytePos(0);
		this.#fingerprint = Buffer.alloc(0);
		this.#head = Buffer.alloc(0);
		this.#skipping = false;
		this.emit('restart', reason);
		// What is there now is read at once, synchronously: with nothing read yet there is no fingerprint, and a
		// copytruncate before the first asynchronous read would go unseen (measured: rotations 50 ms apart lost files).
		const contents = readAt(fd, 0, Math.min(fstatSync(fd).size, MAX_CATCH_UP_BYTES));
		if (contents.length === 0) {
			setImmediate(() => {
				this.readStuff();
			});
			return;
		}

		this.pos = contents.length;
		this.#head = Buffer.from(contents.subarray(0, HEAD_BYTES));
		this.#remember(contents);
		this.decode(contents);
	}

	/** Keeps the last FINGERPRINT_BYTES read. */
	#remember(bytes: Buffer): void {
		const tail = bytes.subarray(Math.max(0, bytes.length - FINGERPRINT_BYTES));
		this.#fingerprint = Buffer.concat([this.#fingerprint, tail]).subarray(-FINGERPRINT_BYTES);
	}

	/**
	What this tail has not read of the rotated files, oldest first: the rest after `pos` of the file it was reading —
	found by inode after a rename, by the bytes before `pos` after a copytruncate — at `<file>.k`, then the whole of
	every newer generation `.k-1` … `.1`, when more rotations came before this tail looked (up to the 5 backups the
	seed keeps). It stops at the file still open (`openIno`): that one is read on through its descriptor. Undefined
	when the file is not found among the backups.
	*/
	#unread(pos: number, ino: number | undefined, openIno: number | undefined): string | undefined {
		if (ino === undefined && this.#fingerprint.length === 0) {
			return undefined;
		}

		for (let index = 1; index <= MAX_BACKUPS; index++) {
			const rest = this.#restOf(`${this.filename}.${index}`, pos, ino);
			if (rest === undefined) {
				continue;
			}

			const pieces = [rest];
			for (let newer = index - 1; newer >= 1; newer--) {
				const whole = this.#restOf(`${this.filename}.${newer}`, 0, undefined, openIno);
				if (whole === undefined) {
					break;
				}

				pieces.push(whole);
			}

			return Buffer.concat(pieces).toString('utf8');
		}

		return undefined;
	}

	/**
	The bytes of `file` after `pos`, if it is the file this tail was reading: the same inode when given, else the same
	bytes before `pos`. Undefined when it is not, or when it is the file `stopAtIno`.
	*/
	#restOf(file: string, pos: number, ino: number | undefined, stopAtIno?: number): Buffer | undefined {
		let fd: number | undefined;
		try {
			fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
			const stats = fstatSync(fd);
			if (!stats.isFile() || stats.size < pos || stats.ino === stopAtIno || (ino === undefined ? !this.#matches(fd, pos) : stats.ino !== ino)) {
				return undefined;
			}

			return readAt(fd, pos, Math.min(stats.size - pos, MAX_CATCH_UP_BYTES));
		} catch {
			return undefined;
		} finally {
			if (fd !== undefined) {
				closeSync(fd);
			}
		}
	}
}

/** Up to `length` bytes of `fd` from `position`; fewer at its end. */
function readAt(fd: number, position: number, length: number): Buffer {
	const bytes = Buffer.alloc(length);
	return length === 0 ? bytes : bytes.subarray(0, readSync(fd, bytes, 0, length, position));
}
