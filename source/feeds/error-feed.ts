import type {ErrorRecord, RecentErrors} from '../collectors/recent-errors.js';
import {parseSourceLocation, type RecordHeader} from '../logs/record-header.js';
import type {Result} from '../collectors/result.js';
import {RingBuffer} from '../ring-buffer.js';
import {LogFeed} from './log-feed.js';

/** Traceback lines kept per record: its end (the exception itself) matters most. */
const MAX_TRACEBACK_LINES = 40;
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
				this.#records.push(this.#current);
				this.#cache = undefined;
				return true;
			},
			continuation: line => {
				if (this.#current === undefined || line.trim() === '') {
					return false;
				}

				this.#cache = undefined;
				// A new record object rather than a changed one: models handed out before stay as they were.
				const traceback = [...this.#current.traceback, line].slice(-MAX_TRACEBACK_LINES);
				this.#current = {...this.#current, traceback};
				this.#records.replaceLast(this.#current);
				return true;
			},
		}, {backfillRecords: size, backfillBytes: 4 * 1024 * 1024, pollMs});
	}

	/** Oldest first. A new object after each change, the same one otherwise (renders can compare). */
	current(): Result<RecentErrors> {
		this.#cache ??= {records: this.#records.toArray(), bytesRead: 0};
		return this.feed.result(this.#cache);
	}
}
