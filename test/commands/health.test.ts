import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {runCli, type CliRun} from '../helpers/run-cli.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {spawnWatched} from '../helpers/watched-process.js';
import {pythonShim} from '../helpers/python-shim.js';
import {errorLine, TRACEBACK} from '../helpers/seed-logs.js';
import {freePort} from '../helpers/free-port.js';

const PASSWORD = 'camera-box-secret-42';
const CAMERA_PASSWORD = 'rtsp-cam-pass-7';
const SEED_KEYS = ['system_resources', 'redis_connection', 'process_status', 'log_files', 'recent_errors'];
const EXIT_BY_STATUS: Record<string, number> = {
	ok: 0, warning: 1, critical: 2, unknown: 3,
};

/** The parts of `camtop health --json` these tests read. */
type HealthReport = {
	status: string;
	system_resources: Record<string, unknown>;
	redis_connection: Record<string, unknown>;
	process_status: Record<string, {rss_bytes: number; threads: number; rss_growth_bytes_per_hour: number | null; instances: Array<{command: string}>}>;
	log_files: Record<string, unknown>;
	recent_errors: Array<{function: string; traceback: string[]}>;
	checks: Record<'recent_errors' | 'redis_connection' | 'process_status', {status: string; reasons: string[]}>;
};

/**
A camera box in miniature: the app's directory with its logs, its processes running, its Redis up.
*/
describe('camtop health on a real box', () => {
	let redis: RedisServer;
	let root: string;
	let config: string;
	const names = [`cam1_stream_${process.pid}.py`, `start_${process.pid}.py`];
	const processes: Array<ReturnType<typeof spawnWatched>> = [];

	beforeAll(async () => {
		redis = await startRedis({password: PASSWORD});
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-health-'));
		const logs = path.join(root, 'logs');
		mkdirSync(logs);
		const now = new Date();
		writeFileSync(path.join(logs, 'camera_system.log'), `${errorLine(now, 'main:1', 'started', 'INFO')}\n`);
		writeFileSync(path.join(logs, 'performance.log'), '');
		writeFileSync(path.join(logs, 'errors.log'), [
			errorLine(new Date(now.getTime() - 5000), 'fetch_image:123', 'Redis connection failed: Connection refused'),
			...TRACEBACK,
			// An attacker-controlled message: it must not reach the terminal as escape sequences.
			errorLine(now, 'client:9', 'bad frame \u001B]0;pwned\u0007\u001B[2J from camera 3'),
			'',
		].join('\n'));
		config = path.join(root, 'camtop.config.json');
		writeFileSync(config, JSON.stringify({logs: 'logs', processes: names, recentErrors: 5}));
		processes.push(
			// The camera app's command lines carry credentials, as ffmpeg and redis arguments often do.
			spawnWatched(names[0]!, {args: ['--source', `rtsp://admin:${CAMERA_PASSWORD}@10.0.0.21/stream1`, '--redis', `redis://:${PASSWORD}@127.0.0.1:1`]}),
			// The other through a pyenv-style shim, as on the machine where this test once failed: `camtop health` run while
			// the shim sleeps sees `/bin/sh …/python3`, not the script. The shim sleeps longer than pyenv's ~100 ms so that a
			// missing wait for Python fails here on any machine, not only on a slow one.
			spawnWatched(names[1]!, {args: ['--auth', PASSWORD], python: pythonShim({delaySeconds: 1}).python3}),
		);
		await Promise.all(processes.map(async child => child.running()));
	});

	afterAll(async () => {
		await Promise.all(processes.map(async child => child.stop()));
		await redis.stop();
	});

	const health = async (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['health', ...args], {cwd: root, env: {REDIS_URL: redis.url, ...env}});

	function expectNoPassword(run: CliRun): void {
		for (const secret of [PASSWORD, CAMERA_PASSWORD]) {
			expect(run.stdout).not.toContain(secret);
			expect(run.stderr).not.toContain(secret);
		}
	}

	it('prints the seed\'s JSON keys, with numbers for the resources, and exits by status', async () => {
		const run = await health(['--json']);
		const report = JSON.parse(run.stdout) as HealthReport;
		for (const key of [...SEED_KEYS, 'status', 'checked_at']) {
			expect(report).toHaveProperty(key);
		}

		expect(typeof report.system_resources.cpu_percent).toBe('number');
		expect(typeof report.system_resources.memory_percent).toBe('number');
		expect(typeof report.system_resources.disk_percent).toBe('number');
		expect(report.redis_connection).toMatchObject({status: 'up', connected: true, url: `redis://:***@127.0.0.1:${redis.port}`});
		for (const [index, name] of names.entries()) {
			expect(report.process_status[name]).toMatchObject({running: true, pids: [processes[index]!.pid], restarts: 0});
			// Keys beyond health_check.py's: the memory and threads of all instances, and no growth from one look.
			expect(report.process_status[name]!.rss_bytes).toBeGreaterThan(1024 * 1024);
			expect(report.process_status[name]!.threads).toBeGreaterThanOrEqual(1);
			expect(report.process_status[name]!.rss_growth_bytes_per_hour).toBeNull();
		}

		expect(report.process_status[names[0]!]?.instances[0]?.command).toContain('rtsp://admin:***@10.0.0.21/stream1');
		expect(report.log_files['camera_system.log']).toMatchObject({exists: true, stale: false});
		expect(report.recent_errors.map(record => record.function)).toEqual(['fetch_image', 'client']);
		expect(report.recent_errors[0]?.traceback).toEqual(TRACEBACK);
		// A fresh ERROR makes recent_errors a warning; nothing here is critical.
		expect(report.checks.recent_errors.status).toBe('warning');
		expect(report.checks.redis_connection.status).toBe('ok');
		expect(report.checks.process_status.status).toBe('ok');
		expect(run.code).toBe(EXIT_BY_STATUS[report.status]);
		expect(run.code).toBeGreaterThanOrEqual(1);
		expectNoPassword(run);
	});

	it('prints a readable report without colour when NO_COLOR is set, escape sequences from logs stripped', async () => {
		const run = await health([], {NO_COLOR: '1', FORCE_COLOR: undefined});
		expect(run.stdout).toMatch(/^camtop health · /);
		for (const heading of ['System resources', 'Redis', 'Processes', 'Log files', 'Recent errors']) {
			expect(run.stdout).toContain(heading);
		}

		expect(run.stdout).toContain('fetch_image:123 Redis connection failed');
		expect(run.stdout).toContain('bad frame  from camera 3');
		expect(run.stdout).not.toContain('\u001B');
		expect(Math.max(...run.stdout.split('\n').map(line => line.length))).toBeLessThanOrEqual(80);
		expectNoPassword(run);
	});

	it('colours the report when asked to', async () => {
		const run = await health([], {FORCE_COLOR: '1'});
		expect(run.stdout).toContain('\u001B[');
		expect(run.stdout).not.toContain('\u001B]0;pwned');
	});

	it('says not responding, and exits critical, while Redis is frozen', async () => {
		redis.freeze();
		let json: CliRun;
		let text: CliRun;
		try {
			[json, text] = await Promise.all([health(['--json']), health([], {NO_COLOR: '1'})]);
		} finally {
			redis.thaw();
		}

		const report = JSON.parse(json.stdout) as HealthReport;
		expect(report.redis_connection).toMatchObject({status: 'not_responding', connected: false});
		// The 2 s promise rests on the 1 s deadline; this loose bound only catches a hang, not a slow machine.
		expect(json.ms).toBeLessThan(5000);
		expect(report.checks.redis_connection.status).toBe('critical');
		expect(json.code).toBe(2);
		expect(text.stdout).toMatch(/State\s+not responding/);
		expectNoPassword(json);
		expectNoPassword(text);
	});

	it('says down, and exits at least 1, when nothing listens on the Redis port', async () => {
		const url = `redis://:${PASSWORD}@127.0.0.1:${await freePort()}`;
		const json = await health(['--json', '--redis', url]);
		const report = JSON.parse(json.stdout) as HealthReport;
		expect(report.redis_connection).toMatchObject({status: 'down', connected: false});
		expect(report.redis_connection.error).toContain('ECONNREFUSED');
		expect(json.code).toBeGreaterThanOrEqual(1);
		expectNoPassword(json);

		const text = await health(['--redis', url], {NO_COLOR: '1'});
		expect(text.stdout).toContain('redis: down');
		expectNoPassword(text);
	});

	it('hides a password given in the query string', async () => {
		const run = await health(['--json'], {REDIS_URL: `redis://127.0.0.1:${redis.port}/?password=${PASSWORD}`});
		const report = JSON.parse(run.stdout) as HealthReport;
		expect(report.redis_connection).toMatchObject({status: 'up', url: `redis://127.0.0.1:${redis.port}/?password=***`});
		expectNoPassword(run);
	});

	it('rejects a database that is not a number in one line, without the password', async () => {
		const run = await health([], {REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}/abc`});
		expect(run.code).toBe(2);
		expect(run.stderr).toBe(`camtop: REDIS_URL: the database after the host must be a number, got "redis://:***@127.0.0.1:${redis.port}/abc"\n`);
	});

	it('reports a watched process that is not running as critical', async () => {
		const other = path.join(root, 'other.json');
		writeFileSync(other, JSON.stringify({logs: 'logs', processes: [...names, `client_${process.pid}.py`]}));
		const run = await health(['--json', '--config', other]);
		const report = JSON.parse(run.stdout) as HealthReport;
		expect(report.process_status[`client_${process.pid}.py`]).toMatchObject({running: false, pids: []});
		expect(report.checks.process_status).toEqual({status: 'critical', reasons: [`client_${process.pid}.py: not running`]});
		expect(run.code).toBe(2);
	});
});
