import {
	createHeader, LEVEL_CRITICAL, LEVEL_ERROR, LEVEL_WARNING, LEVELS, readHeader, type Header,
} from './line-header.js';
import {
	createPerfScratch, startsWith, PAYLOAD_CONNECTION, PAYLOAD_ISSUE, PAYLOAD_OFFSETS, PAYLOAD_PERF, payloadKind, readConnection, readIssue, readPerf,
} from './payload.js';
import {
	join, startTimeline, step, type Timeline,
} from './connection-timeline.js';
import {MetricStats, type MetricStatsPlain} from './metric-stats.js';
import {exceptionClass, normalizeMessage} from './error-type.js';
import {connectionName, issueName} from './event-records.js';
import {MAX_LOCATION_LENGTH, parseSourceLocation} from './record-header.js';

/** Bounds on what one log can make us remember, whatever it holds. */
export const LIMITS = {
	errorTypes: 1000,
	issueTypes: 1000,
	services: 200,
	metrics: 500,
	hours: 100_000,
	/** Characters of a message kept as an example. */
	example: 300,
	/** Traceback lines kept per recent error (the last ones: the exception is at the end). */
	tracebackLines: 20,
	/** Bytes of each traceback line kept. */
	tracebackLineBytes: 400,
	problems: 20,
	/** Hourly (sum, count) pairs kept over all metrics of a log, for worst_hour. */
	metricHours: 20_000,
} as const;

/** Key under which what is past a bound is counted. */
export const OTHER = '(other)';

/** Between a metric and a field of its object value in metric keys: `system_health` FIELD `cpu_percent`. */
export const FIELD = '\u0000';

export type Counted = {count: number; first: number; last: number};
export type ErrorType = Counted & {example: string; exception: string | null};

/** One hour of a log: its records, and among them the ERROR and CRITICAL ones (`errors`) and the WARNING ones. */
export type HourCounts = {records: number; errors: number; warnings: number};

export type RecentError = {time: number; level: string; message: string; traceback: string[]};

export type ScanOptions = {
	/** Records older than this (epoch ms) are outside the window and skipped; -Infinity for none. */
	cutoff: number;
	/** Keep the last this many ERROR records whole, for --recent-errors; 0 for none. */
	recentErrors: number;
};

/**
The ERROR record being read: its bytes are kept (copied, capped) and decoded only when needed, since a traceback's
last line often names the error by itself. One per summary, reused.
*/
type PendingError = {
	active: boolean;
	time: number;
	level: string;
	message: Buffer;
	messageLength: number;
	lastLine: Buffer;
	lastLineLength: number;
	/** A `Traceback (most recent call last):` line came: only then does the last line name an exception. */
	sawTraceback: boolean;
	/** `ISSUE <type>` or `CONNECTION <service> up|down` when the record is one of those (eventKey). */
	eventKey: string | undefined;
	traceback: string[] | undefined;
};

const TRACEBACK_START = Buffer.from('Traceback (most recent call last)');

const MESSAGE_BYTES = LIMITS.example * 4;
const LAST_LINE_BYTES = LIMITS.tracebackLineBytes;

// Lines are read as bytes of a Buffer, not as strings (most lines never become one: that is what makes analyze fast),
// so characters are tested by their byte values.
const SPACE = 0x20;
const TAB = 0x09;
const DASH = 0x2D;
/** ISSUE types and services are keys: this long at most, characters. */
const MAX_EVENT_KEY_LENGTH = 160;
/** 'T', TRACEBACK_START's first byte: most traceback lines are told apart from it by this one comparison. */
const LETTER_T = 0x54;

// FNV-1a (32 bits), to find a metric by the bytes of its name.
const FNV_OFFSET_BASIS = 0x81_1C_9D_C5;
const FNV_PRIME = 0x01_00_01_93;

