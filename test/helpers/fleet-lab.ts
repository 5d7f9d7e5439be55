import {
	mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {startExporter, type Exporter} from './exporter.js';
import {freePort} from './free-port.js';
import {startMjpegCamera, type FfmpegPeer} from './mjpeg-camera.js';
import {CAMTOP_RULES, startPrometheus, type Prometheus} from './prometheus.js';
import {startRedis, type RedisServer} from './redis-server.js';
import {waitFor} from './wait-for.js';

/** The ten boxes of the lab, by the `box` target label Prometheus gives each. */
export const FLEET_BOX_NAMES = [
	'healthy-1',
	'healthy-2',
	'healthy-3',
	'healthy-4',
	'healthy-5',
	'redis-down',
	'camera-offline',
	'stale-log',
	'frozen',
	'stopped',
] as const;
export type FleetBoxName = typeof FLEET_BOX_NAMES[number];

/** The cameras of the `camera-offline` box: one whose URL is a closed port, one a real MJPEG stream. */
export const OFFLINE_CAMERA = 'gate';
export const LIVE_CAMERA = 'yard';
/** The log the `stale-log` box should write regularly and has not: its mtime is an hour old. */
export const STALE_LOG_FILE = 'performance.log';

/**
camtop_health_status each box exports while it runs (0 ok, 1 warning, 2 critical): `frozen` and `stopped` are healthy
boxes until the test freezes or stops them. A live judgement of the one machine all ten share: a collection over which
its CPU was 100 % busy (other tests running) makes every box critical for that collection (cpu ≥ the 100 % critical
level, the highest a config may set). What is each box's own, the status of every check but `resources`, is this
always: `max by (box) (camtop_check_status{check!="resources"})`.
*/
export const FLEET_BOX_HEALTH: Record<FleetBoxName, 0 | 1 | 2> = {
	'healthy-1': 0,
	'healthy-2': 0,
	'healthy-3': 0,
	'healthy-4': 0,
	'healthy-5': 0,
	'redis-down': 2,
	'camera-offline': 2,
	'stale-log': 1,
	frozen: 0,
	stopped: 0,
};

export type FleetBox = {
	name: FleetBoxName;
	/** The `instance` label Prometheus gives its target: 127.0.0.1:PORT. */
	instance: string;
	exporter: Exporter;
	/** Its app directory (camtop.config.json, logs/). */
	dir: string;
};

export type FleetLabOptions = {
	/** The scrape job's name. Default `camtop` (deploy/'s CamtopExporterDown rule reads job="camtop" only). */
	job?: string;
	/** CAMTOP_EXPORT_TOKEN of every exporter, and the bearer token Prometheus scrapes them with. Default none. */
	token?: string;
};

export type FleetLab = {
	prometheusUrl: string;
	job: string;
	boxes: FleetBox[];
	/** The box of that name; throws for another. */
	box: (name: FleetBoxName) => FleetBox;
	/** An instant query to the lab's Prometheus (/api/v1/query). */
	query: Prometheus['query'];
	/** SIGSTOP the box's exporter, once Prometheus has scraped it: its port still accepts, it answers nothing. */
	freeze: (name: FleetBoxName) => Promise<void>;
	/** Stop (SIGTERM) the box's exporter, once Prometheus has scraped it; resolves when it has exited. */
	stopBox: (name: FleetBoxName) => Promise<void>;
	/**
	Resolves once every box was scraped with up 1 at least once and its state (FLEET_BOX_HEALTH, and Redis down, the
	OFFLINE and LIVE cameras, the stale log) reads back from Prometheus; a frozen or stopped box only needs the scrape.
	*/
	waitForScraped: () => Promise<void>;
	/** Everything stopped (the frozen thawed first) and every temporary directory removed. Safe to call twice. */
	stop: () => Promise<void>;
};

/**
Each exporter collects this often, ms: once per scrape, so states show in a scrape or two. Shorter would cost CPU
for nothing, and measure the machine's CPU over a window short enough to catch it 100 % busy (a critical box).
*/
const EXPORT_INTERVAL_MS = 1000;
/** How long each exporter may take to listen, ms: ten node processes starting at once on a busy machine take a while. */
const START_TIMEOUT_MS = 30_000;
/** A stopped exporter that has not exited after SIGTERM for this long is killed, ms. */
const EXIT_GRACE_MS = 10_000;
/** How long the lab may take to show every box's state in Prometheus, ms: the MJPEG probe alone reads 2 s. */
const SCRAPED_TIMEOUT_MS = 30_000;
/** How old the stale box's log is, s: past the default staleLogSeconds (600). */
const STALE_AGE_SECONDS = 3600;

/**
A fleet on one machine: one redis-server, ten real `camtop export` processes (the built dist/, so `npm run build` first)
in the states FLEET_BOX_NAMES name, and a real Prometheus scraping them every second with deploy/'s alerting rules.
*/
export async function startFleetLab({job = 'camtop', token}: FleetLabOptions = {}): Promise<FleetLab> {
	const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-fleet-lab-'));
	let redis: RedisServer | undefined;
	let camera: FfmpegPeer | undefined;
	let prometheus: Prometheus | undefined;
	const boxes: FleetBox[] = [];
	const frozen = new Set<FleetBoxName>();
	const stopped = new Set<FleetBoxName>();
	let stopping: Promise<void> | undefined;

	const stop = async () => {
		stopping ??= (async () => {
			await Promise.all(boxes.map(async box => {
				if (frozen.has(box.name)) {
					process.kill(box.exporter.pid, 'SIGCONT');
					frozen.delete(box.name);
				}

				await stopExporter(box.exporter);
			}));
			await Promise.all([prometheus?.stop(), camera?.stop(), redis?.stop()]);
			rmSync(root, {recursive: true, force: true});
		})();
		return stopping;
	};

	try {
		[redis, camera] = await Promise.all([startRedis(), startMjpegCamera()]);
		const [closedPort, ...ports] = await distinctFreePorts(FLEET_BOX_NAMES.length + 1);
		const targets = FLEET_BOX_NAMES.map((name, index) => ({name, instance: `127.0.0.1:${ports[index]!}`}));
		const env = token === undefined ? {} : {CAMTOP_EXPORT_TOKEN: token};
		const prometheusDir = path.join(root, 'prometheus');
		mkdirSync(prometheusDir);
		// Prometheus starts beside the exporters, their ports chosen beforehand: it hands its first targets to the scrapers
		// 5 s after it starts (2.42's discovery manager), time the exporters use to start.
		// Settled, not all: whatever started before something failed must not be left running unseen by stop().
		const started = await Promise.allSettled([
			startPrometheus(prometheusConfig(job, targets, token), {dir: prometheusDir}).then(started => {
				prometheus = started;
			}),
			...targets.map(async ({name, instance}) => {
				const dir = path.join(root, name);
				writeBox(dir, boxConfig(name, {redis: redis!.url, closedPort: closedPort!, liveCamera: camera!.url}));
				const exporter = await startExporter(['--interval', String(EXPORT_INTERVAL_MS)], {
					cwd: dir, env, listen: instance, startTimeoutMs: START_TIMEOUT_MS,
				});
				boxes.push({
					name, instance, exporter, dir,
				});
			}),
		]);
		const failed = started.find(result => result.status === 'rejected');
		if (failed !== undefined) {
			throw failed.reason as Error;
		}

		boxes.sort((a, b) => FLEET_BOX_NAMES.indexOf(a.name) - FLEET_BOX_NAMES.indexOf(b.name));
	} catch (error) {
		await stop();
		throw error;
	}

	const {query} = prometheus!;
	const box = (name: FleetBoxName) => {
		const found = boxes.find(candidate => candidate.name === name);
		if (found === undefined) {
			throw new Error(`no box ${name} in the lab`);
		}

		return found;
	};

	const selector = (name: FleetBoxName, more = '') => `{job="${job}",box="${name}"${more}}`;
	const scrapedOnce = (name: FleetBoxName) => `max_over_time(up${selector(name)}[1h]) == 1`;
	/** PromQL that each return a sample once the box's state is in Prometheus. */
	const facts = (name: FleetBoxName): string[] => {
		if (frozen.has(name) || stopped.has(name)) {
			return [scrapedOnce(name)];
		}

		const health = `camtop_health_status${selector(name)} == ${FLEET_BOX_HEALTH[name]}`;
		switch (name) {
			case 'redis-down': {
				return [health, `camtop_redis_up${selector(name)} == 0`];
			}

			case 'camera-offline': {
				return [
					health,
					`camtop_camera_state${selector(name, `,camera="${OFFLINE_CAMERA}",state="OFFLINE"`)} == 1`,
					`camtop_camera_state${selector(name, `,camera="${LIVE_CAMERA}",state="LIVE"`)} == 1`,
				];
			}

			case 'stale-log': {
				return [health, `camtop_log_file_stale${selector(name, `,file="${STALE_LOG_FILE}"`)} == 1`];
			}

			default: {
				// A camtop_ sample is only ever there from a successful scrape: up was 1.
				return [health];
			}
		}
	};

	/**
	Each fact seen once is enough: a box's health is a live judgement of a machine it shares with the others (see
	FLEET_BOX_HEALTH), so on a busy machine all of them may never be true at the same instant.
	*/
	const waitForFacts = async (promql: string[], what: string) => {
		let missing = promql;
		try {
			await waitFor(async () => {
				const answers = await Promise.all(missing.map(async fact => (await query(fact)).length > 0));
				missing = missing.filter((_, index) => !answers[index]);
				return missing.length === 0;
			}, what, SCRAPED_TIMEOUT_MS, 250);
		} catch (error) {
			throw new Error(`${(error as Error).message}; never seen: ${missing.join(', ')}`);
		}
	};

	return {
		prometheusUrl: prometheus!.url,
		job,
		boxes,
		box,
		query,
		async freeze(name) {
			await waitForFacts([scrapedOnce(name)], `a scrape of ${name}`);
			process.kill(box(name).exporter.pid, 'SIGSTOP');
			frozen.add(name);
		},
		async stopBox(name) {
			await waitForFacts([scrapedOnce(name)], `a scrape of ${name}`);
			stopped.add(name);
			await stopExporter(box(name).exporter);
		},
		async waitForScraped() {
			await waitForFacts(FLEET_BOX_NAMES.flatMap(name => facts(name)), 'every box\'s state in Prometheus');
		},
		stop,
	};
}

type Config = Record<string, unknown>;

function boxConfig(name: FleetBoxName, {redis, closedPort, liveCamera}: {redis: string; closedPort: number; liveCamera: string}): Config {
	const config: Config = {
		logs: 'logs',
		// No camera app runs here: no processes to watch.
		processes: [],
		// Ten exporters, Prometheus and ffmpeg share this machine's cores with other tests: its CPU, memory, disk and a
		// slow PING are not what these boxes are about, so no level of them turns a healthy box amber.
		thresholds: {
			cpuPercent: {warning: 100, critical: 100},
			memoryPercent: {warning: 100, critical: 100},
			diskPercent: {warning: 100, critical: 100},
			redisPingMs: {warning: 60_000, critical: 60_000},
		},
		redis,
	};
	switch (name) {
		case 'redis-down': {
			return {...config, redis: `redis://127.0.0.1:${closedPort}`};
		}

		case 'camera-offline': {
			return {
				...config,
				cameras: [
					{name: OFFLINE_CAMERA, url: `http://127.0.0.1:${closedPort}/video`},
					{name: LIVE_CAMERA, url: liveCamera},
				],
			};
		}

		default: {
			return config;
		}
	}
}

/** The box's directory: its config and the seed's three logs, just written (the stale box's one an hour old). */
function writeBox(dir: string, config: Config): void {
	const logs = path.join(dir, 'logs');
	mkdirSync(logs, {recursive: true});
	writeFileSync(path.join(dir, 'camtop.config.json'), JSON.stringify(config, null, '\t'));
	for (const file of ['camera_system.log', 'errors.log', 'performance.log']) {
		writeFileSync(path.join(logs, file), '');
	}

	if (path.basename(dir) === 'stale-log') {
		const old = (Date.now() / 1000) - STALE_AGE_SECONDS;
		utimesSync(path.join(logs, STALE_LOG_FILE), old, old);
	}
}

function prometheusConfig(job: string, targets: ReadonlyArray<{name: FleetBoxName; instance: string}>, token: string | undefined): string {
	return [
		'global:',
		'  scrape_interval: 1s',
		// Under the interval: a frozen exporter is `up 0` at its next scrape.
		'  scrape_timeout: 900ms',
		'  evaluation_interval: 1s',
		'rule_files:',
		`  - ${JSON.stringify(CAMTOP_RULES)}`,
		'scrape_configs:',
		`  - job_name: ${JSON.stringify(job)}`,
		...(token === undefined ? [] : ['    authorization:', `      credentials: ${JSON.stringify(token)}`]),
		'    static_configs:',
		...targets.flatMap(target => [
			`      - targets: ['${target.instance}']`,
			`        labels: {box: ${JSON.stringify(target.name)}}`,
		]),
		'',
	].join('\n');
}

/** `count` ports nothing listens on, no two the same. */
async function distinctFreePorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	while (ports.size < count) {
		ports.add(await freePort());
	}

	return [...ports];
}

/** SIGTERM, and SIGKILL if it has not exited within EXIT_GRACE_MS. */
async function stopExporter(exporter: Exporter): Promise<void> {
	const killer = setTimeout(() => {
		try {
			process.kill(exporter.pid, 'SIGKILL');
		} catch {}
	}, EXIT_GRACE_MS);
	try {
		await exporter.stop();
	} finally {
		clearTimeout(killer);
	}
}
