import {
	existsSync, readFileSync, statSync,
} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import path from 'node:path';
import {describeError} from '../base/errors.js';
import {readLinesBackwards} from './read-lines-backwards.js';
import {
	CUT_MARK, GuardedTail, MAX_LINE_CHARS, READ_FLAGS, type ResumePoint,
} from './guarded-tail.js';
import {backupNames, FINGERPRINT_BYTES, howToGoOn} from './rotation.js';

/** following: reading appends; waiting: nothing to read yet (missing file or directory); failed: cannot read it. */
export type FollowState = 'starting' | 'following' | 'waiting' | 'failed';
export type FollowStatus = {state: FollowState; detail: string | null};

export type FollowOptions = {
	/** At (re)start, the last this many records are read before following, and … */
	backfillRecords: number;
	/** … at most this many bytes from the end for them, bytes. */
	backfillBytes: number;
	/** Whether a line starts a record (its continuation lines, a traceback, do not). */
	isRecordStart: (line: string) => boolean;
	/** Every line, in file order: the back-filled ones first. No line end; cut lines end with CUT_MARK. */
	onLine: (line: string) => void;
	onStatus?: (status: FollowStatus) => void;
	/** How often the file is looked at besides change events: to find it when it appears, and as a fallback, ms. */
	checkMs?: number;
	/** Set: no change events, the file is read this often, ms (see GuardedTail). */
	pollMs?: number;
};

/** The last line end before `size` and the bytes before it: lines after it are read by the tail, not the back-fill. */
const BOUNDARY_SEARCH_BYTES = 64 * 1024;

/**
Follows one log file by name, for as long as it runs: back-fills its last records, then follows appends through
rename rotation, copytruncate, deletion and re-creation. A missing file or directory, or one it may not read, is a
status (waiting / failed), never a throw: it looks again every `checkMs`.
*/
export class FileFollower {
	readonly #file: string;
	readonly #options: FollowOptions;
	#tail: GuardedTail | undefined;
	/** Where the last tail was when it stopped; its inode read on from there when it comes back. */
	#resume: ResumePoint | undefined;
	#status: FollowStatus = {state: 'starting', detail: null};
	#timer: NodeJS.Timeout | undefined;
	#checking = false;
	/** The rotated files there when the file was first seen missing: any others are new when it appears. */
	#siblingsWhenMissing: Set<number> | undefined;
	#closed = false;
	/** Rotations and truncations followed so far. */
	rotations = 0;

	constructor(file: string, options: FollowOptions) {
		this.#file = file;
		this.#options = options;
	}

	get status(): FollowStatus {
		return this.#status;
	}

