/*
The PERF record: a line of performance.log, with no logger or level, in the seed's key order and spacing.

  PERF: {"metric": "fetch_image_duration", "value": 0.045, "unit": "seconds", "timestamp": 1705312215.123, "uptime": 3600.5}
  PERF: {"metric": "system_health", "value": {"cpu_percent": 25.5, "memory_percent": 45.2}, "unit": null, …}

formatPerf writes it and readPerf reads it back, the number records through a fast path that expects exactly the
layout formatPerf writes: a change to the layout is made here, once, for both.
*/
import {isObject, parseJson, startsWith} from './payload-json.js';
import {pythonJson, pythonNumber, pythonString} from './python-json.js';

export const PERF_PREFIX = 'PERF: ';

export type PerfFields = {
	metric: string;
	value: number | Record<string, unknown>;
	unit: string | null;
	/** When it was measured, epoch milliseconds: the record header's time too. */
	time: number;
	/** Since the writer started, seconds. */
	uptimeSeconds: number;
};

export type PerfEvent = {metric: string; value: number | Record<string, number>; unit: string | null};

/** The payload's keys with what comes before each, in order: formatPerf writes them and readPerfFast expects them. */
const KEYS = {
	metric: '{"metric": ',
	value: ', "value": ',
	unit: ', "unit": ',
	timestamp: ', "timestamp": ',
	uptime: ', "uptime": ',
} as const;

/** The record's message, prefix included. */
export function formatPerf(perf: PerfFields): string {
	const value = typeof perf.value === 'number' ? pythonNumber(perf.value) : pythonJson(perf.value);
	const unit = perf.unit === null ? 'null' : pythonString(perf.unit);
	const timestamp = pythonNumber(perf.time / 1000);
	return `${PERF_PREFIX}${KEYS.metric}${pythonString(perf.metric)}${KEYS.value}${value}${KEYS.unit}${unit}${KEYS.timestamp}${timestamp}${KEYS.uptime}${pythonNumber(perf.uptimeSeconds)}}`;
}

export function isPerf(json: unknown): json is Record<string, unknown> & {metric: string; unit?: string | null} {
	if (!isObject(json) || typeof json.metric !== 'string' || json.metric === '') {
		return false;
	}

	const {unit} = json;
	const {value} = json;
	return (unit === null || unit === undefined || typeof unit === 'string') && ((typeof value === 'number' && Number.isFinite(value)) || isObject(value));
}

/** Where the fast path leaves what it read; reused line after line. */
export type PerfScratch = {metricStart: number; metricEnd: number; value: number; unitStart: number; unitEnd: number};

export function createPerfScratch(): PerfScratch {
	return {
		metricStart: 0, metricEnd: 0, value: 0, unitStart: 0, unitEnd: 0,
	};
}

/**
A PERF payload. formatPerf, like the seed, writes one layout, which is read here without making a string
(JSON.parse costs ≈ 1.5 µs a line, this ≈ 0.1 µs); any other layout, or an object value, goes through JSON.parse.
Returns the event, or undefined when the payload is invalid. With `scratch`, a fast-path hit returns `scratch`
itself as the sign and leaves the metric's bytes for the caller to look up without decoding.
*/
export function readPerf(bytes: Uint8Array, start: number, end: number, scratch: PerfScratch): PerfEvent | PerfScratch | undefined {
	if (readPerfFast(bytes, start, end, scratch)) {
		return scratch;
	}

	const json = parseJson(bytes, start, end);
	if (!isPerf(json)) {
		return undefined;
	}

	const {metric, value} = json;
	const unit = json.unit ?? null;
	if (typeof value === 'number') {
		return {metric, value, unit};
	}

	const fields: Record<string, number> = {};
	for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
		if (typeof field === 'number' && Number.isFinite(field)) {
			fields[key] = field;
		}
	}

	return {metric, value: fields, unit};
}

const QUOTE = 0x22;
const BACKSLASH = 0x5C;
// The metric is a string: its quotes are part of what comes before and after it.
const FAST_METRIC = Buffer.from(`${KEYS.metric}"`);
const FAST_VALUE = Buffer.from(`"${KEYS.value}`);
const FAST_UNIT = Buffer.from(KEYS.unit);
const FAST_NULL = Buffer.from('null');
const FAST_TIMESTAMP = Buffer.from(KEYS.timestamp);
const FAST_UPTIME = Buffer.from(KEYS.uptime);

