import type {CrashLoop, Thresholds} from '../config/types.js';
import type {CameraState} from '../collectors/camera-state.js';
import {timedFunction, type Observation} from '../snapshot/observation.js';
import {processTotals} from '../collectors/processes.js';
import {formatDuration, formatGrowth} from '../text/format.js';

export type RuleMetric = 'cpu_percent' | 'memory_percent' | 'disk_percent' | 'redis_down' | 'redis_ping_ms' | 'process_down'
	| 'process_crash_loop' | 'rss_growth_mib_per_hour' | 'camera_state' | 'log_stale' | 'error_rate' | 'queue_depth' | 'function_seconds';

export type Severity = 'warning' | 'critical';

/** Where an alert is sent: a webhook (Slack-compatible JSON POST) or a program run without a shell. */
export type AlertTarget = {kind: 'webhook'; url: string; headers: Record<string, string>} | {kind: 'command'; argv: string[]};

/** A rule with every default filled in. */
export type AlertRule = {
	name: string;
	metric: RuleMetric;
	/** A value at or above this starts a breach. */
	fire: number;
	/** A firing alert resolves once the value is at or below this (≤ fire: the band between keeps it firing). */
	clear: number;
	/** How long a breach lasts before it fires, seconds; 0 fires at once. */
	forSeconds: number;
	severity: Severity;
	/** Only this instance (process, camera, log file or function name); undefined: all of them. */
	match: string | undefined;
	/** queue_depth: the PERF metric read. */
	perfMetric: string;
	/** camera_state: the states that count as down. */
	states: CameraState[];
	targets: AlertTarget[];
};

/** In the order the built-in rules are listed (and deploy/'s Prometheus rules mirror). */
export const RULE_METRICS: readonly RuleMetric[] = [
	'cpu_percent',
	'memory_percent',
	'disk_percent',
	'redis_down',
	'redis_ping_ms',
	'process_down',
	'process_crash_loop',
	'rss_growth_mib_per_hour',
	'camera_state',
	'log_stale',
	'error_rate',
	'queue_depth',
	'function_seconds',
];

export const DEFAULT_PERF_METRIC = 'queue_depth';
export const DEFAULT_CAMERA_STATES: readonly CameraState[] = ['STALLED', 'OFFLINE', 'FROZEN'];
/** A rule watches at most this many instances; the rest are ignored, so the alert state stays bounded. */
export const MAX_INSTANCES = 100;

/** The rule-file key that picks one instance, per metric that has instances. */
export const MATCH_KEYS: Partial<Record<RuleMetric, 'process' | 'camera' | 'file' | 'function'>> = {
	process_down: 'process',
	process_crash_loop: 'process',
	rss_growth_mib_per_hour: 'process',
	camera_state: 'camera',
	log_stale: 'file',
	function_seconds: 'function',
};

/** The built-in rule's name per metric: also the name of a user rule on that metric that gives none. */
export const BUILT_IN_NAMES: Record<RuleMetric, string> = {
	cpu_percent: 'cpu_high',
	memory_percent: 'memory_high',
	disk_percent: 'disk_full',
	redis_down: 'redis_down',
	redis_ping_ms: 'redis_slow',
	process_down: 'process_down',
	process_crash_loop: 'crash_loop',
	rss_growth_mib_per_hour: 'memory_growth',
	camera_state: 'camera_down',
	log_stale: 'log_stale',
	error_rate: 'error_rate',
	queue_depth: 'queue_full',
	function_seconds: 'slow_function',
};

export type RuleDefaults = Pick<AlertRule, 'fire' | 'clear' | 'forSeconds' | 'severity'>;

