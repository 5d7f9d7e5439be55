import {formatConnection, formatIssue} from '../logs/event-records.js';
import {
	LEVELS, LEVEL_ERROR, LEVEL_INFO, LEVEL_WARNING,
} from '../logs/line-header.js';
import {formatPerf} from '../logs/perf-record.js';
import {formatLogTime, formatRecordHeader, formatSourceLocation} from '../logs/record-header.js';
import {asText, oneLine} from './caller-text.js';
import type {Counters} from './counters.js';
import type {LogFiles} from './log-files.js';
import {
	callerLocation, tracebackLines, type Entry, type Location,
} from './stack-frames.js';

/** A thrown value whose traceback follows the record; `error` may itself be undefined (`throw undefined`). */
export type Thrown = {error: unknown};

export type Issue = {
	type: string;
	message: string;
	context?: Record<string, unknown>;
	severity?: 'WARNING' | 'ERROR' | 'CRITICAL';
};

/** Records of one millisecond share a timestamp: it is formatted once. */
let lastTime = Number.NaN;
let lastStamp = '';

function logTime(time: number): string {
	if (time !== lastTime) {
		lastTime = time;
		lastStamp = formatLogTime(time);
	}

	return lastStamp;
}

/**
Writes each kind of record in its one format (logs/record-header.ts, event-records.ts, perf-record.ts,
traceback.ts) to its files, and counts what the files took. Never throws at the caller: what goes
wrong is reported like a file that cannot be written.
*/
export class RecordWriter {
	/** Once true (the end of shutdown), records are no longer taken. */
	closed = false;
	readonly #files: LogFiles;
	readonly #counters: Counters;
	readonly #logger: string;
	readonly #minLevel: number;
	/** Epoch milliseconds the uptime in records counts from. */
	readonly #startedAt: number;

	constructor(files: LogFiles, counters: Counters, options: {logger: string; minLevel: number; startedAt: number}) {
		this.#files = files;
		this.#counters = counters;
		this.#logger = options.logger;
		this.#minLevel = options.minLevel;
		this.#startedAt = options.startedAt;
	}

	/**
	A record at `level`, with the traceback of `thrown` after it; returns whether the main log took it. errors.log names
	`where`: a location, or the caller of that entry point (see callerLocation); else the first caller outside the library.
	*/
	log(level: number, message: string, where?: Location | Entry, thrown?: Thrown): boolean {
		if (this.closed || (level < this.#minLevel && level < LEVEL_ERROR)) {
			return false;
		}

		try {
			const levelName = LEVELS[level]!;
			const header = formatRecordHeader(logTime(Date.now()), this.#logger, levelName);
			const text = oneLine(asText(message));
			const tail = thrown === undefined ? '\n' : `\n${tracebackLines(thrown.error).join('\n')}\n`;
			let written = false;
			if (level >= this.#minLevel) {
				const line = header + text + tail;
				written = this.#files.main.write(line);
				if (written) {
					this.#counters.wroteRecord(levelName);
				}

				this.#files.legacy?.write(line);
			}

			if (level >= LEVEL_ERROR) {
				const location = typeof where === 'function' ? callerLocation(where) : where ?? callerLocation();
				if (this.#files.errors.write(header + formatSourceLocation(location) + text + tail)) {
					this.#counters.wroteErrorsLog();
				}
			}

			return written;
		} catch (error) {
			// Nothing here is known to throw; should something, it is reported like a file that cannot be written, never thrown.
			this.reportError('a record', error);
			return false;
		}
	}

	metric(metric: string, value: number | Record<string, number>, unit: string | null = null): void {
		if (this.closed) {
			return;
		}

		try {
			const time = Date.now();
			const payload = formatPerf({
				metric: asText(metric),
				value,
				unit: unit === null || unit === undefined ? null : asText(unit),
				time,
				uptimeSeconds: this.#uptime(time),
			});
			if (this.#files.performance.write(`${formatRecordHeader(logTime(time), null, null)}${payload}\n`)) {
				this.#counters.wrotePerf();
			}
		} catch (error) {
			this.reportError('a record', error);
		}
	}

	/** An ISSUE record at its severity (WARNING unless said), counted per type; `entry` as for log(). */
	issue({
		type, message, context, severity,
	}: Issue, entry?: Entry): void {
		const issueType = asText(type);
		const severityName = severity ?? 'WARNING';
		const level = LEVELS.includes(severityName) ? LEVELS.indexOf(severityName) : LEVEL_WARNING;
		const payload = formatIssue({
			issueType,
			message: asText(message),
			severity: LEVELS[level]!,
			count: this.#counters.issueMade(issueType),
			uptimeSeconds: this.#uptime(Date.now()),
			context: context ?? {},
		});
		if (this.log(level, payload, entry)) {
			this.#counters.wroteIssue(issueType);
		}
	}

	connection(service: string, status: boolean, details: Record<string, unknown> = {}): void {
		const serviceName = asText(service);
		const up = Boolean(status);
		const failures = this.#counters.connectionMade(serviceName, up);
		let fullDetails: Record<string, unknown>;
		try {
			fullDetails = {...details, failures};
		} catch {
			// A getter that throws: the count is what matters.
			fullDetails = {failures};
		}

		const payload = formatConnection({
			service: serviceName,
			status: up,
			details: fullDetails,
			uptimeSeconds: this.#uptime(Date.now()),
		});
		if (this.log(up ? LEVEL_INFO : LEVEL_WARNING, payload)) {
			this.#counters.wroteConnection(serviceName, up);
		}
	}

	/** Says on stderr, once for the whole monitor, that something could not be written; never throws. */
	reportError(what: string, error: unknown): void {
		this.#files.reportError(what, error);
	}

	#uptime(time: number): number {
		return (time - this.#startedAt) / 1000;
	}
}
