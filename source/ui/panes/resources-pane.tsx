import React, {memo} from 'react';
import type {Resources} from '../../collectors/resources.js';
import type {Result} from '../../base/result.js';
import type {Thresholds} from '../../config/types.js';
import {checkResources} from '../../snapshot/checks.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {PaneFrame, contentColumns} from '../components/pane-frame.js';
import {bar} from '../components/bar.js';
import {sparkline} from '../components/sparkline.js';
import {line, type Segment} from '../components/styled.js';
import {staleness, type PaneProps} from './common.js';

export type ResourcesPaneProps = PaneProps & {readonly result: Result<Resources> | undefined; readonly thresholds: Thresholds};

const percent = (value: number) => `${value.toFixed(0).padStart(3)}%`;

export function resourcesSummary(result: Result<Resources> | undefined): string {
	if (!result?.ok) {
		return '';
	}

	const {cpu, memory, disk} = result.data;
	return `cpu ${percent(cpu.percent).trim()} mem ${percent(memory.percent).trim()} disk ${percent(disk.percent).trim()}`;
}

/** The pane's rows, each cut to `width`: a label column of 8, then the value. */
export function resourcesLines(resources: Resources, thresholds: Thresholds, width: number): string[] {
	const barWidth = Math.max(4, Math.min(30, width - 16));
	const row = (label: string, ...value: Segment[]) => line(width, [[label.padEnd(8), {color: 'gray'}], ...value]);
	const {cpu, load, memory, swap, disk} = resources;
	return [
		row('CPU', ...bar(cpu.percent, barWidth, thresholds.cpuPercent), ` ${percent(cpu.percent)}`),
		row('cores', [sparkline(cpu.cores, width - 9, {min: 0, max: 100}), {color: 'cyan'}], [` ${cpu.cores.length}`, {color: 'gray'}]),
		row('load', load.map(value => value.toFixed(2)).join(' ')),
		row('memory', ...bar(memory.percent, barWidth, thresholds.memoryPercent), ` ${percent(memory.percent)} ${formatBytes(memory.usedBytes)}`),
		row('swap', swap.totalBytes === 0 ? 'none' : `${percent(swap.percent)} of ${formatBytes(swap.totalBytes)}`),
		row('disk', ...bar(disk.percent, barWidth, thresholds.diskPercent), ` ${percent(disk.percent)} ${formatBytes(disk.freeBytes)} free`),
		row('temp', resources.temperatureCelsius === null ? 'no sensor' : `${resources.temperatureCelsius.toFixed(1)} °C`),
		row('uptime', formatDuration(resources.uptimeSeconds)),
		row('host', resources.host),
	];
}

export const ResourcesPane = memo(({result, thresholds, ...frame}: ResourcesPaneProps) => {
	const badge = result !== undefined && !result.ok ? `resources: ${result.error}` : staleness(frame);
	const status = result?.ok ? checkResources(result.data, thresholds).status : (result === undefined ? undefined : 'unknown');
	return (
		<PaneFrame {...frame} status={status} badge={badge} summary={resourcesSummary(result)} lines={result?.ok ? resourcesLines(result.data, thresholds, contentColumns(frame.width)) : undefined}/>
	);
});
