/*
What the library reads from V8's stacks: the caller's function:line for errors.log, where an uncaught error was
thrown, and an error's frames for its Python-style traceback (logs/traceback.ts writes the lines).
*/
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {SourceLocation} from '../logs/record-header.js';
import {formatThrownValue, formatTraceback, type TracebackFrame} from '../logs/traceback.js';
import {oneLine, oneWord} from './caller-text.js';

export type Location = SourceLocation;

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
An error as a Python traceback, oldest frame first, an error's `cause` before it, as Python chains `raise … from …`.
A thrown value that is not an Error is one line.
*/
export function tracebackLines(error: unknown): string[] {
	if (!(error instanceof Error)) {
		return formatThrownValue(oneLine(describeThrown(error)));
	}

	const chain: Error[] = [error];
	for (let {cause} = error; cause instanceof Error && chain.length < MAX_CAUSES && !chain.includes(cause); cause = cause.cause) {
		chain.unshift(cause);
	}

	return formatTraceback(chain.map(link => ({
		frames: framesOf(link),
		name: oneWord(safeString(() => link.name) || 'Error'),
		message: safeString(() => link.message),
	})));
}

/** An error's frames, the outermost call first. */
function framesOf(error: Error): TracebackFrame[] {
	let stack = '';
	try {
		stack = typeof error.stack === 'string' ? error.stack : '';
	} catch {}

	const frames: TracebackFrame[] = [];
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
		frames.push(frame === undefined ? {text: text.trim()} : {file: frame.file, line: frame.line, function: functionName(frame.name)});
	}

	return frames.reverse();
}

function safeString(read: () => unknown): string {
	try {
		const value = read();
		// eslint-disable-next-line @typescript-eslint/no-base-to-string -- an error's name or message, of whatever type it was given.
		return typeof value === 'string' ? value : String(value ?? '');
	} catch {
		return '';
	}
}

function describeThrown(value: unknown): string {
	return safeString(() => typeof value === 'string' ? value : JSON.stringify(value) ?? String(value));
}
