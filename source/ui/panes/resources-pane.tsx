import React, {memo} from 'react';
import type {Resources} from '../../collectors/resources.js';
import type {Result} from '../../base/result.js';
import type {Levels, Thresholds} from '../../config/types.js';
import {checkResources} from '../../snapshot/checks.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
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
/** A gauge's longer figures (`of 4.0 GiB`) are shown when they leave its bar at least this many columns. */
const LONG_FIGURES_BAR_COLUMNS = 12;
const LABEL_COLUMNS = 8;
/** The rows resourcesLines gives with the cores as one sparkline row. */
const BASE_ROWS = 10;

export type ResourcesView = {
	readonly thresholds: Thresholds;
	/** Content columns and rows. */
	readonly width: number;
	readonly rows: number;
	/** CPU percent, oldest first. */
	readonly cpuHistory: readonly number[];
};

/**
The pane's rows, each cut to `width`: a label column of 8, then the value. A gauge's bar is as wide as its figures
leave room for, so that `memory ██░░  88% 3.5 GiB` fits 40 columns whole, and its figures say more (`of 4.0 GiB`) where
the bar keeps its room with them; the CPU history is drawn under the CPU gauge; the cores are a sparkline, or a gauge
each when the rows hold them.
*/
export function resourcesLines(resources: Resources, {thresholds, width, rows, cpuHistory}: ResourcesView): string[] {
	const row = (label: string, ...value: Segment[]) => line(width, [[label.padEnd(LABEL_COLUMNS), {color: 'gray'}], ...value]);
	const gauge = (label: string, value: number, levels: Levels, [figures, longFigures = figures]: readonly [string, string?]) => {
		const shown = width - LABEL_COLUMNS - longFigures.length >= LONG_FIGURES_BAR_COLUMNS ? longFigures : figures;
		const barWidth = Math.max(MIN_BAR_COLUMNS, Math.min(MAX_BAR_COLUMNS, width - LABEL_COLUMNS - shown.length));
		return row(label, ...bar(value, barWidth, levels), shown);
	};

	const {cpu, load, memory, swap, disk} = resources;
	const peak = cpuHistory.length === 0 ? '' : ` max ${percent(Math.max(...cpuHistory)).trim()}`;
	const memoryFigures = ` ${percent(memory.percent)} ${formatBytes(memory.usedBytes)}`;
	const diskFigures = ` ${percent(disk.percent)} ${formatBytes(disk.freeBytes)} free`;
	const cores = rows >= BASE_ROWS - 1 + cpu.cores.length
		? cpu.cores.map((core, index) => gauge(`core ${index}`, core, thresholds.cpuPercent, [` ${percent(core)}`]))
		: [row('cores', [sparkline(cpu.cores, width - 9, {min: 0, max: 100}), {color: 'cyan'}], [` ${cpu.cores.length}`, {color: 'gray'}])];
	return [
		gauge('CPU', cpu.percent, thresholds.cpuPercent, [` ${percent(cpu.percent)}`]),
		row('history', [sparkline(cpuHistory, width - LABEL_COLUMNS - peak.length, {min: 0, max: 100}), {color: 'green'}], [peak, {color: 'gray'}]),
		...cores,
		row('load', load.map(value => value.toFixed(2)).join(' ')),
		gauge('memory', memory.percent, thresholds.memoryPercent, [memoryFigures, `${memoryFigures} of ${formatBytes(memory.totalBytes)}`]),
		row('swap', swap.totalBytes === 0 ? 'none' : `${percent(swap.percent)} of ${formatBytes(swap.totalBytes)}`),
		gauge('disk', disk.percent, thresholds.diskPercent, [diskFigures, `${diskFigures} of ${formatBytes(disk.totalBytes)}`]),
		row('temp', resources.temperatureCelsius === null ? 'no sensor' : `${resources.temperatureCelsius.toFixed(1)} °C`),
		row('uptime', formatDuration(resources.uptimeSeconds)),
		row('host', resources.host),
	];
}

export const ResourcesPane = memo(({result, thresholds, cpuHistory, ...frame}: ResourcesPaneProps) => {
	const badge = result !== undefined && !result.ok ? `resources: ${result.error}` : staleness(frame);
	const status = result?.ok ? checkResources(result.data, thresholds).status : (result === undefined ? undefined : 'unknown');
	const view = {
		thresholds, width: contentColumns(frame.width), rows: contentRows(frame.height), cpuHistory,
	};
	const lines = result?.ok ? resourcesLines(result.data, view) : undefined;
	return (
		<PaneFrame {...frame} status={status} badge={badge} summary={resourcesSummary(result)} lines={lines}/>
	);
});
