import type {ErrorRecord, RecentErrors} from '../logs/error-record.js';
import {parseSourceLocation, type RecordHeader} from '../logs/record-header.js';
import type {Result} from '../base/result.js';
import {RingBuffer} from '../base/ring-buffer.js';
import {keepStart} from '../text/keep-start.js';
import {LogFeed} from './log-feed.js';

/** Traceback lines kept per record: its end (the exception itself) matters most. */
const MAX_TRACEBACK_LINES = 40;
/** A traceback line is kept up to this many characters (a 64 KiB line in a traceback is data, not a frame). */
const MAX_TRACEBACK_LINE_CHARACTERS = 4096;
/**
The feed holds at most this many characters of messages and tracebacks (about 2 MiB as UTF-16), oldest records
dropped first: 200 records of 64 KiB lines would otherwise hold 13 MB, or 500 MB with their tracebacks.
*/
export const MAX_FEED_CHARACTERS = 1024 * 1024;

const characters = (record: ErrorRecord) => record.message.length + record.traceback.reduce((sum, line) => sum + line.length, 0);
const ERROR_LEVELS = new Set(['ERROR', 'CRITICAL']);

/**
The last `size` ERROR and CRITICAL records of errors.log, with their tracebacks, live.
*/
export class ErrorFeed {
	readonly feed: LogFeed;
	readonly #records: RingBuffer<ErrorRecord>;
	/** The record continuation lines go to; undefined after a record that is not an error. */
	#current: ErrorRecord | undefined;
	#cache: RecentErrors | undefined;
	/** Characters of the records held (see MAX_FEED_CHARACTERS). */
	#characters = 0;
	/** ERROR and CRITICAL records stamped since this feed was made, by level: back-filled old ones are not counted. */
	readonly liveCounts = new Map<string, number>();

	constructor(file: string, size: number, {since = Date.now(), pollMs}: {since?: number; pollMs?: number} = {}) {
		this.#records = new RingBuffer(size);
		this.feed = new LogFeed(file, {
			record: (header: RecordHeader) => {
				if (header.level === null || !ERROR_LEVELS.has(header.level)) {
					this.#current = undefined;
					return false;
				}

				if (header.time >= since) {
					this.liveCounts.set(header.level, (this.liveCounts.get(header.level) ?? 0) + 1);
				}

				const location = parseSourceLocation(header.message);
				this.#current = {
					timestamp: header.timestamp,
					time: header.time,
					level: header.level,
					logger: header.logger,
					function: location.function,
					line: location.line,
					message: location.message,
					traceback: [],
					file,
				};
				if (this.#records.length === this.#records.capacity) {
					this.#characters -= characters(this.#records.shift()!);
				}

				this.#records.push(this.#current);
				this.#characters += characters(this.#current);
				this.#trim();
				this.#cache = undefined;
				return true;
			},
			continuation: line => {
				if (this.#current === undefined || line.trim() === '') {
					return false;
				}

				this.#cache = undefined;
				// A new record object rather than a changed one: models handed out before stay as they were.
				const traceback = [...this.#current.traceback, keepStart(line, MAX_TRACEBACK_LINE_CHARACTERS)].slice(-MAX_TRACEBACK_LINES);
				this.#characters -= characters(this.#current);
				this.#current = {...this.#current, traceback};
				this.#characters += characters(this.#current);
				this.#records.replaceLast(this.#current);
				this.#trim();
				return true;
			},
		}, {backfillRecords: size, backfillBytes: 4 * 1024 * 1024, pollMs});
	}

	/** Oldest records dropped until the feed is within its characters; the newest always stays. */
	#trim(): void {
		while (this.#characters > MAX_FEED_CHARACTERS && this.#records.length > 1) {
			this.#characters -= characters(this.#records.shift()!);
		}
	}

	/** Oldest first. A new object after each change, the same one otherwise (renders can compare). */
	current(): Result<RecentErrors> {
		this.#cache ??= {records: this.#records.toArray(), bytesRead: 0};
		return this.feed.result(this.#cache);
	}
}
