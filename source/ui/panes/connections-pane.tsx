import React from 'react';
import {Box, Text} from 'ink';
import {redisStateText, type RedisInfo} from '../../collectors/redis.js';
import type {Result} from '../../collectors/result.js';
import type {Thresholds} from '../../config.js';
import {checkRedis, worst} from '../../checks.js';
import {formatBytes} from '../../text/format.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {sparkline} from '../components/sparkline.js';
import {Cell} from '../components/cell.js';
import type {CameraRow} from '../hooks/use-cameras.js';
import {ago, clean, staleness, type PaneProps} from './common.js';

export type ConnectionsPaneProps = PaneProps & {
	redis: RedisInfo | undefined;
	latency: readonly number[];
	cameras: Result<CameraRow[]> | undefined;
	thresholds: Thresholds;
	now: number;
	scroll: number;
};

export function connectionsSummary(redis: RedisInfo | undefined, cameras: Result<CameraRow[]> | undefined, now: number): string {
	const parts = [redis === undefined ? 'redis …' : `redis ${redisStateText(redis, now)}${redis.pingMs === null ? '' : ` ${redis.pingMs.toFixed(1)} ms`}`];
	if (cameras?.ok) {
		const live = cameras.data.filter(row => row.state?.status === true).length;
		parts.push(`cameras ${live}/${cameras.data.length} up`);
	}

	return parts.join(' · ');
}

export function ConnectionsPane({redis, latency, cameras, thresholds, now, scroll, ...frame}: ConnectionsPaneProps) {
	const redisCheck = redis === undefined ? undefined : checkRedis(redis, thresholds, now);
	const camerasDown = cameras?.ok ? cameras.data.some(row => row.state?.status === false) : false;
	const status = redisCheck === undefined ? undefined : worst([redisCheck.status, camerasDown ? 'warning' : 'ok']);
	const badge = redis !== undefined && redis.state !== 'up'
		? `redis: ${redisStateText(redis, now)}`
		: (cameras !== undefined && !cameras.ok ? `camera_system.log: ${cameras.error}` : staleness(frame));
	const width = contentColumns(frame.width);
	// The "ago" column only where a name still has room beside it.
	const showAgo = width >= 36;
	const cameraRows = cameras?.ok ? cameras.data.slice(scroll, scroll + Math.max(0, contentRows(frame.height) - 5)) : [];
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
					<Box height={1} flexShrink={0}><Text wrap='truncate-end' color='gray'><Text bold>Cameras</Text>{cameras.data.length === 0 ? '  none in config or CONNECTION records' : ''}</Text></Box>
					{cameraRows.map(row => (
						<Box key={row.name} height={1} flexShrink={0}>
							<Cell width={Math.max(4, width - 10 - (showAgo ? 17 : 0))}>{clean(row.name)}</Cell>
							<Cell width={10} color={row.state === undefined ? 'gray' : (row.state.status ? 'green' : 'red')}>{row.state === undefined ? 'no events' : (row.state.status ? 'LIVE' : 'OFFLINE')}</Cell>
							{showAgo ? <Cell width={17} color='gray'>{row.state === undefined ? '' : ago(row.state.time, now)}</Cell> : null}
						</Box>
					))}
				</>
			) : null}
		</PaneFrame>
	);
}
