import path from 'node:path';
import type {WatchConfig} from '../config/types.js';
import type {Resources} from '../collectors/resources.js';
import type {WatchedProcess} from '../collectors/processes.js';
import type {RedisInfo} from '../collectors/redis.js';
import {CameraCollector, type CameraStatus} from '../collectors/cameras.js';
import {ErrorFeed} from '../feeds/error-feed.js';
import {EventFeed} from '../feeds/event-feed.js';
import {MetricFeed} from '../feeds/metric-feed.js';
import type {LogFeed} from '../feeds/log-feed.js';
import type {RecentErrors} from '../logs/error-record.js';
import {fail, ok, type Result} from '../base/result.js';
import {assembleSnapshot, snapshotCameras, type SnapshotParts} from './snapshot.js';
import {BoxCollectors, bounded} from './box-collectors.js';
import type {LogActivity, Observation} from './observation.js';

/** How many error records the feed keeps, and values per metric the sparkline shows. */
export const ERROR_FEED_SIZE = 200;
export const METRIC_HISTORY = 120;
const MINUTE_MS = 60_000;

export type ObserverOptions = {
	/** How often the process list is read to find the watched processes' pids, ms (ProcessCollector's default when unset). */
	discoveryIntervalMs?: number;
	/** Set: the logs are read this often instead of on change events, ms (for views without sub-second latency). */
	feedPollMs?: number;
};

/**
The box watched for as long as a view lives (the TUI, `camtop export`): the collectors that carry state from one call
to the next (CPU deltas, restarts, the Redis connection), the live log feeds and the cameras. Each collector's last
answer is kept, so an Observation for alerts can be made from what the panes already collected, without asking twice.
*/
export class LiveObserver {
	readonly errors: ErrorFeed;
	/** One feed serves the cameras and the issues. */
	readonly events: EventFeed;
	readonly metrics: MetricFeed;
	readonly cameras: CameraCollector;
	/** The three followed logs, by what they tell. */
	readonly feeds: {errors: LogFeed; events: LogFeed; metrics: LogFeed};
	readonly #config: WatchConfig;
	readonly #box: BoxCollectors;

	constructor(config: WatchConfig, {discoveryIntervalMs, feedPollMs: pollMs}: ObserverOptions = {}) {
		this.#config = config;
		this.#box = new BoxCollectors(config, {discoveryIntervalMs});
		const since = Date.now();
		const logs = (name: string) => path.join(config.logs, name);
		this.errors = new ErrorFeed(logs('errors.log'), ERROR_FEED_SIZE, {since, pollMs});
		this.events = new EventFeed(logs('camera_system.log'), {since, pollMs});
		this.metrics = new MetricFeed(logs('performance.log'), METRIC_HISTORY, {pollMs});
		this.cameras = new CameraCollector(config.cameras, config.redis);
		this.feeds = {errors: this.errors.feed, events: this.events.feed, metrics: this.metrics.feed};
	}

	start(): void {
		for (const feed of Object.values(this.feeds)) {
			feed.start();
		}

		this.cameras.start();
	}

	async resources(): Promise<Result<Resources>> {
		return this.#box.resources();
	}

	async processes(): Promise<Result<WatchedProcess[]>> {
		return this.#box.processes();
	}

	async redis(): Promise<RedisInfo> {
		return this.#box.redis();
	}

	/** One row per camera: configured ones, else the CONNECTION services of the main log. */
	cameraStatuses(): Result<CameraStatus[]> {
		return this.cameras.rows(this.events.current());
	}

	/** Every collector asked now, each within its deadline: for `camtop export`, which owns no panes. */
	async observe(): Promise<Observation> {
		const [resources, processes, redis] = await Promise.all([
			bounded(this.resources()),
			bounded(this.processes()),
			this.redis(),
		]);
		return this.#observation({resources, processes, redis: ok(redis)});
	}

	/** The panes' last answers, and the log files looked at now (a few stats): for the TUI's alerts. */
	async latest(): Promise<Observation> {
		const notYet = fail('not collected yet');
		const {last} = this.#box;
		return this.#observation({
			resources: last.resources ?? notYet,
			processes: last.processes ?? notYet,
			redis: last.redis === undefined ? notYet : ok(last.redis),
		});
	}

	async close(): Promise<void> {
		await Promise.all([
			this.#box.close(),
			this.cameras.close(),
			...Object.values(this.feeds).map(async feed => feed.close()),
		]);
	}

	async #observation(parts: Pick<SnapshotParts, 'resources' | 'processes' | 'redis'>): Promise<Observation> {
		const {thresholds} = this.#config;
		const logFiles = await this.#box.logFiles();
		const now = Date.now();
		const snapshot = assembleSnapshot({
			...parts, logFiles, recentErrors: this.#recentErrors(), cameras: snapshotCameras(this.cameraStatuses(), this.#config.cameras.length),
		}, thresholds, now);
		return {at: now, snapshot, activity: this.activity(now)};
	}

	/**
	As `health` judges them: a missing errors.log has no recent errors (the log files check tells it is missing); one
	that cannot be read is unknown.
	*/
	#recentErrors(): Result<RecentErrors> {
		const current = this.errors.current();
		if (!current.ok) {
			return this.errors.feed.status.state === 'waiting' ? ok({records: [], bytesRead: 0}) : current;
		}

		return ok({records: current.data.records.slice(-this.#config.recentErrors), bytesRead: 0});
	}

	/** What the feeds have counted; a part is null while its log is not followed. */
	activity(now: number): LogActivity {
		const errors = this.errors.current();
		const events = this.events.current();
		const metrics = this.metrics.current();
		const staleMs = this.#config.thresholds.staleLogSeconds * 1000;
		return {
			// Up to a minute ahead counts too: a box whose clock was set back must not read as error-free.
			errorsLastMinute: errors.ok ? errors.data.records.filter(record => record.time >= now - MINUTE_MS && record.time <= now + MINUTE_MS).length : null,
			errorsTotal: errors.ok ? [...this.errors.liveCounts].map(([level, count]) => ({level, count})) : null,
			issuesTotal: events.ok ? [...this.events.liveIssues].map(([issueType, count]) => ({issueType, count})) : null,
			services: events.ok
				? events.data.services.map(state => ({
					service: state.service,
					up: state.status,
					changesTotal: this.events.liveChanges.get(state.service) ?? 0,
					time: state.time,
				}))
				: null,
			// A value not renewed within staleLogSeconds is not the box's state any more (the back-fill reads days-old
			// ones, and an app that stopped writing leaves its last): left out, so no alert or gauge shows it as current.
			metrics: metrics.ok
				? metrics.data.flatMap(series => {
					const value = series.values.at(-1);
					return value === undefined || series.last < now - staleMs
						? []
						: [{
							metric: series.metric, unit: series.unit, value, time: series.last,
						}];
				})
				: null,
		};
	}
}
