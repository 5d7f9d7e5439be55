import {createReadStream} from 'node:fs';
import {open, stat} from 'node:fs/promises';
import {createGunzip} from 'node:zlib';
import {describeError} from '../base/errors.js';
import {
	createHeader, LEVEL_CRITICAL, LEVEL_ERROR, LEVELS, NO_LEVEL, readHeader, type Level,
} from './line-header.js';
import {LineSplitter} from './line-splitter.js';
import {LIMITS} from './log-summary.js';
import {
	createPerfScratch, PAYLOAD_CONNECTION, PAYLOAD_ISSUE, PAYLOAD_NONE, PAYLOAD_OFFSETS, PAYLOAD_PERF, payloadKind, readPayloadObject, readPerf,
} from './payload.js';
import {parseSourceLocation} from './record-header.js';

/** Bytes read at a time from a plain file. */
const BLOCK_BYTES = 256 * 1024;

export type RecordKind = 'log' | 'perf' | 'issue' | 'connection';

const KIND_NAMES: Record<number, RecordKind> = {[PAYLOAD_PERF]: 'perf', [PAYLOAD_ISSUE]: 'issue', [PAYLOAD_CONNECTION]: 'connection'};

/** One record of a log: its first line's header and message, and the lines that continue it (a traceback). */
export type LogRecord = {
	/** As written: `2024-01-15 10:30:15,123`. */
	timestamp: string;
	/** Epoch milliseconds, reading the timestamp as local time; NaN for an impossible date. */
	time: number;
	/** The same time in ISO 8601 with the local UTC offset (`2024-01-15T10:30:15.123+01:00`); null for an impossible date. */
	isoTime: string | null;
	logger: string | null;
	level: Level | null;
	/** errors.log's `function:line - ` before the message, split off; null when the record has none. */
	function: string | null;
	line: number | null;
	/** The rest of the first line; for CONNECTION, ISSUE and PERF records the payload as written, prefix included. */
	message: string;
	/** 'log' also for a CONNECTION, ISSUE or PERF record whose payload is not JSON of the seed's shape (analyze's invalid). */
	kind: RecordKind;
	/** The payload as JSON text, for the other kinds. */
	payload: string | undefined;
	/** An ERROR or CRITICAL record with a plain message: what --recent-errors lists. */
	plainError: boolean;
	/** The last LIMITS.tracebackLines non-blank continuation lines, each cut to LIMITS.tracebackLineBytes. */
	traceback: string[];
	/** Non-blank continuation lines left out of `traceback` (the first ones). */
	tracebackOmitted: number;
};

/** What a file held, line by line; `analyze --json` counts the same way. */
export type RecordCounts = {lines: number; records: number; unparsed: number; continuation: number; outsideWindow: number};

export type ReadRecordsOptions = {
	/** Records older than this (epoch ms), and records with an impossible date when it is finite, are skipped. */
	cutoff: number;
	/** Each record, once its last continuation line has been read; in file order. */
	onRecord: (record: LogRecord) => void;
	/** After each block of the file: resolves false to stop reading (nobody wants more). This is the back-pressure. */
	afterBlock: () => Promise<boolean>;
};

export type ReadRecordsResult = RecordCounts & {
	/** Why the file could not be read, or stopped being readable (`missing`, `unexpected end of file after 812 lines`). */
	problem: string | undefined;
	/** afterBlock asked to stop. */
	stopped: boolean;
};

/**
The records of one log file, plain or gzip, streamed in order with bounded memory: a block, the partial line it
ends with (at most MAX_LINE_BYTES) and the record being read (its message and capped traceback).
*/
export async function readRecords(file: string, options: ReadRecordsOptions): Promise<ReadRecordsResult> {
	const reader = new RecordReader(options);
	const splitter = new LineSplitter((bytes, start, end) => {
		reader.addLine(bytes, start, end);
	});
	let problem: string | undefined;
	let stopped = false;
	try {
		const stats = await stat(file);
		if (!stats.isFile()) {
			// A FIFO or device where a log should be would block the reader forever.
			throw Object.assign(new Error('not a regular file'), {code: 'ENOTFILE'});
		}

		stopped = file.endsWith('.gz') ? await readGzip(file, splitter, options) : await readPlain(file, stats.size, splitter, options);
	} catch (error) {
		problem = reader.lines > 0 ? `${describeError(error)} after ${reader.lines} lines` : describeError(error);
	}

	if (!stopped) {
		splitter.end();
		reader.finish();
	}

	const {lines, records, unparsed, continuation, outsideWindow} = reader;
	return {
		lines, records, unparsed, continuation, outsideWindow, problem, stopped,
	};
}

