import {LogCollapsingLowestDenseDDSketch} from '@datadog/sketches-js';

/** Up to this many values are kept as they are, and percentiles are exact. */
const EXACT_LIMIT = 1024;
/** Past it, a DDSketch answers within 1 % of the true value, in at most BIN_LIMIT bins per sign (≈ 16 KiB). */
const RELATIVE_ACCURACY = 0.01;
const BIN_LIMIT = 2048;

type StorePlain = {bins: number[]; count: number; minKey: number; maxKey: number; offset: number; isCollapsed?: boolean};
export type QuantilesPlain = {
	exact: number[] | null;
	sketch: {store: StorePlain; negativeStore: StorePlain; zeroCount: number; count: number; min: number; max: number} | null;
};

/**
Percentiles of a stream in bounded memory: exact while few values have come, a DDSketch after. Mergeable, and
convertible to plain data to cross from a worker thread. Every answer lies within the values seen, and a higher q
never gets a lower answer: a sketch's bin stands for values up to 1 % past the largest one seen, which must not be
reported as a p99 above the maximum.
*/
export class Quantiles {
	#exact: number[] | null = [];
	#sketch: LogCollapsingLowestDenseDDSketch | null = null;

	add(value: number): void {
		if (this.#exact !== null) {
			this.#exact.push(value);
			if (this.#exact.length > EXACT_LIMIT) {
				this.#toSketch();
			}

			return;
		}

		this.#sketch!.accept(value);
	}

	merge(other: Quantiles): void {
		if (other.#exact !== null) {
			for (const value of other.#exact) {
				this.add(value);
			}

			return;
		}

		if (this.#exact !== null) {
			this.#toSketch();
		}

		const sketch = this.#sketch!;
		const copies = sketch.count === 0;
		sketch.merge(other.#sketch!);
		// @datadog/sketches-js 2.1 merges the positive store only (it copies both into an empty sketch): the values
		// below zero are merged here, or they would count in `count` and be missing from the ranks.
		if (!copies) {
			sketch.negativeStore.merge(other.#sketch!.negativeStore);
		}
	}

	/** The q-quantile, 0 ≤ q ≤ 1, interpolating between neighbours while exact; within [min, max]; NaN when empty. */
	quantile(q: number): number {
		if (this.#exact !== null) {
			return exactQuantile(this.#exact, q);
		}

		const sketch = this.#sketch!;
		return clamp(sketch.getValueAtQuantile(q), sketch.min, sketch.max);
	}

	/** Quantiles at increasing qs, each at least the one before it (a sketch's answers are each within 1 %, not ordered). */
	quantiles(qs: readonly number[]): number[] {
		let previous = Number.NEGATIVE_INFINITY;
		return qs.map(q => {
			previous = Math.max(previous, this.quantile(q));
			return previous;
		});
	}

	get isExact(): boolean {
		return this.#exact !== null;
	}

	toPlain(): QuantilesPlain {
		if (this.#exact !== null) {
			return {exact: this.#exact, sketch: null};
		}

		const sketch = this.#sketch!;
		return {
			exact: null, sketch: {
				store: storePlain(sketch.store),
				negativeStore: storePlain(sketch.negativeStore),
				zeroCount: sketch.zeroCount,
				count: sketch.count,
				min: sketch.min,
				max: sketch.max,
			},
		};
	}

	static fromPlain(plain: QuantilesPlain): Quantiles {
		const quantiles = new Quantiles();
		if (plain.exact !== null) {
			quantiles.#exact = plain.exact;
			return quantiles;
		}

		const sketch = newSketch();
		Object.assign(sketch.store, plain.sketch!.store);
		Object.assign(sketch.negativeStore, plain.sketch!.negativeStore);
		sketch.zeroCount = plain.sketch!.zeroCount;
		sketch.count = plain.sketch!.count;
		sketch.min = plain.sketch!.min;
		sketch.max = plain.sketch!.max;
		quantiles.#exact = null;
		quantiles.#sketch = sketch;
		return quantiles;
	}

	#toSketch(): void {
		const sketch = newSketch();
		for (const value of this.#exact!) {
			sketch.accept(value);
		}

		this.#exact = null;
		this.#sketch = sketch;
	}
}

/**
The q-quantile of a few values, interpolating between neighbours (as numpy does by default); NaN when empty. Never
outside its two neighbours, though rounding (or a difference too large for a double) could take the sum there.
*/
export function exactQuantile(values: readonly number[], q: number): number {
	if (values.length === 0) {
		return Number.NaN;
	}

	const sorted = [...values].sort((a, b) => a - b);
	const rank = q * (sorted.length - 1);
	const low = Math.floor(rank);
	const below = sorted[low]!;
	const above = sorted[Math.ceil(rank)]!;
	if (rank === low) {
		return below;
	}

	const difference = above - below;
	const interpolated = Number.isFinite(difference) ? below + (difference * (rank - low)) : (below * (1 - (rank - low))) + (above * (rank - low));
	return clamp(interpolated, below, above);
}

function clamp(value: number, low: number, high: number): number {
	return Math.min(Math.max(value, low), high);
}

function newSketch(): LogCollapsingLowestDenseDDSketch {
	return new LogCollapsingLowestDenseDDSketch({relativeAccuracy: RELATIVE_ACCURACY, binLimit: BIN_LIMIT});
}

function storePlain(store: object): StorePlain {
	const {bins, count, minKey, maxKey, offset, isCollapsed} = store as StorePlain;
	return {
		bins, count, minKey, maxKey, offset, isCollapsed,
	};
}
