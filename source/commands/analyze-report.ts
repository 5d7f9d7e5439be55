import path from 'node:path';
import stringWidth from 'string-width';
import {formatHourKey, formatLogTime, LEVELS} from '../logs/line-header.js';
import {downtimeSeconds} from '../logs/connection-timeline.js';
import type {AnalyzeResult, LogAnalysis} from '../logs/analyze.js';
import {FIELD, type HourCounts} from '../logs/log-summary.js';
import type {MetricStats} from '../logs/metric-stats.js';
import {formatDuration, formatQuantity} from '../text/format.js';
import {
	cleanLine, padEndWidth, padStartWidth, truncate,
} from '../text/sanitize.js';
import type {Paint} from '../text/colors.js';

const WIDTH = 80;
const TOP = 10;
const HISTOGRAM_HOURS = 24;
const BAR_WIDTH = 30;
/** A performance cell (`29.9 ms`, `215 KiB`, `10.1 fps`) is cut past this many columns: a unit can be any text. */
const CELL_WIDTH = 10;
/** Metric names are cut to leave the numbers room, to no fewer columns than this (which 80 columns always leave). */
const MIN_NAME_WIDTH = 16;

const count = (value: number) => value.toLocaleString('en-US');
const formatHours = (hours: number) => String(Number(hours.toPrecision(4)));
const clean = cleanLine;
const time = (value: number) => Number.isFinite(value) ? formatLogTime(value).slice(0, 19) : '—';

/**
`camtop analyze` for people: per log, at most 80 columns, the hourly activity as a small histogram.
*/
export function analyzeReport(result: AnalyzeResult, paint: Paint): string {
	const lines: string[] = [];
	if (result.window !== undefined) {
		lines.push(paint.dim(truncate(`Window: the last ${formatHours(result.window.hours)} h before the newest record in the files (${time(result.window.end)})`, WIDTH)), '');
	}

	for (const log of result.logs) {
		lines.push(...logReport(log, paint), '');
	}

	return `${lines.join('\n').trimEnd()}\n`;
}

function section(paint: Paint, title: string): string {
	return `  ${paint.bold(title)}`;
}

function logReport({source, summary, problems}: LogAnalysis, paint: Paint): string[] {
	const rotated = source.files.length > 1 ? ` (+${source.files.length - 1} rotated)` : '';
	const lines = [paint.bold(clean(`${source.key}${rotated}`, WIDTH))];
	for (const problem of problems) {
		lines.push(`  ${paint.status('warning', clean(problem, WIDTH - 2))}`);
	}

	lines.push(truncate(`  ${count(summary.records)} records · ${count(summary.unparsed)} unparsed · ${count(summary.invalid)} invalid`
		+ (summary.outsideWindow > 0 ? ` · ${count(summary.outsideWindow)} outside the window` : ''), WIDTH));
	if (summary.records === 0) {
		return lines;
	}

	lines.push(`  ${time(summary.first)} → ${time(summary.last)}`);
	const levels = LEVELS.map((level, code) => [level, summary.levels[code]!] as const).filter(([, value]) => value > 0);
	if (levels.length > 0) {
		lines.push(truncate(`  ${levels.map(([level, value]) => `${level} ${count(value)}`).join(' · ')}`, WIDTH));
	}

	if (summary.errorTypes.size > 0) {
		lines.push(section(paint, `Error types (${summary.errorTypes.size})`));
		for (const [key, type] of [...summary.errorTypes.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, TOP)) {
			lines.push(`  ${count(type.count).padStart(9)}  ${padEndWidth(clean(key, 44), 45)}${paint.dim(`last ${time(type.last).slice(5, 16)}`)}`);
		}
	}

	if (summary.issueTypes.size > 0) {
		lines.push(section(paint, 'Issue types'));
		for (const [key, type] of [...summary.issueTypes.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, TOP)) {
			lines.push(`  ${count(type.count).padStart(9)}  ${padEndWidth(clean(key, 44), 45)}${paint.dim(`last ${time(type.last).slice(5, 16)}`)}`);
		}
	}

	if (summary.connections.size > 0) {
		lines.push(section(paint, 'Connections'));
		for (const [service, timeline] of [...summary.connections.entries()].slice(0, TOP)) {
			const now = timeline.lastStatus ? paint.status('ok', 'up') : paint.status('critical', 'DOWN');
			const downtime = formatDuration(downtimeSeconds(timeline, summary.last));
			lines.push(truncate(`    ${padEndWidth(clean(service, 16), 17)}${count(timeline.transitions).padStart(6)} changes · down ${downtime} in all · now `, WIDTH - 4) + now);
		}
	}

	lines.push(...performanceTable(summary.metrics, paint), ...histogram(summary.hourly, paint));
	return lines;
}

