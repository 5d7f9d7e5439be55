import {LEVEL_ERROR, LEVEL_WARNING} from '../logs/line-header.js';
import {asText, errorText} from './caller-text.js';
import type {RecordWriter} from './record-writer.js';
import type {Entry} from './stack-frames.js';

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as {then?: unknown}).then === 'function';
}

// Microseconds: what the clock can tell, and few enough digits for camtop's PERF fast path.
const secondsSince = (startedMs: number) => Math.round((performance.now() - startedMs) * 1000) / 1e6;

/**
Monitor.timed(): runs a function, sync or async, and writes PERF `NAME_duration` in seconds, a slow-call WARNING
past `slowCallSeconds`, or, when it fails, an error with the traceback and ISSUE function_failure; the failure is
rethrown as it came.
*/
export class TimedCalls {
	readonly #writer: RecordWriter;
	readonly #slowCallSeconds: number;

	constructor(writer: RecordWriter, slowCallSeconds: number) {
		this.#writer = writer;
		this.#slowCallSeconds = slowCallSeconds;
	}

	/** `entry` is the library function the caller called: errors.log names the caller of it. */
	run<T>(name: string, fn: () => T, entry: Entry): T {
		const label = asText(name);
		const startedMs = performance.now();
		let result: T;
		try {
			result = fn();
		} catch (error) {
			this.#failed(label, startedMs, error, entry);
			throw error;
		}

		if (isPromiseLike(result)) {
			return this.#settled(label, result, startedMs) as T;
		}

		this.#succeeded(label, startedMs);
		return result;
	}

	// An async function, so that the stack at a rejection still names the caller that awaits it (V8's async stack
	// traces); errors.log names the caller of this function.
	async #settled(name: string, promise: PromiseLike<unknown>, startedMs: number): Promise<unknown> {
		try {
			const value = await promise;
			this.#succeeded(name, startedMs);
			return value;
		} catch (error) {
			this.#failed(name, startedMs, error, this.#settled);
			throw error;
		}
	}

	#succeeded(name: string, startedMs: number): void {
		const seconds = secondsSince(startedMs);
		this.#writer.metric(`${name}_duration`, seconds, 'seconds');
		if (seconds > this.#slowCallSeconds) {
			this.#writer.log(LEVEL_WARNING, `Slow call: ${name} took ${seconds.toFixed(3)} s`);
		}
	}

	#failed(name: string, startedMs: number, error: unknown, entry: Entry): void {
		const seconds = secondsSince(startedMs);
		this.#writer.log(LEVEL_ERROR, `Function ${name} failed`, entry, {error});
		this.#writer.issue({
			type: 'function_failure',
			message: `Function ${name} failed: ${errorText(error)}`,
			context: {function: name, error: errorText(error), duration_seconds: seconds},
			severity: 'ERROR',
		}, entry);
	}
}
