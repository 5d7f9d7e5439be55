/**
A fixed-size history: pushing past the capacity drops the oldest value. Nothing in the live view grows without bound.
*/
export class RingBuffer<T> {
	readonly #items: Array<T | undefined>;
	#start = 0;
	#length = 0;

	constructor(readonly capacity: number) {
		this.#items = Array.from({length: capacity});
	}

	push(item: T): void {
		const index = (this.#start + this.#length) % this.capacity;
		this.#items[index] = item;
		if (this.#length < this.capacity) {
			this.#length++;
		} else {
			this.#start = (this.#start + 1) % this.capacity;
		}
	}

	/** Replaces the newest value (a record that grew); nothing when empty. */
	replaceLast(item: T): void {
		if (this.#length > 0) {
			this.#items[(this.#start + this.#length - 1) % this.capacity] = item;
		}
	}

	/** Drops and returns the oldest value. */
	shift(): T | undefined {
		if (this.#length === 0) {
			return undefined;
		}

		const item = this.#items[this.#start];
		this.#items[this.#start] = undefined;
		this.#start = (this.#start + 1) % this.capacity;
		this.#length--;
		return item;
	}

	get length(): number {
		return this.#length;
	}

	/** Oldest first. */
	toArray(): T[] {
		return Array.from({length: this.#length}, (_, offset) => this.#items[(this.#start + offset) % this.capacity]!);
	}

	last(): T | undefined {
		return this.#length === 0 ? undefined : this.#items[(this.#start + this.#length - 1) % this.capacity];
	}
}
