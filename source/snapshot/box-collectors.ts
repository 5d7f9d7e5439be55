import type {WatchConfig} from '../config/types.js';
import {ResourcesCollector, type Resources} from '../collectors/resources.js';
import {ProcessCollector, type WatchedProcess} from '../collectors/processes.js';
import {RedisCollector, type RedisInfo} from '../collectors/redis.js';
import {collectLogFiles, type LogFileInfo} from '../collectors/log-files.js';
import {urlSecrets} from '../text/redact.js';
import {withDeadline} from '../base/deadline.js';
import {fail, type Result} from '../base/result.js';

/** A collector that has not answered by then is reported as unknown, milliseconds. */
export const COLLECTOR_DEADLINE_MS = 1200;

export type BoxCollectorsOptions = {
	/** How often the process list is read to find the watched processes' pids, ms (ProcessCollector's default when unset). */
	discoveryIntervalMs?: number | undefined;
};

/**
The box's collectors, built in one place for every view (`health`, the TUI, `camtop export`). Keep one for the life
of a view: CPU deltas, restart counts and the Redis connection carry over from one call to the next. Each collector's
last answer is kept, so a view can judge the box from what it already collected without asking twice.
*/
export class BoxCollectors {
	readonly last: {resources?: Result<Resources>; processes?: Result<WatchedProcess[]>; redis?: RedisInfo} = {};
	readonly #config: WatchConfig;
	readonly #resources: ResourcesCollector;
	readonly #processes: ProcessCollector;
	readonly #redis: RedisCollector;

	constructor(config: WatchConfig, {discoveryIntervalMs}: BoxCollectorsOptions = {}) {
		this.#config = config;
		this.#resources = new ResourcesCollector({logsDir: config.logs});
		this.#processes = new ProcessCollector({names: config.processes, discoveryIntervalMs, secrets: urlSecrets(config.redis)});
		this.#redis = new RedisCollector(config.redis);
	}

	async resources(): Promise<Result<Resources>> {
		this.last.resources = await this.#resources.collect();
		return this.last.resources;
	}

	async processes(): Promise<Result<WatchedProcess[]>> {
		this.last.processes = await this.#processes.collect();
		return this.last.processes;
	}

	/** Never fails: a Redis that does not answer is a state of Redis (down, not responding), not a missing answer. */
	async redis(): Promise<RedisInfo> {
		this.last.redis = await this.#redis.collect();
		return this.last.redis;
	}

	/** The log files looked at now: a few stats. */
	async logFiles(): Promise<Result<LogFileInfo[]>> {
		const {logs, legacyLog, thresholds} = this.#config;
		return bounded(collectLogFiles({logsDir: logs, legacyLog, staleLogSeconds: thresholds.staleLogSeconds}));
	}

	async close(): Promise<void> {
		await this.#redis.close();
	}
}

/** `promise`'s answer, or a failure saying it did not come within COLLECTOR_DEADLINE_MS. */
export async function bounded<T>(promise: Promise<Result<T>>): Promise<Result<T>> {
	return withDeadline(promise, COLLECTOR_DEADLINE_MS, () => fail(`no answer within ${COLLECTOR_DEADLINE_MS} ms`));
}
