import {readFile} from 'node:fs/promises';
import {existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {redactUrl} from '../text/redact.js';
import {UsageError} from '../base/usage-error.js';
import {describeError} from '../base/errors.js';
import type {AlertRule, AlertTarget} from '../alerts/rules.js';
import {
	parseAlertRules, parseAlertTargets, resolveAlertRules, type RuleInput,
} from '../alerts/parse.js';
import {nonEmpty} from '../base/env.js';
import {Checker} from './checker.js';
import {
	DEFAULTS, MAX_INTERVAL_MS, MIN_INTERVAL_MS, type CameraConfig, type CrashLoop, type FleetConfig, type Levels, type Thresholds, type WatchConfig,
} from './types.js';

/** The config in force: what is watched, and the alert rules. */
export type Config = WatchConfig & {
	/** `camtop fleet`'s settings. */
	fleet: FleetConfig;
	/** The alert rules in force, defaults filled in: the file's `alerts`, else the built-in ones; [] when off. */
	alerts: AlertRule[];
	/** The config file that was read, if any. */
	file: string | undefined;
};

export type ConfigFlags = {
	config?: string | undefined;
	logs?: string | undefined;
	redis?: string | undefined;
	interval?: string | undefined;
	prometheus?: string | undefined;
};

export type ConfigSources = {
	flags: ConfigFlags;
	env: NodeJS.ProcessEnv;
	cwd: string;
};

/**
The config in force: flags beat environment beat file beat defaults.
Throws a UsageError, with a message fit to print as it is, for anything wrong.
*/
export async function loadConfig({flags, env, cwd}: ConfigSources): Promise<Config> {
	const file = findConfigFile(flags.config, env, cwd);
	const fromFile = file === undefined ? {} : parseConfigFile(file, await readConfigFile(file));
	const fileDir = file === undefined ? cwd : path.dirname(file);

	const logs = firstDefined(
		flags.logs === undefined ? undefined : path.resolve(cwd, flags.logs),
		nonEmpty(env.CAMTOP_LOGS) === undefined ? undefined : path.resolve(cwd, env.CAMTOP_LOGS!),
		fromFile.logs === undefined ? undefined : path.resolve(fileDir, fromFile.logs),
	) ?? path.resolve(cwd, DEFAULTS.logs);

	// Seed layout: the app's directory holds logs/ and the legacy greencam.log beside it.
	const legacyLog = fromFile.legacyLog === undefined
		? path.resolve(path.dirname(logs), DEFAULTS.legacyLog)
		: path.resolve(fileDir, fromFile.legacyLog);

	const redis = redisUrl(flags, env, fromFile);

	const intervalMs = flags.interval === undefined ? fromFile.intervalMs ?? DEFAULTS.intervalMs : parseInterval(flags.interval);

	const levels = (key: LevelKey): Levels => {
		const merged = {...DEFAULTS.thresholds[key], ...fromFile.thresholds?.[key]};
		if (merged.warning > merged.critical) {
			throw new UsageError(`${describe(file)}: thresholds.${key}.warning (${merged.warning}) is above critical (${merged.critical})`);
		}

		return merged;
	};

	const thresholds: Thresholds = {
		cpuPercent: levels('cpuPercent'),
		memoryPercent: levels('memoryPercent'),
		diskPercent: levels('diskPercent'),
		redisPingMs: levels('redisPingMs'),
		staleLogSeconds: fromFile.thresholds?.staleLogSeconds ?? DEFAULTS.thresholds.staleLogSeconds,
		recentErrorSeconds: fromFile.thresholds?.recentErrorSeconds ?? DEFAULTS.thresholds.recentErrorSeconds,
	};

	const crashLoop = {...DEFAULTS.crashLoop, ...fromFile.crashLoop};
	return {
		logs,
		legacyLog,
		redis,
		intervalMs,
		processes: fromFile.processes ?? [...DEFAULTS.processes],
		thresholds,
		recentErrors: fromFile.recentErrors ?? DEFAULTS.recentErrors,
		cameras: fromFile.cameras ?? [],
		crashLoop,
		fleet: fleetConfig(flags, env, fromFile, fileDir),
		alerts: resolveAlertRules({
			rules: fromFile.alerts, targets: fromFile.alertTargets ?? [], thresholds, crashLoop, where: describe(file),
		}),
		file,
	};
}

/** The Redis URL in force, checked; a bad one is named by where it came from. */
function redisUrl(flags: ConfigFlags, env: NodeJS.ProcessEnv, fromFile: FileConfig): string {
	if (flags.redis !== undefined) {
		checkRedisUrl(flags.redis, '--redis');
		return flags.redis;
	}

	const fromEnv = nonEmpty(env.REDIS_URL);
	if (fromEnv !== undefined) {
		checkRedisUrl(fromEnv, 'REDIS_URL');
		return fromEnv;
	}

	const url = fromFile.redis ?? DEFAULTS.redis;
	checkRedisUrl(url, 'redis');
	return url;
}

/** The fleet settings in force: the Prometheus URL from --prometheus, PROMETHEUS_URL or the file; files relative to the file. */
function fleetConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv, fromFile: FileConfig, fileDir: string): FleetConfig {
	const file = fromFile.fleet ?? {};
	const where = flags.prometheus === undefined ? (nonEmpty(env.PROMETHEUS_URL) === undefined ? 'fleet.prometheus' : 'PROMETHEUS_URL') : '--prometheus';
	const prometheus = flags.prometheus ?? nonEmpty(env.PROMETHEUS_URL) ?? file.prometheus;
	if (prometheus !== undefined) {
		checkHttpUrl(prometheus, where);
	}

	const resolve = (value: string | undefined) => (value === undefined ? undefined : path.resolve(fileDir, value));
	return {
		...DEFAULTS.fleet,
		...file,
		prometheus,
		tokenFile: resolve(file.tokenFile),
		passwordFile: resolve(file.passwordFile),
		exportTokenFile: resolve(file.exportTokenFile),
	};
}

