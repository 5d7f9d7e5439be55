import {execFile} from 'node:child_process';
import {
	appendFileSync, mkdirSync, mkdtempSync, writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {spawnWatched} from '../helpers/watched-process.js';
import {errorLine, stamp} from '../helpers/seed-logs.js';
import {CLI, runCli} from '../helpers/run-cli.js';
import {sampleValue, startExporter, type Exporter} from '../helpers/exporter.js';
import {waitFor} from '../helpers/wait-for.js';
import {deployMetricNames} from '../helpers/deploy-metrics.js';

const REDIS_PASSWORD = 'export-redis-secret-9';
const CAMERA_USER = 'viewer-export';
const CAMERA_PASSWORD = 'camera-export-pass-3';
const TOKEN = 'scrape-token-for-tests';
/** What RedisCollector allows a command before it reports Redis as not responding, ms (REDIS_DEADLINE_MS). */
const REDIS_DEADLINE_MS = 1000;

const execFileAsync = promisify(execFile);

/** `promtool check metrics` reads the exposition on stdin: its findings, empty when clean. */
async function promtoolCheckMetrics(text: string): Promise<{code: number; output: string}> {
	return new Promise((resolve, reject) => {
		const child = execFile('promtool', ['check', 'metrics'], (error, stdout, stderr) => {
			if (error !== null && typeof error.code !== 'number') {
				reject(new Error(error.message));
				return;
			}

			resolve({code: typeof error?.code === 'number' ? error.code : 0, output: `${stdout}${stderr}`});
		});
		child.stdin!.end(text);
	});
}

/**
`camtop export` against a camera box in miniature: its logs, a watched process, a Redis with a password and a camera
whose URL carries credentials (and answers nothing).
*/
describe('camtop export', () => {
	let redis: RedisServer;
	let root: string;
	let logs: string;
	let exporter: Exporter;
	const name = `cam1_stream_export_${process.pid}.py`;
	const watched = spawnWatched(name);

	beforeAll(async () => {
		redis = await startRedis({password: REDIS_PASSWORD});
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-export-'));
		logs = path.join(root, 'logs');
		mkdirSync(logs);
		const old = new Date(Date.now() - 3_600_000);
		writeFileSync(path.join(logs, 'camera_system.log'), [
			`${stamp(old)} - camera_system - INFO - CONNECTION: {"service": "yard", "status": true, "timestamp": 1, "details": {}}`,
			`${stamp(old)} - camera_system - WARNING - ISSUE: {"issue_type": "thread_timeout", "description": "old", "timestamp": 1, "uptime": 1, "context": {}}`,
			'',
		].join('\n'));
		writeFileSync(path.join(logs, 'performance.log'), `${stamp(old)} - PERF: {"metric": "save_frame_duration", "value": 0.25, "unit": "seconds", "timestamp": 1, "uptime": 1}\n`);
		// An old error: back-filled, so in recent_errors, but not counted as written since the exporter started.
		writeFileSync(path.join(logs, 'errors.log'), `${errorLine(old, 'fetch_image:12', 'old failure')}\n`);
		writeFileSync(path.join(root, 'camtop.config.json'), JSON.stringify({
			logs: 'logs',
			processes: [name],
			cameras: [{name: 'yard', url: `http://${CAMERA_USER}:${CAMERA_PASSWORD}@127.0.0.1:9/stream`, channel: 'camera:yard:frames'}],
		}));
		await watched.running();
		exporter = await startExporter(['--interval', '300'], {cwd: root, env: {REDIS_URL: redis.url}});
	});

	afterAll(async () => {
		await exporter?.stop();
		await watched.stop();
		await redis?.stop();
	});

	async function scrape(): Promise<string> {
		const {status, body} = await exporter.get('/metrics');
		expect(status).toBe(200);
		return body;
	}

	it('serves a scrape that promtool check metrics passes, with the box in camtop_ names and base units', async () => {
		const text = await waitFor(async () => {
			const body = await scrape();
			return sampleValue(body, `camtop_process_up{process="${name}"}`) === 1 && sampleValue(body, 'camtop_redis_up') === 1 && body;
		}, 'the process and Redis up on /metrics');
		expect(await promtoolCheckMetrics(text)).toEqual({code: 0, output: ''});
		expect(sampleValue(text, 'camtop_cpu_usage_ratio')).toBeGreaterThanOrEqual(0);
		expect(sampleValue(text, 'camtop_cpu_usage_ratio')).toBeLessThanOrEqual(1);
		expect(sampleValue(text, 'camtop_memory_total_bytes')).toBe(os.totalmem());
		expect(sampleValue(text, 'camtop_redis_ping_seconds')).toBeLessThan(1);
		expect(sampleValue(text, `camtop_process_restarts_total{process="${name}"}`)).toBe(0);
		expect(sampleValue(text, 'camtop_log_file_exists{file="errors.log"}')).toBe(1);
		// A PERF value an hour old is not the box's state: no gauge shows it (nor does an alert read it).
		expect(sampleValue(text, 'camtop_function_duration_seconds{function="save_frame"}')).toBeUndefined();
		expect(sampleValue(text, 'camtop_perf_value{metric="save_frame_duration"}')).toBeUndefined();
		expect(sampleValue(text, 'camtop_service_up{service="yard"}')).toBe(1);
		// The back-fill tells states and values, but counts start with the exporter.
		expect(sampleValue(text, 'camtop_issues_total{issue_type="thread_timeout"}') ?? 0).toBe(0);
		expect(sampleValue(text, 'camtop_log_errors_total{level="ERROR"}') ?? 0).toBe(0);
		expect(text).toContain('# TYPE camtop_process_restarts_total counter');
		// deploy/'s rules and dashboard use only names a live scrape has (every one is declared from the start).
		const served = new Set([...text.matchAll(/^# HELP (camtop_\w+)/gm)].map(match => match[1]!));
		expect([...await deployMetricNames()].filter(name => !served.has(name))).toEqual([]);
		expect(text).toContain('# TYPE process_cpu_seconds_total counter');
	});

	it('counts records written after it started, and shows a dead camera OFFLINE by name', async () => {
		appendFileSync(path.join(logs, 'errors.log'), `${errorLine(new Date(), 'publish:7', 'Redis publish failed')}\n`);
		appendFileSync(path.join(logs, 'performance.log'), `${stamp(new Date())} - PERF: {"metric": "save_frame_duration", "value": 250, "unit": "ms", "timestamp": 2, "uptime": 2}\n`);
		appendFileSync(path.join(logs, 'camera_system.log'), `${stamp(new Date())} - camera_system - ERROR - ISSUE: {"issue_type": "queue_overflow", "description": "full", "timestamp": 2, "uptime": 2, "context": {}}\n`);
		const text = await waitFor(async () => {
			const body = await scrape();
			return sampleValue(body, 'camtop_log_errors_total{level="ERROR"}') === 1 && sampleValue(body, 'camtop_issues_total{issue_type="queue_overflow"}') === 1 && body;
		}, 'the new error and issue counted');
		expect(sampleValue(text, 'camtop_log_errors_last_minute')).toBe(1);
		await waitFor(async () => sampleValue(await scrape(), 'camtop_function_duration_seconds{function="save_frame"}') === 0.25, 'a fresh 250 ms save_frame as 0.25 s');
		expect(sampleValue(await scrape(), 'camtop_perf_value{metric="save_frame_duration"}')).toBe(250);
		await waitFor(async () => sampleValue(await scrape(), 'camtop_camera_state{camera="yard",state="OFFLINE"}') === 1, 'yard OFFLINE');
	});

	it('never shows a credential: not the Redis password, not the camera\'s user or password', async () => {
		await waitFor(async () => sampleValue(await scrape(), 'camtop_camera_probe_up{camera="yard"}') === 0, 'the camera probed');
		const metrics = await scrape();
		const snapshot = (await exporter.get('/snapshot')).body;
		for (const secret of [REDIS_PASSWORD, CAMERA_USER, CAMERA_PASSWORD]) {
			expect(metrics).not.toContain(secret);
			expect(snapshot).not.toContain(secret);
			expect(exporter.stderr()).not.toContain(secret);
		}
	});

	it('serves the health JSON at /snapshot, with the alerts, and says it is alive at /healthz', async () => {
		const json = JSON.parse((await exporter.get('/snapshot')).body) as Record<string, unknown>;
		for (const key of ['status', 'system_resources', 'redis_connection', 'process_status', 'log_files', 'recent_errors', 'cameras', 'checks', 'alerts']) {
			expect(json).toHaveProperty(key);
		}

		expect((json.process_status as Record<string, {running: boolean}>)[name]!.running).toBe(true);
		expect(await exporter.get('/healthz')).toMatchObject({status: 200, body: 'ok\n'});
		expect((await exporter.get('/nope')).status).toBe(404);
	});

	it('answers scrapes from what it has while Redis is frozen: never waits for Redis\' deadline', async () => {
		redis.freeze();
		try {
			const durations: number[] = [];
			await waitFor(async () => {
				const {body, ms} = await exporter.get('/metrics');
				durations.push(ms);
				return sampleValue(body, 'camtop_redis_up') === 0;
			}, 'Redis reported not up while frozen', 15_000, 50);
			// A scrape that waited on the collection would take at least the collector's Redis deadline.
			expect(Math.max(...durations)).toBeLessThan(REDIS_DEADLINE_MS);
			expect(durations.length).toBeGreaterThan(3);
		} finally {
			redis.thaw();
		}

		await waitFor(async () => sampleValue(await scrape(), 'camtop_redis_up') === 1, 'Redis up again after thawing', 15_000);
	});

	it('stops on SIGTERM with exit 0', async () => {
		const other = await startExporter([], {cwd: root, env: {REDIS_URL: redis.url}});
		expect(await other.stop()).toBe(0);
	});
});

describe('camtop export: access and usage', () => {
	const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-export-usage-'));
	const env = {REDIS_URL: 'redis://127.0.0.1:1'};

	it('wants the bearer token on /metrics and /snapshot when CAMTOP_EXPORT_TOKEN is set; /healthz stays open', async () => {
		const exporter = await startExporter(['--logs', root], {cwd: root, env: {...env, CAMTOP_EXPORT_TOKEN: TOKEN}});
		try {
			expect((await exporter.get('/metrics')).status).toBe(401);
			expect((await exporter.get('/snapshot', {authorization: 'Bearer wrong'})).status).toBe(401);
			expect((await exporter.get('/metrics', {authorization: `Bearer ${TOKEN}`})).status).toBe(200);
			await waitFor(async () => (await exporter.get('/snapshot', {authorization: `Bearer ${TOKEN}`})).status === 200, 'a first collection');
			expect((await exporter.get('/healthz')).status).toBe(200);
			await waitFor(() => exporter.stderr().includes('bearer token required'), 'the token said required');
			expect(exporter.stderr()).not.toContain(TOKEN);
		} finally {
			await exporter.stop();
		}
	});

	it('warns when it listens beyond loopback without a token', async () => {
		const exporter = await startExporter(['--logs', root], {cwd: root, env, listen: '0.0.0.0:0'});
		try {
			await waitFor(() => exporter.stderr().includes('warning: listening beyond this machine without CAMTOP_EXPORT_TOKEN'), 'the warning');
			expect((await exporter.get('/healthz')).status).toBe(200);
		} finally {
			await exporter.stop();
		}
	});

	it('refuses a bad --listen with one line and exit 2, and a busy port with one line and exit 1', async () => {
		for (const listen of ['localhost:9464', '127.0.0.1', '127.0.0.1:99999', 'nonsense']) {
			const run = await runCli(['export', '--listen', listen], {cwd: root, env});
			expect(run.code, listen).toBe(2);
			expect(run.stderr.trim().split('\n'), listen).toHaveLength(1);
			expect(run.stderr).toContain('--listen');
		}

		const busy = net.createServer();
		await new Promise<void>(resolve => {
			busy.listen(0, '127.0.0.1', resolve);
		});
		try {
			const {port} = busy.address() as net.AddressInfo;
			const run = await runCli(['export', '--listen', `127.0.0.1:${port}`, '--logs', root], {cwd: root, env});
			expect(run.code).toBe(1);
			expect(run.stderr.trim().split('\n')).toEqual([`camtop: cannot listen on 127.0.0.1:${port}: address already in use (another exporter? pick another port with --listen)`]);
		} finally {
			busy.close();
		}
	});

	it('documents itself: camtop export --help', async () => {
		const run = await runCli(['export', '--help'], {cwd: root, env});
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('--listen HOST:PORT');
		expect(run.stdout).toContain('CAMTOP_EXPORT_TOKEN');
		const {stdout} = await execFileAsync(process.execPath, [CLI, '--help']);
		expect(stdout).toContain('export');
	});
});
