/*
A deterministic corpus in the seed's log formats (MONITORING.md, "Log File Structure"), written to a logs directory,
with what was written counted as it was written: the tests compare `analyze` with these counts, and the benchmark
uses the same generator for its gigabyte.
*/
import {
	closeSync, mkdirSync, openSync, writeSync,
} from 'node:fs';
import path from 'node:path';
import {stamp} from './seed-logs.js';

export type Expected = {
	lines: number;
	records: number;
	levels: Record<string, number>;
	issueTypes: Record<string, number>;
	connections: Record<string, {up: number; down: number; transitions: number; downtimeSeconds: number; lastStatus: boolean}>;
	metrics: Record<string, number>;
	/** Error records by the key analyze should group them under. */
	errorTypes: Record<string, number>;
	tracebackLines: number;
	bytes: number;
};

export type CorpusOptions = {
	directory: string;
	/** Total bytes to write, about. */
	bytes: number;
	seed?: number;
	/** Local time of the first record. */
	start?: Date;
};

/** mulberry32: small, fast, and the same numbers for the same seed everywhere. */
export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const ISSUE_TYPES = ['redis_connection_failed', 'camera_connection_failed', 'function_failure', 'system_health_check_failed', 'pickle_error', 'thread_timeout'];
const SERVICES = ['redis', 'camera_1', 'camera_2', 'camera_3', 'camera_4'];
const METRICS = ['fetch_image_duration', 'redis_publish_duration', 'process_frame_duration', 'queue_depth'];
const ERRORS = [
	{
		location: 'fetch_image:123', message: (n: number) => `Redis connection failed: Error ${100 + (n % 13)} connecting to 10.0.0.${n % 250}:6379. Connection refused.`, key: 'Redis connection failed: Error <n> connecting to <ip>. Connection refused.', exception: 'redis.exceptions.ConnectionError',
	},
	{
		location: 'main:456', message: () => 'Function fetch_image failed', key: 'Function fetch_image failed', exception: 'TimeoutError',
	},
	{
		location: 'save_frame:88', message: (n: number) => `Could not write /var/cam/frames/${n}.jpg: disk full`, key: 'Could not write <path>: disk full', exception: undefined,
	},
	{
		location: 'decode:31', message: (n: number) => `Bad frame 0x${(n * 2_654_435_761 >>> 0).toString(16)} from camera ${n % 4}`, key: 'Bad frame <hex> from camera <n>', exception: undefined,
	},
];

class Writer {
	readonly #descriptor: number;
	#pending: string[] = [];
	#pendingLength = 0;
	bytes = 0;

	constructor(file: string) {
		this.#descriptor = openSync(file, 'w');
	}

	line(text: string): void {
		this.#pending.push(text);
		this.#pendingLength += text.length + 1;
		if (this.#pendingLength > 4 * 1024 * 1024) {
			this.flush();
		}
	}

