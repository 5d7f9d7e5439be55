import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Redis} from 'ioredis';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {ProcessCollector} from '../../source/collectors/processes.js';
import type {MonitorStats} from '../../source/monitoring/index.js';
import {runCli} from '../helpers/run-cli.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';

type Wrote = MonitorStats;
type LogJson = {records: number; levels: Record<string, number>; issue_types: Record<string, {count: number}>; connections: Record<string, {up: number; down: number}>};

describe('camtop demo', () => {
	let redis: RedisServer;
	let directory: string;
	beforeAll(async () => {
		redis = await startRedis();
		directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-demo-'));
	});
	afterAll(async () => {
		await redis.stop();
		rmSync(directory, {recursive: true, force: true});
	});

	it('runs a camera box whose logs camtop analyze reads back exactly as the demo says it wrote them', async () => {
		// Someone watching camera 1's frames, as the seed's client.py does.
		const subscriber = new Redis(redis.url);
		let frames = 0;
		await subscriber.subscribe('camera:1:frames');
		subscriber.on('messageBuffer', () => frames++);
		const running = runCli(['demo', '--logs', 'logs', '--redis', redis.url, '--cameras', '3', '--chaos', '--duration', '6', '--config-out', 'camtop.json'], {cwd: directory});

		// Its workers carry the names camtop's default config watches.
		const processes = new ProcessCollector({names: ['cam1_stream.py', 'start.py', 'client.py'], discoveryIntervalMs: 100});
		await waitFor(async () => {
			const result = await processes.collect();
			return result.ok && result.data.every(watched => watched.running);
		}, 'the three workers', 10_000);

		const run = await running;
		subscriber.disconnect();
		expect(run.code).toBe(0);
		expect(frames).toBeGreaterThan(10);
		const {wrote} = JSON.parse(run.stdout) as {wrote: Wrote};
		expect(wrote.lostWrites).toBe(0);

		const analysis = await runCli(['analyze', '--json', '--logs', 'logs'], {cwd: directory});
		expect(analysis.code).toBe(0);
		const logs = JSON.parse(analysis.stdout) as Record<string, LogJson>;
		const main = logs['logs/camera_system.log']!;
		expect(main.levels).toEqual(Object.fromEntries(Object.entries(wrote.records).filter(([, count]) => count > 0)));
		expect(Object.fromEntries(Object.entries(main.issue_types).map(([type, {count}]) => [type, count]))).toEqual(wrote.issues);
		const connections = Object.values(main.connections);
		expect(connections.reduce((sum, {up, down}) => sum + up + down, 0)).toBe(wrote.connections);
		expect(Object.fromEntries(Object.entries(main.connections).filter(([, {down}]) => down > 0).map(([service, {down}]) => [service, down]))).toEqual(wrote.connectionFailures);
		// Frames published to Redis, the cameras and Redis said up.
		expect(main.connections.redis!.up).toBeGreaterThan(0);
		expect(main.connections.camera_3!.up).toBe(1);
		expect(logs['logs/performance.log']!.records).toBe(wrote.perf);
		expect(logs['logs/errors.log']!.records).toBe(wrote.errorsLog);
		// The legacy copy, beside the logs directory where camtop looks for it.
		expect(logs['greencam.log']!.levels).toEqual(main.levels);
		// The config it wrote for camtop names its cameras' streams and channels.
		const config = JSON.parse(readFileSync(path.join(directory, 'camtop.json'), 'utf8')) as {cameras: Array<{name: string; url: string; channel: string}>};
		expect(config.cameras.map(camera => camera.channel)).toEqual(['camera:1:frames', 'camera:2:frames', 'camera:3:frames']);
	}, 30_000);

	it('refuses a bad --cameras with one line', async () => {
		const run = await runCli(['demo', '--cameras', 'lots'], {cwd: directory});
		expect(run.code).toBe(2);
		expect(run.stderr.trim().split('\n')).toEqual(['camtop: --cameras takes a whole number from 1 to 64, got "lots"']);
	});
});