/**
Each metric's count and percentiles in the unit it was logged with (`29.9 ms`, `215 KiB`, `57.7 %`): the columns as
wide as their widest cell, right-aligned, the names given what is left of the 80 columns.
*/
function performanceTable(metrics: Map<string, MetricStats>, paint: Paint): string[] {
	if (metrics.size === 0) {
		return [];
	}

	const labels = ['p50', 'p95', 'p99', 'max'];
	const rows = [...metrics.entries()].sort((a, b) => a[0].localeCompare(b[0])).slice(0, 3 * TOP).map(([name, stats]) => {
		const {p50, p95, p99} = stats.percentiles();
		return {
			name: name.replace(FIELD, '.'),
			count: compact(stats.count),
			cells: [p50, p95, p99, stats.max].map(value => clean(formatQuantity(value, stats.unit ?? null), CELL_WIDTH)),
		};
	});
	const countWidth = Math.max('count'.length, ...rows.map(row => row.count.length));
	const cellWidth = Math.max(...labels.map(label => label.length), ...rows.flatMap(row => row.cells.map(cell => stringWidth(cell))));
	// Two spaces before each number column, four before a name.
	const nameWidth = Math.max(MIN_NAME_WIDTH, WIDTH - 4 - countWidth - (labels.length * (cellWidth + 2)));
	const columns = (count: string, cells: string[]) => padStartWidth(count, countWidth) + cells.map(cell => `  ${padStartWidth(cell, cellWidth)}`).join('');
	return [
		`  ${paint.bold(padEndWidth('Performance', nameWidth + 2))}${columns('count', labels)}`,
		...rows.map(row => `    ${padEndWidth(clean(row.name, nameWidth - 1), nameWidth)}${columns(row.count, row.cells)}`),
	];
}

/** A count in at most 7 characters: 1,234,567 → 1.23M. */
function compact(value: number): string {
	return value < 1e6 ? count(value) : `${(value / 1e6).toPrecision(3)}M`;
}

function histogram(hourly: Map<number, HourCounts>, paint: Paint): string[] {
	const hours = [...hourly.entries()].sort((a, b) => a[0] - b[0]).slice(-HISTOGRAM_HOURS);
	if (hours.length === 0) {
		return [];
	}

	const most = Math.max(...hours.map(([, {records}]) => records));
	const lines = [section(paint, `Hourly activity${hourly.size > HISTOGRAM_HOURS ? ` (last ${HISTOGRAM_HOURS} of ${hourly.size} hours)` : ''}`)];
	for (const [hourKey, {records, errors, warnings}] of hours) {
		const bar = '█'.repeat(Math.max(records > 0 ? 1 : 0, Math.round((records / most) * BAR_WIDTH)));
		const problems = [
			errors > 0 ? paint.status('critical', `E ${count(errors)}`) : '',
			warnings > 0 ? paint.status('warning', `W ${count(warnings)}`) : '',
		].filter(Boolean).join(' ');
		lines.push(`    ${formatHourKey(hourKey)} ${bar.padEnd(BAR_WIDTH)} ${count(records).padStart(9)} ${problems}`);
	}

	return lines;
}

/** `analyze --recent-errors` for people: the last ERROR records, oldest first, each traceback folded to its last line. */
export function recentErrorsReport(result: AnalyzeResult, paint: Paint): string {
	const records = result.logs.flatMap(log => log.summary.recent.map(record => ({...record, file: path.basename(log.source.key)})))
		.sort((a, b) => a.time - b.time);
	const lines: string[] = [];
	if (result.window !== undefined) {
		lines.push(paint.dim(truncate(`Errors of the last ${formatHours(result.window.hours)} h before the newest record (${time(result.window.end)})`, WIDTH)));
	}

	if (records.length === 0) {
		lines.push('No errors.');
	}

	for (const record of records) {
		lines.push(`${paint.dim(time(record.time))} ${paint.status(record.level === 'CRITICAL' ? 'critical' : 'warning', record.level)} ${clean(record.message, WIDTH - 30)}`);
		const last = record.traceback.at(-1);
		if (last !== undefined) {
			lines.push(`    ${paint.dim(clean(last.trim(), WIDTH - 4))}`);
		}
	}

	return `${lines.join('\n')}\n`;
}