/** Up to the size the file had when we started: a log being written to as we read does not keep us reading forever. */
async function readPlain(file: string, size: number, splitter: LineSplitter, options: ReadRecordsOptions): Promise<boolean> {
	const handle = await open(file, 'r');
	try {
		// The splitter copies what it keeps and the reader decodes what it keeps: the block can be reused.
		const block = Buffer.allocUnsafe(BLOCK_BYTES);
		let position = 0;
		while (position < size) {
			// One block after the other, in order: the splitter needs them so, and the block is reused.
			// eslint-disable-next-line no-await-in-loop
			const {bytesRead} = await handle.read(block, 0, Math.min(BLOCK_BYTES, size - position), position);
			if (bytesRead === 0) {
				break;
			}

			splitter.push(block.subarray(0, bytesRead));
			position += bytesRead;
			// eslint-disable-next-line no-await-in-loop -- the caller's pause between blocks (it yields to the event loop)
			if (!await options.afterBlock()) {
				return true;
			}
		}
	} finally {
		await handle.close();
	}

	return false;
}

async function readGzip(file: string, splitter: LineSplitter, options: ReadRecordsOptions): Promise<boolean> {
	const gunzip = createGunzip();
	const input = createReadStream(file);
	input.on('error', error => gunzip.destroy(error));
	for await (const block of input.pipe(gunzip)) {
		splitter.push(block as Buffer);
		if (!await options.afterBlock()) {
			input.destroy();
			return true;
		}
	}

	return false;
}

const BLANK = /^[ \t]*$/;

/** Lines in, records out; one per file. */
class RecordReader implements RecordCounts {
	lines = 0;
	records = 0;
	unparsed = 0;
	continuation = 0;
	outsideWindow = 0;

	readonly #options: ReadRecordsOptions;
	readonly #header = createHeader();
	readonly #perfScratch = createPerfScratch();
	/** A record has started in this file: later header-less lines continue it. */
	#inRecord = false;
	/** The record being read, undefined while it is outside the window. */
	#record: LogRecord | undefined;

	constructor(options: ReadRecordsOptions) {
		this.#options = options;
	}

	// eslint-disable-next-line complexity -- per line: a record's start, its continuation or a traceback, decided in one pass
	addLine(bytes: Uint8Array, start: number, end: number): void {
		this.lines++;
		const header = this.#header;
		if (!readHeader(bytes, start, end, header)) {
			if (this.#inRecord) {
				this.continuation++;
				if (this.#record !== undefined) {
					this.#continueRecord(bytes, start, end);
				}
			} else {
				this.unparsed++;
			}

			return;
		}

		this.finish();
		this.#inRecord = true;
		const {time} = header;
		const {cutoff} = this.#options;
		if (cutoff !== Number.NEGATIVE_INFINITY && !(time >= cutoff)) {
			this.outsideWindow++;
			return;
		}

		this.records++;
		const timestamp = latin1(bytes, start, header.timestampEnd);
		const message = decode(bytes, header.messageStart, end);
		const code = payloadKind(bytes, header.messageStart, end);
		let kind: RecordKind = 'log';
		let payload: string | undefined;
		if (code !== PAYLOAD_NONE) {
			const payloadStart = header.messageStart + PAYLOAD_OFFSETS[code as keyof typeof PAYLOAD_OFFSETS];
			const perf = code === PAYLOAD_PERF ? readPerf(bytes, payloadStart, end, this.#perfScratch) : undefined;
			if (perf === this.#perfScratch) {
				// The seed's own PERF layout, checked byte by byte: valid JSON as it stands, so it is passed on as written.
				payload = message.slice(PAYLOAD_OFFSETS[PAYLOAD_PERF]).trimEnd();
			} else if (code !== PAYLOAD_PERF || perf !== undefined) {
				const object = readPayloadObject(code, bytes, payloadStart, end);
				payload = object === undefined ? undefined : JSON.stringify(object);
			}

			if (payload !== undefined) {
				kind = KIND_NAMES[code]!;
			}
		}

		const location = kind === 'log' ? parseSourceLocation(message) : undefined;
		this.#record = {
			timestamp,
			time,
			isoTime: isoTime(timestamp, time, header.hourKey),
			logger: header.loggerEnd > header.loggerStart ? decode(bytes, header.loggerStart, header.loggerEnd) : null,
			level: header.level === NO_LEVEL ? null : LEVELS[header.level]!,
			function: location?.function ?? null,
			line: location?.line ?? null,
			message: location?.message ?? message,
			kind,
			payload,
			plainError: code === PAYLOAD_NONE && (header.level === LEVEL_ERROR || header.level === LEVEL_CRITICAL),
			traceback: [],
			tracebackOmitted: 0,
		};
	}

