import {parseRecordHeader, parseSourceLocation, type Level} from '../logs/record-header.js';
import {readLinesBackwards} from '../logs/read-lines-backwards.js';
import {errorMessage} from '../base/errors.js';
import {fail, ok, type Result} from '../base/result.js';
import type {ErrorRecord, RecentErrors} from '../logs/error-record.js';

const MAX_LINE_BYTES = 4096;
const MAX_TRACEBACK_LINES = 40;
/** Give up after reading this much from the end, bytes: a log with no ERROR must not cost a full read. */
const MAX_SCAN_BYTES = 4 * 1024 * 1024;

const ERROR_LEVELS = new Set<Level | null>(['ERROR', 'CRITICAL']);

/**
The last `count` ERROR and CRITICAL records, with their tracebacks, read backwards from the end of the first file and
on into the next (errors.log, then errors.log.1 after a rotation). A missing file is skipped.
*/
export async function collectRecentErrors(files: readonly string[], count: number): Promise<Result<RecentErrors>> {
	const newestFirst: ErrorRecord[] = [];
	const state = {bytesRead: 0};
	try {
		for (const file of files) {
			if (newestFirst.length >= count || state.bytesRead >= MAX_SCAN_BYTES) {
				break;
			}

			try {
				// One file after the other, newest first: the next is read only when this one had too few records.
				// eslint-disable-next-line no-await-in-loop
				await scanFile(file, count, newestFirst, state);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
					throw error;
				}
			}
		}
	} catch (error) {
		return fail(errorMessage(error));
	}

	return ok({records: newestFirst.reverse(), bytesRead: state.bytesRead});
}

async function scanFile(file: string, count: number, newestFirst: ErrorRecord[], state: {bytesRead: number}): Promise<void> {
	// Continuation lines met so far, newest first: they belong to the next header met going backwards.
	let continuation: string[] = [];
	const lines = readLinesBackwards(file, {maxLineBytes: MAX_LINE_BYTES, maxBytes: MAX_SCAN_BYTES}, state);
	for await (const {text} of lines) {
		const header = parseRecordHeader(text);
		if (header === undefined) {
			// Keep the traceback's end (the exception itself); drop its older lines past the cap.
			if (continuation.length < MAX_TRACEBACK_LINES) {
				continuation.push(text);
			}

			continue;
		}

		if (ERROR_LEVELS.has(header.level)) {
			const location = parseSourceLocation(header.message);
			newestFirst.push({
				timestamp: header.timestamp,
				time: header.time,
				level: header.level!,
				logger: header.logger,
				function: location.function,
				line: location.line,
				message: location.message,
				traceback: continuation.filter(line => line.trim() !== '').reverse(),
				file,
			});
			if (newestFirst.length >= count) {
				await lines.return(undefined);
				return;
			}
		}

		continuation = [];
	}
}
