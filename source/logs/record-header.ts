import {
	createHeader, LEVELS, NO_LEVEL, readHeader, type Level,
} from './line-header.js';

export {LEVELS, type Level, formatLogTime} from './line-header.js';

export type RecordHeader = {
	/** As written: `2024-01-15 10:30:15,123`. */
	timestamp: string;
	/** Epoch milliseconds, reading the timestamp as local time; NaN for an impossible date. */
	time: number;
	logger: string | null;
	level: Level | null;
	/** Everything after the level (or after the timestamp when there is none). */
	message: string;
};

const header = createHeader();

/**
The header of a record's first line as strings, or undefined when the line does not start a record (it continues
the record before it). The string face of readHeader, for the few lines live views and `health` read.
*/
export function parseRecordHeader(line: string): RecordHeader | undefined {
	const bytes = Buffer.from(line, 'utf8');
	if (!readHeader(bytes, 0, bytes.length, header)) {
		return undefined;
	}

	return {
		timestamp: bytes.toString('utf8', 0, header.timestampEnd),
		time: header.time,
		logger: header.loggerEnd > header.loggerStart ? bytes.toString('utf8', header.loggerStart, header.loggerEnd) : null,
		level: header.level === NO_LEVEL ? null : LEVELS[header.level]!,
		message: bytes.toString('utf8', header.messageStart),
	};
}

export function isRecordStart(line: string): boolean {
	return parseRecordHeader(line) !== undefined;
}

const SEPARATOR = ' - ';

/** Where an errors.log record was logged from: Python's funcName and lineno. */
export type SourceLocation = {function: string; line: number};

/**
The header parseRecordHeader reads, up to the message: `TIMESTAMP - LOGGER - LEVEL - ` (camera_system.log), without
the logger (greencam.log) or without either (performance.log). The logger must be one word, and the message that
follows one line, or the line reads back differently.
*/
export function formatRecordHeader(timestamp: string, logger: string | null, level: Level | null): string {
	const loggerPart = logger === null ? '' : logger + SEPARATOR;
	const levelPart = level === null ? '' : level + SEPARATOR;
	return timestamp + SEPARATOR + loggerPart + levelPart;
}

/** What errors.log puts between the header and the message, as parseSourceLocation reads it: `FUNCTION:LINE - `. */
export function formatSourceLocation(location: SourceLocation): string {
	return `${location.function}:${location.line}${SEPARATOR}`;
}

/** errors.log's `function:line - ` is looked for this far into the message at most, characters (bytes, where read as bytes). */
export const MAX_LOCATION_LENGTH = 200;

/**
errors.log puts `function:line - ` before the message: split it off when it is there.
*/
export function parseSourceLocation(message: string): {function: string | null; line: number | null; message: string} {
	const separator = message.indexOf(SEPARATOR);
	if (separator > 0 && separator <= MAX_LOCATION_LENGTH) {
		const location = message.slice(0, separator);
		const colon = location.lastIndexOf(':');
		const lineNumber = Number(location.slice(colon + 1));
		if (colon > 0 && !location.includes(' ') && Number.isInteger(lineNumber) && location.length - colon > 1) {
			return {function: location.slice(0, colon), line: lineNumber, message: message.slice(separator + SEPARATOR.length)};
		}
	}

	return {function: null, line: null, message};
}
