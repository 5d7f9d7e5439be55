import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {CLI} from '../helpers/run-cli.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {TmuxSession} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

/** What the demo box logs to performance.log: three timed steps, the frame queue, and system_health's fields. */
const DEMO_METRICS = [
	'fetch_image_duration',
	'publish_frame_duration',
	'save_frame_duration',
	'queue_depth (frames)',
	'system_health.cpu_percent',
	'system_health.memory_percent',
	'system_health.disk_percent',
	'system_health.threads',
];

/** A duration as a person reads it, after the metric's name (and its sparkline, when that shares the row): `2 µs`, `3.5 ms`, `1.2 s`. */
const HUMAN_DURATION = String.raw`(?: +[▁▂▃▄▅▆▇█]+)? +\d+(?:\.\d)? (?:ns|µs|ms|s|min) `;

describe('camtop on the demo box in a 200×60 terminal', () => {
	let redis: RedisServer;
	let root: string;
	let demo: ChildProcess;
	let session: TmuxSession | undefined;
	beforeAll(async () => {
		redis = await startRedis();
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-wide-'));
		// The demo stops by itself should the test never get to stop it.
		demo = spawn(process.execPath, [CLI, 'demo', '--logs', 'logs', '--redis', redis.url, '--duration', '120', '--config-out', 'camtop.json'], {
			cwd: root, env: {PATH: process.env.PATH, HOME: process.env.HOME}, stdio: 'ignore',
		});
		await waitFor(() => existsSync(path.join(root, 'camtop.json')) || demo.exitCode !== null, 'the demo\'s config', 10_000);
		expect(demo.exitCode).toBeNull();
	});
	afterAll(async () => {
		session?.kill();
		demo.kill('SIGTERM');
		await waitFor(() => demo.exitCode !== null || demo.signalCode !== null, 'the demo to stop', 10_000);
		await redis.stop();
		rmSync(root, {recursive: true, force: true});
	});

	it('shows every performance metric in human units, and the cameras\' frame rates', async () => {
		// No CI in the environment: with it, Ink draws nothing until exit.
		session = new TmuxSession(`bash -c "cd ${root}; env -i PATH=${process.env.PATH} HOME=${os.homedir()} LANG=C.UTF-8 TERM=xterm-256color ${process.execPath} ${CLI} --config camtop.json --interval 500 2> stderr; sleep 600"`, {columns: 200, rows: 60});
		const screen = await session.waitForScreen(
			text => DEMO_METRICS.every(metric => text.includes(metric)) && /camera_\d +LIVE +\d+\.\d fps \d+ ms/.test(text),
			'every metric and a camera\'s fps',
			30_000,
		);
		for (const timed of ['fetch_image_duration', 'publish_frame_duration', 'save_frame_duration']) {
			expect(screen).toMatch(new RegExp(`${timed}${HUMAN_DURATION}`));
		}

		// No raw seconds: `0.000002` is `2 µs`.
		expect(screen).not.toMatch(/\b0\.000\d/);
		session.send('q');
		await session.waitForScreen(text => !text.includes('5 Performance'), 'camtop to exit');
	}, 60_000);
});
