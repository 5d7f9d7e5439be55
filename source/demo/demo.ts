import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {Redis} from 'ioredis';
import {createMonitor, type Monitor, type MonitorStats} from '../monitoring/index.js';
import {monitorRedisOptions} from '../collectors/redis.js';
import {redactUrl} from '../text/redact.js';
import {demoWorkerEntry} from '../base/entry-points.js';
import {MjpegServer, syntheticFrame} from './mjpeg-server.js';

export type DemoOptions = {
	logs: string;
	redis: string;
	cameras: number;
	chaos: boolean;
	/** Stop after this long, seconds; run until a signal when undefined. */
	durationSeconds?: number;
	/** Write a camtop config watching the demo's cameras (MJPEG URLs and channels) here. */
	configOut?: string;
};

/** Frames per second each camera makes. */
const FPS = 10;
/** The seed's camera app's processes, as camtop's default config watches them. */
const WORKERS = ['cam1_stream.py', 'start.py', 'client.py'];
/** In --chaos, client.py crashes this long after each start, ms: 3 restarts in 10 min is CRASH-LOOP. */
const CRASH_AFTER_MS = 4000;
/** The --chaos script repeats this often, seconds. */
const CHAOS_CYCLE_S = 60;

/**
A simulated camera box built on camtop/monitoring: N cameras making synthetic frames at about 10 fps, each frame
fetched, published to Redis (when it is reachable) and served as MJPEG, every step timed; worker processes named as
the seed's; random errors with tracebacks; and with `chaos`, a scripted incident every few seconds. Resolves with what
it wrote when it stops (SIGINT, SIGTERM, or `durationSeconds`).
*/
export async function runDemo(options: DemoOptions): Promise<MonitorStats> {
	mkdirSync(options.logs, {recursive: true});
	const monitor = createMonitor({
		logsDir: options.logs,
		// Where camtop looks for it by default: beside the logs directory.
		legacyLog: path.resolve(path.dirname(path.resolve(options.logs)), 'greencam.log'),
		handleSignals: false,
		// Faster than the seed's 60 s and 300 s, so a newcomer's screen moves.
		healthCheckIntervalMs: 10_000,
		performanceLogIntervalMs: 5000,
	});
	const names = Array.from({length: options.cameras}, (_, index) => `camera_${index + 1}`);
	const mjpeg = new MjpegServer();
	const port = await mjpeg.listen(names);
	if (options.configOut !== undefined) {
		writeFileSync(options.configOut, `${JSON.stringify({
			logs: path.resolve(options.logs),
			redis: options.redis,
			cameras: names.map((name, index) => ({
				name, url: `http://127.0.0.1:${port}/${name}`, channel: `camera:${index + 1}:frames`, minFps: 5,
			})),
		}, undefined, '\t')}\n`);
	}

	const state = {
		offline: new Set<string>(), slowWrites: false, overflow: false, redisDropped: false, stopping: false,
	};
	const workers = startWorkers(monitor, options.chaos, state);
	const redis = connectRedis(monitor, options.redis, state);
	monitor.start();
	monitor.info(`Demo camera box started: ${options.cameras} cameras at ${FPS} fps, MJPEG on http://127.0.0.1:${port}/${options.chaos ? ', chaos on' : ''}`);
	for (const name of names) {
		monitor.connection(name, true, {url: `http://127.0.0.1:${port}/${name}`});
	}

	let sequence = 0;
	const sendFrames = () => {
		sequence++;
		const current = sequence;
		for (const [index, name] of names.entries()) {
			if (state.offline.has(name)) {
				continue;
			}

			const frame = monitor.timed('fetch_image', () => syntheticFrame(index + 1, current));
			mjpeg.push(name, frame);
			if (redis.status === 'ready' && !state.redisDropped) {
				monitor.timed('publish_frame', async () => redis.publish(`camera:${index + 1}:frames`, frame)).catch(() => undefined);
			}
		}
	};

	const saveFrames = () => {
		for (const name of names) {
			if (!state.offline.has(name)) {
				monitor.timed('save_frame', async () => sleep(state.slowWrites ? 1200 : 5 + (Math.random() * 20))).catch(() => undefined);
			}
		}

		monitor.metric('queue_depth', state.overflow ? 100 + Math.round(Math.random() * 50) : Math.round(Math.random() * 6), 'frames');
	};

	const timers = [
		setInterval(sendFrames, 1000 / FPS),
		setInterval(saveFrames, 1000),
		setInterval(() => {
			randomTrouble(monitor, names);
		}, 3000),
	];
	if (options.chaos) {
		const started = Date.now();
		timers.push(setInterval(() => {
			chaosStep(monitor, Math.floor((Date.now() - started) / 1000) % CHAOS_CYCLE_S, names, state, mjpeg);
		}, 1000));
	}

	return new Promise<MonitorStats>(resolve => {
		const stop = async (reason: string) => {
			if (state.stopping) {
				return;
			}

			state.stopping = true;
			for (const timer of timers) {
				clearInterval(timer);
			}

			monitor.info(`Demo camera box stopping (${reason})`);
			for (const worker of workers.values()) {
				worker.kill('SIGTERM');
			}

			redis.disconnect();
			await mjpeg.close();
			await monitor.shutdown(reason);
			resolve(monitor.stats());
		};

		process.once('SIGINT', () => {
			void stop('SIGINT');
		});
		process.once('SIGTERM', () => {
			void stop('SIGTERM');
		});
		process.once('SIGHUP', () => {
			void stop('SIGHUP');
		});
		if (options.durationSeconds !== undefined) {
			setTimeout(() => {
				void stop('duration');
			}, options.durationSeconds * 1000);
		}
	});
}

