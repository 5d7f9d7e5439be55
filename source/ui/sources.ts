import path from 'node:path';
import type {Config} from '../config.js';
import {ResourcesCollector, type Resources} from '../collectors/resources.js';
import {ProcessCollector, type WatchedProcess} from '../collectors/processes.js';
import {RedisCollector, type RedisInfo} from '../collectors/redis.js';
import type {RecentErrors} from '../collectors/recent-errors.js';
import type {Result} from '../collectors/result.js';
import {ErrorFeed} from '../feeds/error-feed.js';
import {EventFeed, type RecentEvents} from '../feeds/event-feed.js';
import {MetricFeed, type MetricSeries} from '../feeds/metric-feed.js';
import {CameraCollector, type CameraStatus} from '../collectors/cameras.js';
import {urlSecrets} from '../text/redact.js';

/** How many error records the feed keeps, and values per metric the sparkline shows. */
export const ERROR_FEED_SIZE = 200;
export const METRIC_HISTORY = 120;

/** The followed logs: each says when it changed. */
export type LogTopic = 'errors' | 'events' | 'metrics';

/**
Where the panes' data comes from: the collectors and the live log feeds, behind one face so that tests can hand the
app fixture data.
*/
export type Sources = {
	resources: () => Promise<Result<Resources>>;
	processes: () => Promise<Result<WatchedProcess[]>>;
	redis: () => Promise<RedisInfo>;
	errors: () => Promise<Result<RecentErrors>>;
	events: () => Promise<Result<RecentEvents>>;
	metrics: () => Promise<Result<MetricSeries[]>>;
	/** One row per camera: configured ones, else the CONNECTION services of the main log. */
	cameras: () => Promise<Result<CameraStatus[]>>;
	/** Calls `listener` when a followed log changed (new records, or its status), so its pane polls at once. */
	subscribe?: (topic: LogTopic, listener: () => void) => () => void;
	close: () => Promise<void>;
};

export function createSources(config: Config): Sources {
	const resources = new ResourcesCollector({logsDir: config.logs});
	const processes = new ProcessCollector({names: config.processes, secrets: urlSecrets(config.redis)});
	const redis = new RedisCollector(config.redis);
	const logs = (name: string) => path.join(config.logs, name);
	const errors = new ErrorFeed(logs('errors.log'), ERROR_FEED_SIZE);
	// One feed serves both the cameras and the issues pane.
	const events = new EventFeed(logs('camera_system.log'));
	const metrics = new MetricFeed(logs('performance.log'), METRIC_HISTORY);
	const feeds = {errors: errors.feed, events: events.feed, metrics: metrics.feed};
	for (const feed of Object.values(feeds)) {
		feed.start();
	}

	const cameras = new CameraCollector(config.cameras, config.redis);
	cameras.start();

	return {
		resources: async () => resources.collect(),
		processes: async () => processes.collect(),
		redis: async () => redis.collect(),
		errors: async () => errors.current(),
		events: async () => events.current(),
		metrics: async () => metrics.current(),
		async cameras() {
			const recent = events.current();
			// Configured cameras are probed whatever the log says; without config the log is all there is.
			if (!recent.ok && config.cameras.length === 0) {
				return recent;
			}

			return {ok: true, data: cameras.statuses(recent.ok ? recent.data : undefined)};
		},
		subscribe: (topic, listener) => feeds[topic].subscribe(listener),
		async close() {
			await Promise.all([redis.close(), cameras.close(), ...Object.values(feeds).map(async feed => feed.close())]);
		},
	};
}
