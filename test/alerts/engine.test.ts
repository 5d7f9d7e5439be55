import {describe, expect, it} from 'vitest';
import {AlertEngine, type AlertEvent} from '../../source/alerts/engine.js';
import {
	builtInRules, MAX_INSTANCES, type AlertRule, type RuleMetric,
} from '../../source/alerts/rules.js';
import {DEFAULTS} from '../../source/config/types.js';
import {fail, ok, type Result} from '../../source/base/result.js';
import type {Resources} from '../../source/collectors/resources.js';
import type {WatchedProcess} from '../../source/collectors/processes.js';
import type {RedisInfo} from '../../source/collectors/redis.js';
import type {LogFileInfo} from '../../source/collectors/log-files.js';
import type {CameraStatus} from '../../source/collectors/cameras.js';
import type {CameraState} from '../../source/collectors/camera-state.js';
import type {RecentErrors} from '../../source/logs/error-record.js';
import type {LogActivity, Observation, PerfValue} from '../../source/snapshot/observation.js';
import type {Section} from '../../source/snapshot/snapshot.js';

const thresholds = structuredClone(DEFAULTS.thresholds);
const crashLoop = {...DEFAULTS.crashLoop};
const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);

type Parts = {
	cpu?: number;
	disk?: number;
	processes?: Array<Partial<WatchedProcess> & {name: string}>;
	redis?: Partial<RedisInfo>;
	logFiles?: Array<Partial<LogFileInfo> & {name: string}>;
	cameras?: Array<{name: string; state: CameraState}>;
	activity?: Partial<LogActivity>;
};

function section<T>(data: T | undefined): Section<T> {
	const result: Result<T> = data === undefined ? fail('not collected') : ok(data);
	return {status: data === undefined ? 'unknown' : 'ok', reasons: [], result};
}

/** An Observation `seconds` after T0 with only the given parts collected: every other section failed. */
function observe(seconds: number, parts: Parts = {}): Observation {
	const resources: Resources | undefined = parts.cpu === undefined && parts.disk === undefined
		? undefined
		: {
			host: 'box', cpu: {percent: parts.cpu ?? 1, cores: []}, load: [0, 0, 0],
			memory: {
				totalBytes: 100, usedBytes: 10, availableBytes: 90, percent: 10,
			},
			swap: {totalBytes: 0, usedBytes: 0, percent: 0},
			disk: {
				path: '/', totalBytes: 100, usedBytes: parts.disk ?? 10, freeBytes: 100 - (parts.disk ?? 10), percent: parts.disk ?? 10,
			},
			uptimeSeconds: 1, temperatureCelsius: null,
		};
	const redis: RedisInfo | undefined = parts.redis === undefined
		? undefined
		: {
			url: 'redis://:hunter2@10.0.0.1:6379', state: 'up', pingMs: 1, version: null, role: null, connectedClients: null, usedMemoryBytes: null,
			maxMemoryBytes: null, opsPerSecond: null, pubsubChannels: null, pubsubPatterns: null, channelNames: [], lastError: null, downSince: null,
			...parts.redis,
		};
	return {
		at: T0 + (seconds * 1000),
		snapshot: {
			checkedAt: T0 + (seconds * 1000),
			host: 'box',
			status: 'ok',
			resources: section(resources),
			processes: section(parts.processes?.map(watched => ({
				running: true, instances: [], restarts: 0, restartTimes: [], ...watched,
			}))),
			redis: section(redis),
			logFiles: section(parts.logFiles?.map(file => ({
				path: `/logs/${file.name}`, exists: true, sizeBytes: 1, modifiedAt: 0, secondsSinceWrite: 1, stale: false, expectsWrites: true, rotated: [], error: null, ...file,
			}))),
			recentErrors: section<RecentErrors>(undefined),
			cameras: section(parts.cameras?.map((camera): CameraStatus => ({
				name: camera.name, url: 'rtsp://admin:pw@10.0.0.9/stream', channel: null, state: camera.state, reason: null, event: null, probe: null, stream: null,
			}))),
		},
		activity: {
			errorsLastMinute: null, errorsTotal: null, issuesTotal: null, services: null, metrics: null, ...parts.activity,
		},
	};
}