/**
Everything `analyze` reports about one log, folded line by line. One summary per chunk of a file; summaries of the
chunks of a log are merged in order. The per-line path reads bytes and makes strings only where a record needs one
(errors, ISSUE and CONNECTION payloads, metric names).
*/
export class LogSummary {
	lines = 0;
	records = 0;
	/** Lines before the first record of a file: they belong to no record. */
	unparsed = 0;
	/** Records whose timestamp is impossible or whose payload is not valid JSON of the expected shape. */
	invalid = 0;
	/** Lines after a record that continue it (tracebacks). */
	continuation = 0;
	outsideWindow = 0;
	/** Records per level code: line-header.ts's LEVEL_*, one for each of LEVELS in its order. */
	levels = [0, 0, 0, 0, 0];
	first = Number.POSITIVE_INFINITY;
	last = Number.NEGATIVE_INFINITY;
	/** Records per hour, keyed by line-header.ts's hourKey. */
	hourly = new Map<number, HourCounts>();
	errorTypes = new Map<string, ErrorType>();
	issueTypes = new Map<string, Counted>();
	connections = new Map<string, Timeline>();
	metrics = new Map<string, MetricStats>();
	recent: RecentError[] = [];
	/** What could not be read (a truncated gzip file), at most LIMITS.problems. */
	problems: string[] = [];
	/** Services and metrics past their bounds, not reported. */
	overLimit = {services: 0, metrics: 0};
	/** Hourly entries left for all of this log's metrics (worst_hour): the bound is per log, not per metric. */
	metricHours = {left: LIMITS.metricHours};

