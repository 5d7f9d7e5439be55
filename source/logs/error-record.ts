import type {Level} from './record-header.js';

/** One ERROR or CRITICAL record of errors.log, as `health`, the error feed and the TUI show it. */
export type ErrorRecord = {
	timestamp: string;
	/** Epoch milliseconds (local time as written); NaN when the timestamp is impossible. */
	time: number;
	level: Level;
	logger: string | null;
	function: string | null;
	line: number | null;
	/** Untrusted: strip control characters before drawing. */
	message: string;
	/** The lines that followed the record (a Python traceback), oldest first; the last MAX_TRACEBACK_LINES at most. */
	traceback: string[];
	file: string;
};

export type RecentErrors = {
	/** Oldest first, the newest last. */
	records: ErrorRecord[];
	/** Bytes read from the end of the files to find them. */
	bytesRead: number;
};
