import {
	closeSync, createReadStream, openSync, readSync,
} from 'node:fs';
import {createGunzip} from 'node:zlib';
import path from 'node:path';
import {LineSplitter} from './line-splitter.js';
import {LogSummary, type ScanOptions} from './log-summary.js';

/** Bytes read at a time. */
const BLOCK_BYTES = 512 * 1024;
/** One block per thread, reused chunk after chunk: a fresh one per chunk left dead megabytes for the GC to find. */
let sharedBlock: Buffer | undefined;

export type Chunk = {
	/** Which log (in the plan's order) this chunk belongs to. */
	log: number;
	file: string;
	/** Byte range [start, end) of the file; for a gzip file, the whole file. */
	start: number;
	end: number;
	gzip: boolean;
};

/**
One chunk of a log folded into a LogSummary. Plain files are read with synchronous reads into one reused block
(this runs on a worker thread, where blocking is the point); gzip files are streamed through zlib.
*/
export async function scanChunk(chunk: Chunk, options: ScanOptions): Promise<LogSummary> {
	const summary = new LogSummary(options);
	const splitter = new LineSplitter((bytes, start, end) => {
		summary.addLine(bytes, start, end);
	});
	if (chunk.gzip) {
		try {
			for await (const block of createReadStream(chunk.file).pipe(createGunzip())) {
				splitter.push(block as Buffer);
			}
		} catch (error) {
			// A truncated or corrupt archive: what was read so far counts, and the log says what happened.
			summary.problems.push(`${path.basename(chunk.file)}: ${(error as Error).message}${summary.lines > 0 ? ` after ${summary.lines} lines` : ''}`);
		}
	} else {
		const descriptor = openSync(chunk.file, 'r');
		try {
			sharedBlock ??= Buffer.allocUnsafe(BLOCK_BYTES);
			const block = sharedBlock;
			let position = chunk.start;
			while (position < chunk.end) {
				const read = readSync(descriptor, block, 0, Math.min(BLOCK_BYTES, chunk.end - position), position);
				if (read === 0) {
					break;
				}

				splitter.push(block.subarray(0, read));
				position += read;
			}
		} finally {
			closeSync(descriptor);
		}
	}

	splitter.end();
	summary.finish();
	return summary;
}
