import {closeSync, constants, fstatSync, openSync, readSync, statSync} from 'node:fs';
import Tail from 'tail-file';

/** A line longer than this is cut, characters (≈ bytes for the ASCII these logs are). */
export const MAX_LINE_CHARS = 64 * 1024;
/** Ends a line that was cut at MAX_LINE_CHARS. */
export const CUT_MARK = ' […cut at 64 KiB]';
/** Bytes kept from just before the read position: the same bytes there mean the same file, bytes. */
const FINGERPRINT_BYTES = 64;
/** At most this much of a rotated copy is read to catch up after a copytruncate, bytes. */
const MAX_CATCH_UP_BYTES = 8 * 1024 * 1024;

/** Where to go on reading a file: its inode, the byte offset, and the bytes just before that offset. */
export type ResumePoint = {ino: number; pos: number; fingerprint: Buffer};

/**
tail-file, with guards for what it gets wrong (measured on 1.4.16, the pinned version: these override its internals):

- copytruncate followed at once by more bytes than were read: it goes on at the old offset and loses the start of
  the new file. Before every read the bytes just before the offset are compared with those read there; on a
  mismatch (or a shorter file) the rest of the rotated copy (`<file>.1`) is read, then the new file from its start.
- an unterminated line is buffered without bound: cut at MAX_LINE_CHARS and marked, the rest skipped to its newline.
- it can only start at the end or the start: `resume` puts it at an exact offset of the same inode.

Emits tail-file's `line`, `error`, `restart` and `eof` events.
*/
export class GuardedTail extends Tail {
	#fingerprint: Buffer = Buffer.alloc(0);
	#resume: ResumePoint | undefined;
	/** The head of an over-long line was emitted: drop text until its newline. */
	#skipping = false;

	constructor(file: string, resume?: ResumePoint) {
		super(file, {startPos: 'end', force: false});
		this.#resume = resume;
	}

	/** Where this tail would go on from; undefined before it has opened the file. */
	get resumePoint(): ResumePoint | undefined {
		return typeof this.pos === 'number' && typeof this.ino === 'number' && typeof this.fd === 'number'
			? {ino: this.ino, pos: this.pos, fingerprint: this.#fingerprint}
			: undefined;
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
		if (this.started === null || !this.#guard()) {
			return;
		}

		const {fd} = this;
		if (typeof fd !== 'number' || typeof this.pos !== 'number') {
			return;
		}

		let primary;
		try {
			primary = statSync(this.filename);
		} catch {
			// Deleted or renamed away with nothing in its place yet: stay on the open file until a new one appears.
		}

		// After the stat: what the writer put in the old file before the rotation seen above is read first.
		if (fstatSync(fd).size > this.pos) {
			this.readStuff();
			return;
		}

		if (primary !== undefined && primary.ino !== this.ino && primary.size > 0) {
			this.#restartAtStart('NEWPRIME');
			return;
		}

		this.emit('eof', this.pos);
	}

	/** tail-file's own start does the fs.watch of the directory, which throws when the directory is gone. */
	override startTail(filename: string): void {
		try {
			super.startTail(filename);
		} catch (error) {
			this.onError(error);
		}
	}

	override append(error: NodeJS.ErrnoException | null, bytesRead: number, buffer: Buffer): void {
		if (error === null && bytesRead > 0) {
			const read = buffer.subarray(Math.max(0, bytesRead - FINGERPRINT_BYTES), bytesRead);
			this.#fingerprint = Buffer.concat([this.#fingerprint, read]).subarray(-FINGERPRINT_BYTES);
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
				// Another file since then: all of it is new.
				this.pos = 0;
				this.#fingerprint = Buffer.alloc(0);
			}
		}

		const {size} = fstatSync(fd);
		if (size >= this.pos && this.#matches(fd, this.pos)) {
			return true;
		}

		this.#restartAfterTruncate();
		return false;
	}

	#matches(fd: number, pos: number): boolean {
		const length = Math.min(this.#fingerprint.length, pos);
		if (length === 0) {
			return true;
		}

		const bytes = Buffer.alloc(length);
		return readSync(fd, bytes, 0, length, pos - length) === length && bytes.equals(this.#fingerprint.subarray(-length));
	}

	/** Emits what was left unread of the old contents (from the rotated copy), then reads the file from its start. */
	#restartAfterTruncate(): void {
		const rest = this.#rotatedRest(this.pos as number);
		let text = this.txt + this.decoder.end() + (rest === undefined ? '' : rest.toString('utf8'));
		if (this.#skipping) {
			text = text.slice(text.indexOf('\n') + 1);
		}

		const lines = text.split('\n');
		// A last piece without its newline: the end of the old contents, as complete as it will get.
		if (lines.at(-1) === '') {
			lines.pop();
		}

		this._stop();
		for (const line of lines) {
			this.emit('line', line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}${CUT_MARK}` : line);
		}

		this.#restartAtStart('TRUNCATE');
	}

	#restartAtStart(reason: 'TRUNCATE' | 'NEWPRIME'): void {
		this._stop();
		this.setBytePos(0);
		this.#fingerprint = Buffer.alloc(0);
		this.#skipping = false;
		this.emit('restart', reason);
		this.start();
	}

	/** The bytes after `pos` of `<file>.1` when its bytes before `pos` are the ones this tail read there. */
	#rotatedRest(pos: number): Buffer | undefined {
		if (this.#fingerprint.length === 0) {
			return undefined;
		}

		let fd: number | undefined;
		try {
			fd = openSync(`${this.filename}.1`, constants.O_RDONLY | constants.O_NONBLOCK);
			const stats = fstatSync(fd);
			if (!stats.isFile() || stats.size < pos || !this.#matches(fd, pos)) {
				return undefined;
			}

			const rest = Buffer.alloc(Math.min(stats.size - pos, MAX_CATCH_UP_BYTES));
			const bytesRead = readSync(fd, rest, 0, rest.length, pos);
			return rest.subarray(0, bytesRead);
		} catch {
			return undefined;
		} finally {
			if (fd !== undefined) {
				closeSync(fd);
			}
		}
	}
}
