/*
A fleet's hour in Prometheus, for bench:fleet: OpenMetrics text of N boxes × `hours` at one sample every 15 s, ending at
`endMs`, as Prometheus would hold it after scraping N `camtop export`s (job="camtop", instance="box-0001.lan:9464" …)
and evaluating deploy/'s alert rules. It holds every series `camtop fleet` reads (fleet-queries.ts: tableQueries for the
table, boxRangeQueries for a box's sparklines), and no other: a real exporter has about 150 series more per box, which
no fleet query selects.

The file is for `promtool tsdb create-blocks-from openmetrics`, which is strict: every sample has a timestamp (seconds),
one metric family's samples come together after its `# TYPE` line, each series' samples go up in time, and the file
ends with `# EOF`.

The mix is deterministic (a seeded generator) and scaled to the fleet, each kind at least once:
  ok               most boxes;
  redis-down       Redis down for its last few minutes: camtop_redis_up 0, check redis critical, CamtopRedisDown;
  camera-offline   one camera OFFLINE for its last few minutes: check cameras critical, CamtopCameraDown;
  camera-degraded  one camera DEGRADED (still delivering): check cameras warning;
  errors           a burst of errors: camtop_log_errors_last_minute ≥ 10, check recent_errors warning, CamtopErrorRate;
  down             the exporter stopped answering for its last 1–20 minutes: up 0 and, as a failed scrape leaves none,
                   no camtop_ sample since; CamtopExporterDown once it has been down 2 minutes.
Incidents began 1–30 minutes before the end, each at its box's own moment. Values move over the hour (CPU waves of
10–40 minutes, memory and disk drifting, errors now and then) so that a box's sparklines have a shape.

One difference from a real Prometheus: a failed scrape also writes a staleness marker into each series of the target,
which makes them vanish from instant queries at once; text cannot carry that marker (a special NaN), so a down box's
camtop_ series here stay visible to instant queries for the 5-minute lookback after their last sample. readFleet reads
no gauge of a box whose `up` is 0, so its table is the same.
*/
import {closeSync, openSync, writeSync} from 'node:fs';
import {random} from '../test/helpers/corpus.js';

export const SCRAPE_INTERVAL_SECONDS = 15;
export const JOB = 'camtop';
export const CAMERAS = ['cam1', 'cam2', 'cam3', 'cam4'] as const;
/** camtop's camera states (collectors/camera-state.ts CAMERA_STATES), each a series of camtop_camera_state. */
const CAMERA_STATES = ['LIVE', 'DEGRADED', 'STALLED', 'FROZEN', 'OFFLINE', 'UNKNOWN'] as const;
/** The checks camtop_check_status exports (export/metrics.ts). */
const CHECKS = ['resources', 'processes', 'redis', 'log_files', 'recent_errors', 'cameras'] as const;
const DISK_PATH = '/opt/camera/logs';

const ratio = (value: number) => value.toFixed(4);
const seconds = (ms: number) => (ms / 1000).toFixed(3);

export type BoxKind = 'ok' | 'redis-down' | 'camera-offline' | 'camera-degraded' | 'errors' | 'down';

/** Share of the fleet of each kind but ok; at least one box each. */
const KIND_SHARES: ReadonlyArray<readonly [BoxKind, number]> = [
	['redis-down', 0.03],
	['camera-offline', 0.03],
	['camera-degraded', 0.02],
	['errors', 0.02],
	['down', 0.02],
];

/** When an alert goes from pending to firing, seconds after its condition began (deploy/'s `for`). */
const ALERT_FOR_SECONDS = {
	CamtopRedisDown: 30, CamtopCameraDown: 30, CamtopErrorRate: 60, CamtopExporterDown: 120,
} as const;

type Alert = {name: keyof typeof ALERT_FOR_SECONDS; severity: string; component: string; extra: string};

