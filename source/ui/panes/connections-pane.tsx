import React from 'react';
import {Box, Text} from 'ink';
import {redisStateText, type RedisInfo} from '../../collectors/redis.js';
import type {CameraStatus} from '../../collectors/cameras.js';
import type {Result} from '../../collectors/result.js';
import type {Thresholds} from '../../config.js';
import {checkCameras, checkRedis, worst} from '../../checks.js';
import {formatBytes} from '../../text/format.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {sparkline} from '../components/sparkline.js';
import {Cell} from '../components/cell.js';
import {clean, staleness, type PaneProps} from './common.js';
import {CameraRow, WIDE_CAMERA_ROW} from './camera-row.js';

export type ConnectionsPaneProps = PaneProps & {
	redis: RedisInfo | undefined;
	latency: readonly number[];
	cameras: Result<CameraStatus[]> | undefined;
	thresholds: Thresholds;
	now: number;
	scroll: number;
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

export function ConnectionsPane({redis, latency, cameras, thresholds, now, scroll, ...frame}: ConnectionsPaneProps) {
	const redisCheck = redis === undefined ? undefined : checkRedis(redis, thresholds, now);
	const camerasCheck = cameras?.ok ? checkCameras(cameras.data) : undefined;
	const status = redisCheck === undefined ? undefined : worst([redisCheck.status, camerasCheck?.status ?? 'ok']);
	const badge = redis !== undefined && redis.state !== 'up'
		? `redis: ${redisStateText(redis, now)}`
		: (cameras !== undefined && !cameras.ok ? `camera_system.log: ${cameras.error}` : staleness(frame));
	const width = contentColumns(frame.width);
	const rows = cameras?.ok ? cameras.data : [];
	// Camera rows first; the Pub/sub block gets the rows left (a title and one row at least), else it is left out.
	const room = Math.max(0, contentRows(frame.height) - REDIS_ROWS - 1);
	const cameraRows = rows.slice(scroll, scroll + room);
	const streams = rows.filter(camera => camera.stream !== null).slice(0, Math.max(0, room - cameraRows.length - 1));
	const nameWidth = Math.min(18, Math.max(8, ...rows.map(camera => camera.name.length + 1)), Math.max(4, width - 20));
	return (
		<PaneFrame {...frame} title='Connections' status={status} badge={badge} summary={connectionsSummary(redis, cameras, now)}>
			{redis === undefined ? null : (
				<>
					<Box height={1} flexShrink={0}>
						<Cell width={8} bold>Redis</Cell>
						<Cell width={Math.max(8, width - 8)} color={redis.state === 'up' ? 'green' : 'red'}>{`${redisStateText(redis, now)}  ${clean(redis.url)}`}</Cell>
					</Box>
					<Box height={1} flexShrink={0}>
						<Cell width={8} color='gray'>PING</Cell>
						<Text wrap='truncate-end'>{redis.pingMs === null ? '—' : `${redis.pingMs.toFixed(2)} ms `}<Text color='cyan'>{sparkline(latency, Math.max(0, width - 20))}</Text></Text>
					</Box>
					<Box height={1} flexShrink={0}>
						<Text wrap='truncate-end'>
							<Text color='gray'>clients </Text>{redis.connectedClients ?? '—'}
							<Text color='gray'>  mem </Text>{redis.usedMemoryBytes === null ? '—' : formatBytes(redis.usedMemoryBytes)}{redis.maxMemoryBytes ? ` / ${formatBytes(redis.maxMemoryBytes)}` : ''}
							<Text color='gray'>  ops/s </Text>{redis.opsPerSecond ?? '—'}
							<Text color='gray'>  pubsub </Text>{redis.pubsubChannels ?? '—'}ch {redis.pubsubPatterns ?? '—'}pat
						</Text>
					</Box>
				</>
			)}
			{cameras?.ok ? (
				<>
					<Box height={1} flexShrink={0}>
						<Text wrap='truncate-end' color='gray'>
							<Text bold>{'Cameras'.padEnd(nameWidth + 10)}</Text>
							{rows.length === 0 ? 'none in config or CONNECTION records' : (width >= WIDE_CAMERA_ROW ? `${'log'.padEnd(13)}${'probe'.padEnd(24)}channel` : '')}
						</Text>
					</Box>
					{cameraRows.map(camera => <CameraRow key={camera.name} camera={camera} width={width} nameWidth={nameWidth} now={now}/>)}
					{streams.length === 0 ? null : (
						<>
							<Box height={1} flexShrink={0}><Text bold color='gray' wrap='truncate-end'>Pub/sub</Text></Box>
							{streams.map(camera => <PubsubRow key={camera.name} camera={camera} width={width}/>)}
						</>
					)}
				</>
			) : null}
		</PaneFrame>
	);
}

/** The seed's pub/sub subscription status: subscribers on the channel (PUBSUB NUMSUB), and camtop's own subscription. */
function PubsubRow({camera, width}: {camera: CameraStatus; width: number}) {
	const stream = camera.stream!;
	return (
		<Box height={1} flexShrink={0}>
			<Cell width={Math.min(24, Math.max(8, width - 26))}>{clean(stream.channel)}</Cell>
			<Cell width={14}>{stream.subscribers === null ? '? subscribers' : `${stream.subscribers} subscriber${stream.subscribers === 1 ? '' : 's'}`}</Cell>
			<Box width={Math.max(0, width - Math.min(24, Math.max(8, width - 26)) - 14)} flexShrink={0}>
				<Text wrap='truncate-end' color={stream.subscribed ? 'green' : 'red'}>{stream.subscribed ? 'camtop ✓' : `camtop ✗ ${clean(stream.error ?? '')}`}</Text>
			</Box>
		</Box>
	);
}