	flush(): void {
		if (this.#pending.length > 0) {
			this.bytes += writeSync(this.#descriptor, `${this.#pending.join('\n')}\n`);
			this.#pending = [];
			this.#pendingLength = 0;
		}
	}

	close(): void {
		this.flush();
		closeSync(this.#descriptor);
	}
}

function emptyExpected(): Expected {
	return {
		lines: 0, records: 0, levels: {}, issueTypes: {}, connections: {}, metrics: {}, errorTypes: {}, tracebackLines: 0, bytes: 0,
	};
}

function add(record: Record<string, number>, key: string, by = 1): void {
	record[key] = (record[key] ?? 0) + by;
}

/**
Writes camera_system.log, errors.log, performance.log and greencam.log into `directory`, in proportions a camera box
writes them (performance and main logs large, errors.log and the legacy log small), and returns what each holds.
*/
// eslint-disable-next-line complexity -- one generator for every format, its branches the formats' records, so the expected counts follow each line written
export function writeCorpus({directory, bytes, seed = 42, start = new Date(2024, 0, 15, 0, 0, 0)}: CorpusOptions): Record<string, Expected> {
	mkdirSync(directory, {recursive: true});
	const next = random(seed);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
	const files = {
		main: new Writer(path.join(directory, 'camera_system.log')),
		errors: new Writer(path.join(directory, 'errors.log')),
		perf: new Writer(path.join(directory, 'performance.log')),
		legacy: new Writer(path.join(directory, 'greencam.log')),
	};
	const expected = {
		main: emptyExpected(), errors: emptyExpected(), perf: emptyExpected(), legacy: emptyExpected(),
	};
	const status = new Map<string, {status: boolean; since: number}>();
	let time = start.getTime();
	let lastMainTime = time;
	let uptime = 0;
	let n = 0;

	const record = (file: keyof typeof files, text: string, level?: string) => {
		files[file].line(text);
		if (file === 'main') {
			lastMainTime = time;
		}

		expected[file].lines++;
		expected[file].records++;
		if (level !== undefined) {
			add(expected[file].levels, level);
		}
	};

	while (files.main.bytes + files.errors.bytes + files.perf.bytes + files.legacy.bytes < bytes) {
		for (let batch = 0; batch < 1000; batch++) {
			n++;
			const step = Math.floor(next() * 40);
			time += step;
			uptime += step / 1000;
			const when = stamp(new Date(time));
			const roll = next();
			if (roll < 0.45) {
				const metric = pick(METRICS);
				const value = metric === 'queue_depth' ? Math.floor(next() * 50) : Math.round(next() * 200_000) / 1_000_000;
				const unit = metric === 'queue_depth' ? 'null' : '"seconds"';
				record('perf', `${when} - PERF: {"metric": "${metric}", "value": ${value}, "unit": ${unit}, "timestamp": ${(time / 1000).toFixed(3)}, "uptime": ${uptime.toFixed(1)}}`);
				add(expected.perf.metrics, metric);
			} else if (roll < 0.452) {
				const cpu = Math.round(next() * 1000) / 10;
				const memory = Math.round(next() * 1000) / 10;
				record('perf', `${when} - PERF: {"metric": "system_health", "value": {"cpu_percent": ${cpu}, "memory_percent": ${memory}, "disk_percent": 41.5, "threads": 12}, "unit": null, "timestamp": ${(time / 1000).toFixed(3)}, "uptime": ${uptime.toFixed(1)}}`);
				for (const field of ['cpu_percent', 'memory_percent', 'disk_percent', 'threads']) {
					add(expected.perf.metrics, `system_health.${field}`);
				}
			} else if (roll < 0.88) {
				record('main', `${when} - camera_system - INFO - Frame ${n} from camera ${n % 4} published to camera:${n % 4} in ${Math.floor(next() * 90)} ms`, 'INFO');
			} else if (roll < 0.905) {
				const issue = pick(ISSUE_TYPES);
				record('main', `${when} - camera_system - WARNING - ISSUE: {"issue_type": "${issue}", "message": "${issue.replaceAll('_', ' ')} in worker ${n % 7}", "severity": "WARNING", "count": ${n % 100}, "uptime": ${uptime.toFixed(1)}, "context": {"attempt": ${n % 3}}}`, 'WARNING');
				add(expected.main.issueTypes, issue);
			} else if (roll < 0.915) {
				const service = pick(SERVICES);
				const previous = status.get(service);
				const up = previous === undefined ? next() < 0.8 : (previous.status ? next() < 0.7 : next() < 0.6);
				record('main', `${when} - camera_system - INFO - CONNECTION: {"service": "${service}", "status": ${up}, "details": {"failures": ${up ? 0 : n % 5}}, "uptime": ${uptime.toFixed(1)}}`, 'INFO');
				expected.main.connections[service] ??= {
					up: 0, down: 0, transitions: 0, downtimeSeconds: 0, lastStatus: up,
				};
				const summary = expected.main.connections[service];
				summary[up ? 'up' : 'down']++;
				if (previous === undefined) {
					status.set(service, {status: up, since: time});
				} else if (previous.status !== up) {
					summary.transitions++;
					if (up) {
						summary.downtimeSeconds += (time - previous.since) / 1000;
					}

					status.set(service, {status: up, since: time});
				}

				summary.lastStatus = up;
			} else if (roll < 0.965) {
				const error = pick(ERRORS);
				const message = error.message(n);
				const line = `${when} - camera_system - ERROR - ${error.location} - ${message}`;
				record('errors', line, 'ERROR');
				// The main log gets the record too (all levels), without the traceback.
				record('main', `${when} - camera_system - ERROR - ${message}`, 'ERROR');
				add(expected.main.errorTypes, error.key);
				if (error.exception !== undefined && n % 2 === 0) {
					const traceback = ['Traceback (most recent call last):', `  File "/opt/cam/cam1_stream.py", line ${n % 500}, in ${error.location.split(':')[0]}`, '    frame = r.get("frame")', `${error.exception}: ${message}`];
					for (const tracebackLine of traceback) {
						files.errors.line(tracebackLine);
						expected.errors.lines++;
					}

					expected.errors.tracebackLines += traceback.length;
					add(expected.errors.errorTypes, error.exception);
				} else {
					add(expected.errors.errorTypes, error.key);
				}
			} else {
				const level = pick(['INFO', 'INFO', 'WARNING', 'ERROR']);
				const text = level === 'ERROR' ? 'Camera 2 disconnected' : `Streaming camera ${n % 4} at ${10 + (n % 5)} fps`;
				record('legacy', n % 2 === 0 ? `${when} - greencam - ${level} - ${text}` : `${when} - ${level} - ${text}`, level);
				if (level === 'ERROR') {
					add(expected.legacy.errorTypes, 'Camera <n> disconnected');
				}
			}
		}
	}

	// A service still down at the end of a log has been down until the log's last record.
	for (const [service, {status: up, since}] of status) {
		if (!up) {
			expected.main.connections[service]!.downtimeSeconds += (lastMainTime - since) / 1000;
		}
	}

	for (const [key, writer] of Object.entries(files)) {
		writer.close();
		expected[key as keyof typeof files].bytes = writer.bytes;
	}

	return {
		'camera_system.log': expected.main,
		'errors.log': expected.errors,
		'performance.log': expected.perf,
		'greencam.log': expected.legacy,
	};
}