/** Prometheus is asked over http(s): anything else is named by where it came from. */
export function checkHttpUrl(url: string, where: string): void {
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {}

	if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw new UsageError(`${where} must be an http:// or https:// URL (http://prometheus:9090), got "${redactUrl(url)}"`);
	}
}

function describe(file: string | undefined): string {
	return file === undefined ? 'config' : `config ${file}`;
}

function firstDefined<T>(...values: Array<T | undefined>): T | undefined {
	return values.find(value => value !== undefined);
}

/**
`--config`, else ./camtop.config.json, else $XDG_CONFIG_HOME/camtop/config.json (~/.config when unset), else none.
*/
export function findConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
	if (flag !== undefined) {
		const file = path.resolve(cwd, flag);
		if (!existsSync(file)) {
			throw new UsageError(`config file not found: ${file}`);
		}

		return file;
	}

	const local = path.join(cwd, 'camtop.config.json');
	if (existsSync(local)) {
		return local;
	}

	const configHome = nonEmpty(env.XDG_CONFIG_HOME) ?? path.join(env.HOME ?? os.homedir(), '.config');
	const user = path.join(configHome, 'camtop', 'config.json');
	return existsSync(user) ? user : undefined;
}

async function readConfigFile(file: string): Promise<string> {
	try {
		return await readFile(file, 'utf8');
	} catch (error) {
		throw new UsageError(`cannot read config ${file}: ${describeError(error)}`);
	}
}

/**
`--interval`: whole milliseconds. meow would turn `abc` into null without a word, so the flag is a string checked here.
*/
export function parseInterval(text: string): number {
	const value = Number(text);
	if (text.trim() === '' || !Number.isInteger(value)) {
		throw new UsageError(`--interval takes whole milliseconds, got "${text}"`);
	}

	if (value < MIN_INTERVAL_MS || value > MAX_INTERVAL_MS) {
		throw new UsageError(`--interval must be between ${MIN_INTERVAL_MS} and ${MAX_INTERVAL_MS} ms, got ${value}`);
	}

	return value;
}

