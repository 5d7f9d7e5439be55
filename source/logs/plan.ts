import {
	closeSync, existsSync, openSync, readSync, readdirSync, statSync,
} from 'node:fs';
import path from 'node:path';
import {rotatedSiblings} from './rotation.js';
import {createHeader, readHeader} from './line-header.js';
import type {Chunk} from './scan-file.js';

/** One log to analyse: the key it is reported under (the path as given) and its files, oldest first. */
export type LogSource = {key: string; files: string[]};

/** A chunk boundary is looked for this far past its target, bytes; past that the chunk simply grows. */
const BOUNDARY_SEARCH_BYTES = 1024 * 1024;

/**
The logs of a logs directory, each with its rotated siblings (`.5` … `.1`, `.gz` too) oldest first, then the legacy
log if it exists. Keys are paths relative to `cwd` when inside it (`logs/errors.log`, as the seed's jq examples use).
*/
export function logsInDirectory(logsDir: string, legacyLog: string, cwd: string): LogSource[] {
	let entries: string[];
	try {
		entries = readdirSync(logsDir);
	} catch (error) {
		// No logs directory is no logs; one that cannot be read is an error to report.
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}

		entries = [];
	}

	const key = (file: string) => {
		const relative = path.relative(cwd, file);
		return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
	};

	const sources = entries.filter(name => name.endsWith('.log')).sort().map(name => ({
		key: key(path.join(logsDir, name)),
		// rotatedSiblings lists newest first; a log reads oldest first.
		files: [...rotatedSiblings(name, entries).reverse().map(sibling => path.join(logsDir, sibling)), path.join(logsDir, name)],
	}));
	if (existsSync(legacyLog) && path.dirname(legacyLog) !== path.resolve(logsDir)) {
		sources.push({key: key(legacyLog), files: [legacyLog]});
	}

	return sources;
}

/**
Byte ranges to read in parallel. A plain file is cut near every `chunkBytes`, always just before a line that starts
a record, so no traceback is split from its record; a gzip file is one chunk.
*/
export function planChunks(sources: readonly LogSource[], chunkBytes: number): Chunk[] {
	const chunks: Chunk[] = [];
	for (const [log, source] of sources.entries()) {
		for (const file of source.files) {
			const stats = statSync(file);
			if (!stats.isFile()) {
				// A FIFO or device where a log should be would block the reader forever.
				throw Object.assign(new Error('not a regular file'), {code: 'ENOTFILE'});
			}

			const {size} = stats;
			if (file.endsWith('.gz')) {
				chunks.push({
					log, file, start: 0, end: size, gzip: true,
				});
				continue;
			}

			let start = 0;
			while (start < size) {
				const boundary = start + chunkBytes >= size ? size : nextRecordStart(file, start + chunkBytes, size);
				chunks.push({
					log, file, start, end: boundary, gzip: false,
				});
				start = boundary;
			}
		}
	}

	return chunks;
}

const header = createHeader();

/** Offset of the first line at or after `from` that starts a record (and follows a newline), or the file's end. */
function nextRecordStart(file: string, from: number, size: number): number {
	const descriptor = openSync(file, 'r');
	try {
		const buffer = Buffer.allocUnsafe(64 * 1024);
		for (let offset = from; offset < Math.min(size, from + BOUNDARY_SEARCH_BYTES); offset += buffer.length - 512) {
			const read = readSync(descriptor, buffer, 0, buffer.length, offset);
			let newline = buffer.indexOf(0x0A);
			while (newline !== -1 && newline < read - 1) {
				const lineEnd = buffer.indexOf(0x0A, newline + 1);
				// A header is under 100 bytes: when the line runs past the buffer, what we have is enough.
				const end = lineEnd === -1 || lineEnd >= read ? read : lineEnd;
				if (readHeader(buffer, newline + 1, end, header)) {
					return offset + newline + 1;
				}

				newline = lineEnd;
			}
		}
	} finally {
		closeSync(descriptor);
	}

	return size;
}
