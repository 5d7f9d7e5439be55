/*
An errors.log record in the operator's words: an ISSUE or CONNECTION record's JSON payload read (by payload.ts, the
one reader) and told as `ISSUE function_failure — Process client.py exited (camera_2)` or `CONNECTION redis down`,
its fields listed one per line for a record shown whole. The text stays untrusted: a view cleans and cuts it.
*/
import {formatDuration, formatQuantity} from '../text/format.js';
import {
	connectionName, CONNECTION_PREFIX, issueName, ISSUE_PREFIX,
} from './event-records.js';
import type {ErrorRecord} from './error-record.js';
import {isObject} from './payload-json.js';
import {
	PAYLOAD_CONNECTION, PAYLOAD_ISSUE, PAYLOAD_OFFSETS, readPayloadObject,
} from './payload.js';

export type RecordWords = {
	/** Which payload the record carries; '' for a plain record. */
	kind: 'ISSUE' | 'CONNECTION' | '';
	/** `ISSUE function_failure` or `CONNECTION redis down`; '' for a plain record. */
	head: string;
	/** The payload's message for an ISSUE, '' for a CONNECTION, the record's own message for a plain record. */
	message: string;
	/** The payload's other useful fields, shortly (`camera_2, exit_code 1`); '' for none. */
	context: string;
	/** An ISSUE's or CONNECTION's fields (`issue_type: function_failure`), one per line; none for a plain record. */
	fields: string[];
};

/** Context values shown in a record's row, at most: a row has room for a few names, not a dump. */
const MAX_CONTEXT_PARTS = 3;
/** A context value in a row is cut to this many characters. */
const MAX_CONTEXT_VALUE_CHARACTERS = 40;
/** A payload's field lines, at most: a payload of a thousand keys is listed to here and counted after. */
const MAX_FIELD_LINES = 200;
/** A context value is left out of the row when the message already says it; this much of the message is searched. */
const MESSAGE_SCAN_CHARACTERS = 4096;
/** Context keys whose value is a name the operator knows by itself (`camera_2`, `client.py`): shown without the key. */
const NAME_KEYS = new Set([
	'camera', 'camera_name', 'camera_id', 'process', 'process_name', 'service', 'name', 'role', 'function', 'thread', 'thread_name', 'channel', 'host', 'url', 'path', 'file',
]);

/**
Whether a function name tells the operator where a record came from. Python names module-level code `<module>` (and
lambdas, comprehensions `<lambda>`, `<listcomp>`); JavaScript's nameless callbacks are `<anonymous>` or empty.
*/
export function usefulFunction(name: string | null): string | null {
	const trimmed = name?.trim() ?? '';
	return trimmed === '' || (trimmed.startsWith('<') && trimmed.endsWith('>')) ? null : trimmed;
}

/** The suffixes the camera app names a key's unit with, and the unit formatQuantity knows it by. */
const UNIT_SUFFIXES: ReadonlyArray<[suffix: string, unit: string]> = [
	['_seconds', 'seconds'],
	['_ms', 'ms'],
	['_bytes', 'bytes'],
	['_percent', 'percent'],
];

/** A key's unit, from the suffix the camera app names it with (`duration_seconds`), and the key without it. */
function unitOf(key: string): {label: string; format: ((value: number) => string) | undefined} {
	if (key === 'uptime') {
		return {label: key, format: formatDuration};
	}

	for (const [suffix, unit] of UNIT_SUFFIXES) {
		if (key.endsWith(suffix) && key.length > suffix.length) {
			return {label: key.slice(0, -suffix.length), format: value => formatQuantity(value, unit)};
		}
	}

	return {label: key, format: undefined};
}

/** A field's value as words: numbers in their unit, a CONNECTION's status as up or down, objects as their JSON. */
function valueText(key: string, value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}

	if (typeof value === 'number') {
		return unitOf(key).format?.(value) ?? String(value);
	}

	if (typeof value === 'boolean' && key === 'status') {
		return value ? 'up' : 'down';
	}

	return JSON.stringify(value) ?? String(value);
}

