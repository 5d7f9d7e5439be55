/*
The header that starts a record in every log of the seed (Python logging's default asctime, local time), read from
bytes so that `analyze` can skip making a string of most lines:

  2024-01-15 10:30:15,123 - camera_system - ERROR - fetch_image:123 - Redis connection failed   (main log, errors.log)
  2024-01-15 10:30:15,123 - PERF: {"metric": …}                                               (performance.log)
  2024-01-15 10:30:15,123 - ERROR - message                                                   (legacy greencam.log)

A line that does not start with a timestamp and ` - ` continues the record before it (a Python traceback).
Every check here is a bounded loop over bytes: no regular expression, nothing that can backtrack on a hostile line.
*/

export const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type Level = typeof LEVELS[number];

/** Level codes, for counting in arrays: -1 is no level (performance.log). */
export const NO_LEVEL = -1;
export const LEVEL_DEBUG = 0;
export const LEVEL_INFO = 1;
export const LEVEL_WARNING = 2;
export const LEVEL_ERROR = 3;
export const LEVEL_CRITICAL = 4;

/** Logger names and level words are short: the ` - ` after them is looked for this far at most, bytes. */
const MAX_WORD_BYTES = 64;

/** What readHeader found; one object is reused line after line to spare the garbage collector. */
export type Header = {
	/** Epoch milliseconds, reading the timestamp as local time; NaN when the date is impossible. */
	time: number;
	/** year·10⁶ + month·10⁴ + day·100 + hour: the hour's identity for hourly counts. */
	hourKey: number;
	/** Offset just past the timestamp. */
	timestampEnd: number;
	loggerStart: number;
	/** loggerStart === loggerEnd when there is no logger name. */
	loggerEnd: number;
	level: number;
	messageStart: number;
};

export function createHeader(): Header {
	return {
		time: Number.NaN, hourKey: 0, timestampEnd: 0, loggerStart: 0, loggerEnd: 0, level: NO_LEVEL, messageStart: 0,
	};
}

const ZERO = 0x30;
const SPACE = 0x20;
const DASH = 0x2D;
const COLON = 0x3A;
const COMMA = 0x2C;
const DOT = 0x2E;

/** A small cache: lines of one hour share the hour's epoch, so Date is built once an hour of log. */
let cachedHourKey = -1;
let cachedHourTime = Number.NaN;

// eslint-disable-next-line max-params -- per line of a gigabyte log: fields in registers, not an object allocated each time
function hourTime(hourKey: number, year: number, month: number, day: number, hour: number): number {
	if (hourKey !== cachedHourKey) {
		// Impossible fields are NaN; a wall-clock time that a DST change skipped (02:30 on a spring-forward night) is
		// still a record of that hour, and Date moves it forward rather than losing it.
		const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
		cachedHourTime = day >= 1 && day <= daysInMonth && hour < 24 ? new Date(year, month - 1, day, hour).getTime() : Number.NaN;
		cachedHourKey = hourKey;
	}

	return cachedHourTime;
}

