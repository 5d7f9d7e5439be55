import {
	Counter, Gauge, Registry, collectDefaultMetrics,
} from 'prom-client';
import type {CrashLoop} from '../config/types.js';
import {EXIT_CODES, isCrashLooping} from '../snapshot/checks.js';
import {processTotals} from '../collectors/processes.js';
import {CAMERA_STATES} from '../collectors/camera-state.js';
import {timedFunction, type Observation} from '../snapshot/observation.js';
import type {AlertState} from '../alerts/engine.js';

/** Label values come from logs and config: cut to this many characters so one runaway name cannot bloat a scrape. */
const MAX_LABEL_CHARS = 128;

/** One line on /metrics per firing or pending alert. */
export type AlertSample = Pick<AlertState, 'rule' | 'instance' | 'state'>;
export type NotificationStats = {sent: number; failed: number; dropped: number};

type Labels = Record<string, string>;

/**
Every metric the exporter serves, registered at start so that a scrape names them all (with HELP and TYPE) even before
they have a value: dashboards and rules can be checked against one list. Counters are kept by their sources (feeds,
collectors) and only shown here.
*/
export const METRICS = {
	// The exporter and the overall judgement
	camtop_info: {type: 'gauge', help: 'camtop version and the box host name', labels: ['version', 'host']},
	camtop_health_status: {type: 'gauge', help: 'Overall health as health exits: 0 ok, 1 warning, 2 critical, 3 unknown', labels: []},
	camtop_check_status: {type: 'gauge', help: 'Each check as health judges it: 0 ok, 1 warning, 2 critical, 3 unknown', labels: ['check']},
	camtop_collect_duration_seconds: {type: 'gauge', help: 'How long the last collection took', labels: []},
	camtop_last_collect_timestamp_seconds: {type: 'gauge', help: 'When the last collection finished', labels: []},
	camtop_collections_total: {type: 'counter', help: 'Collections since the exporter started', labels: []},
	// Resources
	camtop_cpu_usage_ratio: {type: 'gauge', help: 'Busy share of all cores over the last interval, 0–1', labels: []},
	camtop_cpu_core_usage_ratio: {type: 'gauge', help: 'Busy share of each core over the last interval, 0–1', labels: ['core']},
	camtop_load1: {type: 'gauge', help: '1-minute load average', labels: []},
	camtop_load5: {type: 'gauge', help: '5-minute load average', labels: []},
	camtop_load15: {type: 'gauge', help: '15-minute load average', labels: []},
	camtop_memory_total_bytes: {type: 'gauge', help: 'Memory installed', labels: []},
	camtop_memory_used_bytes: {type: 'gauge', help: 'Memory in use (total − available)', labels: []},
	camtop_memory_available_bytes: {type: 'gauge', help: 'Memory available to new work (MemAvailable)', labels: []},
	camtop_memory_usage_ratio: {type: 'gauge', help: 'Memory in use, 0–1', labels: []},
	camtop_swap_total_bytes: {type: 'gauge', help: 'Swap configured', labels: []},
	camtop_swap_used_bytes: {type: 'gauge', help: 'Swap in use', labels: []},
	camtop_disk_total_bytes: {type: 'gauge', help: 'Size of the volume holding the logs', labels: ['path']},
	camtop_disk_used_bytes: {type: 'gauge', help: 'Used space of the volume holding the logs', labels: ['path']},
	camtop_disk_free_bytes: {type: 'gauge', help: 'Space left to unprivileged writers on the volume holding the logs', labels: ['path']},
	camtop_disk_usage_ratio: {type: 'gauge', help: 'Used share of the volume holding the logs, 0–1', labels: ['path']},
	camtop_uptime_seconds: {type: 'gauge', help: 'Time since the box booted', labels: []},
	camtop_temperature_celsius: {type: 'gauge', help: 'CPU temperature', labels: []},
	// Watched processes (label: the configured name)
	camtop_process_up: {type: 'gauge', help: 'Whether a watched process runs: 1 yes, 0 no', labels: ['process']},
	camtop_process_instances: {type: 'gauge', help: 'Running instances of each watched process', labels: ['process']},
	camtop_process_cpu_usage_ratio: {type: 'gauge', help: 'CPU of all instances, in cores (1 = one core busy)', labels: ['process']},
	camtop_process_resident_memory_bytes: {type: 'gauge', help: 'Resident memory of all instances', labels: ['process']},
	camtop_process_resident_memory_growth_bytes_per_second: {type: 'gauge', help: 'Resident memory growth: least-squares slope over camtop\'s RSS history (memory_growth)', labels: ['process']},
	camtop_process_threads: {type: 'gauge', help: 'Threads of all instances', labels: ['process']},
	camtop_process_uptime_seconds: {type: 'gauge', help: 'Age of the oldest instance', labels: ['process']},
	camtop_process_restarts_total: {type: 'counter', help: 'Times a new process took the place of one seen before, since the exporter started', labels: ['process']},
	camtop_process_crash_looping: {type: 'gauge', help: 'Whether it restarted crashLoop.restarts times within crashLoop.minutes: 1 yes, 0 no', labels: ['process']},
	// Redis (never its URL)
	camtop_redis_ping_seconds: {type: 'gauge', help: 'PING round trip', labels: []},
	camtop_redis_connected_clients: {type: 'gauge', help: 'Clients connected to Redis (INFO connected_clients)', labels: []},
	camtop_redis_used_memory_bytes: {type: 'gauge', help: 'Memory Redis uses (INFO used_memory)', labels: []},
	camtop_redis_maxmemory_bytes: {type: 'gauge', help: 'Redis memory limit, 0 for none (INFO maxmemory)', labels: []},
	camtop_redis_instantaneous_ops_per_second: {type: 'gauge', help: 'Commands per second as Redis measures it (INFO instantaneous_ops_per_sec)', labels: []},
	camtop_redis_pubsub_channels: {type: 'gauge', help: 'Channels with subscribers (INFO pubsub_channels)', labels: []},
	camtop_redis_pubsub_patterns: {type: 'gauge', help: 'Pattern subscriptions (INFO pubsub_patterns)', labels: []},
	camtop_redis_up: {type: 'gauge', help: 'Whether Redis answers PING in time: 1 yes, 0 no (down or not responding)', labels: []},
	// Log files (label: the file name)
	camtop_log_file_exists: {type: 'gauge', help: 'Whether the log file exists: 1 yes, 0 no', labels: ['file']},
	camtop_log_file_size_bytes: {type: 'gauge', help: 'Size of the log file (rotated siblings not included)', labels: ['file']},
	camtop_log_file_modified_timestamp_seconds: {type: 'gauge', help: 'Last write to the log file', labels: ['file']},
	camtop_log_file_stale: {type: 'gauge', help: 'A log that should be written regularly was not for staleLogSeconds: 1 yes, 0 no', labels: ['file']},
	// What the live log feeds counted
	camtop_log_errors_total: {type: 'counter', help: 'ERROR and CRITICAL records written to errors.log since the exporter started', labels: ['level']},
	camtop_log_errors_last_minute: {type: 'gauge', help: 'ERROR and CRITICAL records of errors.log stamped within the last 60 s', labels: []},
	camtop_issues_total: {type: 'counter', help: 'ISSUE records of camera_system.log since the exporter started, by type', labels: ['issue_type']},
	camtop_service_up: {type: 'gauge', help: 'The latest CONNECTION record of each service: 1 connected, 0 not', labels: ['service']},
	camtop_service_state_changes_total: {type: 'counter', help: 'CONNECTION state changes of each service since the exporter started', labels: ['service']},
	camtop_perf_value: {type: 'gauge', help: 'The newest value of each PERF metric of performance.log, in its own unit', labels: ['metric']},
	camtop_function_duration_seconds: {type: 'gauge', help: 'The newest duration of each timed function (PERF NAME_duration)', labels: ['function']},
	// Cameras (label: the configured name, never the URL)
	camtop_camera_state: {type: 'gauge', help: 'Each camera\'s state: 1 for the current one, 0 for the others', labels: ['camera', 'state']},
	camtop_camera_up: {type: 'gauge', help: 'Whether the camera delivers: 1 LIVE or DEGRADED, 0 otherwise', labels: ['camera']},
	camtop_camera_probe_up: {type: 'gauge', help: 'Whether the last probe of the camera URL succeeded: 1 yes, 0 no', labels: ['camera']},
	camtop_camera_probe_latency_seconds: {type: 'gauge', help: 'Probe start to the camera\'s first answer', labels: ['camera']},
	camtop_camera_probe_frames_per_second: {type: 'gauge', help: 'MJPEG frames per second counted by the last probe', labels: ['camera']},
	camtop_camera_channel_messages_total: {type: 'counter', help: 'Messages received on the camera\'s Redis channel since the exporter subscribed', labels: ['camera']},
	camtop_camera_channel_messages_per_second: {type: 'gauge', help: 'Messages per second on the camera\'s Redis channel', labels: ['camera']},
	camtop_camera_channel_bytes_per_second: {type: 'gauge', help: 'Bytes per second on the camera\'s Redis channel', labels: ['camera']},
	camtop_camera_channel_last_message_timestamp_seconds: {type: 'gauge', help: 'When the last message arrived on the camera\'s channel', labels: ['camera']},
	camtop_camera_channel_subscribers: {type: 'gauge', help: 'Subscribers of the camera\'s channel (PUBSUB NUMSUB, camtop included)', labels: ['camera']},
	// camtop's own alerts
	camtop_alert_firing: {type: 'gauge', help: 'camtop\'s own alerts: 1 firing, 0 pending (breaching, not yet for long enough)', labels: ['alert', 'instance']},
	camtop_alert_notifications_total: {type: 'counter', help: 'Alert notifications: sent, failed attempts (retried), dropped after the last retry', labels: ['outcome']},
} as const satisfies Record<string, {type: 'gauge' | 'counter'; help: string; labels: readonly string[]}>;

