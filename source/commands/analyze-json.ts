import {formatHourKey, formatLogTime, LEVELS} from '../logs/line-header.js';
import {downtimeSeconds} from '../logs/connection-timeline.js';
import type {AnalyzeResult, LogAnalysis} from '../logs/analyze.js';
import {FIELD, type Counted} from '../logs/log-summary.js';

function time(value: number): string | null {
	return Number.isFinite(value) ? formatLogTime(value) : null;
}

function byCount<T extends {count: number}>(entries: Iterable<[string, T]>): Array<[string, T]> {
	return [...entries].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
}

function counted({count, first, last}: Counted): Record<string, unknown> {
	return {count, first_seen: time(first), last_seen: time(last)};
}

/**
One log's analysis in the seed's shape: records, levels, error_types, issue_types, connections, hourly_activity,
performance. Timestamps are written as the logs write them (local time, `2024-01-15 10:30:15,123`).
*/
export function logJson({source, summary, problems}: LogAnalysis, window: AnalyzeResult['window']): Record<string, unknown> {
	const hours = [...summary.hourly.entries()].sort((a, b) => a[0] - b[0]);
	// Object.fromEntries defines own properties: a metric named `__proto__` is a key like any other.
	const performance: Array<[string, unknown]> = [];
	const fields = new Map<string, Array<[string, unknown]>>();
	for (const [name, stats] of [...summary.metrics.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
		const [metric, field] = name.split(FIELD);
		if (field === undefined) {
			performance.push([metric!, stats.report()]);
		} else {
			let list = fields.get(metric!);
			if (list === undefined) {
				list = [];
				fields.set(metric!, list);
				performance.push([metric!, list]);
			}

			list.push([field, stats.report()]);
		}
	}

	return {
		files: source.files,
		...(problems.length === 0 ? {} : {problems}),
		window: windowJson(window),
		lines: summary.lines,
		records: summary.records,
		unparsed: summary.unparsed,
		invalid: summary.invalid,
		continuation_lines: summary.continuation,
		outside_window: summary.outsideWindow,
		first_timestamp: time(summary.first),
		last_timestamp: time(summary.last),
		levels: Object.fromEntries(LEVELS.map((level, code) => [level, summary.levels[code]!]).filter(([, count]) => count !== 0)),
		error_types: Object.fromEntries(byCount(summary.errorTypes.entries()).map(([key, type]) => [key, {...counted(type), example: type.example, exception: type.exception}])),
		issue_types: Object.fromEntries(byCount(summary.issueTypes.entries()).map(([key, type]) => [key, counted(type)])),
		connections: Object.fromEntries([...summary.connections.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([service, timeline]) => [service, {
			up: timeline.up,
			down: timeline.down,
			transitions: timeline.transitions,
			downtime_seconds: Math.round(downtimeSeconds(timeline, summary.last) * 1000) / 1000,
			last_status: timeline.lastStatus,
			last_change: time(timeline.lastTime),
		}])),
		hourly_activity: Object.fromEntries(hours.map(([hourKey, {records}]) => [formatHourKey(hourKey), records])),
		hourly_errors: Object.fromEntries(hours.map(([hourKey, {errors}]) => [formatHourKey(hourKey), errors])),
		hourly_warnings: Object.fromEntries(hours.map(([hourKey, {warnings}]) => [formatHourKey(hourKey), warnings])),
		performance: Object.fromEntries(performance.map(([metric, value]) => [metric, Array.isArray(value) ? Object.fromEntries(value as Array<[string, unknown]>) : value])),
		...(summary.overLimit.services + summary.overLimit.metrics === 0 ? {} : {over_limit: {service_events: summary.overLimit.services, metric_values: summary.overLimit.metrics}}),
	};
}

/** `analyze --json`: keyed by each log's path as given, so `jq '."logs/errors.log".error_types'` works. */
export function analyzeJson(result: AnalyzeResult): Record<string, unknown> {
	return Object.fromEntries(result.logs.map(log => [log.source.key, logJson(log, result.window)]));
}

function windowJson(window: AnalyzeResult['window']): Record<string, unknown> | null {
	return window === undefined
		? null
		: {
			hours: window.hours, start: formatLogTime(window.start), end: formatLogTime(window.end), ends_at: 'the newest record in the files',
		};
}

/** `analyze --recent-errors --json`: the last ERROR records, oldest first. */
export function recentErrorsJson(result: AnalyzeResult): Record<string, unknown> {
	return {
		window: windowJson(result.window),
		recent_errors: result.logs.flatMap(log => log.summary.recent.map(record => ({
			file: log.source.key, timestamp: time(record.time), level: record.level, message: record.message, traceback: record.traceback,
		})))
			.sort((a, b) => (a.timestamp ?? '').localeCompare(b.timestamp ?? '')),
	};
}
