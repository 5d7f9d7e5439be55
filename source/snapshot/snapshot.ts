import path from 'node:path';
import os from 'node:os';
import type {Thresholds, WatchConfig} from '../config/types.js';
import type {Resources} from '../collectors/resources.js';
import type {WatchedProcess} from '../collectors/processes.js';
import type {RedisInfo} from '../collectors/redis.js';
import type {LogFileInfo} from '../collectors/log-files.js';
import {collectRecentErrors} from '../collectors/recent-errors.js';
import {CameraCollector, type CameraStatus} from '../collectors/cameras.js';
import {EventFeed} from '../feeds/event-feed.js';
import type {RecentErrors} from '../logs/error-record.js';
import {newestLogs} from '../logs/rotation.js';
import {ok, type Result} from '../base/result.js';
import {withDeadline} from '../base/deadline.js';
import {worst, type Status} from '../base/status.js';
import {
	checkCameras, checkLogFiles, checkProcesses, checkRecentErrors, checkRedis, checkResources, type Check,
} from './checks.js';
import {
	BoxCollectors, bounded, COLLECTOR_DEADLINE_MS, type BoxCollectorsOptions,
} from './box-collectors.js';

/** One part of the Snapshot: its data, or why there is none, and what that means. */
export type Section<T> = Check & {result: Result<T>};

/**
How the box is, at one moment: every view (health, the TUI, /metrics, alerts) reads this, so none can disagree.
*/
export type Snapshot = {
	checkedAt: number;
	host: string;
	status: Status;
} & {[Part in keyof PartData]: Section<PartData[Part]>};

/** The parts of a Snapshot, and what each holds when its collector answered. */
type PartData = {
	resources: Resources;
	processes: WatchedProcess[];
	redis: RedisInfo;
	logFiles: LogFileInfo[];
	recentErrors: RecentErrors;
	cameras: CameraStatus[];
};

/**
A one-shot report listens to the camera channels (and reads MJPEG streams) this long, and gives a camera probe this
long to answer, ms: with the main log's back-fill alongside, the cameras cost `health` at most CAMERA_DEADLINE_MS.
*/
export const CAMERA_SAMPLE_MS = 1500;
const CAMERA_PROBE_TIMEOUT_MS = 2000;
const CAMERA_DEADLINE_MS = 4000;

/**
`health`'s Snapshot: every collector at once, the last ERROR records read backwards from errors.log (and the file
rotated before it), and the cameras sampled once. Keep one for as long as Snapshots are wanted: BoxCollectors carry
CPU deltas, restart counts and the Redis connection from one call to the next.
*/
export class SnapshotCollector {
	readonly #config: WatchConfig;
	readonly #box: BoxCollectors;

	constructor(config: WatchConfig, options: BoxCollectorsOptions = {}) {
		this.#config = config;
		this.#box = new BoxCollectors(config, options);
	}

	async collect(): Promise<Snapshot> {
		const {logs, thresholds, recentErrors: count} = this.#config;
		const [resources, processes, redis, logFiles, recentErrors, cameras] = await Promise.all([
			bounded(this.#box.resources()),
			bounded(this.#box.processes()),
			this.#box.redis().then(info => ok(info)),
			this.#box.logFiles(),
			bounded(collectRecentErrors(newestLogs(path.join(logs, 'errors.log')), count)),
			collectCameras(this.#config),
		]);
		return assembleSnapshot({
			resources, processes, redis, logFiles, recentErrors, cameras,
		}, thresholds, Date.now());
	}

	async close(): Promise<void> {
		await this.#box.close();
	}
}

/** What each collector answered, or why it did not. */
export type SnapshotParts = {[Part in keyof PartData]: Result<PartData[Part]>};

/** The collectors' answers judged against the thresholds: one Snapshot, however they were collected. */
export function assembleSnapshot(parts: SnapshotParts, thresholds: Thresholds, now: number): Snapshot {
	const sections = {
		resources: section('resources', parts.resources, data => checkResources(data, thresholds)),
		processes: section('processes', parts.processes, data => checkProcesses(data)),
		redis: section('redis', parts.redis, data => checkRedis(data, thresholds, now)),
		logFiles: section('log files', parts.logFiles, data => checkLogFiles(data)),
		recentErrors: section('recent errors', parts.recentErrors, data => checkRecentErrors(data, thresholds, now)),
		cameras: section('cameras', parts.cameras, data => checkCameras(data)),
	};
	return {
		checkedAt: now,
		host: parts.resources.ok ? parts.resources.data.host : os.hostname(),
		status: worst(Object.values(sections).map(part => part.status)),
		...sections,
	};
}

function section<T>(label: string, result: Result<T>, check: (data: T) => Check): Section<T> {
	return result.ok ? {...check(result.data), result} : {status: 'unknown', reasons: [`${label}: ${result.error}`], result};
}

/**
The cameras as a Snapshot judges them: with none configured, a main log that cannot be read means no cameras to speak
of (the log files check says why), not an unknown.
*/
export function snapshotCameras(rows: Result<CameraStatus[]>, configured: number): Result<CameraStatus[]> {
	return !rows.ok && configured === 0 ? ok([]) : rows;
}

/**
The cameras as the TUI's Connections pane sees them, once: the main log's CONNECTION records (read by the same feed),
a probe of each URL and CAMERA_SAMPLE_MS on each channel, all at once, within CAMERA_DEADLINE_MS.
*/
async function collectCameras(config: WatchConfig): Promise<Result<CameraStatus[]>> {
	const events = new EventFeed(path.join(config.logs, 'camera_system.log'));
	const cameras = new CameraCollector(config.cameras, config.redis, {
		windowMs: CAMERA_SAMPLE_MS,
		probe: {timeoutMs: CAMERA_PROBE_TIMEOUT_MS, sampleMs: CAMERA_SAMPLE_MS},
	});
	try {
		events.feed.start();
		// The log's back-fill, the probes and the channel sample all at once; what has not answered by the deadline is
		// reported as it stands (a probe not back yet shows as `probing…`).
		await withDeadline(Promise.all([
			withDeadline(events.feed.ready, COLLECTOR_DEADLINE_MS, () => undefined),
			config.cameras.length === 0 ? undefined : cameras.sample(CAMERA_SAMPLE_MS),
		]), CAMERA_DEADLINE_MS, () => undefined);
		return snapshotCameras(cameras.rows(events.current()), config.cameras.length);
	} finally {
		await Promise.all([events.feed.close(), cameras.close()]);
	}
}
