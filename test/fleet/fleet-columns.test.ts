import {Writable} from 'node:stream';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {
	COLUMNS, DEFAULT_SORT, cellText, matchesFilter, placeColumns, sortBoxes, type ColumnId,
} from '../../source/fleet/fleet-columns.js';
import {FLEET_EXIT_CODES, worstOf, type FleetStatus} from '../../source/fleet/fleet-status.js';
import type {Fleet, FleetBox} from '../../source/fleet/read-fleet.js';
import {
	PROMETHEUS_FAILED_EXIT, fleetJson, fleetOnce, fleetText,
} from '../../source/commands/fleet.js';
import {loadConfig} from '../../source/config/load.js';
import {freePort} from '../helpers/free-port.js';

/** A box as readFleet makes it: healthy unless told otherwise. */
function fleetBox(instance: string, changes: Partial<FleetBox> = {}): FleetBox {
	return {
		instance,
		host: instance.split(':')[0]!,
		version: '1.4.0',
		status: 'ok',
		reasons: [],
		up: true,
		lastScrapeAgeSeconds: 4,
		cameras: {live: 2, total: 2, byState: {LIVE: 2}},
		alerts: {},
		cpu: 0.25,
		memory: 0.5,
		disk: 0.4,
		redisUp: true,
		errorsPerMinute: 0,
		scrapeUrl: `http://${instance}/metrics`,
		...changes,
	};
}

const down = (instance: string, changes: Partial<FleetBox> = {}) => fleetBox(instance, {
	status: 'down', up: false, lastScrapeAgeSeconds: null, cameras: null, cpu: null, memory: null, disk: null, redisUp: null, errorsPerMinute: null, reasons: ['connection refused', 'not scraped within the hour'], ...changes,
});

const instances = (boxes: readonly FleetBox[]) => boxes.map(box => box.instance);
const ids = (columns: ReadonlyArray<{id: ColumnId}>) => columns.map(column => column.id);

describe('placeColumns', () => {
	it.each([40, 80, 120, 200])('fills exactly %i columns, one space between cells', columns => {
		const placed = placeColumns(columns);
		let cells = placed.length - 1;
		for (const column of placed) {
			expect(column.cells).toBeGreaterThanOrEqual(column.width);
			cells += column.cells;
		}

		expect(cells).toBe(columns);
		expect(ids(placed)).toEqual(expect.arrayContaining(['status', 'host', 'why']));
	});

	it('keeps every column on a wide terminal, in their order', () => {
		expect(ids(placeColumns(120))).toEqual(ids(COLUMNS));
		expect(ids(placeColumns(200))).toEqual(ids(COLUMNS));
	});

	it('drops SEEN and INSTANCE first when narrow, and keeps status, host, cameras and why at 40', () => {
		expect(ids(placeColumns(80))).toEqual(ids(COLUMNS).filter(id => id !== 'scraped' && id !== 'instance'));
		expect(ids(placeColumns(40))).toEqual(['status', 'host', 'cameras', 'why']);
	});

	it('drops columns by rank: a column is gone only when every column of higher rank is', () => {
		for (let columns = 40; columns <= 120; columns++) {
			const kept = new Set(ids(placeColumns(columns)));
			const dropped = COLUMNS.filter(column => !kept.has(column.id));
			for (const column of dropped) {
				expect(COLUMNS.filter(other => other.rank > column.rank && kept.has(other.id)), `${column.id} at ${columns}`).toEqual([]);
			}
		}
	});

	it('gives no name column more than 32 cells: the rest goes to the reasons', () => {
		const placed = placeColumns(200);
		expect(placed.find(column => column.id === 'host')!.cells).toBeLessThanOrEqual(32);
		expect(placed.find(column => column.id === 'instance')!.cells).toBeLessThanOrEqual(32);
		expect(placed.find(column => column.id === 'why')!.cells).toBeGreaterThan(60);
	});
});

