import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {MetricStats} from '../../source/logs/metric-stats.js';

type Reported = {count: number; min: number; p50: number; p95: number; p99: number; max: number; exact_percentiles: boolean};

/**
The values as analyze reads them: in chunks, each chunk's statistics crossing from its worker thread as plain data
(structured clone, as postMessage does), merged in order, and reported.
*/
function report(values: readonly number[], chunks: number): Reported {
	const size = Math.ceil(values.length / chunks);
	let merged: MetricStats | undefined;
	const budget = {left: 1000};
	for (let start = 0; start < values.length; start += size) {
		const stats = new MetricStats();
		for (let index = start; index < Math.min(values.length, start + size); index++) {
			stats.add(values[index]!, Number.NaN, 0, budget);
		}

		const crossed = MetricStats.fromPlain(structuredClone(stats.toPlain()));
		if (merged === undefined) {
			merged = crossed;
		} else {
			merged.merge(crossed, budget);
		}
	}

	return merged!.report() as Reported;
}

function expectOrdered(values: readonly number[], reported: Reported): void {
	const {min, p50, p95, p99, max} = reported;
	expect(reported.count).toBe(values.length);
	// Every quantile within the values seen, and in order.
	expect([min <= p50, p50 <= p95, p95 <= p99, p99 <= max], JSON.stringify(reported)).toEqual([true, true, true, true]);
}

/** A small deterministic generator (mulberry32): a million values drawn here cost far less than a million drawn by fast-check. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let t = Math.imul(state ^ (state >>> 15), state | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** Value distributions a camera app's metrics have, and some they should not but might. */
const DISTRIBUTIONS: Record<string, (next: () => number) => number> = {
	uniform: next => next() * 0.2,
	exponential: next => -Math.log(1 - next()) * 0.05,
	// Most frames saved in 15 ms, a few stalls of a second: the save_frame_duration that printed p99 above max.
	stalls: next => next() < 0.97 ? 0.015 + (next() * 0.001) : 1.2 + (next() * 0.004),
	heavyTail: next => 0.001 / ((1 - next()) ** 2),
	microseconds: next => 2e-6 + (next() * 1e-4),
	constant: () => 0.045,
	fewValues: next => Math.floor(next() * 4) * 1024,
	withZeros: next => next() < 0.3 ? 0 : next() * 100,
	signed: next => (next() - 0.7) * 1000,
	negative: next => -1 - (next() * 50),
	hugeRange: next => (next() < 0.5 ? -1 : 1) * (10 ** ((next() * 600) - 300)),
};

describe('reported percentiles', () => {
	it('stay within [min, max] and in order for any few values, exact or sketched, in any chunks', () => {
		fc.assert(fc.property(
			fc.array(fc.double({noNaN: true, noDefaultInfinity: true}), {minLength: 1, maxLength: 3000}),
			fc.integer({min: 1, max: 6}),
			(values, chunks) => {
				expectOrdered(values, report(values, chunks));
			},
		), {numRuns: 150});
	});

	it('stay within [min, max] and in order for 1 to 10⁶ values of many distributions', () => {
		fc.assert(fc.property(
			fc.oneof(fc.integer({min: 1, max: 5000}), fc.integer({min: 5000, max: 1_000_000}), fc.constant(1_000_000)),
			fc.constantFrom(...Object.keys(DISTRIBUTIONS)),
			fc.integer(),
			fc.integer({min: 1, max: 8}),
			(size, distribution, seed, chunks) => {
				const next = random(seed);
				const draw = DISTRIBUTIONS[distribution]!;
				const values = Array.from({length: size}, () => draw(next));
				expectOrdered(values, report(values, chunks));
			},
		), {numRuns: 12});
	});

	it('every distribution, a million values, read in seven chunks', () => {
		for (const [name, draw] of Object.entries(DISTRIBUTIONS)) {
			const next = random(name.length);
			const values = Array.from({length: 1_000_000}, () => draw(next));
			const reported = report(values, 7);
			expect(reported.exact_percentiles).toBe(false);
			expectOrdered(values, reported);
		}
	});

	it('p95 and p99 of the save_frame_duration that was seen are the maximum, not the sketch bin past it', () => {
		// 1,129 values, the slowest 6 % at 1.204 s: the sketch's bin for them stands for 1.209 s.
		const values = Array.from({length: 1129}, (_, index) => index < 1061 ? 0.015 + (index * 1e-6) : 1.204);
		expect(report(values, 1)).toMatchObject({
			p95: 1.204, p99: 1.204, max: 1.204, exact_percentiles: false,
		});
	});

	it('keeps values below zero when chunks are merged', () => {
		// Every value is negative, in three chunks each past the exact limit: the median of -1 … -6000 is about -3000
		// (within the sketch's 1 %).
		const values = Array.from({length: 6000}, (_, index) => -1 - index);
		const reported = report(values, 3);
		expect(reported.exact_percentiles).toBe(false);
		expect(reported.p50).toBeGreaterThan(-3000 * 1.02);
		expect(reported.p50).toBeLessThan(-3000 * 0.98);
	});
});
