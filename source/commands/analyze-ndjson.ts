import path from 'node:path';
import type {Writable} from 'node:stream';
import {newestRecordTime} from '../logs/analyze.js';
import {readRecords, type LogRecord, type RecordCounts} from '../logs/log-records.js';
import type {LogSource} from '../logs/plan.js';

/** Output is handed to stdout in pieces of about this many characters. */
const FLUSH_CHARS = 64 * 1024;

/**
Characters JSON allows unescaped that can still do harm: DEL and the C1 controls (U+009B is a CSI to some terminals,
for someone reading the stream raw) and U+2028 / U+2029 (line ends to JavaScript before ES2019). Escaping them keeps
each line valid JSON and plain to look at. JSON.stringify escapes the C0 controls (ESC among them) already.
*/
const UNSAFE_CHARACTERS = /[\u007F-\u009F\u2028\u2029]/g;

export type NdjsonOptions = {
	sources: LogSource[];
	hours: number | undefined;
	/** Keep only the last this many plain ERROR / CRITICAL records of each log, sorted by time; 0 for every record. */
	recentErrors: number;
};

export type NdjsonStreams = {stdout: Writable; stderr: Writable};

/**
`camtop analyze --ndjson`: one JSON object per record, one per line, for Filebeat, Logstash or promtail. Streams file
after file, in the order analyze reads them, with back-pressure from stdout: memory stays flat whatever the size.
Returns the exit code: 0, or 1 when a file could not be read (one line on stderr each, the rest is written). A reader
that goes away (`| head`) ends the run quietly, with 0.
*/
export async function analyzeNdjson({sources, hours, recentErrors}: NdjsonOptions, {stdout, stderr}: NdjsonStreams): Promise<number> {
	let cutoff = Number.NEGATIVE_INFINITY;
	if (hours !== undefined) {
		const end = await newestRecordTime(sources);
		if (end === undefined) {
			stderr.write(`camtop: --hours ${hours}: no record with a valid time in the files, so no window: all records are written\n`);
		} else {
			cutoff = end - (hours * 3_600_000);
		}
	}

	const output = new NdjsonOutput(stdout);
	const totals: RecordCounts = {
		lines: 0, records: 0, unparsed: 0, continuation: 0, outsideWindow: 0,
	};
	const problems: string[] = [];
	const recent: Array<{time: number; line: string}> = [];
	for (const source of sources) {
		const kept: Array<{time: number; line: string}> = [];
		for (const file of source.files) {
			const fileJson = JSON.stringify(shownPath(source, file));
			// eslint-disable-next-line no-await-in-loop -- records go out in the order of the files, one file after the other
			const result = await readRecords(file, {
				cutoff,
				onRecord(record) {
					if (recentErrors === 0) {
						output.add(ndjsonLine(record, fileJson));
					} else if (record.plainError) {
						// Bounded: the last recentErrors of this log, as --recent-errors --json keeps them.
						kept.push({time: record.time, line: ndjsonLine(record, fileJson)});
						if (kept.length > recentErrors) {
							kept.shift();
						}
					}
				},
				afterBlock: async () => output.flush(),
			});
			for (const key of Object.keys(totals) as Array<keyof RecordCounts>) {
				totals[key] += result[key];
			}

			if (result.stopped || output.closed) {
				return output.exitCode(stderr);
			}

			if (result.problem !== undefined) {
				problems.push(`camtop: ${source.key}: ${source.files.length > 1 ? `${path.basename(file)}: ` : ''}${result.problem}\n`);
			}
		}

		recent.push(...kept);
	}

	// Oldest first over all logs, as --recent-errors --json; an impossible date first (it sorts as an empty timestamp there).
	const byTime = (record: {time: number}) => Number.isNaN(record.time) ? Number.NEGATIVE_INFINITY : record.time;
	for (const {line} of recent.sort((a, b) => byTime(a) - byTime(b))) {
		output.add(line);
	}

	await output.flush(true);
	if (output.closed) {
		return output.exitCode(stderr);
	}

	if (process.env.CAMTOP_DEBUG) {
		stderr.write(`camtop: ndjson read ${totals.lines} lines: ${totals.records} records, ${totals.continuation} continuation lines, `
			+ `${totals.unparsed} before a file's first record, ${totals.outsideWindow} records outside the window\n`);
	}

	for (const problem of problems) {
		stderr.write(problem);
	}

	return problems.length > 0 ? 1 : 0;
}

