import {readLinesBackwards} from '../logs/read-lines-backwards.js';
import {parseRecordHeader} from '../logs/record-header.js';
import {createPerfScratch, readConnection, readIssue, readPerf} from '../logs/payload.js';
import {describeError, fail, ok, type Result} from './result.js';

/** How far back from the end of a log the live views look, bytes. */
const TAIL_BYTES = 1024 * 1024;
const MAX_LINE_BYTES = 8192;

export type ServiceState = {service: string; status: boolean; time: number; changes: number};
export type IssueCount = {issueType: string; count: number; first: number; last: number};

export type RecentEvents = {
	/** Latest CONNECTION state per service, most recent first. */
	services: ServiceState[];
	/** ISSUE records by type in the part of the log read, most frequent first. */
	issues: IssueCount[];
	/** The time span the counts cover, epoch ms [first, last] record; undefined for an empty log. */
	span: [number, number] | undefined;
};

/**
CONNECTION and ISSUE records from the last TAIL_BYTES of the main log: the live panes' view of cameras, services and
issues until the tail-follower (a later issue) feeds them line by line.
*/
export async function collectRecentEvents(file: string): Promise<Result<RecentEvents>> {
	const services = new Map<string, ServiceState>();
	/** Per service, the status of the event read just before (that is, the next one in time). */
	const later = new Map<string, boolean>();
	const issues = new Map<string, IssueCount>();
	let first = Number.POSITIVE_INFINITY;
	let last = Number.NEGATIVE_INFINITY;
	try {
		for await (const {text} of readLinesBackwards(file, {maxLineBytes: MAX_LINE_BYTES, maxBytes: TAIL_BYTES})) {
			// Most lines are plain messages: a substring test spares them the header parse.
			const header = text.includes('CONNECTION: ') || text.includes('ISSUE: ') ? parseRecordHeader(text) : undefined;
			if (header === undefined || Number.isNaN(header.time)) {
				continue;
			}

			first = Math.min(first, header.time);
			last = Math.max(last, header.time);
			if (header.message.startsWith('CONNECTION: ')) {
				const bytes = Buffer.from(header.message.slice('CONNECTION: '.length));
				const event = readConnection(bytes, 0, bytes.length);
				if (event !== undefined) {
					// Read backwards: the first event met is the latest; older ones only count the changes.
					const known = services.get(event.service);
					if (known === undefined) {
						if (services.size < 200) {
							services.set(event.service, {service: event.service, status: event.status, time: header.time, changes: 0});
						}
					} else if (later.get(event.service) !== event.status) {
						known.changes++;
					}

					later.set(event.service, event.status);
				}
			} else if (header.message.startsWith('ISSUE: ')) {
				const bytes = Buffer.from(header.message.slice('ISSUE: '.length));
				const event = readIssue(bytes, 0, bytes.length);
				if (event !== undefined) {
					const count = issues.get(event.issueType) ?? {issueType: event.issueType, count: 0, first: header.time, last: header.time};
					count.count++;
					count.first = Math.min(count.first, header.time);
					count.last = Math.max(count.last, header.time);
					issues.set(event.issueType, count);
				}
			}
		}
	} catch (error) {
		return fail(describeError(error));
	}

	return ok({
		services: [...services.values()].sort((a, b) => b.time - a.time),
		issues: [...issues.values()].sort((a, b) => b.count - a.count || a.issueType.localeCompare(b.issueType)),
		span: Number.isFinite(first) ? [first, last] : undefined,
	});
}

export type MetricSeries = {metric: string; unit: string | null; values: number[]; last: number};

/**
The last `perMetric` values of each PERF metric in the last TAIL_BYTES of performance.log, oldest first;
`system_health` fields as `system_health.cpu_percent` and so on.
*/
export async function collectRecentMetrics(file: string, perMetric: number): Promise<Result<MetricSeries[]>> {
	const series = new Map<string, MetricSeries>();
	const scratch = createPerfScratch();
	const add = (metric: string, unit: string | null, value: number, time: number) => {
		let entry = series.get(metric);
		if (entry === undefined) {
			if (series.size >= 200) {
				return;
			}

			entry = {metric, unit, values: [], last: time};
			series.set(metric, entry);
		}

		if (entry.values.length < perMetric) {
			entry.values.push(value);
		}
	};

	try {
		for await (const {text} of readLinesBackwards(file, {maxLineBytes: MAX_LINE_BYTES, maxBytes: TAIL_BYTES})) {
			const header = text.includes(' - PERF: ') ? parseRecordHeader(text) : undefined;
			if (header === undefined || !header.message.startsWith('PERF: ')) {
				continue;
			}

			const bytes = Buffer.from(header.message.slice('PERF: '.length));
			const event = readPerf(bytes, 0, bytes.length, scratch);
			if (event === undefined) {
				continue;
			}

			if (event === scratch) {
				const metric = bytes.toString('utf8', scratch.metricStart, scratch.metricEnd);
				const unit = scratch.unitEnd > scratch.unitStart ? bytes.toString('utf8', scratch.unitStart, scratch.unitEnd) : null;
				add(metric, unit, scratch.value, header.time);
			} else if ('metric' in event) {
				if (typeof event.value === 'number') {
					add(event.metric, event.unit, event.value, header.time);
				} else {
					for (const [field, value] of Object.entries(event.value)) {
						add(`${event.metric}.${field}`, event.unit ?? (field.endsWith('_percent') ? '%' : null), value, header.time);
					}
				}
			}
		}
	} catch (error) {
		return fail(describeError(error));
	}

	// Read backwards: reverse to oldest first.
	return ok([...series.values()].map(entry => ({...entry, values: entry.values.reverse()})).sort((a, b) => a.metric.localeCompare(b.metric)));
}
