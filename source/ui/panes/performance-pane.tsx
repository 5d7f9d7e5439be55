import React, {memo} from 'react';
import type {MetricSeries} from '../../feeds/metric-feed.js';
import type {Result} from '../../base/result.js';
import {convertsUnit, formatPercent, formatQuantity} from '../../text/format.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {sparkline} from '../components/sparkline.js';
import {
	cell, line, type Segment, type Style,
} from '../components/styled.js';
import {exactQuantile} from '../../logs/quantiles.js';
import {clean, staleness, type PaneProps} from './common.js';

export type PerformancePaneProps = PaneProps & {
	readonly result: Result<MetricSeries[]> | undefined;
	readonly metricIndex: number;
	readonly cpuHistory: readonly number[];
	readonly memoryHistory: readonly number[];
};

/** Content columns from which every metric gets a row of its own (name, sparkline, now, p50, p95); narrower, one at a time. */
export const METRIC_TABLE_COLUMNS = 56;
/** A metric's name column: the longest name and its gap, within these bounds. */
const NAME_COLUMNS = {min: 12, max: 32} as const;
/** A value column (`93.2 µs`, `150 frames`) and its gap, within these bounds. */
const VALUE_COLUMNS = {min: 8, max: 13} as const;
/** Rows under the metrics: CPU and memory history. */
const HISTORY_ROWS = 2;
/** The sparkline keeps at least this many columns; the name gives way first. */
const MIN_SPARKLINE_COLUMNS = 8;

/** The latest value, p50 and p95 of a metric, each in the unit it was logged with (`unit`; null: as plain numbers). */
function figures({values}: MetricSeries, unit: string | null): [now: string, p50: string, p95: string] {
	return [
		formatQuantity(values.at(-1) ?? Number.NaN, unit),
		formatQuantity(exactQuantile(values, 0.5), unit),
		formatQuantity(exactQuantile(values, 0.95), unit),
	];
}

/**
A unit the formatter only writes after the number (`frames`, not `seconds` or `bytes`): in the table it goes with the
metric's name once, so that its values stay short.
*/
function plainUnit(unit: string | null): string | null {
	return unit !== null && unit !== '' && !convertsUnit(unit) ? unit : null;
}

const wrapIndex = (index: number, count: number) => ((index % count) + count) % count;

export function selectedMetric(result: Result<MetricSeries[]> | undefined, metricIndex: number): MetricSeries | undefined {
	if (!result?.ok || result.data.length === 0) {
		return undefined;
	}

	return result.data[wrapIndex(metricIndex, result.data.length)];
}

export function performanceSummary(result: Result<MetricSeries[]> | undefined, metricIndex: number): string {
	const metric = selectedMetric(result, metricIndex);
	return metric === undefined ? '' : `${clean(metric.metric)} ${formatQuantity(metric.values.at(-1) ?? Number.NaN, metric.unit)}`;
}

/**
One metric at a time, for a narrow pane: its name and place, its sparkline, then now, p50 and p95; `[` `]` change it.
When the rows hold them (and the history under them), every metric's latest value follows, one a row, the shown one
in bold.
*/
function singleMetricLines(metrics: readonly MetricSeries[], metricIndex: number, width: number, rows: number): string[] {
	const index = wrapIndex(metricIndex, metrics.length);
	const metric = metrics[index]!;
	const [now, p50, p95] = figures(metric, metric.unit);
	const lines = [
		line(width, [[metric.metric, {bold: true} satisfies Style], [` ${index + 1}/${metrics.length}  [ ] to change`, {color: 'gray'}]]),
		line(width, [[sparkline(metric.values, width), {color: 'cyan'}]]),
		line(width, [['now ', {color: 'gray'}], now, ['  p50 ', {color: 'gray'}], p50, ['  p95 ', {color: 'gray'}], p95, [`  of last ${metric.values.length}`, {color: 'gray'}]]),
	];
	if (rows >= lines.length + metrics.length + HISTORY_ROWS) {
		const latest = metrics.map(({values, unit}) => formatQuantity(values.at(-1) ?? Number.NaN, unit));
		const valueWidth = Math.min(VALUE_COLUMNS.max, Math.max(VALUE_COLUMNS.min, ...latest.map(text => text.length + 1)));
		lines.push(...metrics.map(({metric: name}, row) => line(width, [
			cell(name, width - valueWidth, row === index ? {bold: true} : {color: 'gray'}),
			cell(latest[row]!, valueWidth, {right: true}),
		])));
	}

	return lines;
}