/** The built-in rule of a metric: its levels, duration (s) and severity; user rules on the metric default to these. */
export function ruleDefaults(metric: RuleMetric, thresholds: Thresholds, crashLoop: CrashLoop): RuleDefaults {
	switch (metric) {
		case 'cpu_percent': {
			return {
				fire: thresholds.cpuPercent.critical, clear: thresholds.cpuPercent.warning, forSeconds: 60, severity: 'critical',
			};
		}

		case 'memory_percent': {
			return {
				fire: thresholds.memoryPercent.critical, clear: thresholds.memoryPercent.warning, forSeconds: 60, severity: 'critical',
			};
		}

		case 'disk_percent': {
			return {
				fire: thresholds.diskPercent.critical, clear: thresholds.diskPercent.warning, forSeconds: 0, severity: 'critical',
			};
		}

		case 'redis_down': {
			return {
				fire: 1, clear: 0, forSeconds: 30, severity: 'critical',
			};
		}

		case 'redis_ping_ms': {
			return {
				fire: thresholds.redisPingMs.critical, clear: thresholds.redisPingMs.warning, forSeconds: 60, severity: 'warning',
			};
		}

		case 'process_down': {
			return {
				fire: 1, clear: 0, forSeconds: 30, severity: 'critical',
			};
		}

		case 'process_crash_loop': {
			return {
				fire: crashLoop.restarts, clear: 0, forSeconds: 0, severity: 'critical',
			};
		}

		// A slope exists from 30 min of RSS history on: 50 MiB/h held for 30 min more is 1 GiB in under a day.
		case 'rss_growth_mib_per_hour': {
			return {
				fire: 50, clear: 10, forSeconds: 1800, severity: 'warning',
			};
		}

		case 'camera_state': {
			return {
				fire: 1, clear: 0, forSeconds: 30, severity: 'critical',
			};
		}

		case 'log_stale': {
			return {
				fire: thresholds.staleLogSeconds, clear: thresholds.staleLogSeconds / 2, forSeconds: 0, severity: 'warning',
			};
		}

		case 'error_rate': {
			return {
				fire: 10, clear: 5, forSeconds: 60, severity: 'warning',
			};
		}

		case 'queue_depth': {
			return {
				fire: 100, clear: 50, forSeconds: 30, severity: 'warning',
			};
		}

		case 'function_seconds': {
			return {
				fire: 1, clear: 0.5, forSeconds: 60, severity: 'warning',
			};
		}
	}
}

/** The rules in force when the config file has no `alerts`; they send nowhere until `alertTargets` says where. */
export function builtInRules(thresholds: Thresholds, crashLoop: CrashLoop): AlertRule[] {
	return RULE_METRICS.map(metric => ({
		name: BUILT_IN_NAMES[metric],
		metric,
		...ruleDefaults(metric, thresholds, crashLoop),
		match: undefined,
		perfMetric: DEFAULT_PERF_METRIC,
		states: [...DEFAULT_CAMERA_STATES],
		targets: [],
	}));
}

const MIB = 1024 * 1024;

/** One instance's value at one moment; `detail` is what the summary says beyond the number (a camera's state). */
export type Sample = {instance: string; value: number; detail: string | null};

/**
What a rule reads from an Observation: one sample per instance it watches; undefined when its source has no data
this time (a collector failed, a log is not followed), so the alert keeps its state rather than flapping with a
collector. An empty list means the source answered and the instance is not there any more.
*/
export function measure(rule: AlertRule, observation: Observation, crashLoop: CrashLoop): Sample[] | undefined {
	const samples = rawSamples(rule, observation, crashLoop);
	return samples?.filter(sample => Number.isFinite(sample.value) && (rule.match === undefined || sample.instance === rule.match));
}

