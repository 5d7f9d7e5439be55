/*
The lines that follow an ERROR or CRITICAL record when it carries an exception: a Python traceback, as Python's
logging writes exc_info. Readers take every line that does not start a record as part of the record before it
(record-header.ts isRecordStart), and the exception class from the last line (error-type.ts exceptionClass).

  Traceback (most recent call last):
    File "/app/camera.js", line 12, in fetchImage
  ConnectionError: Error 111 connecting to localhost:6379. Connection refused.
*/
import {isRecordStart} from './record-header.js';

/** Where a call was; a frame of another form (eval, native) is kept as its text. */
export type TracebackFrame = {file: string; line: number; function: string} | {text: string};

/** One exception: its frames, the outermost call first (Python's order), its class (one word) and its message. */
export type TracebackException = {frames: readonly TracebackFrame[]; name: string; message: string};

/** A chain of exceptions, the root cause first, as Python prints `raise … from …`. */
export function formatTraceback(chain: readonly TracebackException[]): string[] {
	const lines: string[] = [];
	for (const [index, exception] of chain.entries()) {
		if (index > 0) {
			lines.push('', 'The above exception was the direct cause of the following exception:', '');
		}

		lines.push('Traceback (most recent call last):');
		for (const frame of exception.frames) {
			lines.push('text' in frame ? `  ${frame.text}` : `  File "${frame.file}", line ${frame.line}, in ${frame.function}`);
		}

		lines.push(...(exception.message === '' ? [exception.name] : `${exception.name}: ${exception.message}`.split(/\r?\n|\r/)));
	}

	return guard(lines);
}

/** A thrown value that is not an exception, described on one line. */
export function formatThrownValue(description: string): string[] {
	return guard([`Thrown value: ${description}`]);
}

/** Continuation lines that would read as the start of a record are indented: they belong to this one. */
function guard(lines: string[]): string[] {
	return lines.map(line => isRecordStart(line) ? `  ${line}` : line);
}