export type MetricName = keyof typeof METRICS;

/**
The Observation in Prometheus' terms: `camtop_` names, base units (ratios 0–1, seconds, bytes), `_total` counters and
labels for process, camera, service, file, issue type and metric. Values are set when an Observation arrives, so a
scrape only formats what is there and never waits on a collector. No URL is ever a label value: Redis and cameras
are known by name.
*/
export class SnapshotMetrics {
	readonly registry = new Registry();
	readonly #metrics = new Map<MetricName, Gauge | Counter>();
	readonly #version: string;
	readonly #crashLoop: CrashLoop;
	#collections = 0;

	constructor({version, crashLoop, defaultMetrics = true}: {version: string; crashLoop: CrashLoop; defaultMetrics?: boolean}) {
		this.#version = version;
		this.#crashLoop = crashLoop;
		if (defaultMetrics) {
			// The exporter's own cost (process_cpu_seconds_total, process_resident_memory_bytes, …), read at scrape time.
			// Event-loop lag sampled every 10 ms (prom-client's default) wakes Node 100 times a second: 0.65 % of a core on
			// its own (measured idle, /proc stat over 20 s). Once a second is enough for an exporter's own lag.
			collectDefaultMetrics({register: this.registry, eventLoopMonitoringPrecision: 1000});
			// Gauges named like counters: `promtool check metrics` rejects them, and they say little about an exporter.
			for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
				this.registry.removeSingleMetric(name);
			}
		}