/**
The exact layout formatPerf writes (the seed's), `{"metric": "NAME", "value": NUMBER, "unit": "UNIT"|null, "timestamp":
NUMBER, "uptime": NUMBER}`, with nothing after the closing brace but spaces. Anything else returns false and is left
to JSON.parse.
*/
function readPerfFast(bytes: Uint8Array, start: number, end: number, scratch: PerfScratch): boolean {
	let cursor = start;
	if (!startsWith(bytes, cursor, end, FAST_METRIC)) {
		return false;
	}

	cursor += FAST_METRIC.length;
	scratch.metricStart = cursor;
	cursor = plainStringEnd(bytes, cursor, end);
	if (cursor === -1 || cursor === scratch.metricStart) {
		return false;
	}

	scratch.metricEnd = cursor;
	if (!startsWith(bytes, cursor, end, FAST_VALUE)) {
		return false;
	}

	cursor = readNumber(bytes, cursor + FAST_VALUE.length, end, scratch);
	if (cursor === -1 || !startsWith(bytes, cursor, end, FAST_UNIT)) {
		return false;
	}

	cursor += FAST_UNIT.length;
	if (bytes[cursor] === QUOTE) {
		scratch.unitStart = cursor + 1;
		cursor = plainStringEnd(bytes, cursor + 1, end);
		if (cursor === -1) {
			return false;
		}

		scratch.unitEnd = cursor;
		cursor++;
	} else if (startsWith(bytes, cursor, end, FAST_NULL)) {
		scratch.unitStart = 0;
		scratch.unitEnd = 0;
		cursor += FAST_NULL.length;
	} else {
		return false;
	}

	// Timestamp and uptime are only checked for form.
	if (!startsWith(bytes, cursor, end, FAST_TIMESTAMP)) {
		return false;
	}

	cursor = skipNumber(bytes, cursor + FAST_TIMESTAMP.length, end);
	if (cursor === -1 || !startsWith(bytes, cursor, end, FAST_UPTIME)) {
		return false;
	}

	cursor = skipNumber(bytes, cursor + FAST_UPTIME.length, end);
	if (cursor === -1) {
		return false;
	}

	if (bytes[cursor] !== 0x7D) { // }
		return false;
	}

	for (cursor++; cursor < end; cursor++) {
		if (bytes[cursor] !== 0x20) {
			return false;
		}
	}

	return true;
}

/** End of a JSON string without escapes or control characters starting at `from`: the offset of its closing quote. */
function plainStringEnd(bytes: Uint8Array, from: number, end: number): number {
	for (let index = from; index < end; index++) {
		const byte = bytes[index]!;
		if (byte === QUOTE) {
			return index;
		}

		if (byte === BACKSLASH || byte < 0x20) {
			return -1;
		}
	}

	return -1;
}

const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** The offset after a plain number `-?digits(.digits)?` at `from`, or -1: checks its form without computing it. */
function skipNumber(bytes: Uint8Array, from: number, end: number): number {
	let cursor = bytes[from] === 0x2D ? from + 1 : from;
	const digitsStart = cursor;
	while (cursor < end && isDigit(bytes[cursor]!)) {
		cursor++;
	}

	if (cursor === digitsStart) {
		return -1;
	}

	if (bytes[cursor] === 0x2E) {
		const fractionStart = ++cursor;
		while (cursor < end && isDigit(bytes[cursor]!)) {
			cursor++;
		}

		if (cursor === fractionStart) {
			return -1;
		}
	}

	return bytes[cursor] === 0x65 || bytes[cursor] === 0x45 ? -1 : cursor;
}

const POWERS_OF_TEN = Array.from({length: 23}, (_, index) => 10 ** index);

/**
A JSON number of the plain form `-?digits(.digits)?` into scratch.value; returns the offset after it, or -1 for any
other form (exponents, leading zeros, too many digits), which then goes to JSON.parse. Exact: the digits form an
integer below 2⁵³ divided by a power of ten no larger than 10²², which IEEE division rounds correctly.
*/
function readNumber(bytes: Uint8Array, from: number, end: number, scratch: PerfScratch): number {
	let cursor = from;
	let negative = false;
	if (bytes[cursor] === 0x2D) {
		negative = true;
		cursor++;
	}

	let mantissa = 0;
	let digits = 0;
	const integerStart = cursor;
	while (cursor < end && isDigit(bytes[cursor]!)) {
		mantissa = (mantissa * 10) + (bytes[cursor]! - 0x30);
		cursor++;
		digits++;
	}

	if (digits === 0 || (bytes[integerStart] === 0x30 && digits > 1)) {
		return -1;
	}

	let decimals = 0;
	if (bytes[cursor] === 0x2E) {
		cursor++;
		while (cursor < end && isDigit(bytes[cursor]!)) {
			mantissa = (mantissa * 10) + (bytes[cursor]! - 0x30);
			cursor++;
			decimals++;
			digits++;
		}

		if (decimals === 0) {
			return -1;
		}
	}

	if (digits > 15 || decimals > 22 || bytes[cursor] === 0x65 || bytes[cursor] === 0x45) {
		return -1;
	}

	const magnitude = decimals === 0 ? mantissa : mantissa / POWERS_OF_TEN[decimals]!;
	scratch.value = negative ? -magnitude : magnitude;
	return cursor;
}
