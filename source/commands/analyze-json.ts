import {formatHourKey, formatLogTime, LEVELS} from '../logs/line-header.js';
import {downtimeSeconds} from '../logs/connection-timeline.js';
import type {AnalyzeResult, LogAnalysis} from '../logs/analyze.js';
import type {Counted} from '../logs/log-summary.js';

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
export function logJson({source, summary, error}: LogAnalysis, window: AnalyzeResult['window']): Record<string, unknown> {
	const hours = [...summary.hourly.entries()].sort((a, b) => a[0] - b[0]);
	const performance: Record<string, unknown> = {};
	for (const [name, stats] of [...summary.metrics.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
		// system_health.cpu_percent → performance.system_health.cpu_percent
		const dot = name.indexOf('.');
		if (dot === -1) {
			performance[name] = stats.report();
		} else {
			const parent = (performance[name.slice(0, dot)] ??= {}) as Record<string, unknown>;
			parent[name.slice(dot + 1)] = stats.report();
		}
	}

	return {
		files: source.files,
		...(error === undefined ? {} : {error}),
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
		hourly_activity: Object.fromEntries(hours.map(([hourKey, counts]) => [formatHourKey(hourKey), counts[0]])),
		hourly_errors: Object.fromEntries(hours.map(([hourKey, counts]) => [formatHourKey(hourKey), counts[1]])),
		hourly_warnings: Object.fromEntries(hours.map(([hourKey, counts]) => [formatHourKey(hourKey), counts[2]])),
		performance,
	};
}

/** `analyze --json`: keyed by each log's path as given, so `jq '."logs/errors.log".error_types'` works. */
export function analyzeJson(result: AnalyzeResult): Record<string, unknown> {
	return Object.fromEntries(result.logs.map(log => [log.source.key, logJson(log, result.window)]));
}

function windowJson(window: AnalyzeResult['window']): Record<string, unknown> | null {
	return window === undefined ? null : {hours: window.hours, start: formatLogTime(window.start), end: formatLogTime(window.end), ends_at: 'the newest record in the files'};
}

/** `analyze --recent-errors --json`: the last ERROR records, oldest first. */
export function recentErrorsJson(result: AnalyzeResult): Record<string, unknown> {
	return {
		window: windowJson(result.window),
		recent_errors: result.logs.flatMap(log => log.summary.recent.map(record => ({file: log.source.key, timestamp: time(record.time), level: record.level, message: record.message, traceback: record.traceback})))
			.sort((a, b) => (a.timestamp ?? '').localeCompare(b.timestamp ?? '')),
	};
}
