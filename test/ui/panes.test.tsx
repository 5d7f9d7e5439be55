import React from 'react';
import {describe, expect, it} from 'vitest';
import {ok, fail} from '../../source/base/result.js';
import {DEFAULTS} from '../../source/config/types.js';
import {ResourcesPane} from '../../source/ui/panes/resources-pane.js';
import {ProcessesPane} from '../../source/ui/panes/processes-pane.js';
import {ConnectionsPane} from '../../source/ui/panes/connections-pane.js';
import {ErrorsPane} from '../../source/ui/panes/errors-pane.js';
import {METRIC_TABLE_COLUMNS, PerformancePane} from '../../source/ui/panes/performance-pane.js';
import {IssuesPane} from '../../source/ui/panes/issues-pane.js';
import {sparkline} from '../../source/ui/components/sparkline.js';
import {paneById, type PaneId} from '../../source/ui/panes/index.js';
import type {MetricSeries} from '../../source/feeds/metric-feed.js';
import {
	cameras, errors, events, metrics, NOW, processes, redis, redisDown, resources,
} from './fixtures.js';
import {frameLines, renderSized} from './render-sized.js';

const thresholds = structuredClone(DEFAULTS.thresholds);
const HEIGHT = 14;
/** A pane's frame props, its key and title as the pane table gives them. */
const frame = (id: PaneId, width: number, extra: Partial<{isFocused: boolean; variant: 'full' | 'line'; height: number; ageMs: number | undefined}> = {}) => ({
	index: paneById(id).key, title: paneById(id).title, width, height: HEIGHT, isFocused: false, variant: 'full' as const, ageMs: 500, staleAfterMs: 4000, ...extra,
});

/** Every pane, rendered at each width, stays inside its box: exactly its height, no line wider than its width. */
function expectInside(output: string | undefined, width: number, height = HEIGHT): string {
	const {lines, widest} = frameLines(output);
	expect(widest).toBeLessThanOrEqual(width);
	expect(lines).toHaveLength(height);
	return output ?? '';
}

/** The first row of a frame holding `text`. */
const rowOf = (frame: string, text: string) => frame.split('\n').find(row => row.includes(text)) ?? '';

