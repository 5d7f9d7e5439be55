import {constants} from 'node:fs';
import {open} from 'node:fs/promises';

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0A;

export type BackwardsOptions = {
	/** A longer line keeps its first this many bytes, bytes. */
	maxLineBytes: number;
	/** Stop after reading this many bytes from the end, bytes. */
	maxBytes: number;
	/** Read as if the file ended here, bytes: where a follower will go on from. The file's size when unset. */
	end?: number;
};

export type BackwardsLine = {text: string; truncated: boolean};

/**
A file's lines from the last to the first, read in 64 KiB chunks from the end: the cost follows what is read,
not the file's size. Line ends (LF or CRLF) are removed; invalid UTF-8 becomes U+FFFD. `bytesRead` on the returned
state tells how far it went.
*/
export async function * readLinesBackwards(file: string, options: BackwardsOptions, state?: {bytesRead: number}): AsyncGenerator<BackwardsLine> {
	const progress = state ?? {bytesRead: 0};
	// Non-blocking: a FIFO put where a log should be would block open() (and a thread of libuv's pool) forever.
	const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) {
			throw Object.assign(new Error(`${file}: not a regular file`), {code: 'ENOTFILE'});
		}

		const size = Math.min(stats.size, options.end ?? stats.size);
		let position = size;
		// The pieces of the line being assembled, first piece first; the line's start arrives last.
		let pieces: Buffer[] = [];
		let piecesBytes = 0;
		let truncated = false;
		let skippedFinalNewline = false;

		const finish = (): BackwardsLine => {
			const line = {text: decode(Buffer.concat(pieces)), truncated};
			pieces = [];
			piecesBytes = 0;
			truncated = false;
			return line;
		};

		const prepend = (piece: Buffer) => {
			pieces.unshift(piece);
			piecesBytes += piece.length;
			// Keep the line's beginning (its timestamp and level): drop bytes from its end.
			while (piecesBytes > options.maxLineBytes) {
				const last = pieces.at(-1)!;
				const excess = piecesBytes - options.maxLineBytes;
				truncated = true;
				if (last.length <= excess) {
					pieces.pop();
					piecesBytes -= last.length;
				} else {
					pieces[pieces.length - 1] = last.subarray(0, last.length - excess);
					piecesBytes -= excess;
				}
			}
		};

		while (position > 0 && progress.bytesRead < options.maxBytes) {
			const length = Math.min(CHUNK_BYTES, position);
			position -= length;
			const chunk = Buffer.alloc(length);
			// Chunks from the end backwards, each only when the reader asks for more lines.
			// eslint-disable-next-line no-await-in-loop
			const {bytesRead} = await handle.read(chunk, 0, length, position);
			progress.bytesRead += length;
			if (bytesRead < length) {
				// The file shrank under us (copytruncate): what follows is not this file's anymore.
				return;
			}

			let end = length;
			if (!skippedFinalNewline) {
				skippedFinalNewline = true;
				if (chunk[end - 1] === NEWLINE) {
					end--;
				}
			}

			let newline = end === 0 ? -1 : chunk.lastIndexOf(NEWLINE, end - 1);
			while (newline !== -1) {
				prepend(chunk.subarray(newline + 1, end));
				yield finish();
				end = newline;
				newline = end === 0 ? -1 : chunk.lastIndexOf(NEWLINE, end - 1);
			}

			prepend(chunk.subarray(0, end));
		}

		// At the start of the file the last pieces are a whole line; past maxBytes they are a fragment, dropped.
		if (position === 0 && (piecesBytes > 0 || pieces.length > 0) && size > 0) {
			yield finish();
		}
	} finally {
		await handle.close();
	}
}

function decode(bytes: Buffer): string {
	const text = bytes.toString('utf8');
	return text.endsWith('\r') ? text.slice(0, -1) : text;
}
