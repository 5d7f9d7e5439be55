/** A line longer than this is cut to its first this many bytes (its header and the start of its message), bytes. */
export const MAX_LINE_BYTES = 64 * 1024;

const NEWLINE = 0x0A;
const CARRIAGE_RETURN = 0x0D;

export type LineSink = (bytes: Uint8Array, start: number, end: number) => void;

/**
Blocks of bytes in, lines out (LF or CRLF, without the line end), in bounded memory: only a partial line is kept
between blocks, and at most MAX_LINE_BYTES of it. Lines are handed over as views into the block: the sink must copy
what it keeps.
*/
export class LineSplitter {
	readonly #sink: LineSink;
	#carry: Buffer | undefined;
	/** The head of an over-long line was handed over already: drop its bytes until the next newline. */
	#skipping = false;

	constructor(sink: LineSink) {
		this.#sink = sink;
	}

	push(block: Uint8Array): void {
		let position = 0;
		const firstNewline = block.indexOf(NEWLINE);
		if (this.#carry !== undefined || this.#skipping) {
			if (firstNewline === -1) {
				this.#keep(block, 0, block.length);
				return;
			}

			this.#keep(block, 0, firstNewline);
			if (!this.#skipping) {
				this.#emit(this.#carry!, 0, this.#carry!.length);
			}

			this.#carry = undefined;
			this.#skipping = false;
			position = firstNewline + 1;
		}

		let newline = position === 0 ? firstNewline : block.indexOf(NEWLINE, position);
		while (newline !== -1) {
			this.#emit(block, position, Math.min(newline, position + MAX_LINE_BYTES));
			position = newline + 1;
			newline = block.indexOf(NEWLINE, position);
		}

		if (position < block.length) {
			this.#keep(block, position, block.length);
		}
	}

	/** Hands over the last line when the input did not end with a newline. */
	end(): void {
		if (this.#carry !== undefined && !this.#skipping) {
			this.#emit(this.#carry, 0, this.#carry.length);
		}

		this.#carry = undefined;
		this.#skipping = false;
	}

	/** Keeps block[start, end) as (more of) the partial line, up to MAX_LINE_BYTES; past that, hands its head over. */
	#keep(block: Uint8Array, start: number, end: number): void {
		if (this.#skipping) {
			return;
		}

		const kept = this.#carry?.length ?? 0;
		const room = MAX_LINE_BYTES - kept;
		const piece = Buffer.from(block.subarray(start, Math.min(end, start + room)));
		this.#carry = this.#carry === undefined ? piece : Buffer.concat([this.#carry, piece]);
		if (end - start > room) {
			this.#emit(this.#carry, 0, this.#carry.length);
			this.#carry = undefined;
			this.#skipping = true;
		}
	}

	#emit(bytes: Uint8Array, start: number, end: number): void {
		this.#sink(bytes, start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end);
	}
}