async function sleep(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** The seed's processes; one that exits is logged and started again a second later (in --chaos, client.py crashes). */
function startWorkers(monitor: Monitor, chaos: boolean, state: {stopping: boolean}): Map<string, ChildProcess> {
	const workers = new Map<string, ChildProcess>();
	const worker = demoWorkerEntry(new URL('worker.js', import.meta.url));
	const start = (role: string) => {
		const crashes = chaos && role === 'client.py';
		// The padding gives the title room: Node can only write it over the original command line.
		const child = spawn(process.execPath, [worker.file, ...worker.argv, role, ...(crashes ? ['--crash-after', String(CRASH_AFTER_MS)] : []), '--', 'x'.repeat(40)], {stdio: 'ignore'});
		workers.set(role, child);
		child.on('exit', code => {
			if (state.stopping) {
				return;
			}

			monitor.error(`Process ${role} exited with status ${code ?? 'signal'}; restarting it`);
			monitor.issue('function_failure', `${role} exited`, {exit_code: code}, 'ERROR');
			setTimeout(() => {
				if (!state.stopping) {
					start(role);
				}
			}, 1000);
		});
	};

	for (const role of WORKERS) {
		start(role);
	}

	return workers;
}

/** Publishes when Redis is reachable; says so when it is not, once per change, as the seed's app does. */
function connectRedis(monitor: Monitor, url: string, state: {redisDropped: boolean}): Redis {
	const redis = new Redis(url, monitorRedisOptions());
	let up: boolean | undefined;
	const say = (status: boolean, error?: string) => {
		if (up === status) {
			return;
		}

		up = status;
		monitor.connection('redis', status, error === undefined ? {} : {error});
		if (!status) {
			monitor.issue('redis_connection_failed', `Redis connection failed: ${error ?? 'closed'}`, {url: redactUrl(url, {hideUser: true})}, 'ERROR');
		}
	};

	redis.on('ready', () => {
		say(true);
	});
	redis.on('error', (error: Error) => {
		if (!state.redisDropped) {
			say(false, error.message.split('\n')[0]);
		}
	});
	redis.on('close', () => {
		if (!state.redisDropped) {
			say(false);
		}
	});
	redis.connect().catch(() => undefined);
	return redis;
}

const TROUBLE = [
	'Frame decode failed for camera {n}: corrupt JPEG data',
	'Could not save frame of camera {n}: write timed out',
	'Camera {n} returned an empty frame',
];

/** Now and then an error with a traceback, a warning, a thread timeout: the error feed and issues pane move. */
function randomTrouble(monitor: Monitor, names: readonly string[]): void {
	const camera = 1 + Math.floor(Math.random() * names.length);
	const roll = Math.random();
	if (roll < 0.5) {
		const message = TROUBLE[Math.floor(Math.random() * TROUBLE.length)]!.replace('{n}', String(camera));
		monitor.error(message, {error: new Error(message)});
	} else if (roll < 0.8) {
		monitor.warning(`Frame from camera ${camera} arrived ${(150 + (Math.random() * 300)).toFixed(0)} ms late`);
	} else {
		monitor.issue('thread_timeout', `Thread timeout in fetch_image (camera ${camera})`, {camera}, 'WARNING');
	}
}

/** What the --chaos script has broken for now. */
type ChaosState = {offline: Set<string>; slowWrites: boolean; overflow: boolean; redisDropped: boolean};

/**
One second of the --chaos script, `second` into each cycle: Redis drops (10–20 s), camera_2 disconnects (25–40 s),
saving frames turns slow (35–40 s), the frame queue overflows (45–50 s). client.py crash-loops all along.
*/
// eslint-disable-next-line max-params -- called from one place, with the demo's parts in the order the script uses them
function chaosStep(monitor: Monitor, second: number, names: readonly string[], state: ChaosState, mjpeg: MjpegServer): void {
	const camera = names[1] ?? names[0]!;
	switch (second) {
		case 10: {
			state.redisDropped = true;
			monitor.connection('redis', false, {error: 'Connection reset by peer (simulated)'});
			monitor.issue('redis_connection_failed', 'Redis connection lost: Connection reset by peer', {simulated: true}, 'ERROR');
			monitor.error('Redis connection failed: Connection reset by peer', {error: new Error('ConnectionError: Connection reset by peer')});
			break;
		}

		case 20: {
			state.redisDropped = false;
			monitor.connection('redis', true, {reconnected: true});
			break;
		}

		case 25: {
			state.offline.add(camera);
			mjpeg.setOffline(camera, true);
			monitor.connection(camera, false, {error: 'No route to host (simulated)'});
			monitor.issue('camera_connection_failed', `Camera ${camera} disconnected`, {camera}, 'ERROR');
			break;
		}

		case 35: {
			state.slowWrites = true;
			break;
		}

		case 40: {
			state.offline.delete(camera);
			mjpeg.setOffline(camera, false);
			state.slowWrites = false;
			monitor.connection(camera, true, {reconnected: true});
			break;
		}

		case 45: {
			state.overflow = true;
			monitor.issue('queue_overflow', 'Frame queue full: dropping frames', {depth: 128}, 'ERROR');
			monitor.error('Frame queue overflow: 128 frames waiting, dropping the oldest');
			break;
		}

		case 50: {
			state.overflow = false;
			break;
		}

		default: {
			break;
		}
	}
}