const SPARKLINE_INDENT = '  ';

/**
Every metric a row, as many as `rows` holds after the heading: name, sparkline, now, p50, p95. When they do not all
fit, the rows shown start so that the selected metric (`[` `]`) is among them, and the heading says which are shown.
When the rows hold every metric twice over (and the history under them), each metric's sparkline gets a row of its
own, the pane's whole width, so that the pane shows as much of each history as it has room for.
*/
function metricTableLines(metrics: readonly MetricSeries[], metricIndex: number, width: number, rows: number): string[] {
	const tall = rows >= 1 + (2 * metrics.length) + HISTORY_ROWS;
	const shown = Math.min(metrics.length, Math.max(1, rows - 1));
	const first = Math.min(wrapIndex(metricIndex, metrics.length), metrics.length - shown);
	const visible = metrics.slice(first, first + shown);
	const names = visible.map(({metric, unit}) => (plainUnit(unit) === null ? metric : `${metric} (${unit})`));
	const texts = visible.map(metric => figures(metric, plainUnit(metric.unit) === null ? metric.unit : null));
	const valueWidth = Math.min(VALUE_COLUMNS.max, Math.max(VALUE_COLUMNS.min, ...texts.flat().map(text => text.length + 1)));
	const longestName = Math.max(...names.map(name => name.length + 1));
	const nameWidth = tall
		? width - (3 * valueWidth)
		: Math.max(NAME_COLUMNS.min, Math.min(NAME_COLUMNS.max, longestName, width - (3 * valueWidth) - MIN_SPARKLINE_COLUMNS));
	const sparkWidth = tall ? 0 : Math.max(2, width - nameWidth - (3 * valueWidth));
	const gray = {color: 'gray'} satisfies Style;
	const place = shown < metrics.length ? `${first + 1}–${first + shown}/${metrics.length} [ ]` : 'metric';
	const longestSeries = Math.max(...visible.map(metric => metric.values.length));
	const heading: Segment[] = [
		cell(tall ? `${place}, last ${longestSeries} each` : place, nameWidth, gray),
		...(tall ? [] : [cell(`last ${longestSeries}`.length < sparkWidth ? `last ${longestSeries}` : 'trend', sparkWidth, gray)]),
		...['now', 'p50', 'p95'].map(name => cell(name, valueWidth, {...gray, right: true})),
	];
	return [
		line(width, heading),
		...visible.flatMap((metric, index) => {
			const figureRow = line(width, [
				cell(names[index]!, nameWidth, {bold: true}),
				...(tall ? [] : [cell(sparkline(metric.values, sparkWidth - 1), sparkWidth, {color: 'cyan'})]),
				...texts[index]!.map(text => cell(text, valueWidth, {right: true})),
			]);
			return tall ? [figureRow, line(width, [SPARKLINE_INDENT, [sparkline(metric.values, width - SPARKLINE_INDENT.length), {color: 'cyan'}]])] : [figureRow];
		}),
	];
}

/** A percentage's history: label, sparkline from 0 to 100, the latest value. */
function historyLine(label: string, history: readonly number[], color: 'green' | 'yellow', width: number): string {
	return line(width, [
		[label.padEnd(8), {color: 'gray'}],
		[sparkline(history, Math.max(0, width - 16), {min: 0, max: 100}), {color}],
		` ${formatPercent(history.at(-1))}`,
	]);
}

export const PerformancePane = memo(({result, metricIndex, cpuHistory, memoryHistory, ...frame}: PerformancePaneProps) => {
	const badge = result !== undefined && !result.ok ? `performance.log: ${result.error}` : staleness(frame);
	const width = contentColumns(frame.width);
	const metrics = result?.ok ? result.data : [];
	let lines: string[];
	if (metrics.length === 0) {
		lines = [line(width, [[result?.ok ? 'no PERF records in performance.log' : '', {color: 'gray'}]])];
	} else if (width >= METRIC_TABLE_COLUMNS) {
		lines = metricTableLines(metrics, metricIndex, width, contentRows(frame.height));
	} else {
		lines = singleMetricLines(metrics, metricIndex, width, contentRows(frame.height));
	}

	lines.push(historyLine('cpu', cpuHistory, 'green', width), historyLine('memory', memoryHistory, 'yellow', width));
	return (
		<PaneFrame {...frame} badge={badge} summary={performanceSummary(result, metricIndex)} lines={lines}/>
	);
});
