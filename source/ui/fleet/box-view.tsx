import React from 'react';
import type {BoxDetail, BoxSnapshot, TrendName} from '../../fleet/box-detail.js';
import type {FleetBox} from '../../fleet/read-fleet.js';
import type {Result} from '../../base/result.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {padEndWidth} from '../../text/sanitize.js';
import type {Refreshing} from '../hooks/use-refreshing.js';
import {PaneBox} from '../components/pane-box.js';
import {sparkline} from '../components/sparkline.js';
import {line, type Segment, type Style} from '../components/styled.js';
import {FLEET_STATUS_COLOR} from './fleet-colors.js';

type Trend = {
	readonly name: TrendName;
	readonly label: string;
	/** The newest value as read. */
	readonly text: (value: number) => string;
	/** The sparkline's scale: ratios and up/down have a fixed one. */
	readonly scale?: {min: number; max: number};
};

const TRENDS: readonly Trend[] = [
	{
		name: 'cpu', label: 'CPU', text: value => `${Math.round(value * 100)}%`, scale: {min: 0, max: 1},
	},
	{
		name: 'memory', label: 'memory', text: value => `${Math.round(value * 100)}%`, scale: {min: 0, max: 1},
	},
	{
		name: 'disk', label: 'disk', text: value => `${Math.round(value * 100)}%`, scale: {min: 0, max: 1},
	},
	{name: 'errors', label: 'errors/min', text: value => String(Math.round(value))},
	{
		name: 'redis', label: 'Redis up', text: value => (value === 1 ? 'up' : 'DOWN'), scale: {min: 0, max: 1},
	},
	{name: 'cameras', label: 'cameras live', text: value => String(Math.round(value))},
];

const LABEL_CELLS = 13;

export type BoxViewProps = {
	/** The box's row as the table last read it; undefined once Prometheus forgets it. */
	readonly box: FleetBox | undefined;
	readonly instance: string;
	readonly detail: Refreshing<BoxDetail>;
	readonly scroll: number;
	readonly now: number;
	readonly width: number;
	readonly height: number;
	/** Told how far the body can scroll at this size and with this data: the keys clamp the scroll to it. */
	readonly scrollLimit?: {current: number};
};

/**
One box whole: its row's status and reasons, its last hour from Prometheus as sparklines, then what its exporter's
/snapshot says — cameras, processes, the last errors. Each part that could not be read says why in its place.
*/
export function BoxView({
	box, instance, detail, scroll, now, width, height, scrollLimit,
}: BoxViewProps) {
	const columns = Math.max(0, width - 2);
	const heading: Segment[] = [[box === undefined || box.host === '' ? instance : box.host, {bold: true} satisfies Style], ['  ', {}], [instance, {color: 'gray'}]];
	if (box !== undefined) {
		heading.push('  ', [`● ${box.status.toUpperCase()}`, {color: FLEET_STATUS_COLOR[box.status], bold: true} satisfies Style]);
	}

	const lines = [line(columns, heading)];
	if (box !== undefined && box.reasons.length > 0) {
		lines.push(line(columns, [['why ', {color: 'gray'}], [box.reasons.join(', '), {color: FLEET_STATUS_COLOR[box.status]}]]));
	}

	const {data} = detail;
	const asking = `asking Prometheus and the exporter…${detail.pendingSince === undefined ? '' : ` ${formatDuration((now - detail.pendingSince) / 1000)}`}`;
	const waiting = data === undefined ? (detail.error ?? asking) : undefined;
	const body: string[] = [];
	body.push(line(columns, [['Last hour', {bold: true} satisfies Style], ['  (Prometheus, one point a minute)', {color: 'gray'}]]));
	if (waiting === undefined) {
		const sparkWidth = Math.max(4, Math.min(60, columns - LABEL_CELLS - 8));
		for (const trend of TRENDS) {
			body.push(trendLine(trend, data!.trends[trend.name], sparkWidth, columns));
		}
	} else {
		body.push(line(columns, [[waiting, {color: 'yellow'}]]));
	}

	body.push('', line(columns, [['From the box', {bold: true} satisfies Style], ['  (its exporter\'s /snapshot)', {color: 'gray'}]]));
	if (data === undefined) {
		body.push(line(columns, [[waiting ?? '', {color: 'yellow'}]]));
	} else if (data.snapshot.ok) {
		body.push(...snapshotLines(data.snapshot.data, columns));
	} else {
		body.push(line(columns, [[data.snapshot.error, {color: 'yellow'}]]));
	}

	// The heading stays; the rest scrolls (↑↓), never past its end.
	const room = Math.max(0, height - 2 - lines.length);
	const limit = Math.max(0, body.length - room);
	if (scrollLimit !== undefined) {
		scrollLimit.current = limit;
	}

	const top = Math.min(scroll, limit);
	lines.push(...body.slice(top, top + room));
	return <PaneBox lines={lines} width={width} height={height}/>;
}

function trendLine(trend: Trend, result: Result<readonly number[]>, sparkWidth: number, columns: number): string {
	const label: Segment = [padEndWidth(trend.label, LABEL_CELLS), {color: 'cyan'}];
	if (!result.ok) {
		return line(columns, [label, [result.error, {color: 'yellow'}]]);
	}

	const points = result.data;
	if (points.length === 0) {
		return line(columns, [label, ['no data in the last hour', {color: 'gray'}]]);
	}

	const newest: Segment = [trend.text(points.at(-1)!), {bold: true} satisfies Style];
	return line(columns, [label, padEndWidth(sparkline(points, sparkWidth, trend.scale), sparkWidth), ' ', newest]);
}

function snapshotLines(snapshot: BoxSnapshot, columns: number): string[] {
	const lines: string[] = [];
	const heading = (text: string) => lines.push(line(columns, [[text, {color: 'cyan'}]]));
	heading(`cameras (${snapshot.cameras.length})`);
	for (const camera of snapshot.cameras) {
		const bad = camera.state !== 'LIVE' && camera.state !== 'DEGRADED';
		const state: Segment = [padEndWidth(camera.state, 9), {color: bad ? 'red' : 'green', bold: bad} satisfies Style];
		lines.push(line(columns, ['  ', padEndWidth(camera.name, 14), ' ', state, [camera.reason, {color: 'gray'}]]));
	}

	heading(`processes (${snapshot.processes.length})`);
	for (const process of snapshot.processes) {
		lines.push(line(columns, [
			'  ',
			padEndWidth(process.name, 18),
			' ',
			[process.running ? 'running' : 'NOT RUNNING', {color: process.running ? 'green' : 'red'}],
			[`${process.rssBytes === null || !process.running ? '' : `  ${formatBytes(process.rssBytes)}`}${process.restarts ? `  ${process.restarts} restarts` : ''}`, {color: 'gray'}],
		]));
	}

	heading(`last errors (${snapshot.errors.length})`);
	for (const error of snapshot.errors.toReversed()) {
		lines.push(line(columns, ['  ', [`${error.timestamp.slice(11, 19)} `, {color: 'gray'}], [`${error.level} `, {color: 'red'}], error.message]));
	}

	return lines;
}