describe.each([40, 80, 120, 200])('panes at %i columns', width => {
	it('Resources: CPU with its history, per-core, load, memory, swap, disk, temperature, uptime, host', () => {
		const text = expectInside(renderSized(<ResourcesPane {...frame('resources', width)} result={ok(resources)} thresholds={thresholds} cpuHistory={[10, 20, 90, 30]}/>, width).lastFrame(), width);
		for (const part of ['Resources', 'CPU', '43%', 'history', '▁▂█▃ max 90%', 'cores', 'load', '1.20', 'memory', '88%', 'swap', 'disk', 'temp', '61.3 °C', 'uptime', '3 d 2 h', 'camera-box-07']) {
			expect(text).toContain(part);
		}

		// The gauges' figures whole at every width: the bar gives way, not the numbers.
		// Where the bar keeps its room with them, the totals too.
		expect(rowOf(text, 'memory')).toMatch(width >= 80 ? /│memory {2}█+░+ {2}88% 3\.5 GiB of 4\.0 GiB *│$/ : /│memory {2}█+░+ {2}88% 3\.5 GiB *│$/);
		expect(rowOf(text, 'disk')).toMatch(width >= 80 ? /│disk {4}█+░+ {2}31% 22\.0 GiB free of 32\.0 GiB *│$/ : /│disk {4}█+░+ {2}31% 22\.0 GiB free *│$/);
		// Memory over its warning threshold: the status word where there is room, the coloured dot always.
		expect(text).toContain(width >= 80 ? '● WARNING' : '●');
	});

	it('Processes: state, pid, CPU, restarts and a CRASH-LOOP badge', () => {
		const text = expectInside(renderSized(<ProcessesPane {...frame('processes', width)} result={ok(processes)} crashLoop={{restarts: 3, minutes: 10}} now={NOW} scroll={0}/>, width).lastFrame(), width);
		for (const part of ['Processes', 'cam1_stream.py', '4242', 'client.py', 'DOWN', 'start.py CRASH-LOOP']) {
			expect(text).toContain(part);
		}

		if (width >= 80) {
			expect(text).toContain('CRITICAL');
			expect(text).toContain('180 MiB');
		}
	});

	it('Connections: Redis with PING sparkline, clients, memory, ops/s, pub/sub; one row per camera', () => {
		const text = expectInside(renderSized(<ConnectionsPane {...frame('connections', width, {height: 20})} redis={redis} latency={[0.5, 0.8, 1.2, 0.7]} cameras={ok(cameras)} thresholds={thresholds} now={NOW} scroll={0}/>, width).lastFrame(), width, 20);
		for (const part of ['Connections', 'Redis', 'up', '0.82 ms', 'clients', 'camera_1', 'LIVE', 'camera_2', 'OFFLINE', 'gate', 'STALLED', 'Pub/sub', 'camera_1:f', 'gate:frames', '2 subscribers camtop ✓']) {
			expect(text).toContain(part);
		}

		expect(text).toMatch(/[▁▂▃▄▅▆▇█]{2,}/);
		// What a live camera delivers, at every width: after the log's record where wide.
		expect(rowOf(text, 'camera_1 ')).toMatch(width >= 80 ? /│camera_1 +LIVE +▲ 30 s +9\.8 fps 42 ms/ : /│camera_1 +LIVE +9\.8 fps 42 ms/);
		if (width >= 80) {
			// The three sources side by side: the log's record, the probe, the channel.
			expect(text).toContain('▲ 30 s');
			expect(text).toContain('30.0/s');
			expect(text).toContain('✗ connect ECONNREFUSED');
		} else {
			// Narrow: the reason for each state instead, and with rows to spare the other sources under each camera.
			expect(rowOf(text, 'camera_2')).toMatch(/│camera_2 +OFFLINE +connect ECONNREFUS/);
			expect(rowOf(text, 'gate ')).toMatch(/│gate +STALLED +no message for 14 s/);
			expect(text).toContain('│  log ▲ 30 s · channel 30.0/s');
			expect(text).toContain('│  log ▼ 1 m 30 s · probe ✗ connect');
		}

		expect(text).not.toContain('admin');
	});

	it('Connections: a narrow pane short of rows keeps one row per camera', () => {
		const text = expectInside(renderSized(<ConnectionsPane {...frame('connections', width, {height: 12})} redis={redis} latency={[]} cameras={ok(cameras)} thresholds={thresholds} now={NOW} scroll={0}/>, width).lastFrame(), width, 12);
		expect(text).toMatch(/│camera_1 +LIVE +(▲ 30 s +)?9\.8 fps 42 ms/);
		expect(text).toMatch(/│gate +STALLED/);
		expect(text).not.toContain('│  log');
	});

	it('Connections: says how long Redis has been down', () => {
		const text = expectInside(renderSized(<ConnectionsPane {...frame('connections', width)} redis={redisDown} latency={[]} cameras={ok([])} thresholds={thresholds} now={NOW} scroll={0}/>, width).lastFrame(), width);
		expect(text).toContain('redis: down 12 s');
	});

	it('Errors: newest at the bottom, tracebacks folded to their last line, wide characters aligned', () => {
		const text = expectInside(renderSized(<ErrorsPane {...frame('errors', width)} result={ok(errors)} filter='' editingFilter={false} selected={0} detail={false} detailScroll={0}/>, width).lastFrame(), width);
		const lines = text.split('\n');
		const first = lines.findIndex(line => line.includes('10:10:00'));
		const last = lines.findIndex(line => line.includes('10:29:00'));
		expect(first).toBeGreaterThan(0);
		expect(last).toBeGreaterThan(first);
		expect(text).toContain(width >= 80 ? 'Camera 摄像头 📷 timeout' : 'Camera 摄像');
		if (width >= 80) {
			expect(text).toContain('↳ TimeoutError: took 5 s');
		}
	});

	it('Errors: a filter keeps the matching records, case-insensitive', () => {
		const text = expectInside(renderSized(<ErrorsPane {...frame('errors', width)} result={ok(errors)} filter='CAMERA' editingFilter={false} selected={0} detail={false} detailScroll={0}/>, width).lastFrame(), width);
		expect(text).toContain('/CAMERA');
		expect(text).toContain('2 matches');
		expect(text).not.toContain('10:10:00');
	});

	it('Errors: a record shown whole, traceback included', () => {
		const text = expectInside(renderSized(<ErrorsPane {...frame('errors', width, {isFocused: true})} detail result={ok(errors)} filter='' editingFilter={false} selected={3} detailScroll={0}/>, width).lastFrame(), width);
		expect(text).toContain('2024-01-15 10:10:00,000 ERROR');
		expect(text).toContain('Traceback (most recent call last):');
		expect(text).toContain('redis.exceptions.ConnectionError');
	});

	it('Performance: every metric a row (sparkline, now, p50, p95 in their units) where wide, one at a time where narrow; CPU and memory history', () => {
		const text = expectInside(renderSized(<PerformancePane {...frame('performance', width)} result={ok(metrics)} metricIndex={1} cpuHistory={[10, 20, 30]} memoryHistory={[50, 51, 52]}/>, width).lastFrame(), width);
		for (const part of ['Performance', 'queue_depth', 'now', 'p50', 'p95', 'cpu', '30.0 %', 'memory', '52.0 %']) {
			expect(text).toContain(part);
		}

		if (width - 2 >= METRIC_TABLE_COLUMNS) {
			// Rows to spare: each metric's figures, then its sparkline the pane's width under them.
			expect(rowOf(text, 'metric, ')).toMatch(/│metric, last 6 each +now +p50 +p95 │$/);
			expect(rowOf(text, 'fetch_image_duration')).toMatch(/│fetch_image_duration +43 ms +47\.5 ms +163 ms │$/);
			expect(rowOf(text, 'queue_depth')).toMatch(/│queue_depth +13 +4 +11\.8 │$/);
			expect(text).toContain('│  ▁▁▁█▁▁ ');
			expect(text).toContain('│  ▁▁▂▃▅█ ');
		} else {
			expect(text).toContain('queue_depth 2/2  [ ] to change');
			expect(text).toContain('now 13  p50 4  p95 11.8  of last 6');
			// The rows hold the others too: every metric's latest value under the one shown.
			expect(text).toMatch(/│fetch_image_duration +43 ms │/);
			expect(text).toMatch(/│queue_depth +13 │/);
			// Short of rows, the one shown only.
			const short = expectInside(renderSized(<PerformancePane {...frame('performance', width, {height: 8})} result={ok(metrics)} metricIndex={1} cpuHistory={[]} memoryHistory={[]}/>, width).lastFrame(), width, 8);
			expect(short).not.toContain('fetch_image_duration');
		}
	});

	it('Performance: durations in the unit a person reads', () => {
		const text = expectInside(renderSized(<PerformancePane {...frame('performance', width)} result={ok(metrics)} metricIndex={0} cpuHistory={[]} memoryHistory={[]}/>, width).lastFrame(), width);
		expect(text).toMatch(/43 ms.+47\.5 ms.+163 ms/);
		expect(text).not.toContain('0.043');
	});

	it('Issues: counts by type, rate per hour, last seen', () => {
		const text = expectInside(renderSized(<IssuesPane {...frame('issues', width)} result={ok(events)} now={NOW} scroll={0}/>, width).lastFrame(), width);
		for (const part of ['Issues', 'thread_timeout', 'camera_connection_fai', '12', '12.0']) {
			expect(text).toContain(part);
		}

		if (width >= 80) {
			expect(text).toContain('1 m 0 s ago');
		}
	});
});

