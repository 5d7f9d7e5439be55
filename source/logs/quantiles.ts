import {LogCollapsingLowestDenseDDSketch} from '@datadog/sketches-js';

/** Up to this many values are kept as they are, and percentiles are exact. */
const EXACT_LIMIT = 1024;
/** Past it, a DDSketch answers within 1 % of the true value, in at most BIN_LIMIT bins per sign (≈ 16 KiB). */
const RELATIVE_ACCURACY = 0.01;
const BIN_LIMIT = 2048;

type StorePlain = {bins: number[]; count: number; minKey: number; maxKey: number; offset: number; isCollapsed?: boolean};
export type QuantilesPlain = {exact: number[] | null; sketch: {store: StorePlain; negativeStore: StorePlain; zeroCount: number; count: number} | null};

/**
Percentiles of a stream in bounded memory: exact while few values have come, a DDSketch after. Mergeable, and
convertible to plain data to cross from a worker thread.
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

		this.#sketch!.merge(other.#sketch!);
	}

	/** The q-quantile, 0 ≤ q ≤ 1, interpolating between neighbours while exact; NaN when empty. */
	quantile(q: number): number {
		if (this.#exact !== null) {
			return exactQuantile(this.#exact, q);
		}

		return this.#sketch!.getValueAtQuantile(q);
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
				store: storePlain(sketch.store), negativeStore: storePlain(sketch.negativeStore), zeroCount: sketch.zeroCount, count: sketch.count,
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

/** The q-quantile of a few values, interpolating between neighbours (as numpy does by default); NaN when empty. */
export function exactQuantile(values: readonly number[], q: number): number {
	if (values.length === 0) {
		return Number.NaN;
	}

	const sorted = [...values].sort((a, b) => a - b);
	const rank = q * (sorted.length - 1);
	const low = Math.floor(rank);
	return sorted[low]! + ((sorted[Math.ceil(rank)]! - sorted[low]!) * (rank - low));
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