type Box = {
	instance: string;
	host: string;
	version: string;
	kind: BoxKind;
	/** The box's scrape times, ms since the epoch, oldest first. */
	times: number[];
	/** The same as each sample line ends: ` 1796458407.604\n` (seconds). */
	stamps: string[];
	/** Index into times of the first scrape of the incident (times.length: none). */
	incident: number;
	/** Ratio of the box's CPU wave, and its phase and period (in samples). */
	cpuBase: number;
	cpuSwing: number;
	cpuPhase: number;
	cpuPeriod: number;
	memoryBase: number;
	diskBase: number;
	/** Seconds from the exporter's last collection to the scrape. */
	collectLag: number;
	/** The camera an incident is about. */
	camera: number;
	/** Per-sample noise, fixed in advance so every family of one box draws the same. */
	noise: Float64Array;
	alert: Alert | undefined;
};

export type FleetData = {
	/** The files written, one per 2 h block, and their sizes in bytes. */
	files: Array<{path: string; bytes: number}>;
	boxes: number;
	series: number;
	samples: number;
	bytes: number;
	/** Boxes of each kind. */
	kinds: Record<BoxKind, number>;
	/** The box of each kind that is not ok: instance → kind. */
	incidents: Map<string, BoxKind>;
};

export function instanceOf(index: number): string {
	return `box-${String(index + 1).padStart(4, '0')}.lan:9464`;
}

function planBoxes(count: number, endMs: number, hours: number, seed: number): Box[] {
	const next = random(seed);
	const kinds: BoxKind[] = Array.from({length: count}, () => 'ok');
	// Which boxes have which incident: a seeded shuffle of the indices, dealt out kind by kind.
	const order = Array.from({length: count}, (_, index) => index);
	for (let index = count - 1; index > 0; index--) {
		const other = Math.floor(next() * (index + 1));
		[order[index], order[other]] = [order[other]!, order[index]!];
	}

	let dealt = 0;
	for (const [kind, share] of KIND_SHARES) {
		for (let taken = 0; taken < Math.max(1, Math.round(count * share)) && dealt < count; taken++) {
			kinds[order[dealt++]!] = kind;
		}
	}

	const perBox = hours * 3600 / SCRAPE_INTERVAL_SECONDS;
	return kinds.map((kind, index) => {
		// Each box is scraped at its own offset within the interval, as Prometheus spreads its targets.
		const offsetMs = Math.floor(next() * SCRAPE_INTERVAL_SECONDS * 1000);
		const lastMs = endMs - offsetMs;
		const times = Array.from({length: perBox}, (_, sample) => lastMs - (perBox - 1 - sample) * SCRAPE_INTERVAL_SECONDS * 1000);
		const minutesAgo = kind === 'down' ? 1 + next() * 19 : 1 + next() * 29;
		const incident = kind === 'ok' ? perBox : Math.max(1, perBox - Math.round(minutesAgo * 60 / SCRAPE_INTERVAL_SECONDS));
		const noise = new Float64Array(perBox);
		for (let sample = 0; sample < perBox; sample++) {
			noise[sample] = next() - 0.5;
		}

		const host = `box-${String(index + 1).padStart(4, '0')}`;
		const camera = Math.floor(next() * CAMERAS.length);
		return {
			instance: instanceOf(index),
			host,
			version: next() < 0.1 ? '0.0.9' : '0.1.0',
			kind,
			times,
			stamps: times.map(ms => ` ${seconds(ms)}\n`),
			incident,
			cpuBase: 0.1 + next() * 0.3,
			cpuSwing: 0.05 + next() * 0.3,
			cpuPhase: next() * 2 * Math.PI,
			cpuPeriod: (10 + next() * 30) * 60 / SCRAPE_INTERVAL_SECONDS,
			memoryBase: 0.3 + next() * 0.35,
			diskBase: 0.35 + next() * 0.4,
			collectLag: 0.05 + next() * 14,
			camera,
			noise,
			alert: alertOf(kind, CAMERAS[camera]!),
		};
	});
}

