/*
The lines of a record, in the formats of the seed's monitoring.py (Python logging), which camtop's log engine reads:

  camera_system.log, greencam.log   2024-01-15 10:30:15,123 - camera_system - INFO - message
  errors.log                        2024-01-15 10:30:15,123 - camera_system - ERROR - fetch_image:123 - message
  performance.log                   2024-01-15 10:30:15,123 - PERF: {"metric": …}

A record is one line; an error's traceback follows it as continuation lines, as Python's logging writes exc_info.
*/
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {formatLogTime, isRecordStart} from '../logs/record-header.js';

/** Records of one millisecond share a timestamp: it is formatted once. */
let lastTime = Number.NaN;
let lastStamp = '';

export function logTime(time: number): string {
	if (time !== lastTime) {
		lastTime = time;
		lastStamp = formatLogTime(time);
	}

	return lastStamp;
}

/** Text from whatever a JavaScript caller passed: a Symbol or an object whose toString throws is no reason to throw. */
export function asText(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}

	try {
		return String(value);
	} catch {
		return '[unprintable]';
	}
}

/** An error's message, first line only, for ISSUE records; never throws. */
export function errorText(error: unknown): string {
	if (error instanceof Error) {
		try {
			return asText(error.message).split('\n')[0]!;
		} catch {
			return '[unprintable]';
		}
	}

	return asText(error);
}

const LINE_BREAKS = /[\r\n]/g;

/** A message on one line: a line break inside it would start a line that is not a record. */
export function oneLine(message: string): string {
	return message.includes('\n') || message.includes('\r') ? message.replaceAll(LINE_BREAKS, ' ') : message;
}

/** A logger name or a location is one word: the reader ends it at the first space. */
export function oneWord(word: string): string {
	return word.replaceAll(/\s/g, '_');
}

export type Location = {function: string; line: number};

const UNKNOWN_LOCATION: Location = {function: '<module>', line: 0};

/** Frames from this directory are the library's own: the caller is the first frame outside it. */
const OWN_DIRECTORY = path.dirname(fileURLToPath(import.meta.url)) + path.sep;

/** Enough frames to get past the library's own (at most four) and Node's internals. */
const CALLER_FRAMES = 16;

type Frame = {name: string | undefined; file: string; line: number};

// `    at [async ][new ]NAME (FILE:LINE:COLUMN)` or `    at FILE:LINE:COLUMN`. Our own stack text, not a hostile line.
const FRAME = /^\s*at (?:async )?(?:new )?(?:(.+?) \()?(.+?):(\d+):\d+\)?$/;

function parseFrame(text: string): Frame | undefined {
	const match = FRAME.exec(text);
	if (match === null) {
		return undefined;
	}

	let file = match[2]!;
	if (file.startsWith('file://')) {
		try {
			file = fileURLToPath(file);
		} catch {}
	}

	return {name: match[1], file, line: Number(match[3])};
}

/**
Python's funcName for a JavaScript frame: the function's own name, without the receiver V8 puts before it
(`Camera.fetch`, `Timeout.explode` → `fetch`, `explode`) or the alias after it (`f [as g]`); `<module>` for top-level
code and nameless functions, which JavaScript cannot tell apart.
*/
function functionName(name: string | undefined): string {
	const alias = name?.indexOf(' [as ') ?? -1;
	const qualified = name === undefined || alias === -1 ? name : name.slice(0, alias);
	const bare = qualified?.slice(qualified.lastIndexOf('.') + 1);
	return bare === undefined || bare === '' || bare === '<anonymous>' ? '<module>' : oneWord(bare);
}

/** The library function a caller called: the stack is cut above it. */
export type Entry = (...args: never[]) => unknown;