describe('sortBoxes', () => {
	const boxes = [
		fleetBox('ok-b:9464', {host: 'b'}),
		fleetBox('warning:9464', {status: 'warning', host: 'w'}),
		down('down:9464', {host: 'd'}),
		fleetBox('unknown:9464', {status: 'unknown', host: 'u'}),
		fleetBox('stale:9464', {status: 'stale', host: 's'}),
		fleetBox('critical:9464', {status: 'critical', host: 'c'}),
		fleetBox('ok-a:9464', {host: 'a'}),
		fleetBox('ok-alerts:9464', {host: 'z', alerts: {CamtopCpuHigh: 1}}),
	];

	it('puts the worst first by default: down, critical, stale, warning, unknown, ok; then most alerts, then host', () => {
		expect(instances(sortBoxes(boxes, DEFAULT_SORT))).toEqual([
			'down:9464', 'critical:9464', 'stale:9464', 'warning:9464', 'unknown:9464', 'ok-alerts:9464', 'ok-a:9464', 'ok-b:9464',
		]);
	});

	it('sorts by a column, busiest first, and reverses', () => {
		const loads = [fleetBox('a:1', {cpu: 0.1}), fleetBox('b:1', {cpu: 0.9}), fleetBox('c:1', {cpu: 0.5})];
		expect(instances(sortBoxes(loads, {column: 'cpu', descending: false}))).toEqual(['b:1', 'c:1', 'a:1']);
		expect(instances(sortBoxes(loads, {column: 'cpu', descending: true}))).toEqual(['a:1', 'c:1', 'b:1']);
		const hosts = [fleetBox('x:1', {host: 'gate-2'}), fleetBox('y:1', {host: 'gate-10'}), fleetBox('z:1', {host: 'barn'})];
		expect(instances(sortBoxes(hosts, {column: 'host', descending: false}))).toEqual(['z:1', 'y:1', 'x:1']);
		expect(instances(sortBoxes(hosts, {column: 'host', descending: true}))).toEqual(['x:1', 'y:1', 'z:1']);
	});

	it('puts unknown values last in both directions', () => {
		const loads = [down('gone:1'), fleetBox('a:1', {cpu: 0.1}), fleetBox('b:1', {cpu: 0.9}), down('never:1', {host: ''})];
		for (const column of ['cpu', 'memory', 'disk', 'redis', 'errors', 'cameras'] as const) {
			for (const descending of [false, true]) {
				expect(instances(sortBoxes(loads, {column, descending})).slice(2).toSorted(), `${column} ${descending ? 'reversed' : ''}`).toEqual(['gone:1', 'never:1']);
			}
		}

		for (const descending of [false, true]) {
			expect(instances(sortBoxes(loads, {column: 'host', descending})).at(-1)).toBe('never:1');
		}
	});

	it('sorts the cameras column fewest delivering first', () => {
		const cameras = [fleetBox('a:1'), fleetBox('b:1', {cameras: {live: 0, total: 3, byState: {OFFLINE: 3}}}), fleetBox('c:1', {cameras: {live: 1, total: 2, byState: {LIVE: 1, OFFLINE: 1}}})];
		expect(instances(sortBoxes(cameras, {column: 'cameras', descending: false}))).toEqual(['b:1', 'c:1', 'a:1']);
	});
});

describe('matchesFilter', () => {
	const box = fleetBox('10.0.0.7:9464', {
		host: 'Gate-North', status: 'critical', reasons: ['redis critical', 'camera OFFLINE'],
	});

	it.each(['gate-north', 'GATE', '10.0.0.7', 'crit', 'offline', 'Redis', ''])('matches %j in any cell, whatever the case', filter => {
		expect(matchesFilter(box, filter)).toBe(true);
	});

	it.each(['gate-south', 'warn', '9999'])('does not match %j', filter => {
		expect(matchesFilter(box, filter)).toBe(false);
	});
});

describe('cellText', () => {
	const host = placeColumns(80).find(column => column.id === 'host')!;
	const cameras = placeColumns(80).find(column => column.id === 'cameras')!;

	it('strips control sequences from what the boxes say of themselves', () => {
		const text = cellText(host, 'evil\u001B[2J\u0007');
		expect(text).not.toMatch(/[\u0000-\u001F\u007F]/);
		expect(text.startsWith('evil')).toBe(true);
		expect(stringWidth(text)).toBe(host.cells);
	});

	it('pads to the cells, left or right as the column aligns, and cuts what is longer', () => {
		expect(cellText(host, 'gate')).toBe('gate'.padEnd(host.cells));
		expect(cellText(cameras, '1/2')).toBe('1/2'.padStart(cameras.cells));
		const long = cellText(host, 'x'.repeat(100));
		expect(stringWidth(long)).toBe(host.cells);
		expect(long.endsWith('…')).toBe(true);
		expect(stringWidth(cellText(host, '监控摄像头'.repeat(10)))).toBeLessThanOrEqual(host.cells);
	});
});

const FLEET: Fleet = {
	boxes: [
		fleetBox('10.0.0.1:9464', {host: 'gate-1'}),
		down('10.0.0.2:9464', {host: 'evil\u001B[2J'}),
		fleetBox('10.0.0.3:9464', {
			host: 'gate-3', status: 'warning', reasons: ['log files warning'], cpu: 0.123_456, alerts: {CamtopLogStale: 1},
		}),
		fleetBox('10.0.0.4:9464', {
			host: 'gate-4', status: 'critical', reasons: ['redis critical'], redisUp: false, cameras: {live: 1, total: 2, byState: {LIVE: 1, OFFLINE: 1}},
		}),
	],
	at: Date.parse('2026-12-05T08:00:00Z'),
	queryMs: 12,
};