/**
Whether bytes[start, end) start a record; when they do, fills `header` and returns true.
`YYYY-MM-DD HH:MM:SS,mmm - ` (milliseconds optional, `.` accepted for `,`), then an optional logger name and an
optional level, each followed by ` - `.
*/
// eslint-disable-next-line complexity -- one pass over the header's bytes, each branch a field; split, it would cost calls per line
export function readHeader(bytes: Uint8Array, start: number, end: number, header: Header): boolean {
	// Separators first: they reject a traceback line at the first or second comparison.
	if (end - start < 22 || bytes[start + 4] !== DASH || bytes[start + 7] !== DASH || bytes[start + 10] !== SPACE
		|| bytes[start + 13] !== COLON || bytes[start + 16] !== COLON) {
		return false;
	}

	// Digits, inline: this runs for every line of a gigabyte. `(byte - 0x30) >>> 0 > 9` is "not a digit".
	const y0 = bytes[start]! - ZERO;
	const y1 = bytes[start + 1]! - ZERO;
	const y2 = bytes[start + 2]! - ZERO;
	const y3 = bytes[start + 3]! - ZERO;
	const mo0 = bytes[start + 5]! - ZERO;
	const mo1 = bytes[start + 6]! - ZERO;
	const d0 = bytes[start + 8]! - ZERO;
	const d1 = bytes[start + 9]! - ZERO;
	const h0 = bytes[start + 11]! - ZERO;
	const h1 = bytes[start + 12]! - ZERO;
	const mi0 = bytes[start + 14]! - ZERO;
	const mi1 = bytes[start + 15]! - ZERO;
	const s0 = bytes[start + 17]! - ZERO;
	const s1 = bytes[start + 18]! - ZERO;
	if ((y0 >>> 0) > 9 || (y1 >>> 0) > 9 || (y2 >>> 0) > 9 || (y3 >>> 0) > 9 || (mo0 >>> 0) > 9 || (mo1 >>> 0) > 9
		|| (d0 >>> 0) > 9 || (d1 >>> 0) > 9 || (h0 >>> 0) > 9 || (h1 >>> 0) > 9 || (mi0 >>> 0) > 9 || (mi1 >>> 0) > 9
		|| (s0 >>> 0) > 9 || (s1 >>> 0) > 9) {
		return false;
	}

	const year = (y0 * 1000) + (y1 * 100) + (y2 * 10) + y3;
	const month = (mo0 * 10) + mo1;
	const day = (d0 * 10) + d1;
	const hour = (h0 * 10) + h1;
	const minute = (mi0 * 10) + mi1;
	const second = (s0 * 10) + s1;

	let cursor = start + 19;
	let millis = 0;
	if ((bytes[cursor] === COMMA || bytes[cursor] === DOT) && end - start >= 26) {
		const m0 = bytes[cursor + 1]! - ZERO;
		const m1 = bytes[cursor + 2]! - ZERO;
		const m2 = bytes[cursor + 3]! - ZERO;
		if ((m0 >>> 0) > 9 || (m1 >>> 0) > 9 || (m2 >>> 0) > 9) {
			return false;
		}

		millis = (m0 * 100) + (m1 * 10) + m2;
		cursor += 4;
	}

	if (cursor + 3 > end || bytes[cursor] !== SPACE || bytes[cursor + 1] !== DASH || bytes[cursor + 2] !== SPACE) {
		return false;
	}

	const hourKey = (year * 1_000_000) + (month * 10_000) + (day * 100) + hour;
	const base = hourTime(hourKey, year, month, day, hour);
	header.time = minute < 60 && second < 61 ? base + (minute * 60_000) + (second * 1000) + millis : Number.NaN;
	header.hourKey = hourKey;
	header.timestampEnd = cursor;

	const first = cursor + 3;
	const firstEnd = findSeparator(bytes, first, end);
	const firstLevel = levelOf(bytes, first, firstEnd === -1 ? end : firstEnd);
	if (firstLevel !== NO_LEVEL) {
		setFields(header, first, first, firstLevel, firstEnd === -1 ? end : firstEnd + 3);
		return true;
	}

	if (firstEnd !== -1) {
		const second = firstEnd + 3;
		const secondEnd = findSeparator(bytes, second, end);
		const secondLevel = secondEnd === -1 ? levelOf(bytes, second, end) : levelOf(bytes, second, secondEnd);
		if (secondLevel !== NO_LEVEL) {
			setFields(header, first, firstEnd, secondLevel, secondEnd === -1 ? end : secondEnd + 3);
			return true;
		}
	}

	setFields(header, first, first, NO_LEVEL, first);
	return true;
}

// eslint-disable-next-line max-params -- per line, as hourTime
function setFields(header: Header, loggerStart: number, loggerEnd: number, level: number, messageStart: number): void {
	header.loggerStart = loggerStart;
	header.loggerEnd = loggerEnd;
	header.level = level;
	header.messageStart = messageStart;
}

/**
Offset of the ` - ` that ends the word starting at `from`, or -1. Logger names and levels hold no space, so the first
space decides (a PERF line stops after `PERF:`), and no word is longer than MAX_WORD_BYTES.
*/
function findSeparator(bytes: Uint8Array, from: number, end: number): number {
	const last = Math.min(end, from + MAX_WORD_BYTES) - 3;
	for (let index = from; index <= last; index++) {
		if (bytes[index] === SPACE) {
			return bytes[index + 1] === DASH && bytes[index + 2] === SPACE ? index : -1;
		}
	}

	return -1;
}

const LEVEL_BYTES = LEVELS.map(level => Buffer.from(level, 'latin1'));

/** The level code of the word bytes[start, end), or NO_LEVEL. */
export function levelOf(bytes: Uint8Array, start: number, end: number): number {
	const length = end - start;
	// Per line: an index loop, as `.entries()` allocates an iterator and a pair each step (about 4x the time here).
	// eslint-disable-next-line unicorn/no-for-loop
	for (let code = 0; code < LEVEL_BYTES.length; code++) {
		const word = LEVEL_BYTES[code]!;
		if (word.length === length && bytes[start] === word[0]) {
			let same = true;
			for (let index = 1; index < length; index++) {
				if (bytes[start + index] !== word[index]) {
					same = false;
					break;
				}
			}

			if (same) {
				return code;
			}
		}
	}

	return NO_LEVEL;
}

/** Two digits, zero-padded. */
function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

/**
Epoch milliseconds as the seed writes timestamps: `2024-01-15 10:30:15,123`, local time.
*/
export function formatLogTime(time: number): string {
	const date = new Date(time);
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;
}

/** An hour key as `YYYY-MM-DD HH`, the seed's hourly_activity key. */
export function formatHourKey(hourKey: number): string {
	const year = Math.floor(hourKey / 1_000_000);
	const month = Math.floor(hourKey / 10_000) % 100;
	const day = Math.floor(hourKey / 100) % 100;
	return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hourKey % 100)}`;
}