function checkRedisUrl(url: string, where: string): void {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new UsageError(`${where}: not a URL: "${redactUrl(url)}" (expected redis://[:password@]host[:port][/db])`);
	}

	if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
		throw new UsageError(`${where}: expected a redis:// or rediss:// URL, got "${redactUrl(url)}"`);
	}

	// Ioredis would send `SELECT NaN` for /abc and fail outside any promise we hold.
	if (!/^\/?\d*$/.test(parsed.pathname)) {
		throw new UsageError(`${where}: the database after the host must be a number, got "${redactUrl(url)}"`);
	}
}

/** The thresholds given as warning and critical levels. */
type LevelKey = 'cpuPercent' | 'memoryPercent' | 'diskPercent' | 'redisPingMs';

type FileConfig = {
	logs?: string;
	legacyLog?: string;
	redis?: string;
	intervalMs?: number;
	processes?: string[];
	thresholds?: Partial<Omit<Thresholds, LevelKey>> & Partial<Record<LevelKey, Partial<Levels>>>;
	recentErrors?: number;
	cameras?: CameraConfig[];
	crashLoop?: Partial<CrashLoop>;
	alerts?: RuleInput[];
	alertTargets?: AlertTarget[];
	fleet?: Partial<FleetConfig>;
};

/**
The config file's fields, checked. Unknown fields are errors: a misspelt threshold silently ignored is a surprise at 3 a.m.
*/
export function parseConfigFile(file: string, text: string): FileConfig {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (error) {
		throw new UsageError(`config ${file}: invalid JSON: ${(error as Error).message}`);
	}

	const check = new Checker(file);
	const root = check.object(json, '');
	check.knownKeys(root, '', ['$schema', 'logs', 'legacyLog', 'redis', 'intervalMs', 'processes', 'thresholds', 'recentErrors', 'cameras', 'crashLoop', 'alerts', 'alertTargets', 'fleet']);

	const result: FileConfig = {};
	if (root.logs !== undefined) {
		result.logs = check.string(root.logs, 'logs');
	}

	if (root.legacyLog !== undefined) {
		result.legacyLog = check.string(root.legacyLog, 'legacyLog');
	}

	if (root.redis !== undefined) {
		result.redis = check.string(root.redis, 'redis');
		checkRedisUrl(result.redis, `config ${file}: redis`);
	}

	if (root.intervalMs !== undefined) {
		result.intervalMs = check.number(root.intervalMs, 'intervalMs', MIN_INTERVAL_MS, MAX_INTERVAL_MS);
	}

	if (root.processes !== undefined) {
		const list = check.array(root.processes, 'processes');
		result.processes = list.map((item, index) => check.string(item, `processes[${index}]`));
	}

	if (root.recentErrors !== undefined) {
		result.recentErrors = check.number(root.recentErrors, 'recentErrors', 0, 1000);
	}

	if (root.thresholds !== undefined) {
		result.thresholds = parseThresholds(check, root.thresholds);
	}

	if (root.crashLoop !== undefined) {
		const crashLoop = check.object(root.crashLoop, 'crashLoop');
		check.knownKeys(crashLoop, 'crashLoop', ['restarts', 'minutes']);
		result.crashLoop = {};
		if (crashLoop.restarts !== undefined) {
			result.crashLoop.restarts = check.number(crashLoop.restarts, 'crashLoop.restarts', 1, 1000);
		}

		if (crashLoop.minutes !== undefined) {
			result.crashLoop.minutes = check.number(crashLoop.minutes, 'crashLoop.minutes', 0.1, 1440);
		}
	}

	if (root.cameras !== undefined) {
		result.cameras = check.array(root.cameras, 'cameras').map((item, index) => parseCamera(check, item, `cameras[${index}]`));
	}

	if (root.fleet !== undefined) {
		result.fleet = parseFleet(check, root.fleet);
	}

	if (root.alerts !== undefined) {
		result.alerts = parseAlertRules(check, root.alerts);
	}

	if (root.alertTargets !== undefined) {
		result.alertTargets = parseAlertTargets(check, root.alertTargets, 'alertTargets');
	}

	return result;
}

