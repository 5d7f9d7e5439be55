import {EventEmitter} from 'node:events';
import {
	closeSync, constants, fstatSync, openSync, readSync, statSync,
} from 'node:fs';
import path from 'node:path';
import {
	atEndOfFile, FINGERPRINT_BYTES, HEAD_BYTES, holdsWhatWasRead, type LookAtBackup, mayHaveChanged, unreadAfterRotation,
} from './rotation.js';
import {type OpenFile, TailFileAdapter} from './tail-file-adapter.js';

/** A line longer than this is cut, characters (≈ bytes for the ASCII these logs are). */
export const MAX_LINE_CHARS = 64 * 1024;
/** Ends a line that was cut at MAX_LINE_CHARS. */
export const CUT_MARK = ' […cut at 64 KiB]';
/** How a log is opened for reading: O_NONBLOCK, so that a FIFO put in its place cannot hang the open. */
export const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
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
/** Bytes per read: tail-file's 4 KiB means a round trip through libuv per few dozen lines. */
const READ_BYTES = 64 * 1024;

/** Where to go on reading a file: its inode, the byte offset, and the bytes just before that offset. */
export type ResumePoint = {ino: number; pos: number; fingerprint: Buffer};

/**
Tail-file (through TailFileAdapter), with guards for what it gets wrong (measured on 1.4.16, the pinned version):

- copytruncate followed at once by more bytes than were read: it goes on at the old offset and loses the start of
  the new file. Before every read the bytes just before the offset are compared with those read there; on a
  mismatch (or a shorter file) the rest of the rotated copy (`<file>.1`, or `.2`… if rotated on since) is read, then
  the new file from its start. The rules are in rotation.ts.
- an unterminated line is buffered without bound: cut at MAX_LINE_CHARS and marked, the rest skipped to its newline.
- it can only start at the end or the start: `resume` puts it at an exact offset of the same inode.

Emits `line` (line: string), `error`, `restart` (reason: 'TRUNCATE' | 'NEWPRIME' | tail-file's own) and `eof` (pos).
*/
// eslint-disable-next-line unicorn/prefer-event-target -- Node's emitter, as tail-file's: an `error` nobody listens to throws
export class GuardedTail extends EventEmitter {
	readonly #tail: TailFileAdapter;
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
		super();
		this.#resume = resume;
		this.#basename = path.basename(file);
		this.#pollOnlyMs = pollMs;
		this.#tail = new TailFileAdapter(file, {readBytes: READ_BYTES, watch: pollMs === undefined}, {
			beforeRead: () => this.#guard(),
			bytesRead: bytes => {
				this.#remember(bytes);
			},
			textDecoded: (pending, text) => this.#cutLongLine(pending, text),
			endOfFile: () => {
				this.#endOfFile();
			},
			directoryChanged: name => {
				this.#directoryChanged(name);
			},
			starting: () => {
				this.#starting();
			},
			failing: () => {
				// Tail-file stops (closing the file) before it emits `error`: the point to resume from is kept first, so
				// the caller can go on from there rather than read the back-fill again.
				this.#lastPoint = this.resumePoint ?? this.#lastPoint;
			},
			line: line => this.emit('line', line),
			restart: reason => this.emit('restart', reason),
			error: error => this.emit('error', error),
		});
	}

	start(): void {
		this.#tail.start();
	}

	async stop(): Promise<void> {
		this.#stopPolling();
		await this.#tail.stop();
	}

	/** Where this tail would go on from; undefined before it has opened the file. */
	get resumePoint(): ResumePoint | undefined {
		const {open} = this.#tail;
		return open === undefined ? undefined : {ino: open.ino, pos: open.pos, fingerprint: this.#fingerprint};
	}

	/** Where the tail was when it last had the file open: for going on after an error. */
	get lastPoint(): ResumePoint | undefined {
		return this.resumePoint ?? this.#lastPoint;
	}

	/** A look from outside found the file `size` bytes long: reads on if this tail is not there (a change event was missed). */
	catchUp(size: number): void {
		const {open} = this.#tail;
		if (open !== undefined && !this.#tail.isReading && size !== open.pos) {
			this.#tail.read();
		}
	}

	/**
	The directory watcher's event. The logs directory holds every log, and each log's tail watches it: only events
	for this file (or its rotated siblings) matter. One alone is read at once; one hard on the heels of another switches
	to polling until the file is quiet again.
	*/
	#directoryChanged(name: string | null): void {
		if (name !== null && !name.startsWith(this.#basename)) {
			return;
		}

		const now = performance.now();
		const busy = now - this.#eventAt < BUSY_EVENT_GAP_MS;
		this.#eventAt = now;
		if (this.#pollTimer === undefined && !busy) {
			this.#tail.read();
			return;
		}

		if (this.#pollTimer === undefined) {
			this.#tail.pauseWatching();
			this.#quietPolls = 0;
			this.#polledAt = -1;
			this.#pollTimer = setInterval(() => {
				this.#poll();
			}, BUSY_POLL_MS);
		}
	}

	/** Tail-file starts on the file: read on a timer only (pollMs), the timer starts with it. */
	#starting(): void {
		if (this.#pollOnlyMs !== undefined) {
			this.#stopPolling();
			this.#pollTimer = setInterval(() => {
				this.#pollTimed();
			}, this.#pollOnlyMs);
		}
	}

	#poll(): void {
		const {open} = this.#tail;
		if (open === undefined) {
			// Restarting (rotation) or stopped: tail-file's start makes a watcher of its own.
			this.#stopPolling();
			return;
		}

		this.#quietPolls = open.pos === this.#polledAt && !this.#tail.isReading ? this.#quietPolls + 1 : 0;
		this.#polledAt = open.pos;
		if (this.#quietPolls >= QUIET_POLLS && this.#tail.resumeWatching()) {
			this.#stopPolling();
		}

		// One more read after the watcher is back: a write between the last poll and the watcher would go unseen.
		this.#tail.read();
	}

	/**
	A timed look (pollMs): two stats when nothing changed; a read cycle when the file grew, shrank (copytruncate) or
	was replaced (rename), which the read's end of file sorts out as it does for change events.
	*/
	#pollTimed(): void {
		const {open} = this.#tail;
		if (open === undefined || this.#tail.isReading) {
			// Restarting (its start sets the timer again) or reading already.
			return;
		}

		try {
			if (!mayHaveChanged({...open, size: fstatSync(open.fd).size}, statSync(this.#tail.file).ino)) {
				return;
			}
		} catch {
			// The name is gone: the read's end of file says what happened.
		}

		this.#tail.read();
	}

	#stopPolling(): void {
		clearInterval(this.#pollTimer);
		this.#pollTimer = undefined;
	}

	/**
	At the end of what was read. tail-file decides on a rename rotation after an asynchronous stat, and loses what
	the writer appended to the old file between its last read and the rename: decided here synchronously, and the
	old file's size looked at again after the new file was seen.
	*/
	#endOfFile(): void {
		let named;
		try {
			named = statSync(this.#tail.file);
		} catch {
			// Deleted or renamed away with nothing in its place yet: stay on the open file until a new one appears.
		}

		// After the stat, the old file is looked at again: a copytruncate (even to the same length) or more lines put in
		// it before the rotation seen above are read before the new file.
		const open = this.#guard() ? this.#tail.open : undefined;
		if (open === undefined) {
			return;
		}

		switch (atEndOfFile({...open, size: fstatSync(open.fd).size}, named)) {
			case 'read-on': {
				this.#tail.read();
				break;
			}

			case 'next-file': {
				this.#nextFile(open);
				break;
			}

			case 'wait': {
				this.emit('eof', open.pos);
				break;
			}
		}
	}

	/** Renamed away and a new file in its place: the old one is read to its end (the guard saw to that); now the new one. */
	#nextFile(old: OpenFile): void {
		let next: number | undefined;
		try {
			next = openSync(this.#tail.file, READ_FLAGS);
			const {ino} = fstatSync(next);
			// Rotations faster than the polls: generations between the old file (now `.k`) and the new one.
			this.#emitRemaining(this.#unread(old.pos, old.ino, ino) ?? '');
			this.#readFromStart(next, ino, 'NEWPRIME');
		} catch (error) {
			if (next !== undefined) {
				closeSync(next);
			}

			this.#tail.fail(error);
		}
	}

	/** Cuts an unterminated line at MAX_LINE_CHARS (marked), then drops the rest of it up to its newline. */
	#cutLongLine(pending: string, decoded: string): string {
		let text = decoded;
		if (this.#skipping) {
			const newline = text.indexOf('\n');
			if (newline === -1) {
				return pending;
			}

			text = text.slice(newline + 1);
			this.#skipping = false;
		}

		const all = pending + text;
		const lineStart = all.lastIndexOf('\n') + 1;
		if (all.length - lineStart > MAX_LINE_CHARS) {
			this.#skipping = true;
			return `${all.slice(0, lineStart + MAX_LINE_CHARS)}${CUT_MARK}\n`;
		}

		return all;
	}

	/** True when reading on at the tail's offset is safe; else it has restarted the tail and the caller must not go on. */
	#guard(): boolean {
		const {open} = this.#tail;
		if (open === undefined || !this.#tail.isStarted || this.#tail.isReading) {
			return true;
		}

		let {pos} = open;
		if (this.#resume !== undefined) {
			// The first read after opening: tail-file put pos at the end it saw; go back to where the caller stopped.
			const resume = this.#resume;
			this.#resume = undefined;
			if (resume.ino === open.ino) {
				pos = resume.pos;
				this.#fingerprint = resume.fingerprint;
			} else {
				// Rotated since: the rest of the old file from its rotated name (and any newer ones), then all of this one.
				const unread = this.#unread(resume.pos, resume.ino, open.ino);
				if (unread !== undefined) {
					this.#emitRemaining(unread);
				}

				pos = 0;
				this.#fingerprint = Buffer.alloc(0);
			}

			this.#tail.seek(pos);
			this.#head = Buffer.alloc(0);
		}

		const {fd} = open;
		const {size} = fstatSync(fd);
		if (this.#head.length === 0 && pos > 0) {
			this.#head = readAt(fd, 0, Math.min(HEAD_BYTES, pos));
		}

		const read = {pos, fingerprint: this.#fingerprint, head: this.#head};
		if (holdsWhatWasRead(size, read, (position, length) => readAt(fd, position, length))) {
			return true;
		}

		// Truncated in place (copytruncate): what was not read is in the copy; copies made since are newer; this file,
		// read again from its start, is the newest.
		this.#emitRemaining(this.#unread(pos, undefined, open.ino) ?? '');
		this.#readFromStart(fd, open.ino, 'TRUNCATE');
		return false;
	}

	/**
	Emits every line not emitted yet: those tail-file holds (it hands them out one per setImmediate, so several can
	wait when a read comes from a poll), then `extra`. A last piece without its newline is emitted as well: it is the
	end of contents that will not grow any more.
	*/
	#emitRemaining(extra: string): void {
		let text = this.#tail.takePending() + extra;
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
		this.#tail.replaceFile(fd, ino);
		this.#fingerprint = Buffer.alloc(0);
		this.#head = Buffer.alloc(0);
		this.#skipping = false;
		this.emit('restart', reason);
		// What is there now is read at once, synchronously: with nothing read yet there is no fingerprint, and a
		// copytruncate before the first asynchronous read would go unseen (measured: rotations 50 ms apart lost files).
		const contents = readAt(fd, 0, Math.min(fstatSync(fd).size, MAX_CATCH_UP_BYTES));
		if (contents.length === 0) {
			setImmediate(() => {
				this.#tail.read();
			});
			return;
		}

		this.#tail.seek(contents.length);
		this.#head = Buffer.from(contents.subarray(0, HEAD_BYTES));
		this.#remember(contents);
		this.#tail.decode(contents);
	}

	/** Keeps the last FINGERPRINT_BYTES read. */
	#remember(bytes: Buffer): void {
		const tail = bytes.subarray(Math.max(0, bytes.length - FINGERPRINT_BYTES));
		this.#fingerprint = Buffer.concat([this.#fingerprint, tail]).subarray(-FINGERPRINT_BYTES);
	}

	/** What this tail has not read of the rotated files, oldest first (rotation.ts says where), as text. */
	#unread(pos: number, ino: number | undefined, openIno: number): string | undefined {
		const pieces = unreadAfterRotation(this.#tail.file, {pos, ino, fingerprint: this.#fingerprint}, openIno, lookAtBackup);
		return pieces === undefined ? undefined : Buffer.concat(pieces).toString('utf8');
	}
}

/** Opens a backup for the rotation rules to look at: the stat and the reads through one descriptor, closed after. */
const lookAtBackup: LookAtBackup = (name, look) => {
	let fd: number | undefined;
	try {
		const opened = openSync(name, READ_FLAGS);
		fd = opened;
		const stats = fstatSync(opened);
		return look({
			isFile: stats.isFile(),
			size: stats.size,
			ino: stats.ino,
			readAt: (position, length) => readAt(opened, position, length),
			rest: position => readAt(opened, position, Math.min(stats.size - position, MAX_CATCH_UP_BYTES)),
		});
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) {
			closeSync(fd);
		}
	}
};

/** Up to `length` bytes of `fd` from `position`; fewer at its end. */
function readAt(fd: number, position: number, length: number): Buffer {
	const bytes = Buffer.alloc(length);
	return length === 0 ? bytes : bytes.subarray(0, readSync(fd, bytes, 0, length, position));
}