describe('panes fill the space they have', () => {
	/** The demo box's eight metrics: durations from microseconds to seconds, a count, system_health's fields. */
	const series = (metric: string, unit: string | null, values: number[]): MetricSeries => ({
		metric, unit, values, last: NOW,
	});
	const eight = [
		series('fetch_image_duration', 'seconds', [0.000_002, 0.000_002, 0.000_093_2]),
		series('publish_frame_duration', 'seconds', [0.0035, 0.004]),
		series('save_frame_duration', 'seconds', [0.015, 1.2]),
		series('queue_depth', 'frames', [3, 120]),
		series('system_health.cpu_percent', null, [44.7]),
		series('system_health.memory_percent', null, [4.7]),
		series('system_health.disk_percent', null, [27.8]),
		series('system_health.threads', null, [11]),
	];
	/** A pane of the grid at 200×60: a third of the columns, half the rows under the header and footer. */
	const gridPane = {width: 66, height: 29};
	const blankRows = (text: string) => text.split('\n').filter(row => /^│ *│$/.test(row)).length;

	it('Performance shows every metric, in human units, when the rows hold them', () => {
		const text = expectInside(renderSized(<PerformancePane {...frame('performance', gridPane.width, {height: gridPane.height})} result={ok(eight)} metricIndex={0} cpuHistory={[10]} memoryHistory={[50]}/>, gridPane.width).lastFrame(), gridPane.width, gridPane.height);
		for (const metric of eight) {
			expect(text).toContain(metric.metric);
		}

		expect(rowOf(text, 'fetch_image_duration')).toMatch(/93\.2 µs +2 µs +84\.1 µs │$/);
		expect(rowOf(text, 'save_frame_duration')).toMatch(/1\.2 s +608 ms +1\.1 s │$/);
		expect(rowOf(text, 'queue_depth (frames)')).toMatch(/ 120 +61\.5 +114 │$/);
		expect(blankRows(text)).toBeLessThanOrEqual((gridPane.height - 3) / 2);
	});

	it('Performance, short of rows, shows as many metrics as fit, the selected one among them', () => {
		const text = expectInside(renderSized(<PerformancePane {...frame('performance', 80, {height: 7})} result={ok(eight)} metricIndex={6} cpuHistory={[]} memoryHistory={[]}/>, 80).lastFrame(), 80, 7);
		expect(text).toMatch(/│6–8\/8 \[ ] +last 1 +now +p50 +p95 │/);
		expect(text).toMatch(/│system_health\.disk_percent +▁(?: +27\.8){3} │/);
		expect(text).toContain('system_health.disk_percent');
		expect(text).not.toContain('queue_depth');
	});

	it('Resources gives each core its gauge when it has the rows, a sparkline of them when it has not', () => {
		const tall = expectInside(renderSized(<ResourcesPane {...frame('resources', gridPane.width, {height: gridPane.height})} result={ok(resources)} thresholds={thresholds} cpuHistory={[10]}/>, gridPane.width).lastFrame(), gridPane.width, gridPane.height);
		expect(tall).toMatch(/│core 0 {2}█+░+ {2}30% *│/);
		expect(tall).toMatch(/│core 3 {2}█+░+ {2}65% *│/);
		expect(tall).not.toContain('cores');
		const short = expectInside(renderSized(<ResourcesPane {...frame('resources', gridPane.width)} result={ok(resources)} thresholds={thresholds} cpuHistory={[10]}/>, gridPane.width).lastFrame(), gridPane.width);
		expect(short).toContain('│cores   ▃▅▂▆ 4');
		expect(short).not.toContain('core 0');
	});

	it('Connections gives each camera its detail row when it has the rows, and is not half empty', () => {
		const text = expectInside(renderSized(<ConnectionsPane {...frame('connections', gridPane.width, {height: gridPane.height})} redis={redis} latency={[1]} cameras={ok([...cameras, {...cameras[0]!, name: 'camera_4'}])} thresholds={thresholds} now={NOW} scroll={0}/>, gridPane.width).lastFrame(), gridPane.width, gridPane.height);
		expect(text).toMatch(/│camera_4 +LIVE +9\.8 fps 42 ms/);
		expect(text.match(/│ {2}log /g)).toHaveLength(4);
		expect(blankRows(text)).toBeLessThanOrEqual((gridPane.height - 3) / 2);
	});
});