	readonly #options: ScanOptions;
	// What readHeader and readPerf fill in, line after line: one object each per summary, reused rather than made
	// per line, which spares the garbage collector millions of objects a gigabyte.
	readonly #header = createHeader();
	readonly #perf = createPerfScratch();
	#inRecord = false;
	#skipping = false;
	readonly #pending: PendingError = {
		active: false,
		time: 0,
		level: '',
		message: Buffer.alloc(MESSAGE_BYTES),
		messageLength: 0,
		lastLine: Buffer.alloc(LAST_LINE_BYTES),
		lastLineLength: 0,
		sawTraceback: false,
		eventKey: undefined,
		traceback: undefined,
	};

	// The hour of the last record: consecutive records nearly always share it, so the map is looked up once an hour.
	#hourKey = -1;
	#hour: HourCounts | undefined;
	readonly #metricsByHash = new Map<number, Array<{name: Buffer; stats: MetricStats}>>();

	constructor(options: ScanOptions) {
		this.#options = options;
	}

	/** The next line of the log, bytes[start, end) without its line end. */
	addLine(bytes: Uint8Array, start: number, end: number): void {
		this.lines++;
		const header = this.#header;
		if (!readHeader(bytes, start, end, header)) {
			this.#addOtherLine(bytes, start, end);
			return;
		}

		this.#finishPending();
		this.#inRecord = true;
		const {time, level} = header;
		if (this.#options.cutoff !== Number.NEGATIVE_INFINITY && !(time >= this.#options.cutoff)) {
			this.#skipping = true;
			this.outsideWindow++;
			return;
		}

		this.#skipping = false;
		this.records++;
		if (level >= 0) {
			this.levels[level]!++;
		}

		const validTime = !Number.isNaN(time);
		if (validTime) {
			this.#countTime(header);
		}

		const validPayload = this.#addPayload(bytes, end, header);
		// A record is invalid once, whether its date, its payload or both are wrong.
		if (!validTime || !validPayload) {
			this.invalid++;
		}
	}

	/** Call once after the last line of a chunk. */
	finish(): void {
		this.#finishPending();
	}

	/** A line that starts no record: a traceback's, continuing the record before it, or one before the first record. */
	#addOtherLine(bytes: Uint8Array, start: number, end: number): void {
		if (this.#inRecord) {
			this.continuation++;
			if (this.#pending.active && end > start) {
				this.#continuePending(bytes, start, end);
			}
		} else {
			this.unparsed++;
		}
	}

	/** The record's valid time into first, last and its hour's counts. */
	#countTime({time, level, hourKey}: Header): void {
		if (time < this.first) {
			this.first = time;
		}

		if (time > this.last) {
			this.last = time;
		}

		const hour = this.#hourCounts(hourKey);
		if (hour !== undefined) {
			hour.records++;
			if (level === LEVEL_ERROR || level === LEVEL_CRITICAL) {
				hour.errors++;
			} else if (level === LEVEL_WARNING) {
				hour.warnings++;
			}
		}
	}

	/** What the record's message, bytes[header.messageStart, end), says; false when it is a payload that is not valid. */
	#addPayload(bytes: Uint8Array, end: number, header: Header): boolean {
		const {messageStart, time, level} = header;
		switch (payloadKind(bytes, messageStart, end)) {
			case PAYLOAD_PERF: {
				return this.#addPerf(bytes, messageStart + PAYLOAD_OFFSETS[PAYLOAD_PERF], end, header);
			}

			case PAYLOAD_CONNECTION: {
				const event = readConnection(bytes, messageStart + PAYLOAD_OFFSETS[PAYLOAD_CONNECTION], end);
				if (event === undefined) {
					return false;
				}

				if (!Number.isNaN(time)) {
					this.#addConnection(event.service, time, event.status);
				}

				return true;
			}

			case PAYLOAD_ISSUE: {
				const event = readIssue(bytes, messageStart + PAYLOAD_OFFSETS[PAYLOAD_ISSUE], end);
				if (event === undefined) {
					return false;
				}

				countInto(this.issueTypes, event.issueType, time, LIMITS.issueTypes);
				return true;
			}

			default: {
				if (level === LEVEL_ERROR || level === LEVEL_CRITICAL) {
					this.#startPending(bytes, end, header);
				}

				return true;
			}
		}
	}

	#hourCounts(hourKey: number): HourCounts | undefined {
		if (hourKey !== this.#hourKey) {
			let hour = this.hourly.get(hourKey);
			if (hour === undefined && this.hourly.size < LIMITS.hours) {
				hour = {records: 0, errors: 0, warnings: 0};
				this.hourly.set(hourKey, hour);
			}

			this.#hourKey = hourKey;
			this.#hour = hour;
		}

		return this.#hour;
	}

	/** An ERROR or CRITICAL record begins: its message, bytes[header.messageStart, end), is kept until its traceback (if any) ends. */
	#startPending(bytes: Uint8Array, end: number, {time, level, messageStart}: Header): void {
		const pending = this.#pending;
		pending.active = true;
		pending.time = time;
		pending.level = LEVELS[level]!;
		pending.messageLength = copyInto(pending.message, bytes, messageStart, end);
		pending.lastLineLength = 0;
		pending.traceback = this.#options.recentErrors > 0 ? [] : undefined;
		pending.sawTraceback = false;
		pending.eventKey = eventKey(bytes, messageStart, end);
	}

	#continuePending(bytes: Uint8Array, start: number, end: number): void {
		// Blank lines end nothing in a traceback; the last non-blank line names the exception.
		let first = start;
		while (first < end && (bytes[first] === SPACE || bytes[first] === TAB)) {
			first++;
		}

		if (first === end || this.#skipping) {
			return;
		}

		const pending = this.#pending;
		pending.lastLineLength = copyInto(pending.lastLine, bytes, start, end);
		if (!pending.sawTraceback && end - start >= TRACEBACK_START.length && bytes[start] === LETTER_T && sameBytes(TRACEBACK_START, bytes, start, start + TRACEBACK_START.length)) {
			pending.sawTraceback = true;
		}

		if (pending.traceback !== undefined) {
			pending.traceback.push(decode(bytes, start, end, LAST_LINE_BYTES));
			if (pending.traceback.length > LIMITS.tracebackLines) {
				pending.traceback.shift();
			}
		}
	}

	#finishPending(): void {
		const pending = this.#pending;
		if (!pending.active) {
			return;
		}

		pending.active = false;
		const lastLine = pending.lastLineLength === 0 ? undefined : pending.lastLine.toString('utf8', 0, pending.lastLineLength);
		// Only what ends a traceback is an exception: the second line of a message of two lines is not one.
		const exceptionLine = pending.sawTraceback ? lastLine : undefined;
		let message: string | undefined;
		let key = pending.eventKey ?? (exceptionLine === undefined ? undefined : exceptionClass(exceptionLine));
		if (key === undefined) {
			message = pending.message.toString('utf8', 0, pending.messageLength);
			key = normalizeMessage(parseSourceLocation(message).message);
		}

		const type = countInto(this.errorTypes, key, pending.time, LIMITS.errorTypes) as ErrorType;
		if (type.count === 1) {
			message ??= pending.message.toString('utf8', 0, pending.messageLength);
			type.example = message.slice(0, LIMITS.example);
			type.exception = exceptionLine?.trim().slice(0, LIMITS.example) ?? null;
		}

		if (pending.traceback !== undefined) {
			message ??= pending.message.toString('utf8', 0, pending.messageLength);
			this.recent.push({
				time: pending.time, level: pending.level, message, traceback: pending.traceback,
			});
			if (this.recent.length > this.#options.recentErrors) {
				this.recent.shift();
			}
		}
	}

	#addConnection(service: string, time: number, status: boolean): void {
		const timeline = this.connections.get(service);
		if (timeline !== undefined) {
			step(timeline, time, status);
		} else if (this.connections.size < LIMITS.services) {
			this.connections.set(service, startTimeline(time, status));
		} else {
			this.overLimit.services++;
		}
	}

	/** Returns false for an invalid payload. */
	#addPerf(bytes: Uint8Array, start: number, end: number, {time, hourKey}: Header): boolean {
		const perf = this.#perf;
		const event = readPerf(bytes, start, end, perf);
		if (event === undefined) {
			return false;
		}

		// The usual layout, read in place: the metric's name and unit are still bytes of the line.
		if (event === perf) {
			const stats = this.#metricByBytes(bytes, perf.metricStart, perf.metricEnd);
			if (stats !== undefined) {
				stats.unit ??= perf.unitEnd > perf.unitStart
					? Buffer.from(bytes.buffer, bytes.byteOffset + perf.unitStart, perf.unitEnd - perf.unitStart).toString('utf8')
					: null;
				stats.add(perf.value, time, hourKey, this.metricHours);
			}

			return true;
		}

		const {metric, value, unit} = event as Exclude<typeof event, typeof perf>;
		if (typeof value === 'number') {
			const stats = this.#metric(metric);
			stats?.add(value, time, hourKey, this.metricHours);
			if (stats !== undefined) {
				stats.unit ??= unit;
			}

			return true;
		}

		// An object value (system_health): each field is a metric of its own, keyed `system_health` FIELD `cpu_percent`.
		for (const [field, fieldValue] of Object.entries(value)) {
			const stats = this.#metric(`${metric}${FIELD}${field}`);
			if (stats !== undefined) {
				stats.unit ??= unit ?? guessUnit(field);
				stats.add(fieldValue, time, hourKey, this.metricHours);
			}
		}

		return true;
	}

	/**
	The metric named by bytes[start, end), found by a hash of the bytes: decoding the name of every PERF line
	into a string to look it up cost a tenth of the time of reading performance.log.
	*/
	#metricByBytes(bytes: Uint8Array, start: number, end: number): MetricStats | undefined {
		let hash = FNV_OFFSET_BASIS;
		for (let index = start; index < end; index++) {
			hash = Math.imul(hash ^ bytes[index]!, FNV_PRIME);
		}

		const candidates = this.#metricsByHash.get(hash);
		if (candidates !== undefined) {
			for (const candidate of candidates) {
				if (sameBytes(candidate.name, bytes, start, end)) {
					return candidate.stats;
				}
			}
		}

		const name = Buffer.from(bytes.subarray(start, end));
		const stats = this.#metric(name.toString('utf8'));
		if (stats !== undefined) {
			this.#metricsByHash.set(hash, [...(candidates ?? []), {name, stats}]);
		}

		return stats;
	}

	#metric(name: string): MetricStats | undefined {
		let stats = this.metrics.get(name);
		if (stats === undefined) {
			if (this.metrics.size >= LIMITS.metrics) {
				this.overLimit.metrics++;
				return undefined;
			}

			stats = new MetricStats();
			this.metrics.set(name, stats);
		}

		return stats;
	}

	/** Folds `later`, the summary of the part of the log that follows this one, into this one. */
	merge(later: LogSummary): void {
		this.lines += later.lines;
		this.records += later.records;
		this.unparsed += later.unparsed;
		this.invalid += later.invalid;
		this.continuation += later.continuation;
		this.outsideWindow += later.outsideWindow;
		for (let level = 0; level < this.levels.length; level++) {
			this.levels[level]! += later.levels[level]!;
		}

		this.first = Math.min(this.first, later.first);
		this.last = Math.max(this.last, later.last);
		for (const [hourKey, counts] of later.hourly) {
			const hour = this.hourly.get(hourKey);
			if (hour === undefined) {
				if (this.hourly.size < LIMITS.hours) {
					this.hourly.set(hourKey, {...counts});
				}
			} else {
				hour.records += counts.records;
				hour.errors += counts.errors;
				hour.warnings += counts.warnings;
			}
		}

		for (const [key, counted] of later.errorTypes) {
			mergeCounted(this.errorTypes, key, counted, LIMITS.errorTypes);
		}

		for (const [key, counted] of later.issueTypes) {
			mergeCounted(this.issueTypes, key, counted, LIMITS.issueTypes);
		}

		for (const [service, timeline] of later.connections) {
			const earlier = this.connections.get(service);
			if (earlier !== undefined) {
				this.connections.set(service, join(earlier, timeline));
			} else if (this.connections.size < LIMITS.services) {
				this.connections.set(service, timeline);
			} else {
				this.overLimit.services += timeline.up + timeline.down;
			}
		}

		for (const [name, stats] of later.metrics) {
			const earlier = this.metrics.get(name);
			if (earlier !== undefined) {
				earlier.merge(stats, this.metricHours);
			} else if (this.metrics.size < LIMITS.metrics) {
				this.metrics.set(name, stats);
			} else {
				this.overLimit.metrics += stats.count;
			}
		}

		this.overLimit.services += later.overLimit.services;
		this.overLimit.metrics += later.overLimit.metrics;
		this.problems.push(...later.problems);
		this.problems.splice(LIMITS.problems);
		this.recent.push(...later.recent);
		this.recent.splice(0, Math.max(0, this.recent.length - this.#options.recentErrors));
	}

	/** Plain data, to cross from a worker thread (structured clone keeps Maps and arrays). */
	toPlain(): LogSummaryPlain {
		const {lines, records, unparsed, invalid, continuation, outsideWindow, levels, first, last, hourly, errorTypes, issueTypes, connections, recent, problems, overLimit, metricHours} = this;
		const metrics = new Map<string, MetricStatsPlain>();
		for (const [name, stats] of this.metrics) {
			metrics.set(name, stats.toPlain());
		}

		return {
			lines, records, unparsed, invalid, continuation, outsideWindow, levels, first, last, hourly, errorTypes, issueTypes, connections, recent, problems, overLimit, metricHours, metrics,
		};
	}

	static fromPlain(plain: LogSummaryPlain, options: ScanOptions): LogSummary {
		const summary = new LogSummary(options);
		const metrics = new Map<string, MetricStats>();
		for (const [name, stats] of plain.metrics) {
			metrics.set(name, MetricStats.fromPlain(stats));
		}

		return Object.assign(summary, plain, {metrics});
	}
}

export type LogSummaryPlain = Pick<LogSummary,
	'lines' | 'records' | 'unparsed' | 'invalid' | 'continuation' | 'outsideWindow' | 'levels' | 'first' | 'last' | 'hourly'
	| 'errorTypes' | 'issueTypes' | 'connections' | 'recent' | 'problems' | 'overLimit' | 'metricHours'
> & {metrics: Map<string, MetricStatsPlain>};

function countInto(map: Map<string, Counted>, key: string, time: number, limit: number): Counted {
	let counted = map.get(key);
	if (counted === undefined) {
		const bucket = map.size < limit ? key : OTHER;
		counted = map.get(bucket);
		if (counted === undefined) {
			counted = {count: 0, first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY};
			map.set(bucket, counted);
		}
	}

	counted.count++;
	if (time < counted.first) {
		counted.first = time;
	}

	if (time > counted.last) {
		counted.last = time;
	}

	return counted;
}

function mergeCounted<T extends Counted>(map: Map<string, T>, key: string, later: T, limit: number): void {
	let counted = map.get(key);
	if (counted === undefined) {
		const bucket = map.size < limit ? key : OTHER;
		counted = map.get(bucket);
		if (counted === undefined) {
			map.set(bucket, {...later});
			return;
		}
	}

	counted.count += later.count;
	counted.first = Math.min(counted.first, later.first);
	counted.last = Math.max(counted.last, later.last);
}

/**
An errors.log record that is an ISSUE or a CONNECTION (after its `function:line - `) by what it is about, as an
operator names it: `ISSUE thread_timeout`, `CONNECTION redis down`, not by its JSON (whose message and counts vary);
undefined for any other message, and for such a payload that is not valid.
*/
function eventKey(bytes: Uint8Array, start: number, end: number): string | undefined {
	const payloadStart = afterSourceLocation(bytes, start, end);
	switch (payloadKind(bytes, payloadStart, end)) {
		case PAYLOAD_ISSUE: {
			const event = readIssue(bytes, payloadStart + PAYLOAD_OFFSETS[PAYLOAD_ISSUE], end);
			return event === undefined ? undefined : issueName(event.issueType).slice(0, MAX_EVENT_KEY_LENGTH);
		}

		case PAYLOAD_CONNECTION: {
			const event = readConnection(bytes, payloadStart + PAYLOAD_OFFSETS[PAYLOAD_CONNECTION], end);
			return event === undefined ? undefined : connectionName(event.service.slice(0, MAX_EVENT_KEY_LENGTH), event.status);
		}

		default: {
			return undefined;
		}
	}
}

/** Past the `function:line - ` errors.log puts before a message: where its first word ends if ` - ` follows it, else `start`. */
function afterSourceLocation(bytes: Uint8Array, start: number, end: number): number {
	const limit = Math.min(end - 2, start + MAX_LOCATION_LENGTH);
	for (let index = start; index < limit; index++) {
		if (bytes[index] === SPACE) {
			return bytes[index + 1] === DASH && bytes[index + 2] === SPACE ? index + 3 : start;
		}
	}

	return start;
}

function sameBytes(name: Buffer, bytes: Uint8Array, start: number, end: number): boolean {
	return name.length === end - start && startsWith(bytes, start, end, name);
}

/** Copies bytes[start, end) into `target`, as much as fits; returns how many bytes it copied. */
function copyInto(target: Buffer, bytes: Uint8Array, start: number, end: number): number {
	const length = Math.min(end - start, target.length);
	target.set(bytes.subarray(start, start + length));
	return length;
}

/** UTF-8 text of bytes[start, end), at most maxBytes of it; invalid sequences become U+FFFD. */
function decode(bytes: Uint8Array, start: number, end: number, maxBytes: number): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(end, start + maxBytes) - start).toString('utf8');
}

function guessUnit(field: string): string | null {
	return field.endsWith('_percent') ? 'percent' : null;
}