		for (const [name, {type, help, labels}] of Object.entries(METRICS) as Array<[MetricName, typeof METRICS[MetricName]]>) {
			const options = {
				name, help, labelNames: [...labels], registers: [this.registry],
			};
			this.#metrics.set(name, type === 'counter' ? new Counter(options) : new Gauge(options));
		}
	}

	/** Replaces every camtop_ value with those of `observation`: instances that went away go away. */
	update(observation: Observation, {collectSeconds, alerts = [], notifications}: {collectSeconds: number; alerts?: AlertSample[]; notifications?: NotificationStats}): void {
		for (const metric of this.#metrics.values()) {
			metric.reset();
		}

		const {snapshot, activity} = observation;
		this.#collections++;
		this.#set('camtop_info', {version: this.#version, host: snapshot.host}, 1);
		this.#set('camtop_health_status', {}, EXIT_CODES[snapshot.status]);
		const checks = {
			resources: snapshot.resources,
			processes: snapshot.processes,
			redis: snapshot.redis,
			log_files: snapshot.logFiles,
			recent_errors: snapshot.recentErrors,
			cameras: snapshot.cameras,
		};
		for (const [check, part] of Object.entries(checks)) {
			this.#set('camtop_check_status', {check}, EXIT_CODES[part.status]);
		}

		this.#set('camtop_collect_duration_seconds', {}, collectSeconds);
		this.#set('camtop_last_collect_timestamp_seconds', {}, observation.at / 1000);
		this.#set('camtop_collections_total', {}, this.#collections);

		this.#resources(observation);
		this.#processes(observation);
		this.#redis(observation);
		this.#logFiles(observation);
		this.#cameras(observation);

		for (const {level, count} of activity.errorsTotal ?? []) {
			this.#set('camtop_log_errors_total', {level}, count);
		}

		if (activity.errorsLastMinute !== null) {
			this.#set('camtop_log_errors_last_minute', {}, activity.errorsLastMinute);
		}

		for (const {issueType, count} of activity.issuesTotal ?? []) {
			this.#set('camtop_issues_total', {issue_type: issueType}, count);
		}

		for (const service of activity.services ?? []) {
			this.#set('camtop_service_up', {service: service.service}, service.up ? 1 : 0);
			this.#set('camtop_service_state_changes_total', {service: service.service}, service.changesTotal);
		}

		for (const perf of activity.metrics ?? []) {
			this.#set('camtop_perf_value', {metric: perf.metric}, perf.value);
			const timed = timedFunction(perf);
			if (timed !== undefined) {
				this.#set('camtop_function_duration_seconds', {function: timed.function}, timed.seconds);
			}
		}

		for (const alert of alerts) {
			this.#set('camtop_alert_firing', {alert: alert.rule, instance: alert.instance}, alert.state === 'firing' ? 1 : 0);
		}

		if (notifications !== undefined) {
			for (const outcome of ['sent', 'failed', 'dropped'] as const) {
				this.#set('camtop_alert_notifications_total', {outcome}, notifications[outcome]);
			}
		}
	}

	async text(): Promise<string> {
		return this.registry.metrics();
	}

	#resources({snapshot}: Observation): void {
		if (!snapshot.resources.result.ok) {
			return;
		}

		const {data} = snapshot.resources.result;
		this.#set('camtop_cpu_usage_ratio', {}, data.cpu.percent / 100);
		for (const [core, percent] of data.cpu.cores.entries()) {
			this.#set('camtop_cpu_core_usage_ratio', {core: String(core)}, percent / 100);
		}

		this.#set('camtop_load1', {}, data.load[0]);
		this.#set('camtop_load5', {}, data.load[1]);
		this.#set('camtop_load15', {}, data.load[2]);
		this.#set('camtop_memory_total_bytes', {}, data.memory.totalBytes);
		this.#set('camtop_memory_used_bytes', {}, data.memory.usedBytes);
		this.#set('camtop_memory_available_bytes', {}, data.memory.availableBytes);
		this.#set('camtop_memory_usage_ratio', {}, data.memory.percent / 100);
		this.#set('camtop_swap_total_bytes', {}, data.swap.totalBytes);
		this.#set('camtop_swap_used_bytes', {}, data.swap.usedBytes);
		const disk = {path: data.disk.path};
		this.#set('camtop_disk_total_bytes', disk, data.disk.totalBytes);
		this.#set('camtop_disk_used_bytes', disk, data.disk.usedBytes);
		this.#set('camtop_disk_free_bytes', disk, data.disk.freeBytes);
		this.#set('camtop_disk_usage_ratio', disk, data.disk.percent / 100);
		this.#set('camtop_uptime_seconds', {}, data.uptimeSeconds);
		if (data.temperatureCelsius !== null) {
			this.#set('camtop_temperature_celsius', {}, data.temperatureCelsius);
		}
	}

	#processes({snapshot, at}: Observation): void {
		if (!snapshot.processes.result.ok) {
			return;
		}

		for (const watched of snapshot.processes.result.data) {
			const labels = {process: watched.name};
			const totals = processTotals(watched);
			this.#set('camtop_process_up', labels, watched.running ? 1 : 0);
			this.#set('camtop_process_instances', labels, watched.instances.length);
			if (totals.cpuPercent !== null) {
				this.#set('camtop_process_cpu_usage_ratio', labels, totals.cpuPercent / 100);
			}

			this.#set('camtop_process_resident_memory_bytes', labels, totals.rssBytes);
			if (totals.rssGrowthBytesPerHour !== null) {
				this.#set('camtop_process_resident_memory_growth_bytes_per_second', labels, totals.rssGrowthBytesPerHour / 3600);
			}

			this.#set('camtop_process_threads', labels, totals.threads);
			if (totals.uptimeSeconds !== null) {
				this.#set('camtop_process_uptime_seconds', labels, totals.uptimeSeconds);
			}

			this.#set('camtop_process_restarts_total', labels, watched.restarts);
			this.#set('camtop_process_crash_looping', labels, isCrashLooping(watched, this.#crashLoop, at) ? 1 : 0);
		}
	}

	#redis({snapshot}: Observation): void {
		if (!snapshot.redis.result.ok) {
			return;
		}

		const redis = snapshot.redis.result.data;
		this.#set('camtop_redis_up', {}, redis.state === 'up' ? 1 : 0);
		const optional: Array<[MetricName, number | null]> = [
			['camtop_redis_ping_seconds', redis.pingMs === null ? null : redis.pingMs / 1000],
			['camtop_redis_connected_clients', redis.connectedClients],
			['camtop_redis_used_memory_bytes', redis.usedMemoryBytes],
			['camtop_redis_maxmemory_bytes', redis.maxMemoryBytes],
			['camtop_redis_instantaneous_ops_per_second', redis.opsPerSecond],
			['camtop_redis_pubsub_channels', redis.pubsubChannels],
			['camtop_redis_pubsub_patterns', redis.pubsubPatterns],
		];
		for (const [name, value] of optional) {
			if (value !== null && redis.state === 'up') {
				this.#set(name, {}, value);
			}
		}
	}

	#logFiles({snapshot}: Observation): void {
		if (!snapshot.logFiles.result.ok) {
			return;
		}

		for (const file of snapshot.logFiles.result.data) {
			const labels = {file: file.name};
			this.#set('camtop_log_file_exists', labels, file.exists ? 1 : 0);
			if (file.exists) {
				this.#set('camtop_log_file_size_bytes', labels, file.sizeBytes);
			}

			if (file.modifiedAt !== null) {
				this.#set('camtop_log_file_modified_timestamp_seconds', labels, file.modifiedAt / 1000);
			}

			this.#set('camtop_log_file_stale', labels, file.stale ? 1 : 0);
		}
	}

	#cameras({snapshot}: Observation): void {
		if (!snapshot.cameras.result.ok) {
			return;
		}

		for (const camera of snapshot.cameras.result.data) {
			const labels = {camera: camera.name};
			for (const state of CAMERA_STATES) {
				this.#set('camtop_camera_state', {camera: camera.name, state}, camera.state === state ? 1 : 0);
			}

			this.#set('camtop_camera_up', labels, camera.state === 'LIVE' || camera.state === 'DEGRADED' ? 1 : 0);
			const {probe, stream} = camera;
			if (probe !== null) {
				this.#set('camtop_camera_probe_up', labels, probe.ok ? 1 : 0);
				if (probe.latencyMs !== null) {
					this.#set('camtop_camera_probe_latency_seconds', labels, probe.latencyMs / 1000);
				}

				if (probe.fps !== null) {
					this.#set('camtop_camera_probe_frames_per_second', labels, probe.fps);
				}
			}

			if (stream !== null) {
				this.#set('camtop_camera_channel_messages_total', labels, stream.messages);
				this.#set('camtop_camera_channel_messages_per_second', labels, stream.messagesPerSecond);
				this.#set('camtop_camera_channel_bytes_per_second', labels, stream.bytesPerSecond);
				if (stream.lastMessageAt !== null) {
					this.#set('camtop_camera_channel_last_message_timestamp_seconds', labels, stream.lastMessageAt / 1000);
				}

				if (stream.subscribers !== null) {
					this.#set('camtop_camera_channel_subscribers', labels, stream.subscribers);
				}
			}
		}
	}

	/** A gauge's value, or a counter's total as its source counts it. Non-finite values are left out. */
	#set(name: MetricName, labels: Labels, value: number): void {
		const metric = this.#metrics.get(name)!;
		if (!Number.isFinite(value)) {
			return;
		}

		if (metric instanceof Counter) {
			if (value >= 0) {
				metric.inc(cut(labels), value);
			}
		} else {
			metric.set(cut(labels), value);
		}
	}
}

function cut(labels: Labels): Labels {
	const result: Labels = {};
	for (const [key, value] of Object.entries(labels)) {
		result[key] = value.length > MAX_LABEL_CHARS ? value.slice(0, MAX_LABEL_CHARS) : value;
	}

	return result;
}