/** `key: value` as lines, a value of several lines indented under its key, an object's keys one level below. */
function fieldLines(key: string, value: unknown, indent: string, out: string[]): void {
	if (isObject(value) && indent === '') {
		const entries = Object.entries(value);
		if (entries.length === 0) {
			out.push(`${key}: none`);
			return;
		}

		out.push(`${key}:`);
		for (const [inner, innerValue] of entries) {
			fieldLines(inner, innerValue, '  ', out);
		}

		return;
	}

	const [first, ...rest] = valueText(key, value).split('\n');
	out.push(`${indent}${key}: ${first}`, ...rest.map(text => `${indent}  ${text}`));
}

function fieldsOf(payload: Record<string, unknown>): string[] {
	const lines: string[] = [];
	for (const [key, value] of Object.entries(payload)) {
		fieldLines(key, value, '', lines);
	}

	if (lines.length <= MAX_FIELD_LINES) {
		return lines;
	}

	return [...lines.slice(0, MAX_FIELD_LINES), `… ${lines.length - MAX_FIELD_LINES} more lines`];
}

/** The context's names and values that add to the message, shortly: `camera_2, exit_code 1, duration 1.2 s`. */
function contextText(context: unknown, message: string): string {
	if (typeof context === 'string' || typeof context === 'number') {
		return String(context).slice(0, MAX_CONTEXT_VALUE_CHARACTERS);
	}

	if (!isObject(context)) {
		return '';
	}

	// eslint-disable-next-line unicorn/prefer-set-has -- a string (the rule takes slice() for an array's), searched for a substring
	const said = message.slice(0, MESSAGE_SCAN_CHARACTERS);
	const parts: string[] = [];
	for (const [key, value] of Object.entries(context)) {
		if (parts.length >= MAX_CONTEXT_PARTS) {
			break;
		}

		if (value === true) {
			parts.push(key);
		} else if (typeof value === 'number' || (typeof value === 'string' && value !== '' && !said.includes(value))) {
			const text = valueText(key, value).slice(0, MAX_CONTEXT_VALUE_CHARACTERS);
			parts.push(NAME_KEYS.has(key) ? text : `${unitOf(key).label} ${text}`);
		}
	}

	return parts.join(', ');
}

/** The payload object after `prefix`, read by payload.ts; undefined when the message is not one or it is invalid. */
function payloadAfter(message: string, prefix: string, kind: typeof PAYLOAD_ISSUE | typeof PAYLOAD_CONNECTION): Record<string, unknown> | undefined {
	if (!message.startsWith(prefix)) {
		return undefined;
	}

	const bytes = Buffer.from(message, 'utf8');
	return readPayloadObject(kind, bytes, PAYLOAD_OFFSETS[kind], bytes.length);
}

/** A record's message (after errors.log's `function:line - `) in words; a plain message as it is. */
export function describeMessage(message: string): RecordWords {
	const issue = payloadAfter(message, ISSUE_PREFIX, PAYLOAD_ISSUE);
	if (issue !== undefined) {
		const said = typeof issue.message === 'string' ? issue.message : '';
		return {
			kind: 'ISSUE', head: issueName(String(issue.issue_type)), message: said, context: contextText(issue.context, said), fields: fieldsOf(issue),
		};
	}

	const connection = payloadAfter(message, CONNECTION_PREFIX, PAYLOAD_CONNECTION);
	if (connection !== undefined) {
		return {
			kind: 'CONNECTION',
			head: connectionName(String(connection.service), Boolean(connection.status)),
			message: '',
			context: contextText(connection.details, ''),
			fields: fieldsOf(connection),
		};
	}

	return {
		kind: '', head: '', message, context: '', fields: [],
	};
}

const described = new WeakMap<ErrorRecord, RecordWords>();

/** The record's message in words, read once per record (a view draws it every frame). */
export function recordWords(record: ErrorRecord): RecordWords {
	let words = described.get(record);
	if (words === undefined) {
		words = describeMessage(record.message);
		described.set(record, words);
	}

	return words;
}

/** The words on one line: `ISSUE <type> — <message> (<context>)`, `CONNECTION <service> up|down`, or the message. */
export function wordsText({head, message, context}: RecordWords): string {
	const said = head === '' ? message : head + (message === '' ? '' : ` — ${message}`);
	return context === '' ? said : `${said} (${context})`;
}