function alertOf(kind: BoxKind, camera: string): Alert | undefined {
	switch (kind) {
		case 'redis-down': {
			return {
				name: 'CamtopRedisDown', severity: 'critical', component: 'redis', extra: '',
			};
		}

		case 'camera-offline': {
			return {
				name: 'CamtopCameraDown', severity: 'critical', component: 'camera', extra: `,camera="${camera}"`,
			};
		}

		case 'errors': {
			return {
				name: 'CamtopErrorRate', severity: 'warning', component: 'logs', extra: '',
			};
		}

		case 'down': {
			return {
				name: 'CamtopExporterDown', severity: 'critical', component: 'exporter', extra: '',
			};
		}

		default: {
			return undefined;
		}
	}
}

/** Whether sample `index` of the box is after its incident began. */
const inIncident = (box: Box, index: number) => index >= box.incident;
/** Whether the exporter answered scrape `index`: camtop_ samples exist. */
const answered = (box: Box, index: number) => box.kind !== 'down' || index < box.incident;

function clamp(ratio: number): number {
	return Math.min(1, Math.max(0, ratio));
}

function cpuAt(box: Box, index: number): number {
	return clamp(box.cpuBase + box.cpuSwing * (0.5 + 0.5 * Math.sin(box.cpuPhase + 2 * Math.PI * index / box.cpuPeriod)) + box.noise[index]! * 0.08);
}

function memoryAt(box: Box, index: number): number {
	return clamp(box.memoryBase + 0.04 * Math.sin(box.cpuPhase + index / 97) + box.noise[index]! * 0.01);
}

function diskAt(box: Box, index: number): number {
	// Filling slowly: about 1 % over the hour.
	return clamp(box.diskBase + index * 0.01 / box.times.length);
}

function errorsAt(box: Box, index: number): number {
	if (box.kind === 'errors' && inIncident(box, index)) {
		return 10 + Math.floor((box.noise[index]! + 0.5) * 20);
	}

	// An error now and then: about one sample in ten has one or two.
	const draw = box.noise[index]! + 0.5;
	return draw > 0.95 ? 2 : (draw > 0.9 ? 1 : 0);
}

function cameraStateAt(box: Box, camera: number, index: number): typeof CAMERA_STATES[number] {
	if (camera !== box.camera || !inIncident(box, index)) {
		return 'LIVE';
	}

	return box.kind === 'camera-offline' ? 'OFFLINE' : (box.kind === 'camera-degraded' ? 'DEGRADED' : 'LIVE');
}

function checkAt(box: Box, check: typeof CHECKS[number], index: number): number {
	if (!inIncident(box, index)) {
		return 0;
	}

	switch (box.kind) {
		case 'redis-down': {
			return check === 'redis' ? 2 : 0;
		}

		case 'camera-offline': {
			return check === 'cameras' ? 2 : 0;
		}

		case 'camera-degraded': {
			return check === 'cameras' ? 1 : 0;
		}

		case 'errors': {
			return check === 'recent_errors' ? 1 : 0;
		}

		default: {
			return 0;
		}
	}
}

function healthAt(box: Box, index: number): number {
	return Math.max(...CHECKS.map(check => checkAt(box, check, index)));
}

/**
promtool cuts blocks at multiples of 2 h since the epoch (tsdb.DefaultBlockDuration), and reads its whole input once to
find the time range, then once more for each block. An hour ending now spans two blocks half the time: one file per block
makes that two reads of each half instead of three of the whole, and the files can be loaded in parallel.
*/
export const BLOCK_MS = 2 * 3600 * 1000;

type File = {path: string; fd: number; text: string; bytes: number};

/** Buffered writes of the text of each block's file, in pieces of about 4 MiB. */
class Output {
	samples = 0;
	seriesCount = 0;
	readonly files: File[];
	readonly #firstBlock: number;

