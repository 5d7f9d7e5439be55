import {Quantiles, type QuantilesPlain} from './quantiles.js';
import {formatHourKey} from './line-header.js';

/** Regression times are hours since this moment (2024-01-01 UTC), keeping the sums small enough to stay exact. */
const EPOCH_MS = 1_704_067_200_000;
const MS_PER_HOUR = 3_600_000;
/** What is left of the log's bound on hourly entries (shared by all its metrics). */
export type HourBudget = {left: number};

/** One hour of a metric's values: their sum and how many, for the hour's mean. */
export type HourSum = {sum: number; count: number};

/**
Streaming statistics of one PERF metric: count, min, mean, max, percentiles (bounded), the linear trend per hour and
the hour with the worst (highest) mean. Mergeable across chunks.
*/
export class MetricStats {
	count = 0;
	sum = 0;
	min = Number.POSITIVE_INFINITY;
	max = Number.NEGATIVE_INFINITY;
	/** undefined until a record says; null when the records say there is none. */
	unit: string | null | undefined = undefined;
	quantiles = new Quantiles();
	// Least-squares sums over (hours, value) for values with a valid time.
	n = 0;
	sx = 0;
	sy = 0;
	sxy = 0;
	sxx = 0;
	/** Values per hour, keyed by line-header.ts's hourKey. */
	hours = new Map<number, HourSum>();
	// The hour of the last value: consecutive values nearly always share it.
	#hourKey = -1;
	#hour: HourSum | undefined;

	add(value: number, time: number, hourKey: number, budget: HourBudget): void {
		this.count++;
		this.sum += value;
		if (value < this.min) {
			this.min = value;
		}

		if (value > this.max) {
			this.max = value;
		}

		this.quantiles.add(value);
		if (!Number.isNaN(time)) {
			const x = (time - EPOCH_MS) / MS_PER_HOUR;
			this.n++;
			this.sx += x;
			this.sy += value;
			this.sxy += x * value;
			this.sxx += x * x;
			if (hourKey !== this.#hourKey) {
				this.#hourKey = hourKey;
				this.#hour = this.hours.get(hourKey);
				if (this.#hour === undefined && budget.left > 0) {
					budget.left--;
					this.#hour = {sum: 0, count: 0};
					this.hours.set(hourKey, this.#hour);
				}
			}

			if (this.#hour !== undefined) {
				this.#hour.sum += value;
				this.#hour.count++;
			}
		}
	}

	merge(other: MetricStats, budget: HourBudget): void {
		this.count += other.count;
		this.sum += other.sum;
		this.min = Math.min(this.min, other.min);
		this.max = Math.max(this.max, other.max);
		this.unit ??= other.unit;
		this.quantiles.merge(other.quantiles);
		this.n += other.n;
		this.sx += other.sx;
		this.sy += other.sy;
		this.sxy += other.sxy;
		this.sxx += other.sxx;
		for (const [hourKey, {sum, count}] of other.hours) {
			const hour = this.hours.get(hourKey);
			if (hour === undefined) {
				if (budget.left > 0) {
					budget.left--;
					this.hours.set(hourKey, {sum, count});
				}
			} else {
				hour.sum += sum;
				hour.count += count;
			}
		}
	}

	/** Change of the value per hour by least squares; null with fewer than two distinct times. */
	trendPerHour(): number | null {
		const denominator = (this.n * this.sxx) - (this.sx * this.sx);
		if (this.n < 2 || denominator <= 1e-9 * this.n * this.n) {
			return null;
		}

		return ((this.n * this.sxy) - (this.sx * this.sy)) / denominator;
	}

	worstHour(): {hour: string; mean: number} | null {
		let worst: {hour: string; mean: number} | null = null;
		for (const [hourKey, {sum, count}] of this.hours) {
			const mean = sum / count;
			if (worst === null || mean > worst.mean) {
				worst = {hour: formatHourKey(hourKey), mean};
			}
		}

		return worst;
	}

	/** The median, 95th and 99th percentiles: within [min, max], in that order. */
	percentiles(): {p50: number; p95: number; p99: number} {
		const [p50, p95, p99] = this.quantiles.quantiles([0.5, 0.95, 0.99]) as [number, number, number];
		return {p50, p95, p99};
	}

	report(): Record<string, unknown> {
		// Rounding to six digits keeps the order: min ≤ p50 ≤ p95 ≤ p99 ≤ max holds after it too.
		const round = (value: number | null) => value === null || !Number.isFinite(value) ? null : Number(value.toPrecision(6));
		const worst = this.worstHour();
		const {p50, p95, p99} = this.percentiles();
		return {
			count: this.count,
			min: round(this.min),
			mean: round(this.sum / this.count),
			p50: round(p50),
			p95: round(p95),
			p99: round(p99),
			max: round(this.max),
			unit: this.unit ?? null,
			exact_percentiles: this.quantiles.isExact,
			trend_per_hour: round(this.trendPerHour()),
			worst_hour: worst === null ? null : {hour: worst.hour, mean: round(worst.mean)},
		};
	}

	toPlain(): MetricStatsPlain {
		const {count, sum, min, max, unit, n, sx, sy, sxy, sxx, hours} = this;
		return {
			count, sum, min, max, unit, n, sx, sy, sxy, sxx, hours, quantiles: this.quantiles.toPlain(),
		};
	}

	static fromPlain(plain: MetricStatsPlain): MetricStats {
		const stats = Object.assign(new MetricStats(), plain, {quantiles: Quantiles.fromPlain(plain.quantiles)});
		return stats;
	}
}

export type MetricStatsPlain = {
	count: number; sum: number; min: number; max: number; unit: string | null | undefined;
	n: number; sx: number; sy: number; sxy: number; sxx: number; hours: Map<number, HourSum>;
	quantiles: QuantilesPlain;
};