/**
The function and line that called into the library (errors.log's `fetch_image:123`), from a stack captured here: the
first frame below `entry` (the library's function the caller called) or, without one, outside this directory, that is
not in Node's internals. `<module>:0` when there is none. Only `entry` finds the caller when the library shares its
file with the caller's code: in a bundle, such as the one-file camtop whose demo writes through the library.
*/
export function callerLocation(entry?: Entry): Location {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = CALLER_FRAMES;
	const holder: {stack?: string} = {};
	try {
		Error.captureStackTrace(holder, entry);
	} finally {
		Error.stackTraceLimit = limit;
	}

	for (const text of (holder.stack ?? '').split('\n').slice(1)) {
		const frame = parseFrame(text);
		if (frame !== undefined && (entry !== undefined || !frame.file.startsWith(OWN_DIRECTORY)) && !frame.file.startsWith('node:')) {
			return {function: functionName(frame.name), line: frame.line};
		}
	}

	return UNKNOWN_LOCATION;
}

/** Where an error was thrown: the first frame of its stack outside Node's internals; undefined when there is none. */
export function thrownLocation(error: unknown): Location | undefined {
	if (!(error instanceof Error) || typeof error.stack !== 'string') {
		return undefined;
	}

	for (const text of error.stack.split('\n')) {
		const frame = /^\s+at /.test(text) ? parseFrame(text) : undefined;
		if (frame !== undefined && !frame.file.startsWith('node:')) {
			return {function: functionName(frame.name), line: frame.line};
		}
	}

	return undefined;
}

/** Python prints at most this many chained exceptions too (its limit is the recursion limit; this is a bound). */
const MAX_CAUSES = 5;

/**
An error as a Python traceback, oldest frame first: `Traceback (most recent call last):`, `  File "/app/x.js", line 12,
in fetch`, then `TypeError: message`; an error's `cause` first, as Python chains `raise … from …`. A thrown value that
is not an Error is one line. A line that would read as the start of a record is indented, so that it stays part of
this one.
*/
export function tracebackLines(error: unknown): string[] {
	const lines: string[] = [];
	if (!(error instanceof Error)) {
		lines.push(`Thrown value: ${oneLine(describeThrown(error))}`);
		return guard(lines);
	}

	const chain: Error[] = [error];
	for (let {cause} = error; cause instanceof Error && chain.length < MAX_CAUSES && !chain.includes(cause); cause = cause.cause) {
		chain.unshift(cause);
	}

	for (const [index, link] of chain.entries()) {
		if (index > 0) {
			lines.push('', 'The above exception was the direct cause of the following exception:', '');
		}

		lines.push(...errorLines(link));
	}

	return guard(lines);
}

function errorLines(error: Error): string[] {
	let stack = '';
	try {
		stack = typeof error.stack === 'string' ? error.stack : '';
	} catch {}

	const frames: string[] = [];
	for (const text of stack.split('\n')) {
		if (!/^\s+at /.test(text)) {
			continue;
		}

		const frame = parseFrame(text);
		// Node's own frames (the module loader, the task queue) are the interpreter's, which Python leaves out too.
		if (frame?.file.startsWith('node:internal/')) {
			continue;
		}

		// A frame of another form (eval, native) is kept as it stands: still a line of this traceback.
		frames.push(frame === undefined ? `  ${text.trim()}` : `  File "${frame.file}", line ${frame.line}, in ${functionName(frame.name)}`);
	}

	const name = oneWord(safeString(() => error.name) || 'Error');
	const message = safeString(() => error.message);
	return [
		'Traceback (most recent call last):',
		...frames.reverse(),
		...(message === '' ? [name] : `${name}: ${message}`.split(/\r?\n|\r/)),
	];
}

function safeString(read: () => unknown): string {
	try {
		const value = read();
		return typeof value === 'string' ? value : String(value ?? '');
	} catch {
		return '';
	}
}

function describeThrown(value: unknown): string {
	return safeString(() => typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
}

/** Continuation lines that readHeader would take for a record of their own are indented: they belong to this one. */
function guard(lines: string[]): string[] {
	return lines.map(line => isRecordStart(line) ? `  ${line}` : line);
}