	constructor(base: string, firstMs: number, lastMs: number) {
		this.#firstBlock = Math.floor(firstMs / BLOCK_MS);
		this.files = Array.from({length: Math.floor(lastMs / BLOCK_MS) - this.#firstBlock + 1}, (_, index) => {
			const path = `${base}.${(this.#firstBlock + index) * BLOCK_MS / 1000}.om`;
			return {
				path, fd: openSync(path, 'w'), text: '', bytes: 0,
			};
		});
	}

	/** Text for every file: TYPE and HELP lines, `# EOF`. */
	everywhere(text: string): void {
		for (const file of this.files) {
			this.#write(file, text);
		}
	}

	/** One series: `name{labels}` and a value for each index from..to (exclusive) that `value` gives (undefined: none). */
	series(nameAndLabels: string, box: Box, from: number, to: number, value: (index: number) => string | undefined): void {
		const before = this.samples;
		for (let index = from; index < to; index++) {
			const text = value(index);
			if (text !== undefined) {
				this.#write(this.files[Math.floor(box.times[index]! / BLOCK_MS) - this.#firstBlock]!, `${nameAndLabels} ${text}${box.stamps[index]!}`);
				this.samples++;
			}
		}

		if (this.samples > before) {
			this.seriesCount++;
		}
	}

	close(): void {
		for (const file of this.files) {
			this.#flush(file);
			closeSync(file.fd);
		}
	}

	#write(file: File, text: string): void {
		// Appending to one string is the fastest way V8 has to build text (a rope, flattened once when written).
		file.text += text;
		if (file.text.length > 4 * 1024 * 1024) {
			this.#flush(file);
		}
	}

	#flush(file: File): void {
		file.bytes += writeSync(file.fd, file.text, null, 'latin1');
		file.text = '';
	}
}