describe('fleetText', () => {
	it('writes a header and one line per box, worst first, the columns as placed and the reasons whole after them', () => {
		const lines = fleetText(FLEET, 120).split('\n');
		expect(lines.at(-1)).toBe('');
		expect(lines[0]).toMatch(/^STATUS +HOST +INSTANCE +CAMS +ALRT +CPU +MEM +DISK +REDIS +ERR\/m +SEEN WHY$/);
		const rows = lines.slice(1, -1);
		expect(rows.map(row => row.split(/ +/)[0])).toEqual(['DOWN', 'CRIT', 'WARN', 'OK']);
		const placed = placeColumns(120);
		let whyStart = 0;
		for (const column of placed.slice(0, -1)) {
			whyStart += column.cells + 1;
		}

		for (const [index, row] of rows.entries()) {
			expect(row).not.toContain('\u001B');
			expect(stringWidth(row.slice(0, whyStart))).toBe(whyStart);
			expect(row.slice(whyStart)).toBe(sortBoxes(FLEET.boxes, DEFAULT_SORT)[index]!.reasons.join(', ') || '—');
		}

		// The host's escape sequence is gone whole, not left as `[2J`.
		expect(rows[0]).toMatch(/^DOWN +evil +10\.0\.0\.2:9464 +— /);
		expect(rows[1]).toMatch(/ 1\/2 .* DOWN .*redis critical$/);
	});

	it('keeps the reasons whole however narrow', () => {
		const long = {...FLEET, boxes: [fleetBox('a:1', {status: 'critical', reasons: ['redis critical', 'camera OFFLINE', 'alert CamtopRedisDown', 'alert CamtopCameraDown']})]};
		expect(fleetText(long, 40).split('\n')[1]).toMatch(/redis critical, camera OFFLINE, alert CamtopRedisDown, alert CamtopCameraDown$/);
	});
});

describe('fleetJson', () => {
	const json = fleetJson(FLEET, {prometheus: 'http://prometheus:9090', job: 'camtop'}) as {
		status: string;
		summary: Record<string, number>;
		boxes: Array<Record<string, unknown>>;
	} & Record<string, unknown>;

	it('lists the boxes worst first, with the worst status and a count of each', () => {
		expect(json.status).toBe('down');
		expect(json.boxes.map(box => box.instance)).toEqual(['10.0.0.2:9464', '10.0.0.4:9464', '10.0.0.3:9464', '10.0.0.1:9464']);
		expect(json.summary).toEqual({
			down: 1, critical: 1, stale: 0, warning: 1, unknown: 0, ok: 1, total: 4,
		});
		expect(json.checked_at).toBe('2026-12-05T08:00:00.000Z');
	});

	it('writes percentages 0–100 to one decimal, and unknown values as null', () => {
		expect(json.boxes[2]).toMatchObject({
			cpu_percent: 12.3, memory_percent: 50, disk_percent: 40, alerts_firing: 1, cameras_live: 2, cameras_total: 2,
		});
		expect(json.boxes[0]).toMatchObject({
			cpu_percent: null, memory_percent: null, disk_percent: null, redis_up: null, cameras_live: null, last_scrape_seconds_ago: null, up: false,
		});
	});

	it('names every key in snake_case, as health --json does', () => {
		const snake = /^[a-z\d]+(?:_[a-z\d]+)*$/;
		for (const key of Object.keys(json)) {
			expect(key).toMatch(snake);
		}

		for (const box of json.boxes) {
			for (const key of Object.keys(box)) {
				expect(key).toMatch(snake);
			}
		}
	});

	it('says unknown for a fleet with no box', () => {
		expect(fleetJson({...FLEET, boxes: []}, {prometheus: 'http://prometheus:9090', job: 'camtop'})).toMatchObject({status: 'unknown', summary: {total: 0}});
	});
});

describe('exit codes', () => {
	it.each([
		[['ok', 'ok'], 0],
		[['ok', 'warning'], 1],
		[['ok', 'stale'], 1],
		[['warning', 'critical'], 2],
		[['stale', 'down'], 2],
		[['ok', 'unknown'], 3],
	] as Array<[FleetStatus[], number]>)('exits as health does for %j: %i', (statuses, code) => {
		expect(FLEET_EXIT_CODES[worstOf(statuses)]).toBe(code);
	});

	it('exits 3 with one line on stderr, and the reason in JSON, when Prometheus gives no table', async () => {
		const cwd = '/nonexistent-camtop-config';
		const port = await freePort();
		const config = await loadConfig({flags: {prometheus: `http://127.0.0.1:${port}`}, env: {XDG_CONFIG_HOME: cwd}, cwd});
		const stdout = new Collected();
		const stderr = new Collected();
		const code = await fleetOnce(config, {
			json: true, columns: 80, env: {}, stdout, stderr,
		});
		expect(code).toBe(PROMETHEUS_FAILED_EXIT);
		expect(stderr.text).toMatch(/^camtop fleet: http:\/\/127\.0\.0\.1:\d+: connection refused[^\n]*\n$/);
		expect(JSON.parse(stdout.text)).toMatchObject({status: 'unknown', error_kind: 'unreachable', boxes: []});
	});
});

class Collected extends Writable {
	text = '';

	override _write(chunk: Uint8Array, _encoding: string, done: () => void): void {
		this.text += String(chunk);
		done();
	}
}