	start(): void {
		void this.#check();
		this.#timer = setInterval(() => {
			void this.#check();
		}, this.#options.checkMs ?? 1000);
	}

	async close(): Promise<void> {
		this.#closed = true;
		clearInterval(this.#timer);
		await this.#stopTail();
	}

	#setStatus(state: FollowState, detail: string | null): void {
		if (this.#status.state !== state || this.#status.detail !== detail) {
			this.#status = {state, detail};
			this.#options.onStatus?.(this.#status);
		}
	}

	async #check(): Promise<void> {
		if (this.#checking || this.#closed) {
			return;
		}

		this.#checking = true;
		try {
			await (this.#tail === undefined ? this.#startTail() : this.#watchTail(this.#tail));
		} finally {
			this.#checking = false;
		}
	}

	/** A running tail: say when its file is gone, and read on if a change event was missed. */
	async #watchTail(tail: GuardedTail): Promise<void> {
		try {
			const {size} = await stat(this.#file);
			this.#setStatus('following', null);
			tail.catchUp(size);
		} catch (error) {
			// The old file is still open and read to its end; the tail moves to the new one when it appears.
			this.#setStatus('waiting', `${describeError(error)} (${existsSync(path.dirname(this.#file)) ? 'deleted' : 'directory gone'})`);
		}
	}

	async #startTail(): Promise<void> {
		let stats;
		try {
			stats = await stat(this.#file);
			if (!stats.isFile()) {
				this.#setStatus('failed', 'not a regular file');
				return;
			}

			// stat needs no read permission: try an open, so "permission denied" is said before tail-file meets it.
			const handle = await open(this.#file, READ_FLAGS);
			await handle.close();
		} catch (error) {
			const {code} = (error as NodeJS.ErrnoException);
			if (code === 'ENOENT') {
				this.#siblingsWhenMissing ??= this.#siblings();
				this.#setStatus('waiting', existsSync(path.dirname(this.#file)) ? 'missing' : 'logs directory missing');
			} else {
				this.#setStatus('failed', describeError(error));
			}

			return;
		}

		let resume = this.#resume;
		const before = this.#siblingsWhenMissing;
		this.#siblingsWhenMissing = undefined;
		const goOn = howToGoOn({sawMissing: before !== undefined, resumeIno: resume?.ino}, stats, this.#options.backfillBytes);
		if (goOn === 'whole') {
			// Seen missing, now there: every line of it is new, and of any rotated file made since (it was rotated already).
			this.#emitNewSiblings(before!);
			resume = {ino: stats.ino, pos: 0, fingerprint: Buffer.alloc(0)};
		} else if (goOn === 'last-records') {
			// First start, or a long new file: its last records. (A short new file after an error is read whole, after the
			// rest of the old one: GuardedTail finds that among the rotated files by its inode.)
			try {
				resume = await this.#backfill(stats.ino, stats.size);
			} catch (error) {
				this.#setStatus('failed', describeError(error));
				return;
			}
		}

		if (this.#closed) {
			return;
		}

		const tail = new GuardedTail(this.#file, resume, {pollMs: this.#options.pollMs});
		tail.on('line', (line: string) => {
			this.#emit(line);
		});
		tail.on('restart', () => {
			this.rotations++;
		});
		tail.on('error', (error: unknown) => {
			// tail-file has stopped reading; start again on the next check, from where it was if it is the same file.
			if (this.#tail === tail) {
				this.#resume = tail.lastPoint ?? this.#resume;
				this.#tail = undefined;
				void tail.stop().catch(() => undefined);
				this.#setStatus((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'waiting' : 'failed', describeError(error));
			}
		});
		this.#tail = tail;
		this.#resume = undefined;
		tail.start();
		this.#setStatus('following', null);
	}

	/** Emits the last records before `size` and returns where the tail goes on. */
	async #backfill(ino: number, size: number): Promise<ResumePoint> {
		const {end, fingerprint} = await lineBoundary(this.#file, size);
		const lines: string[] = [];
		let records = 0;
		if (this.#options.backfillRecords > 0) {
			const backwards = readLinesBackwards(this.#file, {maxLineBytes: MAX_LINE_CHARS, maxBytes: this.#options.backfillBytes, end});
			for await (const {text, truncated} of backwards) {
				lines.push(truncated ? `${text}${CUT_MARK}` : text);
				if (this.#options.isRecordStart(text) && ++records >= this.#options.backfillRecords) {
					break;
				}
			}
		}

		// Continuation lines before the first whole record belong to a record not read: drop them.
		while (lines.length > 0 && !this.#options.isRecordStart(lines.at(-1)!)) {
			lines.pop();
		}

		for (let index = lines.length - 1; index >= 0 && !this.#closed; index--) {
			this.#options.onLine(lines[index]!);
		}

		return {ino, pos: end, fingerprint};
	}

	/** The inodes of the numbered backups (`<file>.1` … `.5`) that exist now. */
	#siblings(): Set<number> {
		const inodes = new Set<number>();
		for (const file of backupNames(this.#file)) {
			try {
				inodes.add(statSync(file).ino);
			} catch {}
		}

		return inodes;
	}

	/** Every line of the rotated files that were not there in `before`, oldest first, within backfillBytes. */
	#emitNewSiblings(before: Set<number>): void {
		let budget = this.#options.backfillBytes;
		for (const file of backupNames(this.#file).reverse()) {
			try {
				const {ino, size} = statSync(file);
				if (before.has(ino) || size > budget) {
					continue;
				}

				budget -= size;
				const lines = readFileSync(file, 'utf8').split('\n');
				if (lines.at(-1) === '') {
					lines.pop();
				}

				for (const line of lines) {
					this.#emit(line);
				}
			} catch {}
		}
	}

	#emit(line: string): void {
		if (this.#closed) {
			return;
		}

		const text = line.endsWith('\r') ? line.slice(0, -1) : line;
		// tail-file cuts only a line still unterminated at 64 KiB; one that ends within a read can be longer.
		this.#options.onLine(text.length > MAX_LINE_CHARS && !text.endsWith(CUT_MARK) ? `${text.slice(0, MAX_LINE_CHARS)}${CUT_MARK}` : text);
	}

	async #stopTail(): Promise<void> {
		const tail = this.#tail;
		this.#tail = undefined;
		await tail?.stop().catch(() => undefined);
	}
}

/** The offset just after the last line end before `size`, and the bytes before it. */
async function lineBoundary(file: string, size: number): Promise<{end: number; fingerprint: Buffer}> {
	const handle = await open(file, READ_FLAGS);
	try {
		const length = Math.min(size, BOUNDARY_SEARCH_BYTES);
		const bytes = Buffer.alloc(length);
		const {bytesRead} = await handle.read(bytes, 0, length, size - length);
		const newline = bytes.subarray(0, bytesRead).lastIndexOf(0x0A);
		// No line end in the last 64 KiB: one over-long line; the tail cuts it.
		const end = newline === -1 ? size : size - length + newline + 1;
		const inBuffer = end - (size - length);
		return {end, fingerprint: Buffer.from(bytes.subarray(Math.max(0, inBuffer - FINGERPRINT_BYTES), inBuffer))};
	} finally {
		await handle.close();
	}
}