describe('pane failures and staleness', () => {
	it('shows its own failure in the title and keeps its frame', () => {
		const text = expectInside(renderSized(<ErrorsPane {...frame('errors', 80)} result={fail('missing')} filter='' editingFilter={false} selected={0} detail={false} detailScroll={0}/>, 80).lastFrame(), 80);
		expect(text).toContain('[errors.log: missing]');
	});

	it('says when its data is stale', () => {
		const text = renderSized(<IssuesPane {...frame('issues', 80, {ageMs: 12_000})} result={ok(events)} now={NOW} scroll={0}/>, 80).lastFrame()!;
		expect(text).toContain('[stale 12 s]');
	});

	it('draws a log line full of escape sequences as harmless text', () => {
		const hostile = {...errors, records: [{...errors.records[0]!, message: 'bad \u001B[2J\u001B[H\u001B]0;pwned\u0007\u001B[31mred\u001B[0m frame', traceback: []}]};
		const text = renderSized(<ErrorsPane {...frame('errors', 80)} result={ok(hostile)} filter='' editingFilter={false} selected={0} detail={false} detailScroll={0}/>, 80).lastFrame()!;
		expect(text).toContain('bad red frame');
		expect(text).not.toContain('\u001B');
	});

	it('has a one-line variant', () => {
		const text = renderSized(<ProcessesPane {...frame('processes', 40, {variant: 'line', height: 1})} result={ok(processes)} crashLoop={{restarts: 3, minutes: 10}} now={NOW} scroll={0}/>, 40).lastFrame()!;
		expect(text.split('\n')).toHaveLength(1);
		expect(text).toContain('2/3 running');
	});
});

describe('sparkline', () => {
	it('scales values to eight block heights', () => {
		expect(sparkline([0, 50, 100], 10, {min: 0, max: 100})).toBe('▁▄█');
		// The last three, scaled from their own minimum to their maximum.
		expect(sparkline([1, 2, 3, 4, 5], 3)).toBe('▁▄█');
		expect(sparkline([], 5)).toBe('');
	});
});
