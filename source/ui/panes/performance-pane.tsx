import React from 'react';
import {Box, Text} from 'ink';
import type {MetricSeries} from '../../feeds/metric-feed.js';
import type {Result} from '../../collectors/result.js';
import {PaneFrame, contentColumns} from '../components/pane-frame.js';
import {sparkline} from '../components/sparkline.js';
import {exactQuantile} from '../../logs/quantiles.js';
import {clean, staleness, type PaneProps} from './common.js';

export type PerformancePaneProps = PaneProps & {
	result: Result<MetricSeries[]> | undefined;
	metricIndex: number;
	cpuHistory: readonly number[];
	memoryHistory: readonly number[];
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

export function PerformancePane({result, metricIndex, cpuHistory, memoryHistory, ...frame}: PerformancePaneProps) {
	const badge = result !== undefined && !result.ok ? `performance.log: ${result.error}` : staleness(frame);
	const metric = selectedMetric(result, metricIndex);
	const width = contentColumns(frame.width);
	const count = result?.ok ? result.data.length : 0;
	return (
		<PaneFrame {...frame} title='Performance' badge={badge} summary={performanceSummary(result, metricIndex)}>
			{metric === undefined ? (
				<Text color='gray'>{result?.ok ? 'no PERF records in performance.log' : ''}</Text>
			) : (
				<>
					<Box height={1} flexShrink={0}>
						<Text wrap='truncate-end'><Text bold>{clean(metric.metric)}</Text><Text color='gray'> {((metricIndex % count) + count) % count + 1}/{count}  [ ] to change{metric.unit === null ? '' : `  ${clean(metric.unit)}`}</Text></Text>
					</Box>
					<Box height={1} flexShrink={0}><Text color='cyan'>{sparkline(metric.values, width)}</Text></Box>
					<Box height={1} flexShrink={0}>
						<Text wrap='truncate-end'>
							<Text color='gray'>now </Text>{short(metric.values.at(-1) ?? Number.NaN)}
							<Text color='gray'>  p50 </Text>{short(exactQuantile(metric.values, 0.5))}
							<Text color='gray'>  p95 </Text>{short(exactQuantile(metric.values, 0.95))}
							<Text color='gray'>  of last {metric.values.length}</Text>
						</Text>
					</Box>
				</>
			)}
			<Box height={1} flexShrink={0}><Box width={8} flexShrink={0}><Text color='gray'>cpu</Text></Box><Text color='green'>{sparkline(cpuHistory, Math.max(0, width - 14), {min: 0, max: 100})}</Text><Text> {short(cpuHistory.at(-1) ?? Number.NaN)}%</Text></Box>
			<Box height={1} flexShrink={0}><Box width={8} flexShrink={0}><Text color='gray'>memory</Text></Box><Text color='yellow'>{sparkline(memoryHistory, Math.max(0, width - 14), {min: 0, max: 100})}</Text><Text> {short(memoryHistory.at(-1) ?? Number.NaN)}%</Text></Box>
		</PaneFrame>
	);
}
