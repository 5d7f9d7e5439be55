/*
The header that starts a record in every log of the seed (Python logging's default asctime, local time):

  2024-01-15 10:30:15,123 - camera_system - ERROR - fetch_image:123 - Redis connection failed
  2024-01-15 10:30:15,123 - PERF: {"metric": …}                        (performance.log)
  2024-01-15 10:30:15,123 - ERROR - message                            (legacy greencam.log)

Lines that do not start with a timestamp continue the record before them (Python tracebacks).
*/

export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type Level = typeof LEVELS[number];

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

// Anchored, fixed-width and without nested quantifiers: linear on any line.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:[,.](\d{3}))?/;
const SEPARATOR = ' - ';

/**
Whether a line starts a new record (rather than continuing a traceback).
*/
export function isRecordStart(line: string): boolean {
	return TIMESTAMP.test(line) && line.includes(SEPARATOR);
}

/**
The header fields of a record's first line, or undefined when the line does not start a record.
*/
export function parseRecordHeader(line: string): RecordHeader | undefined {
	const match = TIMESTAMP.exec(line);
	if (match === null || !line.startsWith(SEPARATOR, match[0].length)) {
		return undefined;
	}

	const [timestamp, year, month, day, hour, minute, second, millis = '0'] = match;
	const time = new Date(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(millis)).getTime();
	const valid = Number(month) >= 1 && Number(month) <= 12 && Number(day) >= 1 && Number(day) <= 31 && Number(hour) < 24 && Number(minute) < 60 && Number(second) < 61;
	const rest = line.slice(match[0].length + SEPARATOR.length);

	const first = rest.indexOf(SEPARATOR);
	const firstWord = first === -1 ? rest : rest.slice(0, first);
	if (isLevel(firstWord)) {
		return {timestamp, time: valid ? time : Number.NaN, logger: null, level: firstWord, message: first === -1 ? '' : rest.slice(first + SEPARATOR.length)};
	}

	if (first !== -1) {
		const afterLogger = rest.slice(first + SEPARATOR.length);
		const second = afterLogger.indexOf(SEPARATOR);
		const secondWord = second === -1 ? afterLogger : afterLogger.slice(0, second);
		if (isLevel(secondWord)) {
			return {timestamp, time: valid ? time : Number.NaN, logger: firstWord, level: secondWord, message: second === -1 ? '' : afterLogger.slice(second + SEPARATOR.length)};
		}
	}

	return {timestamp, time: valid ? time : Number.NaN, logger: null, level: null, message: rest};
}

function isLevel(word: string): word is Level {
	return (LEVELS as readonly string[]).includes(word);
}

/**
errors.log puts `function:line - ` before the message: split it off when it is there.
*/
export function parseSourceLocation(message: string): {function: string | null; line: number | null; message: string} {
	const separator = message.indexOf(SEPARATOR);
	if (separator > 0) {
		const location = message.slice(0, separator);
		const colon = location.lastIndexOf(':');
		const lineNumber = Number(location.slice(colon + 1));
		if (colon > 0 && !location.includes(' ') && Number.isInteger(lineNumber) && location.length - colon > 1) {
			return {function: location.slice(0, colon), line: lineNumber, message: message.slice(separator + SEPARATOR.length)};
		}
	}

	return {function: null, line: null, message};
}