// eslint-disable-next-line complexity -- one case per metric a rule can watch: a table, read top to bottom
function rawSamples(rule: AlertRule, {at, snapshot, activity}: Observation, crashLoop: CrashLoop): Sample[] | undefined {
	const single = (value: number | null | undefined): Sample[] | undefined => value === null || value === undefined ? undefined : [{instance: '', value, detail: null}];
	const resources = snapshot.resources.result.ok ? snapshot.resources.result.data : undefined;
	switch (rule.metric) {
		case 'cpu_percent': {
			return single(resources?.cpu.percent);
		}

		case 'memory_percent': {
			return single(resources?.memory.percent);
		}

		case 'disk_percent': {
			return single(resources?.disk.percent);
		}

		case 'redis_down': {
			const {result} = snapshot.redis;
			return result.ok ? [{instance: '', value: result.data.state === 'up' ? 0 : 1, detail: result.data.state.replace('_', ' ')}] : undefined;
		}

		case 'redis_ping_ms': {
			const {result} = snapshot.redis;
			return result.ok && result.data.state === 'up' ? single(result.data.pingMs) : undefined;
		}

		case 'process_down': {
			const {result} = snapshot.processes;
			return result.ok ? result.data.map(watched => ({instance: watched.name, value: watched.running ? 0 : 1, detail: null})) : undefined;
		}

		case 'process_crash_loop': {
			const {result} = snapshot.processes;
			const since = at - (crashLoop.minutes * 60_000);
			return result.ok
				? result.data.map(watched => ({instance: watched.name, value: watched.restartTimes.filter(time => time >= since).length, detail: null}))
				: undefined;
		}

		case 'rss_growth_mib_per_hour': {
			// Only the processes with history enough for a slope: one that restarted starts again (its alert resolves).
			const {result} = snapshot.processes;
			return result.ok
				? result.data.flatMap(watched => {
					const growth = processTotals(watched).rssGrowthBytesPerHour;
					return growth === null ? [] : [{instance: watched.name, value: growth / MIB, detail: null}];
				})
				: undefined;
		}

		case 'camera_state': {
			const {result} = snapshot.cameras;
			return result.ok ? result.data.map(camera => ({instance: camera.name, value: rule.states.includes(camera.state) ? 1 : 0, detail: camera.state})) : undefined;
		}

		case 'log_stale': {
			const {result} = snapshot.logFiles;
			return result.ok
				? result.data.flatMap(file => file.expectsWrites && file.exists && file.secondsSinceWrite !== null
					? [{instance: file.name, value: file.secondsSinceWrite, detail: null}]
					: [])
				: undefined;
		}

		case 'error_rate': {
			return single(activity.errorsLastMinute);
		}

		case 'queue_depth': {
			if (activity.metrics === null) {
				return undefined;
			}

			const perf = activity.metrics.find(candidate => candidate.metric === rule.perfMetric);
			return perf === undefined ? [] : [{instance: '', value: perf.value, detail: null}];
		}

		case 'function_seconds': {
			return activity.metrics?.flatMap(perf => {
				const timed = timedFunction(perf);
				return timed === undefined ? [] : [{instance: timed.function, value: timed.seconds, detail: null}];
			});
		}
	}
}

/**
One human line on a sample, for people and chat: `cpu 96.2 % ≥ 95 %`, `process client.py down`, `camera yard STALLED`.
`firing` words it against the fire level, else against the clear level. Names only: never a URL.
*/
// eslint-disable-next-line complexity -- one case per metric a rule can watch: a table, read top to bottom
export function summarize(rule: AlertRule, sample: Sample, firing: boolean, crashLoop: CrashLoop): string {
	const {instance, value, detail} = sample;
	const against = (text: string, format: (level: number) => string) =>
		firing ? `${text} ≥ ${format(rule.fire)}` : `${text} ≤ ${format(rule.clear)}`;
	const percent = (label: string) => against(`${label} ${value.toFixed(1)} %`, level => `${level} %`);
	switch (rule.metric) {
		case 'cpu_percent': {
			return percent('cpu');
		}

		case 'memory_percent': {
			return percent('memory');
		}

		case 'disk_percent': {
			return percent('disk');
		}

		case 'redis_down': {
			return `redis ${detail ?? (value >= 1 ? 'down' : 'up')}`;
		}

		case 'redis_ping_ms': {
			return against(`redis ping ${Math.round(value)} ms`, level => `${level} ms`);
		}

		case 'process_down': {
			return `process ${instance} ${value >= 1 ? 'down' : 'running'}`;
		}

		case 'process_crash_loop': {
			return `process ${instance} restarted ${value} time${value === 1 ? '' : 's'} in ${crashLoop.minutes} min`;
		}

		case 'rss_growth_mib_per_hour': {
			return against(`process ${instance} memory ${formatGrowth(value * MIB)}`, level => `${level} MiB/h`);
		}

		case 'camera_state': {
			return `camera ${instance} ${detail ?? (value >= 1 ? 'down' : 'up')}`;
		}

		case 'log_stale': {
			return firing ? `${instance}: no write for ${formatDuration(value)}` : `${instance}: written ${formatDuration(value)} ago`;
		}

		case 'error_rate': {
			return against(`errors.log: ${Math.round(value)} errors/min`, String);
		}

		case 'queue_depth': {
			return against(`${rule.perfMetric} ${Number(value.toFixed(2))}`, String);
		}

		case 'function_seconds': {
			return `${instance} took ${value.toFixed(2)} s`;
		}
	}
}