	/** Hands over the record being read; call after a file's last line. */
	finish(): void {
		if (this.#record !== undefined) {
			const record = this.#record;
			this.#record = undefined;
			this.#options.onRecord(record);
		}
	}

	#continueRecord(bytes: Uint8Array, start: number, end: number): void {
		const record = this.#record!;
		const text = decode(bytes, start, Math.min(end, start + LIMITS.tracebackLineBytes));
		// Blank lines end nothing in a traceback and say nothing: left out, as --recent-errors does.
		if (BLANK.test(text)) {
			return;
		}

		record.traceback.push(text);
		if (record.traceback.length > LIMITS.tracebackLines) {
			record.traceback.shift();
			record.tracebackOmitted++;
		}
	}
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
	return Buffer.isBuffer(bytes) ? bytes.toString('latin1', start, end) : Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** UTF-8 text of bytes[start, end); invalid sequences become U+FFFD. */
function decode(bytes: Uint8Array, start: number, end: number): string {
	// The splitter hands over views of the Buffers we push: no new view is needed (one per string cost 5 % of the run).
	return Buffer.isBuffer(bytes) ? bytes.toString('utf8', start, end) : Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

const pad = (value: number) => String(value).padStart(2, '0');

/** The UTC offset of the last hour seen, as `+01:00`: records come in runs of one hour, and Date is slow. */
let offsetHourKey = -1;
let offsetText: string | undefined;

/**
`2024-01-15 10:30:15,123` (local time, epoch `time`) as `2024-01-15T10:30:15.123+01:00`: the wall-clock digits as
written, with the offset that makes them `time`. readHeader reads a whole hour with one offset, so this does too; a
wall-clock time a DST change skipped keeps its digits, with the offset from before the change (the same instant Date
chose). A leap second, or an offset of seconds (old LMT dates), which ISO 8601 parsers refuse, comes in UTC.
*/
export function isoTime(timestamp: string, time: number, hourKey: number): string | null {
	if (Number.isNaN(time)) {
		return null;
	}

	const millis = timestamp.length > 19 ? timestamp.slice(20, 23) : '000';
	if (hourKey !== offsetHourKey) {
		const number = (from: number, to: number) => Number(timestamp.slice(from, to));
		const wallClock = Date.UTC(number(0, 4), number(5, 7) - 1, number(8, 10), number(11, 13), number(14, 16), number(17, 19), Number(millis));
		const offsetMinutes = (wallClock - time) / 60_000;
		const magnitude = Math.abs(offsetMinutes);
		offsetText = Number.isInteger(offsetMinutes) && magnitude < 24 * 60 ? `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(magnitude / 60))}:${pad(magnitude % 60)}` : undefined;
		offsetHourKey = hourKey;
	}

	if (offsetText === undefined || timestamp.codePointAt(17)! >= 0x36) { // A second of 60 or more
		return new Date(time).toISOString();
	}

	return `${timestamp.slice(0, 10)}T${timestamp.slice(11, 19)}.${millis}${offsetText}`;
}