/** A file of a log as the user would name it: the log's key for the log itself, its sibling beside it (`logs/errors.log.1`). */
function shownPath(source: LogSource, file: string): string {
	return file === source.files.at(-1) ? source.key : path.join(path.dirname(source.key), path.basename(file));
}

/**
One record as one line of JSON. Built by hand, in a fixed key order, from JSON.stringify'd strings: the timestamp
texts are digits and separators already checked by readHeader, the payload is JSON text already.
*/
export function ndjsonLine(record: LogRecord, fileJson: string): string {
	let line = `{"@timestamp":${record.isoTime === null ? 'null' : `"${record.isoTime}"`},"timestamp":"${record.timestamp}","file":${fileJson}`
		+ `,"logger":${record.logger === null ? 'null' : JSON.stringify(record.logger)},"level":${record.level === null ? 'null' : `"${record.level}"`}`;
	if (record.function !== null) {
		line += `,"function":${JSON.stringify(record.function)},"line":${record.line}`;
	}

	line += `,"kind":"${record.kind}","message":${JSON.stringify(record.message)}`;
	if (record.payload !== undefined) {
		line += `,"${record.kind}":${record.payload}`;
	}

	if (record.traceback.length > 0) {
		line += `,"traceback":${JSON.stringify(record.traceback)}`;
		if (record.tracebackOmitted > 0) {
			line += `,"traceback_omitted":${record.tracebackOmitted}`;
		}
	}

	return `${line}}\n`;
}

function escapeUnsafe(character: string): string {
	return `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`;
}

/** Lines gathered into pieces for stdout, waiting for it to drain when it is full. */
class NdjsonOutput {
	/** stdout went away (EPIPE: the reader closed the pipe) or failed: nothing more is written. */
	closed = false;
	readonly #stream: Writable;
	#pending: string[] = [];
	#length = 0;
	#error: Error | undefined;

	constructor(stream: Writable) {
		this.#stream = stream;
		// Left attached: an EPIPE can still come from the last write, after we are done.
		stream.on('error', (error: NodeJS.ErrnoException) => {
			this.closed = true;
			if (error.code !== 'EPIPE') {
				this.#error ??= error;
			}
		});
	}

	add(line: string): void {
		this.#pending.push(line);
		this.#length += line.length;
	}

	/** Writes what was gathered once there is enough (or with `force`); resolves false when stdout is gone. */
	async flush(force = false): Promise<boolean> {
		if (this.closed || this.#stream.destroyed) {
			this.closed = true;
			return false;
		}

		if (this.#length === 0 || (!force && this.#length < FLUSH_CHARS)) {
			return true;
		}

		let text = this.#pending.join('');
		this.#pending = [];
		this.#length = 0;
		UNSAFE_CHARACTERS.lastIndex = 0;
		if (UNSAFE_CHARACTERS.test(text)) {
			text = text.replace(UNSAFE_CHARACTERS, escapeUnsafe);
		}

		if (!this.#stream.write(text)) {
			await this.#drained();
		}

		return !this.closed;
	}

	exitCode(stderr: Writable): number {
		if (this.#error === undefined) {
			return 0;
		}

		stderr.write(`camtop: cannot write the output: ${this.#error.message}\n`);
		return 1;
	}

	async #drained(): Promise<void> {
		const stream = this.#stream;
		await new Promise<void>(resolve => {
			const done = () => {
				stream.off('drain', done);
				stream.off('close', done);
				stream.off('error', done);
				resolve();
			};

			stream.on('drain', done);
			stream.on('close', done);
			stream.on('error', done);
			if (stream.destroyed) {
				done();
			}
		});
	}
}
