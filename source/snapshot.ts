import path from 'node:path';
import os from 'node:os';
import type {Config} from './config.js';
import {ResourcesCollector, type Resources} from './collectors/resources.js';
import {ProcessCollector, type WatchedProcess} from './collectors/processes.js';
import {RedisCollector, type RedisInfo} from './collectors/redis.js';
import {collectLogFiles, type LogFileInfo} from './collectors/log-files.js';
import {collectRecentErrors, type RecentErrors} from './collectors/recent-errors.js';
import {fail, ok, withDeadline, type Result} from './collectors/result.js';
import {urlSecrets} from './text/redact.js';
import {
	checkLogFiles, checkProcesses, checkRecentErrors, checkRedis, checkResources, worst, type Check, type Status,
} from './checks.js';

/** One part of the Snapshot: its data, or why there is none, and what that means. */
export type Section<T> = Check & {result: Result<T>};

/**
How the box is, at one moment: every view (health, the TUI, /metrics, alerts) reads this, so none can disagree.
*/
export type Snapshot = {
	checkedAt: number;
	host: string;
	status: Status;
	resources: Section<Resources>;
	processes: Section<WatchedProcess[]>;
	redis: Section<RedisInfo>;
	logFiles: Section<LogFileInfo[]>;
	recentErrors: Section<RecentErrors>;
};

/** A collector that has not answered by then is reported as unknown, milliseconds. */
const COLLECTOR_DEADLINE_MS = 1200;

/**
Runs every collector at once and evaluates the result against the thresholds. Keep one for the life of a view:
CPU deltas, restart counts and the Redis connection carry over from one call to the next.
*/
export class SnapshotCollector {
	readonly #config: Config;
	readonly #resources: ResourcesCollector;
	readonly #processes: ProcessCollector;
	readonly #redis: RedisCollector;

	constructor(config: Config, {discoveryIntervalMs}: {discoveryIntervalMs?: number} = {}) {
		this.#config = config;
		this.#resources = new ResourcesCollector({logsDir: config.logs});
		this.#processes = new ProcessCollector({names: config.processes, discoveryIntervalMs, secrets: urlSecrets(config.redis)});
		this.#redis = new RedisCollector(config.redis);
	}

	async collect(): Promise<Snapshot> {
		const {logs, legacyLog, thresholds, recentErrors: count} = this.#config;
		const [resources, processes, redis, logFiles, recentErrors] = await Promise.all([
			bounded(this.#resources.collect()),
			bounded(this.#processes.collect()),
			this.#redis.collect().then(info => ok(info)),
			bounded(collectLogFiles({logsDir: logs, legacyLog, staleLogSeconds: thresholds.staleLogSeconds})),
			bounded(collectRecentErrors([path.join(logs, 'errors.log'), path.join(logs, 'errors.log.1')], count)),
		]);
		const now = Date.now();
		const sections = {
			resources: section('resources', resources, data => checkResources(data, thresholds)),
			processes: section('processes', processes, data => checkProcesses(data)),
			redis: section('redis', redis, data => checkRedis(data, thresholds, now)),
			logFiles: section('log files', logFiles, data => checkLogFiles(data)),
			recentErrors: section('recent errors', recentErrors, data => checkRecentErrors(data, thresholds, now)),
		};
		return {
			checkedAt: now,
			host: resources.ok ? resources.data.host : os.hostname(),
			status: worst(Object.values(sections).map(part => part.status)),
			...sections,
		};
	}

	async close(): Promise<void> {
		await this.#redis.close();
	}
}

async function bounded<T>(promise: Promise<Result<T>>): Promise<Result<T>> {
	return withDeadline(promise, COLLECTOR_DEADLINE_MS, () => fail(`no answer within ${COLLECTOR_DEADLINE_MS} ms`));
}

function section<T>(label: string, result: Result<T>, check: (data: T) => Check): Section<T> {
	return result.ok ? {...check(result.data), result} : {status: 'unknown', reasons: [`${label}: ${result.error}`], result};
}
