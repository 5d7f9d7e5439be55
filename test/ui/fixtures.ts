import type {Resources} from '../../source/collectors/resources.js';
import type {WatchedProcess} from '../../source/collectors/processes.js';
import type {RedisInfo} from '../../source/collectors/redis.js';
import type {RecentErrors} from '../../source/logs/error-record.js';
import type {MetricSeries} from '../../source/feeds/metric-feed.js';
import type {RecentEvents} from '../../source/feeds/event-feed.js';
import type {CameraStatus} from '../../source/collectors/cameras.js';
import type {Sources} from '../../source/ui/sources.js';
import {ok} from '../../source/base/result.js';

/** A fixed moment, so that "ago" and crash-loop windows are the same every run. */
export const NOW = new Date(2024, 0, 15, 10, 30, 0).getTime();

export const resources: Resources = {
	host: 'camera-box-07',
	cpu: {percent: 42.5, cores: [30, 55, 20, 65]},
	load: [1.2, 0.9, 0.7],
	memory: {
		totalBytes: 4 * 1024 ** 3, usedBytes: 3.5 * 1024 ** 3, availableBytes: 0.5 * 1024 ** 3, percent: 87.5,
	},
	swap: {totalBytes: 1024 ** 3, usedBytes: 100 * 1024 ** 2, percent: 9.8},
	disk: {
		path: '/opt/cam/logs', totalBytes: 32 * 1024 ** 3, usedBytes: 10 * 1024 ** 3, freeBytes: 22 * 1024 ** 3, percent: 31.25,
	},
	uptimeSeconds: 3 * 86_400 + 7200,
	temperatureCelsius: 61.3,
};

export const processes: WatchedProcess[] = [
	{
		name: 'cam1_stream.py', running: true, instances: [{
			pid: 4242, cpuPercent: 37.5, rssBytes: 180 * 1024 ** 2, threads: 12, uptimeSeconds: 5400, command: 'python3 cam1_stream.py',
		}], restarts: 0, restartTimes: [],
	},
	{
		name: 'start.py', running: true, instances: [{
			pid: 4300, cpuPercent: 1.2, rssBytes: 40 * 1024 ** 2, threads: 3, uptimeSeconds: 60, command: 'python3 start.py',
		}], restarts: 4, restartTimes: [NOW - 500_000, NOW - 300_000, NOW - 120_000, NOW - 60_000],
	},
	{
		name: 'client.py', running: false, instances: [], restarts: 0, restartTimes: [],
	},
];

export const redis: RedisInfo = {
	url: 'redis://:***@127.0.0.1:6379', state: 'up', pingMs: 0.82, version: '7.0.15', role: 'master', connectedClients: 5,
	usedMemoryBytes: 3 * 1024 ** 2, maxMemoryBytes: 0, opsPerSecond: 310, pubsubChannels: 4, pubsubPatterns: 0, channelNames: ['camera:1'], lastError: null, downSince: null,
};

export const redisDown: RedisInfo = {
	...redis, state: 'down', pingMs: null, version: null, role: null, connectedClients: null, usedMemoryBytes: null, opsPerSecond: null, pubsubChannels: null, pubsubPatterns: null, lastError: 'connect ECONNREFUSED 127.0.0.1:6379', downSince: NOW - 12_000,
};

const record = (minute: number, message: string, traceback: string[] = []) => ({
	timestamp: `2024-01-15 10:${String(minute).padStart(2, '0')}:00,000`,
	time: new Date(2024, 0, 15, 10, minute).getTime(),
	level: 'ERROR' as const,
	logger: 'camera_system',
	function: 'fetch_image',
	line: 123,
	message,
	traceback,
	file: 'logs/errors.log',
});

export const errors: RecentErrors = {
	bytesRead: 4096,
	records: [
		record(10, 'Redis connection failed: Connection refused', ['Traceback (most recent call last):', '  File "cam1_stream.py", line 123, in fetch_image', 'redis.exceptions.ConnectionError: Connection refused']),
		record(20, 'Frame decode failed for camera 2'),
		record(25, 'Camera 摄像头 📷 timeout'),
		record(29, 'Function fetch_image failed', ['Traceback (most recent call last):', 'TimeoutError: took 5 s']),
	],
};

export const events: RecentEvents = {
	services: [
		{
			service: 'camera_1', status: true, time: NOW - 30_000, changes: 2,
		},
		{
			service: 'camera_2', status: false, time: NOW - 90_000, changes: 5,
		},
		{
			service: 'redis', status: true, time: NOW - 10_000, changes: 0,
		},
	],
	issues: [
		{
			issueType: 'thread_timeout', count: 12, first: NOW - 3_600_000, last: NOW - 60_000,
		},
		{
			issueType: 'camera_connection_failed', count: 3, first: NOW - 1_800_000, last: NOW - 600_000,
		},
	],
	span: [NOW - 3_600_000, NOW],
};

export const metrics: MetricSeries[] = [
	{
		metric: 'fetch_image_duration', unit: 'seconds', values: [0.04, 0.05, 0.045, 0.2, 0.05, 0.043], last: NOW,
	},
	{
		metric: 'queue_depth', unit: null, values: [1, 2, 3, 5, 8, 13], last: NOW,
	},
];

const probe = {
	at: NOW - 2000, kind: 'mjpeg' as const, ok: true, error: null, latencyMs: 42, status: 200, bytes: 240_000, fps: 9.8, frames: 20, frozen: false,
};
const stream = {
	channel: 'camera_1:frames', subscribed: true, subscribers: 2, messages: 9000, messagesPerSecond: 30, bytesPerSecond: 1_200_000, lastMessageAt: NOW - 100, p95GapMs: 40, frozen: false, error: null,
};

export const cameras: CameraStatus[] = [
	{
		name: 'camera_1', url: 'http://admin:***@10.0.0.11/video.mjpg', channel: 'camera_1:frames', state: 'LIVE', reason: null, event: events.services[0]!, probe, stream,
	},
	{
		name: 'camera_2', url: 'rtsp://10.0.0.12/live', channel: null, state: 'OFFLINE', reason: 'connect ECONNREFUSED', event: events.services[1]!, probe: {
			...probe, kind: 'rtsp', ok: false, error: 'connect ECONNREFUSED', latencyMs: null, status: null, bytes: null, fps: null, frames: null,
		}, stream: null,
	},
	{
		name: 'gate', url: null, channel: 'gate:frames', state: 'STALLED', reason: 'no message for 14 s', event: null, probe: null, stream: {
			...stream, channel: 'gate:frames', subscribers: 1, messagesPerSecond: 0, bytesPerSecond: 0, lastMessageAt: NOW - 14_000, p95GapMs: null,
		},
	},
];

/** Sources answering with the fixtures; `calls` counts what each was asked. */
export function fixtureSources(overrides: Partial<Sources> = {}): Sources & {calls: Record<string, number>} {
	const calls: Record<string, number> = {};
	const counted = <T>(name: string, value: T) => async () => {
		calls[name] = (calls[name] ?? 0) + 1;
		return value;
	};

	return {
		resources: counted('resources', ok(resources)),
		processes: counted('processes', ok(processes)),
		redis: counted('redis', redis),
		errors: counted('errors', ok(errors)),
		events: counted('events', ok(events)),
		metrics: counted('metrics', ok(metrics)),
		cameras: counted('cameras', ok(cameras)),
		close: async () => undefined,
		...overrides,
		calls,
	};
}
