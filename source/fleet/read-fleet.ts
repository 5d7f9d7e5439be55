import {formatDuration} from '../text/format.js';
import {
	type FleetStatus, statusOfCode, worstOf,
} from './fleet-status.js';
import {downSinceQuery, tableQueries, type TableQueries} from './fleet-queries.js';
import type {
	PrometheusClient, Sample, Target,
} from './prometheus-client.js';

/** One row of the fleet table: one scrape target of the job, as Prometheus holds it. */
export type FleetBox = {
	/** Prometheus' `instance` label: host:port of the exporter. The box's key. */
	readonly instance: string;
	/** The box's host name (camtop_info), '' when Prometheus never scraped it. */
	readonly host: string;
	readonly version: string;
	readonly status: FleetStatus;
	/** Why it is not ok, most telling first: "scrape timed out", "redis critical", "camera OFFLINE". */
	readonly reasons: readonly string[];
	/** Whether Prometheus' last scrape of it worked. */
	readonly up: boolean;
	/** Seconds since the last successful scrape; null when none within the hour. */
	readonly lastScrapeAgeSeconds: number | null;
	/** Cameras delivering (LIVE or DEGRADED) and configured; null when unknown (down box). */
	readonly cameras: {readonly live: number; readonly total: number; readonly byState: Readonly<Record<string, number>>} | null;
	/** Prometheus' firing alerts about it, by name. */
	readonly alerts: Readonly<Record<string, number>>;
	/** Ratios 0–1, as exported; null when unknown. */
	readonly cpu: number | null;
	readonly memory: number | null;
	readonly disk: number | null;
	readonly redisUp: boolean | null;
	/** ERROR and CRITICAL records of the last minute. */
	readonly errorsPerMinute: number | null;
	/** Where Prometheus scrapes it (its /metrics URL), when the targets API said. */
	readonly scrapeUrl: string | undefined;
};

export type Fleet = {
	readonly boxes: readonly FleetBox[];
	/** When the table was read, ms since the epoch. */
	readonly at: number;
	/** The round trip of the slowest query, ms (bench:fleet reports it). */
	readonly queryMs: number;
};

export type FleetOptions = {
	readonly job: string;
	/** A box with no successful scrape for this long is down; less, stale. Seconds. */
	readonly downAfterSeconds: number;
	/** A box whose exporter's last collection is older than this is stale, seconds. */
	readonly staleCollectSeconds: number;
	/** The down boxes' subquery step, seconds: Prometheus' scrape interval (15 s unless told). */
	readonly resolutionSeconds?: number;
};

type Answers = Record<Exclude<keyof TableQueries, 'notable'>, Sample[]> & {
	/** Only what is out of the ordinary (see tableQueries); none when nothing is. */
	notable?: Sample[];
	/** When the boxes not scraped now were last scraped (downSinceQuery); none when every box is up; undefined when it failed. */
	downSince?: Sample[] | undefined;
	/** Prometheus' targets of the job, asked only when a box is down: why its scrapes fail. */
	targets: Target[] | undefined;
};

/**
The fleet table: the fixed queries of tableQueries at once; then, only when boxes are down, when each was last scraped
and why its scrapes fail (one query and the targets list, whatever their number). Throws the PrometheusError of the
first query that failed: a table half from now and half from before would lie.
*/
export async function readFleet(client: PrometheusClient, options: FleetOptions): Promise<Fleet> {
	const queries = tableQueries(options.job, options);
	const started = performance.now();
	let slowest = 0;
	const timed = async <T>(promise: Promise<T>): Promise<T> => {
		const value = await promise;
		slowest = Math.max(slowest, performance.now() - started);
		return value;
	};

	const names = Object.keys(queries) as Array<keyof TableQueries>;
	const answers = await Promise.all(names.map(async name => timed(client.query(queries[name]))));
	const all = Object.fromEntries(names.map((name, index) => [name, answers[index]!])) as Record<keyof TableQueries, Sample[]>;

	const downSeen = all.lastSeen.filter(sample => sample.value === 0).map(sample => sample.labels.instance ?? '');
	// Both tolerated: the table is right without them. Without the targets a down box's WHY lacks its scrape error;
	// without downSince its age is unknown (the one query whose cost grows with an outage, so the likeliest to time out).
	const [downSince, targets] = await Promise.all([
		downSeen.length === 0
			? []
			: timed(client.query(downSinceQuery(options.job, downSeen, options.resolutionSeconds ?? 15))).catch(() => undefined),
		all.up.some(sample => sample.value !== 1) ? timed(client.targets(options.job)).catch(() => undefined) : undefined,
	]);
	return {boxes: buildBoxes({...all, downSince, targets}, options, Date.now()), at: Date.now(), queryMs: slowest};
}

