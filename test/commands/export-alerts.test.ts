import net from 'node:net';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {sampleValue, startExporter, type Exporter} from '../helpers/exporter.js';
import {waitFor} from '../helpers/wait-for.js';
import {startWebhookReceiver} from '../helpers/webhook-receiver.js';

function writeConfig(root: string, alerts: unknown[]): void {
	mkdirSync(path.join(root, 'logs'), {recursive: true});
	writeFileSync(path.join(root, 'camtop.config.json'), JSON.stringify({logs: 'logs', processes: [], alerts}));
}

/** What the tests read of /snapshot: the collection's time, Redis, the alerts and how notifying them went. */
type ExportSnapshot = {
	checked_at: string;
	redis_connection: {status: string};
	alerts: Array<{alert: string; state: 'pending' | 'firing'; since: string; fired_at: string | null}>;
	alert_notifications: {sent: number; failed: number; dropped: number; pending: number; last_error: string | null};
};

/**
`for` of the rule, s: far longer than the breach the first test makes, which lasts as long as the test takes to see it
pending and thaw Redis (tens of ms here), so that a loaded machine still makes it shorter than `for`.
*/
const FOR_SECONDS = 4;

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
		writeConfig(root, [{
			name: 'redis_gone', metric: 'redis_down', for: `${FOR_SECONDS}s`, targets: [{webhook: receiver.url}],
		}]);
		exporter = await startExporter(['--interval', '200'], {cwd: root, env: {REDIS_URL: redis.url}});
		await waitFor(async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_redis_up') === 1, 'Redis up first');
	});

	afterAll(async () => {
		await exporter?.stop();
		await receiver?.close();
		await redis?.stop();
	});

	/** The last collection, as /snapshot serves it. */
	const snapshot = async () => JSON.parse((await exporter.get('/snapshot')).body) as ExportSnapshot;

	it('sends nothing for a breach shorter than `for`', async () => {
		redis.freeze();
		const breach = await waitFor(async () => (await snapshot()).alerts.find(alert => alert.state === 'pending'), 'the breach pending');
		redis.thaw();
		const cleared = await waitFor(async () => {
			const current = await snapshot();
			return current.redis_connection.status === 'up' && current;
		}, 'Redis seen up again');
		// The breach is over, shorter than `for` (else this machine was too slow for the test), and nothing was queued.
		const since = Date.parse(breach.since);
		expect(Date.parse(cleared.checked_at) - since, 'the breach, ms').toBeLessThan(FOR_SECONDS * 1000);
		expect(cleared.alerts).toEqual([]);
		// Then a collection past the end of `for`, counted from when the breach began: had it fired, it would have by then.
		const later = await waitFor(async () => {
			const current = await snapshot();
			return Date.parse(current.checked_at) > since + (FOR_SECONDS * 1000) && current;
		}, 'a collection past the end of `for`');
		expect(later.alerts).toEqual([]);
		expect(later.alert_notifications).toEqual({
			sent: 0, failed: 0, dropped: 0, pending: 0, last_error: null,
		});
		expect(receiver.events()).toEqual([]);
	}, 20_000);

	it('sends exactly one firing and one resolved for a breach longer than `for`, resolved with its duration', async () => {
		const {port} = redis;
		await redis.stop();
		const firing = await waitFor(() => receiver.events().find(body => body.status === 'firing'), 'the firing webhook', 15_000);
		expect(firing).toMatchObject({alert: 'redis_gone'});
		expect(firing.text).toMatch(/^\[FIRING] \S+ redis_gone: /);
		const {alerts} = await snapshot();
		expect(alerts).toEqual([expect.objectContaining({alert: 'redis_gone', state: 'firing'})]);
		expect(sampleValue((await exporter.get('/metrics')).body, 'camtop_alert_firing{alert="redis_gone",instance=""}')).toBe(1);

		// Still down for a while: judged again on every collection for 1.5 s after it fired, no second notification.
		const firedAt = Date.parse(alerts[0]!.fired_at!);
		const stillFiring = await waitFor(async () => {
			const current = await snapshot();
			return Date.parse(current.checked_at) >= firedAt + 1500 && current;
		}, 'a collection 1.5 s after the alert fired');
		expect(stillFiring.alerts).toEqual([expect.objectContaining({alert: 'redis_gone', state: 'firing'})]);
		const {sent, pending} = stillFiring.alert_notifications;
		expect(sent + pending, 'notifications sent or on their way').toBe(1);
		redis = await startRedis({port});
		const resolved = await waitFor(() => receiver.events().find(body => body.status === 'resolved'), 'the resolved webhook', 15_000);
		expect(resolved.alert).toBe('redis_gone');
		expect(resolved.durationSeconds).toBeGreaterThanOrEqual(1.5);
		expect(resolved.text).toMatch(/^\[RESOLVED] \S+ redis_gone: /);
		// Both delivered and nothing left queued: no third notification can come.
		const notified = await waitFor(async () => {
			const current = await snapshot();
			return current.alert_notifications.sent === 2 && current.alert_notifications.pending === 0 && current;
		}, 'both notifications delivered');
		expect(notified.alerts).toEqual([]);
		expect(receiver.events().map(body => body.status)).toEqual(['firing', 'resolved']);
		expect(sampleValue((await exporter.get('/metrics')).body, 'camtop_alert_notifications_total{outcome="sent"}')).toBe(2);
	}, 40_000);
});

describe('camtop export alerts with a receiver that is down or hangs', () => {
	it('keeps collecting on schedule while every webhook fails or never answers', async () => {
		// Accepts, answers nothing: a webhook stuck behind a dead proxy. `held`: its connections, each read (and dropped) so
		// that its end is seen: the socket is destroyed once the notifier gives up on it.
		const held: net.Socket[] = [];
		const hanging = net.createServer(socket => {
			held.push(socket);
			socket.resume();
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
		writeConfig(root, [{
			name: 'redis_gone', metric: 'redis_down', for: 0, targets: [
				{webhook: `http://127.0.0.1:${(hanging.address() as net.AddressInfo).port}/hook`},
				{webhook: `http://127.0.0.1:${closedPort}/hook`},
			],
		}]);
		const exporter = await startExporter(['--interval', '200'], {cwd: root, env: {REDIS_URL: 'redis://127.0.0.1:1'}});
		try {
			const collections = async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_collections_total') ?? 0;
			await waitFor(async () => sampleValue((await exporter.get('/metrics')).body, 'camtop_alert_firing{alert="redis_gone",instance=""}') === 1, 'the alert firing');
			const request = await waitFor(() => held[0], 'the notifier\'s request to the hanging webhook');
			const before = await collections();
			await waitFor(async () => await collections() >= before + 3, 'three more collections');
			// The hanging webhook holds its request until the notifier's 5 s timeout: the collections (one every 200 ms)
			// went on while it did. That bound is the subject, and 3 collections take 0.6 s, so a loaded machine passes.
			expect(request.destroyed, 'the request still held after three collections').toBe(false);
			const text = await waitFor(async () => {
				const {body} = await exporter.get('/metrics');
				return (sampleValue(body, 'camtop_alert_notifications_total{outcome="failed"}') ?? 0) >= 1 && body;
			}, 'the refused webhook counted failed');
			expect(sampleValue(text, 'camtop_alert_notifications_total{outcome="sent"}')).toBe(0);
		} finally {
			await exporter.stop();
			hanging.close();
		}
	}, 30_000);
});
