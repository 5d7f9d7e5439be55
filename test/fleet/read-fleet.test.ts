import {describe, expect, it} from 'vitest';
import {buildBoxes, scrapeError, type FleetOptions} from '../../source/fleet/read-fleet.js';
import {downSinceQuery, promqlString, tableQueries} from '../../source/fleet/fleet-queries.js';
import type {Sample, Target} from '../../source/fleet/prometheus-client.js';

/*
The table's rows from samples shaped as Prometheus' API gives them for tableQueries' queries: `up{job}` keeps
__name__ and job, `count by`/`max by` keep only their labels, `timestamp(camtop_info)` drops __name__ and keeps host
and version. Every sample carries the query's evaluation time on Prometheus' clock.
*/

type Answers = Parameters<typeof buildBoxes>[0];

const JOB = 'camtop';
/** Prometheus' clock when it evaluated the queries, seconds. */
const AT = 1_764_900_000;
/** The local clock, an hour off Prometheus': ages must not be measured on it. */
const LOCAL_NOW_MS = (AT + 3600) * 1000;
const OPTIONS: FleetOptions = {job: JOB, downAfterSeconds: 60, staleCollectSeconds: 120};

const sample = (labels: Record<string, string>, value: number): Sample => ({labels, value, at: AT});

type Exporter = {
	instance: string;
	host: string;
	/** camtop_health_status: 0 ok, 1 warning, 2 critical. */
	health?: number;
	redisUp?: number;
	/** Seconds before AT the exporter last collected. */
	collectedAgo?: number;
	/** Seconds before AT Prometheus last scraped it. */
	scrapedAgo?: number;
	cameras?: Record<string, number>;
	/** The checks not ok, with their level. */
	checks?: Record<string, number>;
	alerts?: Record<string, number>;
};

/** What Prometheus answers for one box whose last scrape worked. */
function scraped({
	instance, host, health = 0, redisUp = 1, collectedAgo = 10, scrapedAgo = 5, cameras = {LIVE: 2}, checks = {}, alerts = {},
}: Exporter): Answers {
	const job = {job: JOB, instance};
	const gauge = (name: string, value: number) => sample({__name__: `camtop_${name}`, instance}, value);
	return {
		// A camtop box scraped now is not in `up` (lastSeen's camtop_info says it answers), nor is an ok health.
		up: [],
		lastSeen: [sample({...job, host, version: '1.4.0'}, AT - scrapedAgo)],
		gauges: [
			gauge('cpu_usage_ratio', 0.25),
			gauge('memory_usage_ratio', 0.5),
		],
		// Prometheus answers only what is out of the ordinary: Redis down, errors, a collection older than the options'.
		notable: [
			...(health > 0 ? [sample({instance, notable: 'health'}, health)] : []),
			...(redisUp === 0 ? [sample({instance, notable: 'redis_down'}, 0)] : []),
			sample({instance, notable: 'errors'}, 3),
			...(collectedAgo > OPTIONS.staleCollectSeconds ? [sample({instance, notable: 'collect_age'}, collectedAgo)] : []),
		],
		disk: [sample({instance}, 0.4)],
		cameras: Object.entries(cameras).map(([state, count]) => sample({instance, state}, count)),
		checks: Object.entries(checks).map(([check, code]) => sample({__name__: 'camtop_check_status', ...job, check}, code)),
		alerts: Object.entries(alerts).map(([alertname, count]) => sample({instance, alertname}, count)),
		targets: [],
	};
}

/**
What Prometheus answers for a box whose last scrape failed: up is 0 and no camtop_* series has a sample now; lastSeen
lists it with 0 (seen within the hour, not now) and the down boxes' query says when (when it was scraped within the hour).
*/
function failing({instance, host, scrapedAgo}: {instance: string; host: string; scrapedAgo: number | undefined}): Answers {
	return {
		...none(),
		up: [sample({instance}, 0)],
		lastSeen: scrapedAgo === undefined ? [] : [sample({instance, host, version: '1.4.0'}, 0)],
		downSince: scrapedAgo === undefined ? [] : [sample({instance}, AT - scrapedAgo)],
	};
}

