/*
The structured payloads of the seed's records, read from the bytes after the record header:

  CONNECTION: {"service": "redis", "status": true, "details": {"failures": 0}, "uptime": 3600.5}
  ISSUE: {"issue_type": "thread_timeout", "message": "…", "severity": "WARNING", "count": 1, "uptime": 3600.5, "context": {}}
  PERF: {"metric": "fetch_image_duration", "value": 0.045, "unit": "seconds", "timestamp": 1705312215.123, "uptime": 3600.5}
  PERF: {"metric": "system_health", "value": {"cpu_percent": 25.5, "memory_percent": 45.2}, "unit": null, …}

Nothing here throws: a payload that is cut, not JSON or of the wrong shape comes back as undefined (an invalid record).
*/

export type ConnectionEvent = {service: string; status: boolean};
export type IssueEvent = {issueType: string};
export type PerfEvent = {metric: string; value: number | Record<string, number>; unit: string | null};

const PREFIX_CONNECTION = Buffer.from('CONNECTION: ');
const PREFIX_ISSUE = Buffer.from('ISSUE: ');
const PREFIX_PERF = Buffer.from('PERF: ');

export const PAYLOAD_NONE = 0;
export const PAYLOAD_CONNECTION = 1;
export const PAYLOAD_ISSUE = 2;
export const PAYLOAD_PERF = 3;

/** Whether bytes[start, end) begins with `prefix`. */
export function startsWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
	if (end - start < prefix.length) {
		return false;
	}

	for (const [index, element] of prefix.entries()) {
		if (bytes[start + index] !== element) {
			return false;
		}
	}

	return true;
}

/** Which payload the message at bytes[start, end) carries, by its prefix. */
export function payloadKind(bytes: Uint8Array, start: number, end: number): number {
	switch (bytes[start]) {
		case 0x43: { // C
			return startsWith(bytes, start, end, PREFIX_CONNECTION) ? PAYLOAD_CONNECTION : PAYLOAD_NONE;
		}

		case 0x49: { // I
			return startsWith(bytes, start, end, PREFIX_ISSUE) ? PAYLOAD_ISSUE : PAYLOAD_NONE;
		}

		case 0x50: { // P
			return startsWith(bytes, start, end, PREFIX_PERF) ? PAYLOAD_PERF : PAYLOAD_NONE;
		}

		default: {
			return PAYLOAD_NONE;
		}
	}
}

export const PAYLOAD_OFFSETS = {
	[PAYLOAD_CONNECTION]: PREFIX_CONNECTION.length,
	[PAYLOAD_ISSUE]: PREFIX_ISSUE.length,
	[PAYLOAD_PERF]: PREFIX_PERF.length,
} as const;

function parseJson(bytes: Uint8Array, start: number, end: number): unknown {
	try {
		return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'));
	} catch {
		// Not JSON, cut JSON, or nested deeper than the parser's stack: an invalid record, never a crash.
		return undefined;
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isConnection(json: unknown): json is Record<string, unknown> & {service: string; status: boolean} {
	return isObject(json) && typeof json.service === 'string' && typeof json.status === 'boolean';
}

function isIssue(json: unknown): json is Record<string, unknown> & {issue_type: string} {
	return isObject(json) && typeof json.issue_type === 'string';
}

function isPerf(json: unknown): json is Record<string, unknown> & {metric: string; unit?: string | null} {
	if (!isObject(json) || typeof json.metric !== 'string' || json.metric === '') {
		return false;
	}

	const {unit} = json;
	const {value} = json;
	return (unit === null || unit === undefined || typeof unit === 'string') && ((typeof value === 'number' && Number.isFinite(value)) || isObject(value));
}

export function readConnection(bytes: Uint8Array, start: number, end: number): ConnectionEvent | undefined {
	const json = parseJson(bytes, start, end);
	return isConnection(json) ? {service: json.service, status: json.status} : undefined;
}

export function readIssue(bytes: Uint8Array, start: number, end: number): IssueEvent | undefined {
	const json = parseJson(bytes, start, end);
	return isIssue(json) ? {issueType: json.issue_type} : undefined;
}

/**
The whole payload object of a PAYLOAD_* kind, every key as written, when it has the shape the readers above accept
(so a record is valid here exactly when analyze counts it valid); undefined otherwise.
*/
export function readPayloadObject(kind: number, bytes: Uint8Array, start: number, end: number): Record<string, unknown> | undefined {
	const json = parseJson(bytes, start, end);
	const valid = kind === PAYLOAD_CONNECTION ? isConnection(json) : (kind === PAYLOAD_ISSUE ? isIssue(json) : kind === PAYLOAD_PERF && isPerf(json));
	return valid ? json as Record<string, unknown> : undefined;
}

/** Where the fast path leaves what it read; reused line after line. */
export type PerfScratch = {metricStart: number; metricEnd: number; value: number; unitStart: number; unitEnd: number};

export function createPerfScratch(): PerfScratch {
	return {
		metricStart: 0, metricEnd: 0, value: 0, unitStart: 0, unitEnd: 0,
	};
}

/**
A PERF payload. The seed writes them with one layout, which is read here without making a string
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
const FAST_METRIC = Buffer.from('{"metric": "');
const FAST_VALUE = Buffer.from('", "value": ');
const FAST_UNIT = Buffer.from(', "unit": ');
const FAST_NULL = Buffer.from('null');
const FAST_TIMESTAMP = Buffer.from(', "timestamp": ');
const FAST_UPTIME = Buffer.from(', "uptime": ');

/**
The seed's exact layout, `{"metric": "NAME", "value": NUMBER, "unit": "UNIT"|null, "timestamp": NUMBER, "uptime": NUMBER}`,
with nothing after the closing brace but spaces. Anything else returns false and is left to JSON.parse.
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

/** The offset after a plain number `-?digits(.digits)?` at `from`, or -1: checks its form without computing it. */
function skipNumber(bytes: Uint8Array, from: number, end: number): number {
	let cursor = bytes[from] === 0x2D ? from + 1 : from;
	const digitsStart = cursor;
	while (cursor < end && bytes[cursor]! - 0x30 >>> 0 <= 9) {
		cursor++;
	}

	if (cursor === digitsStart) {
		return -1;
	}

	if (bytes[cursor] === 0x2E) {
		const fractionStart = ++cursor;
		while (cursor < end && bytes[cursor]! - 0x30 >>> 0 <= 9) {
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
	while (cursor < end && bytes[cursor]! >= 0x30 && bytes[cursor]! <= 0x39) {
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
		while (cursor < end && bytes[cursor]! >= 0x30 && bytes[cursor]! <= 0x39) {
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
