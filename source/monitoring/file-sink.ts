import {appendFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {finished} from 'node:stream/promises';
import {createStream, type RotatingFileStream} from 'rotating-file-stream';

export type SinkOptions = {
	file: string;
	/** Rotate once the file reaches this size, bytes. */
	rotationBytes?: number;
	/** Rotate on this rfs interval, at local time boundaries: `1d` is every midnight (tests use seconds). */
	interval?: string;
	/** Rotated files kept: file.1 (newest) … file.N. */
	backups: number;
	/** Records waiting for the disk beyond this are dropped, bytes: a stalled disk must not exhaust memory. */
	maxPendingBytes: number;
	/** Called with each failure to open or write the file. */
	onError: (file: string, error: unknown) => void;
};

/** At most this much is handed to the file in one write, bytes. */
const MAX_CHUNK_BYTES = 256 * 1024;
/** After a failure the file is opened again at the first record this much later, milliseconds. */
const RETRY_MS = 5000;

/**
One log file, written through rotating-file-stream (rfs) in its classical mode: `file`, then `file.1` … `file.N` as
logrotate and Python's RotatingFileHandler name them.

rfs writes each chunk whole to the current file and rotates after a chunk that takes the file to the size limit or
past it, so a record is never split across two files, and a rotated file holds at least the limit (Python's handler
rotates before the write instead: its files stay under it). Writing one record per chunk costs a system call and a
thread-pool round trip each (≈ 40,000 records/s measured); so records queue here and go out together, one chunk at a
time, a chunk ending at the record that reaches the size limit: the files are byte for byte those of one write per
record.
*/
export class FileSink {
	/** Records handed to the file and acknowledged by it. */
	written = 0;
	/** Records that will never reach the file: write failures, the pending bound, the shutdown deadline. */
	lost = 0;

	readonly #options: SinkOptions;
	#stream: RotatingFileStream | undefined;
	#state: 'opening' | 'open' | 'broken' | 'closed' = 'opening';
	#retryAt = 0;
	/** The file the stream has open, as rfs reported it, and its size as rfs counts it (for chunk boundaries). */
	#current: string;
	#fileBytes = 0;
	#queue: string[] = [];
	#sizes: number[] = [];
	#head = 0;
	#queuedBytes = 0;
	#inFlight = 0;
	#closing = false;
	readonly #idle: Array<() => void> = [];

	constructor(options: SinkOptions) {
		this.#options = options;
		this.#current = options.file;
		this.#open();
	}

	/** Records waiting for the file or in flight. */
	get pending(): number {
		return this.#queue.length - this.#head + this.#inFlight;
	}

	/** Queues one record (its lines, each ending in `\n`); false when it cannot be (closed, or over the bound). */
	write(text: string): boolean {
		if (this.#state === 'closed') {
			this.lost++;
			return false;
		}

		const size = Buffer.byteLength(text);
		if (this.#queuedBytes + size > this.#options.maxPendingBytes) {
			this.lost++;
			return false;
		}

		this.#queue.push(text);
		this.#sizes.push(size);
		this.#queuedBytes += size;
		if (this.#state === 'open') {
			this.#pump();
		} else if (this.#state === 'broken' && Date.now() >= this.#retryAt) {
			this.#open();
		}

		return true;
	}

	/** Resolves when every queued record is written (or lost to a failure) and the file is closed. */
	async close(): Promise<void> {
		if (this.#closing) {
			return;
		}

		this.#closing = true;
		if (this.#state === 'broken') {
			// One last try: the disk may have room again.
			this.#open();
		}

		await new Promise<void>(resolve => {
			if (this.pending === 0 || this.#state === 'broken') {
				resolve();
			} else {
				this.#idle.push(resolve);
			}
		});
		this.#dropQueue();
		const stream = this.#stream;
		this.#state = 'closed';
		this.#stream = undefined;
		if (stream !== undefined && !stream.destroyed) {
			stream.end();
			try {
				await finished(stream);
			} catch {}
		}
	}

	/**
	The last resort when the shutdown deadline passes, or the process exits without a shutdown: whatever is still
	queued is appended to the current file synchronously, past rotation. A chunk in flight is left to the thread
	pool and may land after it.
	*/
	flushSync(): void {
		if (this.#queue.length === this.#head) {
			return;
		}

		const records = this.#queue.length - this.#head;
		try {
			appendFileSync(this.#current, this.#queue.slice(this.#head).join(''));
			this.written += records;
		} catch (error) {
			this.lost += records;
			this.#options.onError(this.#options.file, error);
		}

		this.#queue = [];
		this.#sizes = [];
		this.#head = 0;
		this.#queuedBytes = 0;
		this.#state = 'closed';
	}

	#open(): void {
		const {file, rotationBytes, interval, backups} = this.#options;
		this.#state = 'opening';
		let stream: RotatingFileStream;
		try {
			stream = createStream(path.basename(file), {
				path: path.dirname(file),
				rotate: backups,
				...(rotationBytes === undefined ? {} : {size: `${rotationBytes}B`}),
				...(interval === undefined ? {} : {interval}),
			});
		} catch (error) {
			this.#fail(undefined, error);
			return;
		}

		this.#stream = stream;
		// Emitted when the file is opened, at the start and after each rotation, while no chunk is being written.
		stream.on('open', (filename: string) => {
			if (stream !== this.#stream) {
				return;
			}

			this.#current = filename;
			try {
				this.#fileBytes = statSync(filename).size;
			} catch {
				this.#fileBytes = 0;
			}

			if (this.#state === 'opening') {
				this.#state = 'open';
				this.#pump();
			}
		});
		stream.on('error', error => {
			this.#fail(stream, error);
		});
	}

	/** Hands the next chunk to the stream when none is in flight. */
	#pump(): void {
		const stream = this.#stream;
		if (this.#state !== 'open' || this.#inFlight > 0 || stream === undefined) {
			this.#settle();
			return;
		}

		const limit = this.#options.rotationBytes;
		let end = this.#head;
		let bytes = 0;
		while (end < this.#queue.length) {
			bytes += this.#sizes[end]!;
			end++;
			// The record that takes the file to the limit ends the chunk: rfs rotates right after it.
			if ((limit !== undefined && this.#fileBytes + bytes >= limit) || bytes >= MAX_CHUNK_BYTES) {
				break;
			}
		}

		if (end === this.#head) {
			this.#settle();
			return;
		}

		const chunk = end - this.#head === 1 ? this.#queue[this.#head]! : this.#queue.slice(this.#head, end).join('');
		this.#inFlight = end - this.#head;
		this.#head = end;
		this.#queuedBytes -= bytes;
		this.#fileBytes += bytes;
		this.#compact();
		stream.write(chunk, error => {
			if (stream !== this.#stream) {
				return;
			}

			if (error) {
				this.#fail(stream, error);
				return;
			}

			this.written += this.#inFlight;
			this.#inFlight = 0;
			this.#pump();
		});
	}

	#compact(): void {
		if (this.#head === this.#queue.length) {
			this.#queue = [];
			this.#sizes = [];
			this.#head = 0;
		} else if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
			this.#queue = this.#queue.slice(this.#head);
			this.#sizes = this.#sizes.slice(this.#head);
			this.#head = 0;
		}
	}

	#fail(stream: RotatingFileStream | undefined, error: unknown): void {
		if (stream !== this.#stream) {
			return;
		}

		// A chunk that failed may be partly on disk: its records are counted lost, not written again.
		this.lost += this.#inFlight;
		this.#inFlight = 0;
		this.#stream = undefined;
		this.#state = 'broken';
		this.#retryAt = Date.now() + RETRY_MS;
		stream?.destroy();
		this.#options.onError(this.#options.file, error);
		this.#settle();
	}

	/** Wakes close() once nothing more can be written. */
	#settle(): void {
		if (this.#idle.length > 0 && (this.pending === 0 || this.#state === 'broken')) {
			for (const resolve of this.#idle.splice(0)) {
				resolve();
			}
		}
	}

	#dropQueue(): void {
		this.lost += this.#queue.length - this.#head;
		this.#queue = [];
		this.#sizes = [];
		this.#head = 0;
		this.#queuedBytes = 0;
	}
}