/**
Writes the fleet's OpenMetrics text to `base`.<block start, s>.om, one file per 2 h block: `boxes` boxes, `hours` of
samples every 15 s ending at `endMs` (each box's last scrape within the 15 s before it). Returns what it wrote.
*/
export function writeFleetData(base: string, {boxes: count, endMs, hours = 1, seed = 15}: {boxes: number; endMs: number; hours?: number; seed?: number}): FleetData {
	const boxes = planBoxes(count, endMs, hours, seed);
	const out = new Output(base, Math.min(...boxes.map(box => box.times[0]!)), endMs);
	const target = (box: Box) => `job="${JOB}",instance="${box.instance}"`;
	const family = (name: string, help: string, each: (box: Box, labels: string) => void) => {
		out.everywhere(`# TYPE ${name} gauge\n# HELP ${name} ${help}\n`);
		for (const box of boxes) {
			each(box, target(box));
		}
	};

	const all = (box: Box) => box.times.length;
	/** A camtop_ gauge: a sample for every scrape the exporter answered. */
	const gauge = (box: Box, value: (index: number) => string) => (index: number) => (answered(box, index) ? value(index) : undefined);

	family('up', 'Whether the last scrape of the target worked', (box, labels) => {
		out.series(`up{${labels}}`, box, 0, all(box), index => (answered(box, index) ? '1' : '0'));
	});
	family('camtop_info', 'camtop version and the box host name', (box, labels) => {
		out.series(`camtop_info{${labels},host="${box.host}",version="${box.version}"}`, box, 0, all(box), gauge(box, () => '1'));
	});
	family('camtop_health_status', 'Overall health as health exits', (box, labels) => {
		out.series(`camtop_health_status{${labels}}`, box, 0, all(box), gauge(box, index => String(healthAt(box, index))));
	});
	family('camtop_check_status', 'Each check as health judges it', (box, labels) => {
		for (const check of CHECKS) {
			out.series(`camtop_check_status{${labels},check="${check}"}`, box, 0, all(box), gauge(box, index => String(checkAt(box, check, index))));
		}
	});
	family('camtop_cpu_usage_ratio', 'Busy share of all cores', (box, labels) => {
		out.series(`camtop_cpu_usage_ratio{${labels}}`, box, 0, all(box), gauge(box, index => ratio(cpuAt(box, index))));
	});
	family('camtop_memory_usage_ratio', 'Memory in use', (box, labels) => {
		out.series(`camtop_memory_usage_ratio{${labels}}`, box, 0, all(box), gauge(box, index => ratio(memoryAt(box, index))));
	});
	family('camtop_disk_usage_ratio', 'Used share of the volume holding the logs', (box, labels) => {
		out.series(`camtop_disk_usage_ratio{${labels},path="${DISK_PATH}"}`, box, 0, all(box), gauge(box, index => ratio(diskAt(box, index))));
	});
	family('camtop_redis_up', 'Whether Redis answers PING in time', (box, labels) => {
		out.series(`camtop_redis_up{${labels}}`, box, 0, all(box), gauge(box, index => (box.kind === 'redis-down' && inIncident(box, index) ? '0' : '1')));
	});
	family('camtop_log_errors_last_minute', 'ERROR and CRITICAL records of the last 60 s', (box, labels) => {
		out.series(`camtop_log_errors_last_minute{${labels}}`, box, 0, all(box), gauge(box, index => String(errorsAt(box, index))));
	});
	family('camtop_last_collect_timestamp_seconds', 'When the last collection finished', (box, labels) => {
		out.series(`camtop_last_collect_timestamp_seconds{${labels}}`, box, 0, all(box), gauge(box, index => seconds(box.times[index]! - box.collectLag * 1000)));
	});
	family('camtop_camera_state', 'Each camera\'s state: 1 for the current one', (box, labels) => {
		for (const [camera, name] of CAMERAS.entries()) {
			for (const state of CAMERA_STATES) {
				out.series(`camtop_camera_state{${labels},camera="${name}",state="${state}"}`, box, 0, all(box), gauge(box, index => (cameraStateAt(box, camera, index) === state ? '1' : '0')));
			}
		}
	});
	family('camtop_camera_up', 'Whether the camera delivers', (box, labels) => {
		for (const [camera, name] of CAMERAS.entries()) {
			out.series(`camtop_camera_up{${labels},camera="${name}"}`, box, 0, all(box), gauge(box, index => (['LIVE', 'DEGRADED'].includes(cameraStateAt(box, camera, index)) ? '1' : '0')));
		}
	});
	family('ALERTS', 'Prometheus\' alerts, pending and firing', (box, labels) => {
		const {alert} = box;
		if (alert === undefined) {
			return;
		}

		// Pending from the incident's first evaluation, firing once it has lasted the rule's `for`; two series.
		const firesAt = box.incident + Math.ceil(ALERT_FOR_SECONDS[alert.name] / SCRAPE_INTERVAL_SECONDS);
		const rest = `${labels},alertname="${alert.name}",severity="${alert.severity}",component="${alert.component}"${alert.extra}`;
		out.series(`ALERTS{${rest},alertstate="pending"}`, box, box.incident, Math.min(firesAt, all(box)), () => '1');
		out.series(`ALERTS{${rest},alertstate="firing"}`, box, firesAt, all(box), () => '1');
	});
	out.everywhere('# EOF\n');
	out.close();

	const kinds: Record<BoxKind, number> = {
		ok: 0, 'redis-down': 0, 'camera-offline': 0, 'camera-degraded': 0, errors: 0, down: 0,
	};
	const incidents = new Map<string, BoxKind>();
	for (const box of boxes) {
		kinds[box.kind]++;
		if (box.kind !== 'ok') {
			incidents.set(box.instance, box.kind);
		}
	}

	return {
		files: out.files.map(({path, bytes}) => ({path, bytes})),
		boxes: count,
		series: out.seriesCount,
		samples: out.samples,
		bytes: out.files.reduce((sum, file) => sum + file.bytes, 0),
		kinds,
		incidents,
	};
}
