import {existsSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import path from 'node:path';
import type {Config} from '../config.js';
import {ResourcesCollector, type Resources} from '../collectors/resources.js';
import {ProcessCollector, type WatchedProcess} from '../collectors/processes.js';
import {RedisCollector, type RedisInfo} from '../collectors/redis.js';
import {collectRecentErrors, type RecentErrors} from '../collectors/recent-errors.js';
import {collectRecentEvents, collectRecentMetrics, type MetricSeries, type RecentEvents} from '../collectors/log-events.js';
import {fail, type Result} from '../collectors/result.js';
import {urlSecrets} from '../text/redact.js';

/** How many error records the feed keeps, and values per metric the sparkline shows. */
export const ERROR_FEED_SIZE = 200;
export const METRIC_HISTORY = 120;

/**
Where the panes' data comes from: the collectors, behind one face so that tests can hand the app fixture data.
*/
export type Sources = {
	resources: () => Promise<Result<Resources>>;
	processes: () => Promise<Result<WatchedProcess[]>>;
	redis: () => Promise<RedisInfo>;
	errors: () => Promise<Result<RecentErrors>>;
	events: () => Promise<Result<RecentEvents>>;
	metrics: () => Promise<Result<MetricSeries[]>>;
	close: () => Promise<void>;
};

/**
`read`'s answer for `file`, read again only when the file's size or modification time changed: a quiet log costs a
stat, not a read, per tick.
*/
export function cachedByStat<T>(files: readonly string[], read: () => Promise<T>): () => Promise<T> {
	let key: string | undefined;
	let last: Promise<T> | undefined;
	return async () => {
		const stats = await Promise.all(files.map(async file => stat(file).then(s => `${s.size}:${s.mtimeMs}`, (error: NodeJS.ErrnoException) => error.code ?? 'error')));
		const current = stats.join('|');
		if (last === undefined || current !== key) {
			key = current;
			last = read();
		}

		return last;
	};
}

export function createSources(config: Config): Sources {
	const resources = new ResourcesCollector({logsDir: config.logs});
	const processes = new ProcessCollector({names: config.processes, secrets: urlSecrets(config.redis)});
	const redis = new RedisCollector(config.redis);
	const logs = (name: string) => path.join(config.logs, name);
	return {
		resources: async () => resources.collect(),
		processes: async () => processes.collect(),
		redis: async () => redis.collect(),
		errors: cachedByStat([logs('errors.log'), logs('errors.log.1')], async () => {
			// `health` reports a missing errors.log under log files; the error feed says it itself.
			if (!existsSync(logs('errors.log')) && !existsSync(logs('errors.log.1'))) {
				return fail('missing');
			}

			return collectRecentErrors([logs('errors.log'), logs('errors.log.1')], ERROR_FEED_SIZE);
		}),
		// One read serves both the cameras and the issues pane.
		events: cachedByStat([logs('camera_system.log')], async () => collectRecentEvents(logs('camera_system.log'))),
		metrics: cachedByStat([logs('performance.log')], async () => collectRecentMetrics(logs('performance.log'), METRIC_HISTORY)),
		close: async () => redis.close(),
	};
}