/** The rows from the queries' answers: pure, so that every state can be tested from samples. */
export function buildBoxes(answers: Answers, options: FleetOptions, nowMs: number): FleetBox[] {
	const rows = new Map<string, Row>();
	const instance = (sample: Sample) => sample.labels.instance ?? '';
	// Only up and lastSeen make rows: the boxes Prometheus scrapes, and those it scraped within the hour.
	const made = (sample: Sample): Row => {
		let row = rows.get(instance(sample));
		if (row === undefined) {
			row = emptyRow(instance(sample));
			rows.set(row.instance, row);
		}

		return row;
	};

	// camtop_info scraped now: the box is scraped and up. `up` names the others: those whose last scrape failed, and
	// targets that are not camtop exporters.
	for (const sample of answers.lastSeen) {
		if (sample.value > 0) {
			Object.assign(made(sample), {scraped: true, up: true, info: true});
		}
	}

	for (const sample of answers.up) {
		Object.assign(made(sample), {scraped: true, up: sample.value === 1, at: sample.at});
	}

	// 0: scraped within the hour, not now; downSince says when.
	for (const sample of [...answers.lastSeen, ...answers.downSince ?? []]) {
		const row = made(sample);
		row.seenNotNow ||= sample.value === 0;
		row.lastSeen = sample.value > 0 ? Math.max(row.lastSeen ?? 0, sample.value) : row.lastSeen;
		row.host ||= sample.labels.host ?? '';
		row.version ||= sample.labels.version ?? '';
		row.at ??= sample.at;
	}

	// The rest fill rows in: a series of a box that is neither is left out.
	const each = (samples: Sample[], fill: (row: Row, sample: Sample) => void) => {
		for (const sample of samples) {
			const row = rows.get(instance(sample));
			if (row !== undefined) {
				fill(row, sample);
			}
		}
	};

	each(answers.gauges, (row, sample) => row.gauges.set(sample.labels.__name__ ?? '', sample.value));
	each(answers.notable ?? [], (row, sample) => row.notable.set(sample.labels.notable ?? '', sample.value));
	each(answers.disk, (row, sample) => {
		row.disk = sample.value;
	});
	each(answers.cameras, (row, sample) => {
		row.cameras[sample.labels.state ?? 'UNKNOWN'] = sample.value;
	});
	each(answers.checks, (row, sample) => row.checks.push({check: sample.labels.check ?? '?', code: sample.value}));
	each(answers.alerts, (row, sample) => {
		row.alerts[sample.labels.alertname ?? '?'] = sample.value;
	});

	const targets = new Map((answers.targets ?? []).filter(target => target.labels.job === options.job).map(target => [target.labels.instance ?? '', target]));
	return [...rows.values()].map(row => finish(row, targets.get(row.instance), options, nowMs));
}

type Row = {
	instance: string;
	host: string;
	version: string;
	/** A scrape target now: in up{job}, or its camtop_info scraped now. */
	scraped: boolean;
	/** Its camtop_info was scraped now: a camtop exporter, answering. */
	info: boolean;
	/** Scraped within the hour, not now (lastSeen's 0): downSince tells when. */
	seenNotNow: boolean;
	up: boolean;
	/** The query's evaluation time (Prometheus' clock), seconds. */
	at: number | undefined;
	/** Last successful scrape, seconds. */
	lastSeen: number | undefined;
	gauges: Map<string, number>;
	/** What the notable query said of it: Redis down, errors, a collection's age. */
	notable: Map<string, number>;
	disk: number | undefined;
	cameras: Record<string, number>;
	checks: Array<{check: string; code: number}>;
	alerts: Record<string, number>;
};

function emptyRow(instance: string): Row {
	return {
		instance, host: '', version: '', scraped: false, info: false, seenNotNow: false, up: false, at: undefined, lastSeen: undefined,
		gauges: new Map(), notable: new Map(), disk: undefined, cameras: {}, checks: [], alerts: {},
	};
}

/** Camera states that deliver frames (camtop_camera_up's 1). */
const DELIVERING = new Set(['LIVE', 'DEGRADED']);

/** The counts of camera states, added up. */
function sum(entries: Array<[string, number]>): number {
	let total = 0;
	for (const [, count] of entries) {
		total += count;
	}

	return total;
}