function none(): Answers {
	return {
		up: [], lastSeen: [], downSince: [], gauges: [], notable: [], disk: [], cameras: [], checks: [], alerts: [], targets: [],
	};
}

/** Several boxes' answers as one answer per query. */
function together(...parts: Answers[]): Answers {
	const result = none();
	for (const part of parts) {
		for (const key of Object.keys(result) as Array<keyof Answers>) {
			(result[key] as unknown[]).push(...(part[key] ?? []));
		}
	}

	return result;
}

function target(instance: string, lastError: string): Target {
	return {
		labels: {job: JOB, instance}, scrapeUrl: `http://${instance}/metrics`, health: lastError === '' ? 'up' : 'down', lastError, lastScrapeMs: AT * 1000,
	};
}

function onlyBox(answers: Answers) {
	const boxes = buildBoxes(answers, OPTIONS, LOCAL_NOW_MS);
	expect(boxes).toHaveLength(1);
	return boxes[0]!;
}

describe('buildBoxes', () => {
	it('reads a healthy box as ok with no reasons, its gauges as they are', () => {
		const box = onlyBox(scraped({instance: '10.0.0.1:9464', host: 'gate-1'}));
		expect(box).toMatchObject({
			instance: '10.0.0.1:9464',
			host: 'gate-1',
			version: '1.4.0',
			status: 'ok',
			reasons: [],
			up: true,
			lastScrapeAgeSeconds: 5,
			cameras: {live: 2, total: 2, byState: {LIVE: 2}},
			alerts: {},
			cpu: 0.25,
			memory: 0.5,
			disk: 0.4,
			redisUp: true,
			errorsPerMinute: 3,
		});
	});

	it('reads Redis down as critical, with redis critical among the reasons', () => {
		const box = onlyBox(scraped({
			instance: '10.0.0.2:9464', host: 'gate-2', health: 2, redisUp: 0, checks: {redis: 2},
		}));
		expect(box.status).toBe('critical');
		expect(box.redisUp).toBe(false);
		expect(box.reasons).toContain('redis critical');
	});

	it('counts an OFFLINE camera out of the live ones and names its state', () => {
		const box = onlyBox(scraped({
			instance: '10.0.0.3:9464', host: 'gate-3', health: 2, cameras: {LIVE: 1, OFFLINE: 1}, checks: {cameras: 2},
		}));
		expect(box.cameras).toEqual({live: 1, total: 2, byState: {LIVE: 1, OFFLINE: 1}});
		expect(box.reasons).toEqual(['cameras critical', 'camera OFFLINE']);
		expect(box.status).toBe('critical');
	});

	it('reads a stale log as a warning with log files warning', () => {
		const box = onlyBox(scraped({
			instance: '10.0.0.4:9464', host: 'gate-4', health: 1, checks: {log_files: 1},
		}));
		expect(box.status).toBe('warning');
		expect(box.reasons).toEqual(['log files warning']);
	});

	it('calls a box whose last scrape failed stale within downAfter, with the scrape error and its age', () => {
		const answers = together(failing({instance: '10.0.0.5:9464', host: 'gate-5', scrapedAgo: 30}), {
			...none(), targets: [target('10.0.0.5:9464', 'Get "http://10.0.0.5:9464/metrics": context deadline exceeded')],
		});
		const box = onlyBox(answers);
		expect(box.status).toBe('stale');
		expect(box.up).toBe(false);
		expect(box.host).toBe('gate-5');
		expect(box.reasons).toEqual(['scrape timed out', 'last scraped 30 s ago']);
		expect(box.lastScrapeAgeSeconds).toBe(30);
		// Nothing it exported is shown as now.
		expect(box).toMatchObject({
			cameras: null, cpu: null, memory: null, disk: null, redisUp: null, errorsPerMinute: null,
		});
		expect(box.scrapeUrl).toBe('http://10.0.0.5:9464/metrics');
	});

	it('calls it down once its last successful scrape is downAfter old or more', () => {
		const box = onlyBox(together(failing({instance: '10.0.0.6:9464', host: 'gate-6', scrapedAgo: 90}), {
			...none(), targets: [target('10.0.0.6:9464', 'Get "http://10.0.0.6:9464/metrics": dial tcp 10.0.0.6:9464: connect: connection refused')],
		}));
		expect(box.status).toBe('down');
		expect(box.reasons).toEqual(['connection refused', 'last scraped 1 m 30 s ago']);
	});

	it('keeps the table when the down boxes\' query failed: a box seen within the hour is down, when unknown', () => {
		const box = onlyBox({...failing({instance: '10.0.0.9:9464', host: 'gate-9', scrapedAgo: 30}), downSince: undefined});
		expect(box.status).toBe('down');
		expect(box.host).toBe('gate-9');
		expect(box.reasons).toEqual(['last scrape failed', 'last scraped within the hour (Prometheus did not say when)']);
	});

	it('calls a box Prometheus no longer scrapes stale, though it answered last time', () => {
		// In lastSeen's hour, not in up{job}: taken out of the targets.
		const box = onlyBox({...failing({instance: '10.0.0.7:9464', host: 'gate-7', scrapedAgo: 200}), up: []});
		expect(box.status).toBe('stale');
		expect(box.up).toBe(false);
		expect(box.reasons).toEqual(['no longer a scrape target (last scraped 3 m 20 s ago)']);
	});

	it('calls a box stale when its exporter has not collected for staleCollectSeconds, though scrapes work', () => {
		const box = onlyBox(scraped({instance: '10.0.0.8:9464', host: 'gate-8', collectedAgo: 300}));
		expect(box.status).toBe('stale');
		expect(box.up).toBe(true);
		expect(box.reasons).toEqual(['last collection 5 m 0 s ago']);
	});

	it('keeps an exporter that collected within staleCollectSeconds ok', () => {
		expect(onlyBox(scraped({instance: '10.0.0.8:9464', host: 'gate-8', collectedAgo: 119})).status).toBe('ok');
	});

	it('calls a target never scraped within the hour down, with no host', () => {
		const box = onlyBox(failing({instance: '10.0.0.9:9464', host: 'gate-9', scrapedAgo: undefined}));
		expect(box.status).toBe('down');
		expect(box.host).toBe('');
		expect(box.lastScrapeAgeSeconds).toBeNull();
		expect(box.reasons).toEqual(['last scrape failed', 'not scraped within the hour']);
	});

	it('lists the alerts firing about a box, by name, after its checks', () => {
		const box = onlyBox(scraped({
			instance: '10.0.0.10:9464', host: 'gate-10', health: 1, checks: {resources: 1}, alerts: {CamtopDiskFilling: 1, CamtopCameraDown: 2},
		}));
		expect(box.alerts).toEqual({CamtopDiskFilling: 1, CamtopCameraDown: 2});
		expect(box.reasons).toEqual(['resources warning', 'alert CamtopCameraDown', 'alert CamtopDiskFilling']);
	});

	it('calls a target that answers without camtop_info unknown: not a camtop exporter', () => {
		// `up` names a target that answers (1) only when it has no camtop_info; lastSeen has nothing of it.
		const box = onlyBox({...none(), up: [sample({instance: '10.0.0.11:9100'}, 1)]});
		expect(box.status).toBe('unknown');
		expect(box.up).toBe(true);
		expect(box.redisUp).toBeNull();
		expect(box.cameras).toBeNull();
		expect(box.reasons).toEqual(['no camtop_info or camtop_health_status: is this a camtop exporter?']);
	});

	it('measures ages on Prometheus\' clock, whatever the local clock says', () => {
		const answers = scraped({instance: '10.0.0.1:9464', host: 'gate-1', scrapedAgo: 7});
		for (const localNowMs of [AT * 1000, LOCAL_NOW_MS, (AT - 86_400) * 1000]) {
			const [box] = buildBoxes(answers, OPTIONS, localNowMs);
			expect(box!.lastScrapeAgeSeconds).toBe(7);
			expect(box!.status).toBe('ok');
		}
	});

	it('makes one row per box of the job, and leaves out series of boxes Prometheus neither scrapes nor saw', () => {
		const answers = together(
			scraped({instance: '10.0.0.1:9464', host: 'gate-1'}),
			scraped({
				instance: '10.0.0.2:9464', host: 'gate-2', health: 2, redisUp: 0, checks: {redis: 2},
			}),
			{...none(), gauges: [sample({__name__: 'camtop_health_status', job: JOB, instance: 'ghost:9464'}, 2)]},
			{...none(), targets: [target('10.0.0.1:9464', ''), {...target('10.0.0.2:9464', ''), labels: {job: 'node', instance: '10.0.0.2:9464'}}]},
		);
		const boxes = buildBoxes(answers, OPTIONS, LOCAL_NOW_MS);
		expect(boxes.map(box => [box.instance, box.status])).toEqual([['10.0.0.1:9464', 'ok'], ['10.0.0.2:9464', 'critical']]);
		// Another job's target of the same instance is not this box's.
		expect(boxes.map(box => box.scrapeUrl)).toEqual(['http://10.0.0.1:9464/metrics', undefined]);
	});
});

