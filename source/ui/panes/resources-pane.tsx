import React from 'react';
import {Box, Text} from 'ink';
import type {Resources} from '../../collectors/resources.js';
import type {Result} from '../../collectors/result.js';
import type {Thresholds} from '../../config.js';
import {checkResources} from '../../checks.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {PaneFrame, contentColumns} from '../components/pane-frame.js';
import {Bar} from '../components/bar.js';
import {sparkline} from '../components/sparkline.js';
import {clean, staleness, type PaneProps} from './common.js';

export type ResourcesPaneProps = PaneProps & {result: Result<Resources> | undefined; thresholds: Thresholds};

const percent = (value: number) => `${value.toFixed(0).padStart(3)}%`;

export function resourcesSummary(result: Result<Resources> | undefined): string {
	if (result === undefined || !result.ok) {
		return '';
	}

	const {cpu, memory, disk} = result.data;
	return `cpu ${percent(cpu.percent).trim()} mem ${percent(memory.percent).trim()} disk ${percent(disk.percent).trim()}`;
}

export function ResourcesPane({result, thresholds, ...frame}: ResourcesPaneProps) {
	const badge = result !== undefined && !result.ok ? `resources: ${result.error}` : staleness(frame);
	const status = result?.ok ? checkResources(result.data, thresholds).status : (result === undefined ? undefined : 'unknown');
	const width = contentColumns(frame.width);
	const barWidth = Math.max(4, Math.min(30, width - 16));
	return (
		<PaneFrame {...frame} title='Resources' status={status} badge={badge} summary={resourcesSummary(result)}>
			{result?.ok ? (
				<>
					<Line label='CPU'><Bar percent={result.data.cpu.percent} width={barWidth} levels={thresholds.cpuPercent}/><Text> {percent(result.data.cpu.percent)}</Text></Line>
					<Line label='cores'><Text color='cyan'>{sparkline(result.data.cpu.cores, width - 9, {min: 0, max: 100})}</Text><Text color='gray'> {result.data.cpu.cores.length}</Text></Line>
					<Line label='load'><Text>{result.data.load.map(load => load.toFixed(2)).join(' ')}</Text></Line>
					<Line label='memory'><Bar percent={result.data.memory.percent} width={barWidth} levels={thresholds.memoryPercent}/><Text> {percent(result.data.memory.percent)} {formatBytes(result.data.memory.usedBytes)}</Text></Line>
					<Line label='swap'><Text>{result.data.swap.totalBytes === 0 ? 'none' : `${percent(result.data.swap.percent)} of ${formatBytes(result.data.swap.totalBytes)}`}</Text></Line>
					<Line label='disk'><Bar percent={result.data.disk.percent} width={barWidth} levels={thresholds.diskPercent}/><Text> {percent(result.data.disk.percent)} {formatBytes(result.data.disk.freeBytes)} free</Text></Line>
					<Line label='temp'><Text>{result.data.temperatureCelsius === null ? 'no sensor' : `${result.data.temperatureCelsius.toFixed(1)} °C`}</Text></Line>
					<Line label='uptime'><Text>{formatDuration(result.data.uptimeSeconds)}</Text></Line>
					<Line label='host'><Text>{clean(result.data.host)}</Text></Line>
				</>
			) : null}
		</PaneFrame>
	);
}

function Line({label, children}: {label: string; children: React.ReactNode}) {
	return (
		<Box height={1} flexShrink={0}>
			<Box width={8} flexShrink={0}><Text color='gray'>{label}</Text></Box>
			<Text wrap='truncate-end'>{children}</Text>
		</Box>
	);
}
