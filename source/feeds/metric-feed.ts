import {createPerfScratch, readPerf} from '../logs/payload.js';
import {PERF_PREFIX} from '../logs/perf-record.js';
import type {RecordHeader} from '../logs/record-header.js';
import type {Result} from '../base/result.js';
import {RingBuffer} from '../base/ring-buffer.js';
import {LogFeed} from './log-feed.js';

export type MetricSeries = {metric: string; unit: string | null; values: number[]; last: number};

/** Metrics kept: a log full of invented names must not grow the model. */
const MAX_METRICS = 200;
const BACKFILL_BYTES = 1024 * 1024;

type Series = {metric: string; unit: string | null; values: RingBuffer<number>; last: number};

/**
The last `perMetric` values of each PERF metric of performance.log, live; `system_health` fields as
`system_health.cpu_percent` and so on.
*/
export class MetricFeed {
	readonly feed: LogFeed;
	readonly #series = new Map<string, Series>();
	readonly #perMetric: number;
	readonly #scratch = createPerfScratch();
	#cache: MetricSeries[] | undefined;

	constructor(file: string, perMetric: number, {pollMs}: {pollMs?: number} = {}) {
		this.#perMetric = perMetric;
		this.feed = new LogFeed(file, {
			record: header => this.#record(header),
			// PERF records are one line.
			continuation: () => false,
		}, {
			backfillRecords: Number.MAX_SAFE_INTEGER, backfillBytes: BACKFILL_BYTES, notifyMs: 1000, pollMs,
		});
	}

	/** By metric name, values oldest first. */
	current(): Result<MetricSeries[]> {
		this.#cache ??= [...this.#series.values()]
			.map(({metric, unit, values, last}) => ({
				metric, unit, values: values.toArray(), last,
			}))
			.sort((a, b) => a.metric.localeCompare(b.metric));
		return this.feed.result(this.#cache);
	}

	/** Whether it added a value. */
	#record(header: RecordHeader): boolean {
		if (!header.message.startsWith(PERF_PREFIX)) {
			return false;
		}

		const bytes = Buffer.from(header.message.slice(PERF_PREFIX.length));
		const scratch = this.#scratch;
		const event = readPerf(bytes, 0, bytes.length, scratch);
		if (event === undefined) {
			return false;
		}

		if (event === scratch) {
			const unit = scratch.unitEnd > scratch.unitStart ? bytes.toString('utf8', scratch.unitStart, scratch.unitEnd) : null;
			this.#add(bytes.toString('utf8', scratch.metricStart, scratch.metricEnd), unit, scratch.value, header.time);
		} else if ('metric' in event) {
			if (typeof event.value === 'number') {
				this.#add(event.metric, event.unit, event.value, header.time);
			} else {
				for (const [field, value] of Object.entries(event.value)) {
					this.#add(`${event.metric}.${field}`, event.unit ?? (field.endsWith('_percent') ? '%' : null), value, header.time);
				}
			}
		}

		return true;
	}

	#add(metric: string, unit: string | null, value: number, time: number): void {
		let series = this.#series.get(metric);
		if (series === undefined) {
			if (this.#series.size >= MAX_METRICS) {
				return;
			}

			series = {
				metric, unit, values: new RingBuffer(this.#perMetric), last: time,
			};
			this.#series.set(metric, series);
		}

		this.#cache = undefined;
		series.values.push(value);
		series.last = time;
		// The newest record's unit goes with the newest value.
		series.unit = unit;
	}
}