function parseFleet(check: Checker, value: unknown): Partial<FleetConfig> {
	const object = check.object(value, 'fleet');
	const strings = ['prometheus', 'job', 'tokenFile', 'user', 'passwordFile', 'exportTokenFile'] as const;
	const numbers = {
		downAfterSeconds: [1, 86_400], staleCollectSeconds: [1, 86_400], scrapeIntervalSeconds: [1, 3600], timeoutMs: [100, 120_000], refreshMs: [MIN_INTERVAL_MS, MAX_INTERVAL_MS],
	} as const;
	check.knownKeys(object, 'fleet', [...strings, ...Object.keys(numbers)]);
	const result: Partial<FleetConfig> = {};
	for (const key of strings) {
		if (object[key] !== undefined) {
			result[key] = check.string(object[key], `fleet.${key}`);
		}
	}

	if (result.prometheus !== undefined) {
		checkHttpUrl(result.prometheus, `config ${check.file}: fleet.prometheus`);
	}

	for (const [key, [min, max]] of Object.entries(numbers) as Array<[keyof typeof numbers, readonly [number, number]]>) {
		if (object[key] !== undefined) {
			result[key] = check.number(object[key], `fleet.${key}`, min, max);
		}
	}

	return result;
}

function parseThresholds(check: Checker, value: unknown): NonNullable<FileConfig['thresholds']> {
	const object = check.object(value, 'thresholds');
	const levelKeys = ['cpuPercent', 'memoryPercent', 'diskPercent', 'redisPingMs'] as const;
	check.knownKeys(object, 'thresholds', [...levelKeys, 'staleLogSeconds', 'recentErrorSeconds']);
	const result: NonNullable<FileConfig['thresholds']> = {};
	for (const key of levelKeys) {
		if (object[key] !== undefined) {
			const levels = check.object(object[key], `thresholds.${key}`);
			check.knownKeys(levels, `thresholds.${key}`, ['warning', 'critical']);
			const max = key === 'redisPingMs' ? 60_000 : 100;
			const parsed: Partial<Levels> = {};
			if (levels.warning !== undefined) {
				parsed.warning = check.number(levels.warning, `thresholds.${key}.warning`, 0, max);
			}

			if (levels.critical !== undefined) {
				parsed.critical = check.number(levels.critical, `thresholds.${key}.critical`, 0, max);
			}

			result[key] = parsed;
		}
	}

	for (const key of ['staleLogSeconds', 'recentErrorSeconds'] as const) {
		if (object[key] !== undefined) {
			result[key] = check.number(object[key], `thresholds.${key}`, 1, 365 * 86_400);
		}
	}

	return result;
}

function parseCamera(check: Checker, value: unknown, where: string): CameraConfig {
	const object = check.object(value, where);
	check.knownKeys(object, where, ['name', 'url', 'channel', 'minFps', 'stallSeconds']);
	const camera: CameraConfig = {name: check.string(object.name, `${where}.name`)};
	if (object.url !== undefined) {
		camera.url = check.string(object.url, `${where}.url`);
		check.cameraUrl(camera.url, `${where}.url`);
	}

	if (object.channel !== undefined) {
		camera.channel = check.string(object.channel, `${where}.channel`);
	}

	if (object.minFps !== undefined) {
		camera.minFps = check.number(object.minFps, `${where}.minFps`, 0, 1000);
	}

	if (object.stallSeconds !== undefined) {
		camera.stallSeconds = check.number(object.stallSeconds, `${where}.stallSeconds`, 0.1, 86_400);
	}

	return camera;
}