describe('scrapeError', () => {
	it.each([
		['Get "http://127.0.0.1:9464/metrics": context deadline exceeded', 'scrape timed out'],
		['Get "http://127.0.0.1:9464/metrics": dial tcp 127.0.0.1:9464: connect: connection refused', 'connection refused'],
		['server returned HTTP status 401 Unauthorized', 'exporter answered 401 Unauthorized'],
		['Get "http://gate-9.local:9464/metrics": dial tcp: lookup gate-9.local on 127.0.0.53:53: no such host', 'host not found'],
		['Get "http://10.9.9.9:9464/metrics": dial tcp 10.9.9.9:9464: connect: no route to host', 'no route to host'],
		['', 'last scrape failed'],
		[undefined, 'last scrape failed'],
	])('reads %j as %j', (lastError, words) => {
		expect(scrapeError(lastError)).toBe(words);
	});

	it('keeps only the last words of an error it does not know, cut short', () => {
		const words = scrapeError(`Get "http://127.0.0.1:9464/metrics": read tcp 127.0.0.1:1->127.0.0.1:9464: ${'x'.repeat(200)}`);
		expect(words).toBe(`scrape failed: ${'x'.repeat(80)}`);
	});
});

describe('tableQueries', () => {
	it('is the same fixed handful of queries whatever the job, naming no box', () => {
		const camtop = tableQueries('camtop');
		const other = tableQueries('cameras-east');
		expect(Object.keys(camtop)).toEqual(Object.keys(other));
		expect(Object.keys(camtop)).toHaveLength(8);
		for (const query of [...Object.values(camtop), ...Object.values(other)]) {
			expect(query).not.toMatch(/instance\s*=/);
		}

		expect(Object.values(other).join('\n').replaceAll('"cameras-east"', '"camtop"')).toBe(Object.values(camtop).join('\n'));
	});

	it('escapes a job whose name holds a quote or a backslash', () => {
		const job = String.raw`cam"top\east`;
		expect(promqlString(job)).toBe(String.raw`"cam\"top\\east"`);
		expect(tableQueries(job).up).toBe(String.raw`max by (instance) (up{job="cam\"top\\east"} == 0) or max by (instance) (up{job="cam\"top\\east"} unless on (instance) camtop_info{job="cam\"top\\east"})`);
		for (const query of Object.values(tableQueries(job))) {
			expect(query).toContain(`job=${promqlString(job)}`);
		}
	});

	it('keeps a box whose host or version changed within the hour one box scraped now (lastSeen joins on instance)', () => {
		expect(tableQueries('camtop').lastSeen).toContain(' or on (instance) ');
	});

	it('asks when the down boxes were last scraped in one query naming only them, at the resolution given', () => {
		const query = downSinceQuery('camtop', ['10.0.0.7:9464', 'gate.lan:9464'], 30);
		expect(query).toContain('[1h:30s]');
		expect(query).toContain(String.raw`instance=~"10\\.0\\.0\\.7:9464|gate\\.lan:9464"`);
		expect(Object.values(tableQueries('camtop')).join('\n')).not.toContain('[1h:');
	});
});