function rule(metric: RuleMetric, overrides: Partial<AlertRule> = {}): AlertRule {
	return {...builtInRules(thresholds, crashLoop).find(candidate => candidate.metric === metric)!, ...overrides};
}

function engine(rules: AlertRule[]) {
	const events: AlertEvent[] = [];
	const alerts = new AlertEngine(rules, {
		host: 'box', crashLoop, onEvent(event) {
			events.push(event);
		},
	});
	return {alerts, events};
}

const perf = (metric: string, value: number): PerfValue => ({
	metric, unit: metric.endsWith('_duration') ? 'seconds' : null, value, time: T0,
});

describe('AlertEngine', () => {
	it('fires once a breach has lasted `for`, and only once', () => {
		const {alerts, events} = engine([rule('cpu_percent')]);
		alerts.evaluate(observe(0, {cpu: 96.2}));
		expect(alerts.states()).toMatchObject([{
			rule: 'cpu_high', state: 'pending', since: T0, firedAt: null, value: 96.2,
		}]);
		alerts.evaluate(observe(30, {cpu: 97}));
		expect(events).toEqual([]);
		alerts.evaluate(observe(60, {cpu: 96.2}));
		alerts.evaluate(observe(61, {cpu: 99}));
		expect(events).toHaveLength(1);
		expect(events[0]).toEqual({
			status: 'firing', alert: 'cpu_high', metric: 'cpu_percent', instance: '', severity: 'critical', host: 'box', value: 96.2,
			fire: 95, clear: 80, forSeconds: 60, startsAt: new Date(T0).toISOString(), endsAt: null, durationSeconds: null,
			summary: 'cpu 96.2 % ≥ 95 %', text: '[FIRING] box cpu_high: cpu 96.2 % ≥ 95 %',
		});
		expect(alerts.firing()).toMatchObject([{
			rule: 'cpu_high', state: 'firing', firedAt: T0 + 60_000, value: 99,
		}]);
	});

	it('does not fire for a breach shorter than `for`', () => {
		const {alerts, events} = engine([rule('cpu_percent')]);
		alerts.evaluate(observe(0, {cpu: 99}));
		alerts.evaluate(observe(59, {cpu: 99}));
		alerts.evaluate(observe(60, {cpu: 94.9}));
		expect(alerts.states()).toEqual([]);
		// A new breach starts the clock again.
		alerts.evaluate(observe(61, {cpu: 99}));
		alerts.evaluate(observe(120, {cpu: 99}));
		expect(events).toEqual([]);
		expect(alerts.states()).toMatchObject([{state: 'pending', since: T0 + 61_000}]);
	});

	it('fires at once with for 0', () => {
		const {alerts, events} = engine([rule('disk_percent')]);
		alerts.evaluate(observe(0, {disk: 50}));
		expect(events).toEqual([]);
		const [event] = alerts.evaluate(observe(5, {disk: 96}));
		expect(events).toHaveLength(1);
		expect(event).toMatchObject({status: 'firing', alert: 'disk_full', summary: 'disk 96.0 % ≥ 95 %'});
	});

	it('stays firing between clear and fire, resolves at clear with how long it fired', () => {
		const {alerts, events} = engine([rule('cpu_percent')]);
		alerts.evaluate(observe(0, {cpu: 96}));
		alerts.evaluate(observe(60, {cpu: 96}));
		alerts.evaluate(observe(100, {cpu: 90}));
		alerts.evaluate(observe(150, {cpu: 80.1}));
		expect(events.map(event => event.status)).toEqual(['firing']);
		expect(alerts.firing()).toMatchObject([{value: 80.1}]);
		alerts.evaluate(observe(260.04, {cpu: 80}));
		alerts.evaluate(observe(270, {cpu: 10}));
		expect(events.map(event => event.status)).toEqual(['firing', 'resolved']);
		expect(events[1]).toMatchObject({
			status: 'resolved', value: 80, startsAt: new Date(T0).toISOString(), endsAt: new Date(T0 + 260_040).toISOString(), durationSeconds: 200,
			summary: 'cpu 80.0 % ≤ 80 %', text: '[RESOLVED] box cpu_high: cpu 80.0 % ≤ 80 % after 3 m 20 s',
		});
		expect(alerts.states()).toEqual([]);
	});

	it('keeps its state when the source has no data: a dead collector neither fires nor clears', () => {
		const {alerts, events} = engine([rule('cpu_percent', {forSeconds: 10}), rule('redis_down', {forSeconds: 0})]);
		alerts.evaluate(observe(0, {cpu: 99, redis: {state: 'down'}}));
		alerts.evaluate(observe(5));
		alerts.evaluate(observe(20));
		expect(alerts.states()).toMatchObject([{rule: 'redis_down', state: 'firing'}, {rule: 'cpu_high', state: 'pending', value: 99}]);
		alerts.evaluate(observe(21, {cpu: 99}));
		expect(events.map(event => `${event.status} ${event.alert}`)).toEqual(['firing redis_down', 'firing cpu_high']);
		alerts.evaluate(observe(30, {redis: {state: 'up'}}));
		expect(events.map(event => `${event.status} ${event.alert}`)).toEqual(['firing redis_down', 'firing cpu_high', 'resolved redis_down']);
		expect(events[0]!.summary).toBe('redis down');
		expect(events[2]!.summary).toBe('redis up');
	});

	it('keeps a state per instance', () => {
		const {alerts, events} = engine([rule('process_down')]);
		const both = (client: boolean, start: boolean) => ({processes: [{name: 'client.py', running: client}, {name: 'start.py', running: start}]});
		alerts.evaluate(observe(0, both(false, true)));
		alerts.evaluate(observe(20, both(false, false)));
		alerts.evaluate(observe(30, both(false, false)));
		expect(events.map(event => event.text)).toEqual(['[FIRING] box process_down: process client.py down']);
		expect(alerts.states().map(state => `${state.instance} ${state.state}`)).toEqual(['client.py firing', 'start.py pending']);
		alerts.evaluate(observe(50, both(true, false)));
		expect(events.map(event => event.text)).toEqual([
			'[FIRING] box process_down: process client.py down',
			'[RESOLVED] box process_down: process client.py running after 20 s',
			'[FIRING] box process_down: process start.py down',
		]);
	});

	it('fires only for the instance a rule matches', () => {
		const {alerts, events} = engine([rule('camera_state', {forSeconds: 0, match: 'yard'})]);
		alerts.evaluate(observe(0, {cameras: [{name: 'gate', state: 'OFFLINE'}, {name: 'yard', state: 'STALLED'}]}));
		expect(events.map(event => event.summary)).toEqual(['camera yard STALLED']);
		expect(JSON.stringify(events)).not.toContain('rtsp');
		alerts.evaluate(observe(1, {cameras: [{name: 'yard', state: 'LIVE'}]}));
		expect(events.map(event => event.summary)).toEqual(['camera yard STALLED', 'camera yard LIVE']);
	});

	it('counts camera states from its list only', () => {
		const {alerts} = engine([rule('camera_state', {forSeconds: 0, states: ['DEGRADED']})]);
		alerts.evaluate(observe(0, {cameras: [{name: 'gate', state: 'OFFLINE'}, {name: 'yard', state: 'DEGRADED'}]}));
		expect(alerts.firing().map(state => state.instance)).toEqual(['yard']);
	});

	it('watches at most MAX_INSTANCES instances of a rule', () => {
		const {alerts, events} = engine([rule('process_down', {forSeconds: 0})]);
		const processes = Array.from({length: MAX_INSTANCES + 20}, (_, index) => ({name: `worker-${index}.py`, running: false}));
		alerts.evaluate(observe(0, {processes}));
		expect(events).toHaveLength(MAX_INSTANCES);
		expect(alerts.states()).toHaveLength(MAX_INSTANCES);
	});

	it('counts restarts within crashLoop.minutes', () => {
		const {alerts, events} = engine([rule('process_crash_loop')]);
		const restartTimes = [T0, T0 + 200_000, T0 + 300_000, T0 + 400_000];
		alerts.evaluate(observe(700, {processes: [{name: 'client.py', restartTimes}]}));
		expect(events.map(event => event.summary)).toEqual(['process client.py restarted 3 times in 10 min']);
		// 10 min after the last restart none is left in the window.
		alerts.evaluate(observe((400_000 + 600_001) / 1000, {processes: [{name: 'client.py', restartTimes}]}));
		expect(events.map(event => event.status)).toEqual(['firing', 'resolved']);
	});

	it('reads redis ping only while up, never showing the URL', () => {
		const {alerts, events} = engine([rule('redis_ping_ms', {forSeconds: 0})]);
		alerts.evaluate(observe(0, {redis: {pingMs: 1500}}));
		alerts.evaluate(observe(1, {redis: {state: 'down', pingMs: null}}));
		expect(alerts.firing()).toHaveLength(1);
		alerts.evaluate(observe(2, {redis: {pingMs: 20}}));
		expect(events.map(event => event.summary)).toEqual(['redis ping 1500 ms ≥ 1000 ms', 'redis ping 20 ms ≤ 100 ms']);
		expect(JSON.stringify(events)).not.toMatch(/hunter2|redis:\/\//);
	});

	it('says how long a log has been silent, for logs that should be written', () => {
		const {alerts, events} = engine([rule('log_stale')]);
		alerts.evaluate(observe(0, {
			logFiles: [
				{name: 'errors.log', expectsWrites: false, secondsSinceWrite: 5000},
				{name: 'performance.log', secondsSinceWrite: 720},
				{name: 'greencam.log', exists: false, secondsSinceWrite: null},
			],
		}));
		expect(events.map(event => event.text)).toEqual(['[FIRING] box log_stale: performance.log: no write for 12 m 0 s']);
	});

	it('reads error rate, queue depth and function durations from the log activity', () => {
		const {alerts, events} = engine([
			rule('error_rate', {forSeconds: 0}),
			rule('queue_depth', {forSeconds: 0}),
			rule('function_seconds', {forSeconds: 0}),
			rule('queue_depth', {
				name: 'frames_backlog', forSeconds: 0, perfMetric: 'frame_queue', fire: 10, clear: 5,
			}),
		]);
		alerts.evaluate(observe(0, {
			activity: {
				errorsLastMinute: 12, metrics: [
					perf('queue_depth', 150), perf('frame_queue', 3), perf('save_frame_duration', 1.4), perf('encode_duration', 0.2), perf('fps', 30),
				],
			},
		}));
		expect(events.map(event => `${event.alert} ${event.instance}: ${event.summary}`)).toEqual([
			'error_rate : errors.log: 12 errors/min ≥ 10',
			'queue_full : queue_depth 150 ≥ 100',
			'slow_function save_frame: save_frame took 1.40 s',
		]);
	});

	it('lists firing alerts before pending ones', () => {
		const {alerts} = engine([rule('cpu_percent'), rule('redis_down', {forSeconds: 0})]);
		alerts.evaluate(observe(0, {cpu: 99, redis: {state: 'not_responding'}}));
		expect(alerts.states().map(state => `${state.rule} ${state.state} ${state.summary}`)).toEqual([
			'redis_down firing redis not responding',
			'cpu_high pending cpu 99.0 % ≥ 95 %',
		]);
	});

	it('resolves a firing alert whose instance is gone from a source that answered, and drops a pending one', () => {
		const {alerts, events} = engine([rule('camera_state', {forSeconds: 0}), rule('process_down', {forSeconds: 30})]);
		alerts.evaluate(observe(0, {cameras: [{name: 'yard', state: 'STALLED'}], processes: [{name: 'client.py', running: false}]}));
		expect(alerts.states().map(state => `${state.rule} ${state.instance} ${state.state}`)).toEqual(['camera_down yard firing', 'process_down client.py pending']);
		// yard taken out of the config, client.py no longer watched: both sources answered without them.
		alerts.evaluate(observe(10, {cameras: [], processes: []}));
		expect(alerts.states()).toEqual([]);
		expect(events.map(event => `${event.status} ${event.instance}: ${event.summary}`)).toEqual([
			'firing yard: camera yard STALLED',
			'resolved yard: camera yard STALLED (no longer reported)',
		]);
	});

	it('reads a duration in milliseconds as milliseconds, and a metric that is not a time not at all', () => {
		const {alerts, events} = engine([rule('function_seconds', {forSeconds: 0})]);
		alerts.evaluate(observe(0, {
			activity: {
				metrics: [
					{
						metric: 'inference_duration', unit: 'ms', value: 35, time: T0,
					},
					{
						metric: 'decode_duration', unit: 'ms', value: 1500, time: T0,
					},
					{
						metric: 'upload_duration', unit: 'frames', value: 90, time: T0,
					},
				],
			},
		}));
		expect(events.map(event => event.summary)).toEqual(['decode took 1.50 s']);
	});

	it('resolves a queue alert once its PERF metric is no longer reported (the observer leaves out stale values)', () => {
		const {alerts, events} = engine([rule('queue_depth', {forSeconds: 0})]);
		alerts.evaluate(observe(0, {activity: {metrics: [perf('queue_depth', 500)]}}));
		alerts.evaluate(observe(700, {activity: {metrics: []}}));
		expect(events.map(event => event.status)).toEqual(['firing', 'resolved']);
		// While performance.log is not followed at all, nothing changes.
		alerts.evaluate(observe(710, {activity: {metrics: [perf('queue_depth', 500)]}}));
		alerts.evaluate(observe(720, {activity: {metrics: null}}));
		expect(alerts.firing()).toHaveLength(1);
	});
	it('memory_growth: fires on RSS growth held for `for`, per process, holds above clear, resolves at clear', () => {
		const mib = 1024 * 1024;
		const growing = (name: string, mibPerHour: number | undefined): Partial<WatchedProcess> & {name: string} => ({
			name,
			instances: [{
				pid: 4242, cpuPercent: 1, rssBytes: 200 * mib, threads: 4, uptimeSeconds: 3600, command: `python3 ${name}`,
				...(mibPerHour === undefined ? {} : {rssGrowthBytesPerHour: mibPerHour * mib}),
			}],
		});
		const {alerts, events} = engine([rule('rss_growth_mib_per_hour')]);
		// Start.py has no slope yet (under 30 min of history): it is not measured at all.
		alerts.evaluate(observe(0, {processes: [growing('cam1_stream.py', 80), growing('start.py', undefined), growing('client.py', 12)]}));
		alerts.evaluate(observe(1799, {processes: [growing('cam1_stream.py', 60), growing('start.py', undefined), growing('client.py', 49)]}));
		expect(events).toEqual([]);
		alerts.evaluate(observe(1800, {processes: [growing('cam1_stream.py', 55), growing('start.py', undefined), growing('client.py', 12)]}));
		alerts.evaluate(observe(2400, {processes: [growing('cam1_stream.py', 20), growing('start.py', undefined), growing('client.py', 12)]}));
		expect(alerts.firing().map(state => state.instance)).toEqual(['cam1_stream.py']);
		alerts.evaluate(observe(3000, {processes: [growing('cam1_stream.py', 10), growing('start.py', undefined), growing('client.py', 12)]}));
		expect(events.map(event => `${event.status} ${event.instance}: ${event.summary}`)).toEqual([
			'firing cam1_stream.py: process cam1_stream.py memory +55.0 MiB/h ≥ 50 MiB/h',
			'resolved cam1_stream.py: process cam1_stream.py memory +10.0 MiB/h ≤ 10 MiB/h',
		]);
	});
});
