import React, {memo} from 'react';
import {redisStateText, type RedisInfo} from '../../collectors/redis.js';
import type {CameraStatus} from '../../collectors/cameras.js';
import type {Result} from '../../base/result.js';
import type {Thresholds} from '../../config/types.js';
import {checkCameras, checkRedis} from '../../snapshot/checks.js';
import {worst} from '../../base/status.js';
import {formatBytes} from '../../text/format.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {sparkline} from '../components/sparkline.js';
import {cell, line, type Style} from '../components/styled.js';
import {clean, staleness, type PaneProps} from './common.js';
import {cameraDetailLine, cameraLine, WIDE_CAMERA_ROW} from './camera-row.js';

export type ConnectionsPaneProps = PaneProps & {
	readonly redis: RedisInfo | undefined;
	readonly latency: readonly number[];
	readonly cameras: Result<CameraStatus[]> | undefined;
	readonly thresholds: Thresholds;
	readonly now: number;
	readonly scroll: number;
};

const REDIS_ROWS = 3;

export function connectionsSummary(redis: RedisInfo | undefined, cameras: Result<CameraStatus[]> | undefined, now: number): string {
	const parts = [redis === undefined ? 'redis …' : `redis ${redisStateText(redis, now)}${redis.pingMs === null ? '' : ` ${redis.pingMs.toFixed(1)} ms`}`];
	if (cameras?.ok && cameras.data.length > 0) {
		const live = cameras.data.filter(camera => camera.state === 'LIVE').length;
		const notLive = cameras.data.filter(camera => camera.state !== 'LIVE' && camera.state !== 'UNKNOWN').map(camera => `${clean(camera.name)} ${camera.state}`);
		parts.push(`cameras ${live}/${cameras.data.length} live${notLive.length > 0 ? ` (${notLive.join(', ')})` : ''}`);
	}

	return parts.join(' · ');
}

/** Redis in three rows: state and URL, PING with its sparkline, then clients, memory, ops/s and pub/sub counts. */
function redisLines(redis: RedisInfo, latency: readonly number[], now: number, width: number): string[] {
	const or = (value: number | null) => (value === null ? '—' : String(value));
	return [
		line(width, [cell('Redis', 8, {bold: true}), cell(`${redisStateText(redis, now)}  ${redis.url}`, Math.max(8, width - 8), {color: redis.state === 'up' ? 'green' : 'red'})]),
		line(width, [cell('PING', 8, {color: 'gray'}), redis.pingMs === null ? '—' : `${redis.pingMs.toFixed(2)} ms `, [sparkline(latency, Math.max(0, width - 20)), {color: 'cyan'}]]),
		line(width, [
			['clients ', {color: 'gray'}],
			or(redis.connectedClients),
			['  mem ', {color: 'gray'}],
			`${redis.usedMemoryBytes === null ? '—' : formatBytes(redis.usedMemoryBytes)}${redis.maxMemoryBytes ? ` / ${formatBytes(redis.maxMemoryBytes)}` : ''}`,
			['  ops/s ', {color: 'gray'}],
			or(redis.opsPerSecond),
			['  pubsub ', {color: 'gray'}],
			`${or(redis.pubsubChannels)}ch ${or(redis.pubsubPatterns)}pat`,
		]),
	];
}

/** The seed's pub/sub subscription status: subscribers on the channel (PUBSUB NUMSUB), and camtop's own subscription. */
function pubsubLine(camera: CameraStatus, width: number): string {
	const stream = camera.stream!;
	return line(width, [
		cell(stream.channel, Math.min(24, Math.max(8, width - 26))),
		cell(stream.subscribers === null ? '? subscribers' : `${stream.subscribers} subscriber${stream.subscribers === 1 ? '' : 's'}`, 14),
		[stream.subscribed ? 'camtop ✓' : `camtop ✗ ${stream.error ?? ''}`, {color: stream.subscribed ? 'green' : 'red'}],
	]);
}

/**
The Cameras heading, a row per camera from `scroll`, then the Pub/sub block in the rows left of `room` (a title and one
row at least), else it is left out. A narrow pane with rows for everything gives each camera a detail row too.
*/
function cameraBlock(rows: readonly CameraStatus[], {width, room, scroll, now}: {width: number; room: number; scroll: number; now: number}): string[] {
	const cameraRows = rows.slice(scroll, scroll + room);
	const withStream = rows.filter(camera => camera.stream !== null);
	const streams = withStream.slice(0, Math.max(0, room - cameraRows.length - 1));
	const detailed = width < WIDE_CAMERA_ROW && room >= (2 * cameraRows.length) + (withStream.length > 0 ? withStream.length + 1 : 0);
	const nameWidth = Math.min(18, Math.max(8, ...rows.map(camera => camera.name.length + 1)), Math.max(4, width - 20));
	const lines = [
		line(width, [
			['Cameras'.padEnd(nameWidth + 10), {color: 'gray', bold: true} satisfies Style],
			[rows.length === 0 ? 'none in config or CONNECTION records' : (width >= WIDE_CAMERA_ROW ? `${'log'.padEnd(13)}${'probe'.padEnd(24)}channel` : ''), {color: 'gray'}],
		]),
		...cameraRows.flatMap(camera => (detailed
			? [cameraLine(camera, width, nameWidth, now), cameraDetailLine(camera, width, now)]
			: [cameraLine(camera, width, nameWidth, now)])),
	];
	if (streams.length > 0) {
		lines.push(line(width, [['Pub/sub', {color: 'gray', bold: true} satisfies Style]]), ...streams.map(camera => pubsubLine(camera, width)));
	}

	return lines;
}

export const ConnectionsPane = memo(({redis, latency, cameras, thresholds, now, scroll, ...frame}: ConnectionsPaneProps) => {
	const redisCheck = redis === undefined ? undefined : checkRedis(redis, thresholds, now);
	const camerasCheck = cameras?.ok ? checkCameras(cameras.data) : undefined;
	const status = redisCheck === undefined ? undefined : worst([redisCheck.status, camerasCheck?.status ?? 'ok']);
	const badge = redis !== undefined && redis.state !== 'up'
		? `redis: ${redisStateText(redis, now)}`
		: (cameras !== undefined && !cameras.ok ? `camera_system.log: ${cameras.error}` : staleness(frame));
	const width = contentColumns(frame.width);
	const lines = redis === undefined ? [] : redisLines(redis, latency, now, width);
	if (cameras?.ok) {
		lines.push(...cameraBlock(cameras.data, {
			width, room: Math.max(0, contentRows(frame.height) - REDIS_ROWS - 1), scroll, now,
		}));
	}

	return (
		<PaneFrame {...frame} status={status} badge={badge} summary={connectionsSummary(redis, cameras, now)} lines={lines}/>
	);
});
