import net from 'node:net';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {sampleValue, startExporter, type Exporter} from '../helpers/exporter.js';
import {waitFor} from '../helpers/wait-for.js';
import {startWebhookReceiver} from '../helpers/webhook-receiver.js';

function writeConfig(root: string, alerts: unknown[]): void {
	mkdirSync(path.join(root, 'logs'), {recursive: true});
	writeFileSync(path.join(root, 'camtop.config.json'), JSON.stringify({logs: 'logs', processes: [], alerts}));
}

const sleep = async (ms: number) => new Promise(resolve => {
	setTimeout(resolve, ms);
});

/**
Alerts judged by `camtop export` on a real Redis that really goes down, notified to a real HTTP receiver.
*/
describe('camtop export alerts', () => {
	let redis: RedisServer;
	let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
	let exporter: Exporter;

	beforeAll(async () => {
		redis = await startRedis();
		receiver = await startWebhookReceiver();
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-alerts-'));
		writeConfig(root, [{name: 'redis_gone', metric: 'redis_down', for: '2s', targets: [{webhook: receiver.url}]}]);
		exporter = await startExporter(['--interval', '200'], {cwd: root, env: {REDIS_URL: redis.url}});
		await waitFor(async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_redis_up') === 1, 'Redis up first');
	});

	afterAll(async () => {
		await exporter?.stop();
		await receiver?.close();
		await redis?.stop();
	});

	it('sends nothing for a breach shorter than `for`', async () => {
		redis.freeze();
		await waitFor(async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_redis_up') === 0, 'Redis seen not responding');
		redis.thaw();
		await waitFor(async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_redis_up') === 1, 'Redis seen up again');
		// Long past the 2 s `for`, counted from when the breach began.
		await sleep(2500);
		expect(receiver.events()).toEqual([]);
	}, 20_000);

	it('sends exactly one firing and one resolved for a breach longer than `for`, resolved with its duration', async () => {
		const port = redis.port;
		await redis.stop();
		const firing = await waitFor(() => receiver.events().find(body => body.status === 'firing'), 'the firing webhook', 15_000);
		expect(firing).toMatchObject({alert: 'redis_gone'});
		expect(firing.text).toMatch(/^\[FIRING] \S+ redis_gone: /);
		const alerts = JSON.parse((await exporter.get('/snapshot')).body).alerts as Array<{alert: string; state: string}>;
		expect(alerts).toEqual([expect.objectContaining({alert: 'redis_gone', state: 'firing'})]);
		expect(sampleValue((await exporter.get('/metrics')).body, 'camtop_alert_firing{alert="redis_gone",instance=""}')).toBe(1);

		// Still down for a while: no second notification.
		await sleep(1500);
		redis = await startRedis({port});
		const resolved = await waitFor(() => receiver.events().find(body => body.status === 'resolved'), 'the resolved webhook', 15_000);
		expect(resolved.alert).toBe('redis_gone');
		expect(resolved.durationSeconds).toBeGreaterThanOrEqual(1.5);
		expect(resolved.text).toMatch(/^\[RESOLVED] \S+ redis_gone: /);
		await sleep(1000);
		expect(receiver.events().map(body => body.status)).toEqual(['firing', 'resolved']);
		expect(sampleValue((await exporter.get('/metrics')).body, 'camtop_alert_notifications_total{outcome="sent"}')).toBe(2);
	}, 40_000);
});

describe('camtop export alerts with a receiver that is down or hangs', () => {
	it('keeps collecting on schedule while every webhook fails or never answers', async () => {
		const hanging = net.createServer(() => {
			// Accepts, reads nothing, answers nothing: a webhook stuck behind a dead proxy.
		});
		await new Promise<void>(resolve => {
			hanging.listen(0, '127.0.0.1', resolve);
		});
		const closed = net.createServer();
		await new Promise<void>(resolve => {
			closed.listen(0, '127.0.0.1', resolve);
		});
		const closedPort = (closed.address() as net.AddressInfo).port;
		await new Promise(resolve => {
			closed.close(resolve);
		});
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-alerts-down-'));
		writeConfig(root, [{name: 'redis_gone', metric: 'redis_down', for: 0, targets: [
			{webhook: `http://127.0.0.1:${(hanging.address() as net.AddressInfo).port}/hook`},
			{webhook: `http://127.0.0.1:${closedPort}/hook`},
		]}]);
		const exporter = await startExporter(['--interval', '200'], {cwd: root, env: {REDIS_URL: 'redis://127.0.0.1:1'}});
		try {
			const collections = async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_collections_total') ?? 0;
			await waitFor(async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_alert_firing{alert="redis_gone",instance=""}') === 1, 'the alert firing');
			const before = await collections();
			// The hanging webhook holds its request for the notifier's 5 s timeout; collection every 200 ms goes on.
			await sleep(3000);
			const after = await collections();
			expect(after - before).toBeGreaterThanOrEqual(5);
			const text = (await exporter.get('/metrics')).body;
			expect(sampleValue(text, 'camtop_alert_notifications_total{outcome="failed"}')).toBeGreaterThanOrEqual(1);
			expect(sampleValue(text, 'camtop_alert_notifications_total{outcome="sent"}')).toBe(0);
		} finally {
			await exporter.stop();
			hanging.close();
		}
	}, 30_000);
});
