import React, {memo} from 'react';
import type {Resources} from '../../collectors/resources.js';
import type {Result} from '../../base/result.js';
import type {Levels, Thresholds} from '../../config/types.js';
import {checkResources} from '../../snapshot/checks.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {PaneFrame, contentColumns} from '../components/pane-frame.js';
import {bar} from '../components/bar.js';
import {sparkline} from '../components/sparkline.js';
import {line, type Segment} from '../components/styled.js';
import {staleness, type PaneProps} from './common.js';

export type ResourcesPaneProps = PaneProps & {
	readonly result: Result<Resources> | undefined;
	readonly thresholds: Thresholds;
	/** CPU percent, oldest first. */
	readonly cpuHistory: readonly number[];
};

const percent = (value: number) => `${value.toFixed(0).padStart(3)}%`;

export function resourcesSummary(result: Result<Resources> | undefined): string {
	if (!result?.ok) {
		return '';
	}

	const {cpu, memory, disk} = result.data;
	return `cpu ${percent(cpu.percent).trim()} mem ${percent(memory.percent).trim()} disk ${percent(disk.percent).trim()}`;
}

/** Columns a gauge's bar takes at most; it gives way to the figures after it, down to MIN_BAR_COLUMNS. */
const MAX_BAR_COLUMNS = 30;
const MIN_BAR_COLUMNS = 4;
const LABEL_COLUMNS = 8;

/**
The pane's rows, each cut to `width`: a label column of 8, then the value. A gauge's bar is as wide as its figures
leave room for, so that `memory ██░░  88% 3.5 GiB` fits 40 columns whole; `cpuHistory` (percent, oldest first) is
drawn under the CPU gauge.
*/
export function resourcesLines(resources: Resources, thresholds: Thresholds, width: number, cpuHistory: readonly number[]): string[] {
	const row = (label: string, ...value: Segment[]) => line(width, [[label.padEnd(LABEL_COLUMNS), {color: 'gray'}], ...value]);
	const gauge = (label: string, value: number, levels: Levels, figures: string) => {
		const barWidth = Math.max(MIN_BAR_COLUMNS, Math.min(MAX_BAR_COLUMNS, width - LABEL_COLUMNS - figures.length));
		return row(label, ...bar(value, barWidth, levels), figures);
	};

	const {cpu, load, memory, swap, disk} = resources;
	const peak = cpuHistory.length === 0 ? '' : ` max ${percent(Math.max(...cpuHistory)).trim()}`;
	return [
		gauge('CPU', cpu.percent, thresholds.cpuPercent, ` ${percent(cpu.percent)}`),
		row('history', [sparkline(cpuHistory, width - LABEL_COLUMNS - peak.length, {min: 0, max: 100}), {color: 'green'}], [peak, {color: 'gray'}]),
		row('cores', [sparkline(cpu.cores, width - 9, {min: 0, max: 100}), {color: 'cyan'}], [` ${cpu.cores.length}`, {color: 'gray'}]),
		row('load', load.map(value => value.toFixed(2)).join(' ')),
		gauge('memory', memory.percent, thresholds.memoryPercent, ` ${percent(memory.percent)} ${formatBytes(memory.usedBytes)}`),
		row('swap', swap.totalBytes === 0 ? 'none' : `${percent(swap.percent)} of ${formatBytes(swap.totalBytes)}`),
		gauge('disk', disk.percent, thresholds.diskPercent, ` ${percent(disk.percent)} ${formatBytes(disk.freeBytes)} free`),
		row('temp', resources.temperatureCelsius === null ? 'no sensor' : `${resources.temperatureCelsius.toFixed(1)} °C`),
		row('uptime', formatDuration(resources.uptimeSeconds)),
		row('host', resources.host),
	];
}

export const ResourcesPane = memo(({result, thresholds, cpuHistory, ...frame}: ResourcesPaneProps) => {
	const badge = result !== undefined && !result.ok ? `resources: ${result.error}` : staleness(frame);
	const status = result?.ok ? checkResources(result.data, thresholds).status : (result === undefined ? undefined : 'unknown');
	const lines = result?.ok ? resourcesLines(result.data, thresholds, contentColumns(frame.width), cpuHistory) : undefined;
	return (
		<PaneFrame {...frame} status={status} badge={badge} summary={resourcesSummary(result)} lines={lines}/>
	);
});