function finish(row: Row, target: Target | undefined, options: FleetOptions, nowMs: number): FleetBox {
	// Ages on Prometheus' clock when it told its time, so a skewed clock here changes nothing.
	const now = row.at ?? nowMs / 1000;
	const age = row.lastSeen === undefined ? null : Math.max(0, now - row.lastSeen);
	const gauge = (name: string) => (row.up ? row.gauges.get(`camtop_${name}`) : undefined);
	const {statuses, reasons} = judge(row, {
		target, options, now, age,
	});
	const cameraStates = Object.entries(row.cameras);
	for (const [state, count] of cameraStates.filter(([state]) => !DELIVERING.has(state)).toSorted(([a], [b]) => a.localeCompare(b))) {
		reasons.push(`${count === 1 ? 'camera' : `${count} cameras`} ${state}`);
	}

	for (const name of Object.keys(row.alerts).toSorted((a, b) => a.localeCompare(b))) {
		reasons.push(`alert ${name}`);
	}

	// The notable query names only what is wrong: a camtop exporter that says nothing of Redis or errors has Redis up
	// and no errors. A target that is not camtop's (no health status) gets no such figures.
	const camtop = row.up && healthCode(row) !== undefined;
	return {
		instance: row.instance,
		host: row.host,
		version: row.version,
		status: worstOf(statuses),
		reasons,
		up: row.scraped && row.up,
		lastScrapeAgeSeconds: age,
		cameras: camtop ? {live: sum(cameraStates.filter(([state]) => DELIVERING.has(state))), total: sum(cameraStates), byState: row.cameras} : null,
		alerts: row.alerts,
		cpu: gauge('cpu_usage_ratio') ?? null,
		memory: gauge('memory_usage_ratio') ?? null,
		disk: row.up ? row.disk ?? null : null,
		redisUp: camtop ? !row.notable.has('redis_down') : null,
		errorsPerMinute: camtop && !row.notable.has('errors_unknown') ? row.notable.get('errors') ?? 0 : null,
		scrapeUrl: target?.scrapeUrl,
	};
}

/** A row's statuses (the worst is its status) and why, from how Prometheus scrapes it and what its exporter judged. */
function judge(row: Row, {target, options, now, age}: {target: Target | undefined; options: FleetOptions; now: number; age: number | null}): {statuses: FleetStatus[]; reasons: string[]} {
	const lastScraped = age === null
		? (row.seenNotNow ? 'last scraped within the hour (Prometheus did not say when)' : 'not scraped within the hour')
		: `last scraped ${formatDuration(age)} ago`;
	if (!row.scraped) {
		return {statuses: ['stale'], reasons: [`no longer a scrape target (${lastScraped})`]};
	}

	if (!row.up) {
		return {statuses: [age !== null && age < options.downAfterSeconds ? 'stale' : 'down'], reasons: [scrapeError(target?.lastError), lastScraped]};
	}

	const health = healthCode(row);
	const statuses: FleetStatus[] = [health === undefined ? 'unknown' : statusOfCode(health)];
	const reasons: string[] = health === undefined ? ['no camtop_info or camtop_health_status: is this a camtop exporter?'] : [];
	const collectAge = row.notable.get('collect_age');
	if (collectAge !== undefined && collectAge > options.staleCollectSeconds) {
		statuses.push('stale');
		reasons.push(`last collection ${formatDuration(collectAge)} ago`);
	}

	for (const {check, code} of row.checks.toSorted((a, b) => b.code - a.code)) {
		reasons.push(`${check.replace('_', ' ')} ${statusOfCode(code)}`);
	}

	return {statuses, reasons};
}

/**
camtop_health_status: from the gauges when they carry it, else `notable` names it when it is not 0, and a camtop
exporter scraped now that `notable` does not name is 0 (ok). undefined: not a camtop exporter.
*/
function healthCode(row: Row): number | undefined {
	return row.gauges.get('camtop_health_status') ?? row.notable.get('health') ?? (row.info ? 0 : undefined);
}

/**
Prometheus' scrape error in a few words: `Get "http://…/metrics": context deadline exceeded` is "scrape timed out".
*/
export function scrapeError(lastError: string | undefined): string {
	if (lastError === undefined || lastError === '') {
		return 'last scrape failed';
	}

	if (/deadline exceeded|timeout|timed out/i.test(lastError)) {
		return 'scrape timed out';
	}

	if (/connection refused/i.test(lastError)) {
		return 'connection refused';
	}

	if (/no such host|server misbehaving/i.test(lastError)) {
		return 'host not found';
	}

	if (/no route to host|network is unreachable/i.test(lastError)) {
		return 'no route to host';
	}

	const status = /server returned http status (\d+ [\w ]+)/i.exec(lastError);
	if (status !== null) {
		return `exporter answered ${status[1]!.trim()}`;
	}

	return `scrape failed: ${lastError.split(': ').at(-1)!.slice(0, 80)}`;
}
