import React, {memo} from 'react';
import type {MetricSeries} from '../../feeds/metric-feed.js';
import type {Result} from '../../base/result.js';
import {PaneFrame, contentColumns} from '../components/pane-frame.js';
import {sparkline} from '../components/sparkline.js';
import {line, type Style} from '../components/styled.js';
import {exactQuantile} from '../../logs/quantiles.js';
import {clean, staleness, type PaneProps} from './common.js';

export type PerformancePaneProps = PaneProps & {
	readonly result: Result<MetricSeries[]> | undefined;
	readonly metricIndex: number;
	readonly cpuHistory: readonly number[];
	readonly memoryHistory: readonly number[];
};

const short = (value: number) => (Number.isFinite(value) ? String(Number(value.toPrecision(3))) : '—');

export function selectedMetric(result: Result<MetricSeries[]> | undefined, metricIndex: number): MetricSeries | undefined {
	if (!result?.ok || result.data.length === 0) {
		return undefined;
	}

	const count = result.data.length;
	return result.data[((metricIndex % count) + count) % count];
}

export function performanceSummary(result: Result<MetricSeries[]> | undefined, metricIndex: number): string {
	const metric = selectedMetric(result, metricIndex);
	return metric === undefined ? '' : `${clean(metric.metric)} ${short(metric.values.at(-1) ?? Number.NaN)}${metric.unit === 'seconds' ? ' s' : ''}`;
}

export const PerformancePane = memo(({result, metricIndex, cpuHistory, memoryHistory, ...frame}: PerformancePaneProps) => {
	const badge = result !== undefined && !result.ok ? `performance.log: ${result.error}` : staleness(frame);
	const metric = selectedMetric(result, metricIndex);
	const width = contentColumns(frame.width);
	const count = result?.ok ? result.data.length : 0;
	const lines = metric === undefined
		? [line(width, [[result?.ok ? 'no PERF records in performance.log' : '', {color: 'gray'}]])]
		: [
			line(width, [
				[metric.metric, {bold: true} satisfies Style],
				[` ${(((metricIndex % count) + count) % count) + 1}/${count}  [ ] to change${metric.unit === null ? '' : `  ${metric.unit}`}`, {color: 'gray'}],
			]),
			line(width, [[sparkline(metric.values, width), {color: 'cyan'}]]),
			line(width, [
				['now ', {color: 'gray'}],
				short(metric.values.at(-1) ?? Number.NaN),
				['  p50 ', {color: 'gray'}],
				short(exactQuantile(metric.values, 0.5)),
				['  p95 ', {color: 'gray'}],
				short(exactQuantile(metric.values, 0.95)),
				[`  of last ${metric.values.length}`, {color: 'gray'}],
			]),
		];
	lines.push(
		line(width, [
			['cpu'.padEnd(8), {color: 'gray'}],
			[sparkline(cpuHistory, Math.max(0, width - 14), {min: 0, max: 100}), {color: 'green'}],
			` ${short(cpuHistory.at(-1) ?? Number.NaN)}%`,
		]),
		line(width, [
			['memory'.padEnd(8), {color: 'gray'}],
			[sparkline(memoryHistory, Math.max(0, width - 14), {min: 0, max: 100}), {color: 'yellow'}],
			` ${short(memoryHistory.at(-1) ?? Number.NaN)}%`,
		]),
	);
	return (
		<PaneFrame {...frame} badge={badge} summary={performanceSummary(result, metricIndex)} lines={lines}/>
	);
});
