import {mkdtempSync, readFileSync, existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import {AlertEngine, type AlertEvent} from '../../source/alerts/engine.js';
import {Notifier, targetName} from '../../source/alerts/notify.js';
import {builtInRules, type AlertTarget} from '../../source/alerts/rules.js';
import {DEFAULTS} from '../../source/config/types.js';
import {fail, ok} from '../../source/base/result.js';
import type {Observation} from '../../source/snapshot/observation.js';
import {freePort} from '../helpers/free-port.js';
import {waitFor} from '../helpers/wait-for.js';
import {startWebhookReceiver} from '../helpers/webhook-receiver.js';

/** A real webhook receiver (see startWebhookReceiver), closed after each test. */
async function receiver(answer?: (index: number) => number | undefined) {
	const hook = await startWebhookReceiver(answer);
	closers.push(async () => hook.close());
	return hook;
}

const closers: Array<() => unknown> = [];

afterEach(async () => {
	for (const close of closers.splice(0)) {
		await close();
	}
});

function notifier(options: ConstructorParameters<typeof Notifier>[0] = {}): Notifier {
	const created = new Notifier({backoffMs: 10, ...options});
	closers.push(async () => created.close());
	return created;
}

function event(overrides: Partial<AlertEvent> = {}): AlertEvent {
	return {
		status: 'firing', alert: 'cpu_high', metric: 'cpu_percent', instance: '', severity: 'critical', host: 'box', value: 96.2, fire: 95, clear: 80,
		forSeconds: 60, startsAt: '2025-01-15T12:00:00.000Z', endsAt: null, durationSeconds: null, summary: 'cpu 96.2 % ≥ 95 %',
		text: '[FIRING] box cpu_high: cpu 96.2 % ≥ 95 %', ...overrides,
	};
}

const webhook = (url: string, headers: Record<string, string> = {}): AlertTarget => ({kind: 'webhook', url, headers});

function temporaryFile(name: string): string {
	return path.join(mkdtempSync(path.join(os.tmpdir(), 'camtop-notify-')), name);
}

describe('Notifier webhooks', () => {
	it('POSTs each event as JSON with its headers, one at a time, in order', async () => {
		const hook = await receiver();
		const sender = notifier();
		const target = webhook(hook.url, {authorization: 'Bearer t0ken', 'Content-Type': 'text/plain'});
		sender.notify(event(), [target]);
		sender.notify(event({status: 'resolved', summary: 'cpu 50.0 % ≤ 80 %'}), [target]);
		await waitFor(() => sender.stats().sent === 2, 'two sent');
		expect(hook.received.map(request => JSON.parse(request.body) as AlertEvent)).toEqual([event(), event({status: 'resolved', summary: 'cpu 50.0 % ≤ 80 %'})]);
		expect(hook.received[0]!.headers['content-type']).toBe('application/json');
		expect(hook.received[0]!.headers.authorization).toBe('Bearer t0ken');
		expect(hook.received[0]!.path).toBe('/services/T000/B000/SECRETPATH');
		expect(hook.maxInFlight()).toBe(1);
		expect(sender.stats()).toMatchObject({
			sent: 2, failed: 0, dropped: 0, pending: 0,
		});
		expect(sender.lastError()).toBeNull();
	});

	it('retries after an error status until it is taken', async () => {
		const hook = await receiver(index => index < 2 ? 500 : 200);
		const sender = notifier();
		sender.notify(event(), [webhook(hook.url)]);
		await waitFor(() => sender.stats().sent === 1, 'sent');
		expect(hook.received).toHaveLength(3);
		expect(sender.stats()).toMatchObject({
			sent: 1, failed: 2, dropped: 0, pending: 0,
		});
		expect(sender.lastError()).toBe(`webhook 127.0.0.1:${hook.port}: HTTP 500`);
		expect(sender.lastError()).not.toContain('SECRETPATH');
	});

	it('counts failed attempts to a port nothing listens on, then drops, without holding up its caller', async () => {
		const port = await freePort();
		const sender = notifier({maxAttempts: 3});
		const events: AlertEvent[] = [];
		const engine = new AlertEngine(builtInRules(structuredClone(DEFAULTS.thresholds), DEFAULTS.crashLoop), {
			host: 'box',
			crashLoop: DEFAULTS.crashLoop,
			onEvent(fired, rule) {
				events.push(fired);
				sender.notify(fired, [...rule.targets, webhook(`http://127.0.0.1:${port}/hooks/SECRETPATH`)]);
			},
		});
		const redisDown: Observation = {
			at: 0,
			snapshot: {
				checkedAt: 0, host: 'box', status: 'critical',
				resources: {status: 'unknown', reasons: [], result: fail('x')},
				processes: {status: 'unknown', reasons: [], result: fail('x')},
				redis: {
					status: 'critical', reasons: [], result: ok({
						url: 'redis://127.0.0.1:6379', state: 'down', pingMs: null, version: null, role: null, connectedClients: null, usedMemoryBytes: null,
						maxMemoryBytes: null, opsPerSecond: null, pubsubChannels: null, pubsubPatterns: null, channelNames: [], lastError: null, downSince: 0,
					}),
				},
				logFiles: {status: 'unknown', reasons: [], result: fail('x')},
				recentErrors: {status: 'unknown', reasons: [], result: fail('x')},
				cameras: {status: 'unknown', reasons: [], result: fail('x')},
			},
			activity: {
				errorsLastMinute: null, errorsTotal: null, issuesTotal: null, services: null, metrics: null,
			},
		};
		const started = performance.now();
		engine.evaluate(redisDown);
		engine.evaluate({...redisDown, at: 30_000});
		expect(performance.now() - started).toBeLessThan(1000);
		expect(events.map(fired => fired.alert)).toEqual(['redis_down']);
		// Handed over, not yet delivered: notify() did not wait for the connection.
		expect(sender.stats()).toMatchObject({sent: 0, pending: 1});
		await waitFor(() => sender.stats().dropped === 1, 'dropped');
		expect(sender.stats()).toMatchObject({
			sent: 0, failed: 3, dropped: 1, pending: 0,
		});
		expect(sender.lastError()).toBe(`webhook 127.0.0.1:${port}: ECONNREFUSED`);
	});

	it('gives up on an attempt that gets no answer, and tries again', async () => {
		const hook = await receiver(() => undefined);
		const sender = notifier({timeoutMs: 100, maxAttempts: 2});
		sender.notify(event(), [webhook(hook.url)]);
		await waitFor(() => sender.stats().dropped === 1, 'dropped');
		expect(hook.received).toHaveLength(2);
		expect(sender.stats()).toMatchObject({
			sent: 0, failed: 2, dropped: 1, pending: 0,
		});
		expect(sender.lastError()).toBe(`webhook 127.0.0.1:${hook.port}: no answer within 100 ms`);
	});

	it('drops the oldest waiting event when a target falls behind', async () => {
		const hook = await receiver(() => undefined);
		const sender = notifier({timeoutMs: 10_000, maxQueue: 2});
		for (let index = 0; index < 5; index++) {
			sender.notify(event({value: index}), [webhook(hook.url)]);
		}

		// The first is in flight; of the four behind it the two oldest are dropped.
		expect(sender.stats()).toMatchObject({dropped: 2, pending: 3});
		await waitFor(() => hook.received.length === 1, 'the first request');
		void sender.close();
		await waitFor(() => sender.stats().pending === 2, 'the request aborted');
		expect((JSON.parse(hook.received[0]!.body) as AlertEvent).value).toBe(0);
	});

	it('sends nothing more after close()', async () => {
		const hook = await receiver(() => 500);
		const sender = notifier({backoffMs: 200});
		sender.notify(event(), [webhook(hook.url)]);
		await waitFor(() => sender.stats().failed === 1, 'the first attempt');
		void sender.close();
		sender.notify(event(), [webhook(hook.url)]);
		// The retry's back-off is cut short and the queue's loop ends: nothing is left that could send.
		await waitFor(() => sender.stats().pending === 0, 'the queue stopped');
		expect(hook.received).toHaveLength(1);
		expect(sender.stats()).toMatchObject({sent: 0, failed: 1});
	});
});

describe('Notifier on shutdown', () => {
	it('gives what is queued flushMs to go out before it stops (a resolved raised just before SIGTERM)', async () => {
		const hook = await receiver();
		const sender = notifier();
		sender.notify(event(), [webhook(hook.url)]);
		sender.notify(event({status: 'resolved'}), [webhook(hook.url)]);
		await sender.close({flushMs: 2000});
		expect(hook.received.map(request => (JSON.parse(request.body) as AlertEvent).status)).toEqual(['firing', 'resolved']);
		expect(sender.stats()).toMatchObject({sent: 2, pending: 0});
	});

	it('stops at the deadline when the receiver never answers', async () => {
		const hook = await receiver(() => undefined);
		const sender = notifier({timeoutMs: 60_000});
		sender.notify(event(), [webhook(hook.url)]);
		const started = Date.now();
		await sender.close({flushMs: 300});
		expect(Date.now() - started).toBeLessThan(5000);
		expect(sender.stats().sent).toBe(0);
	});
});

describe('Notifier commands', () => {
	it('runs the program without a shell, with the event in CAMTOP_ALERT_* variables', async () => {
		const file = temporaryFile('env.txt');
		const sender = notifier();
		const resolved = event({
			status: 'resolved', endsAt: '2025-01-15T12:03:20.000Z', durationSeconds: 200, summary: 'cpu 80.0 % ≤ 80 %',
		});
		sender.notify(resolved, [{kind: 'command', argv: ['sh', '-c', 'env > "$0"', file]}]);
		await waitFor(() => sender.stats().sent === 1, 'sent');
		const variables = new Map(readFileSync(file, 'utf8').split('\n').filter(line => line.startsWith('CAMTOP_ALERT_')).map(line => {
			const equals = line.indexOf('=');
			return [line.slice(0, equals), line.slice(equals + 1)] as const;
		}));
		expect(Object.fromEntries(variables)).toEqual({
			CAMTOP_ALERT_STATUS: 'resolved',
			CAMTOP_ALERT_NAME: 'cpu_high',
			CAMTOP_ALERT_METRIC: 'cpu_percent',
			CAMTOP_ALERT_INSTANCE: '',
			CAMTOP_ALERT_SEVERITY: 'critical',
			CAMTOP_ALERT_HOST: 'box',
			CAMTOP_ALERT_VALUE: '96.2',
			CAMTOP_ALERT_FIRE: '95',
			CAMTOP_ALERT_CLEAR: '80',
			CAMTOP_ALERT_STARTS_AT: '2025-01-15T12:00:00.000Z',
			CAMTOP_ALERT_ENDS_AT: '2025-01-15T12:03:20.000Z',
			CAMTOP_ALERT_DURATION_SECONDS: '200',
			CAMTOP_ALERT_SUMMARY: 'cpu 80.0 % ≤ 80 %',
			CAMTOP_ALERT_TEXT: '[FIRING] box cpu_high: cpu 96.2 % ≥ 95 %',
			CAMTOP_ALERT_JSON: JSON.stringify(resolved),
		});
	});

	it('retries a command that exits non-zero', async () => {
		const file = temporaryFile('runs.txt');
		const sender = notifier({maxAttempts: 3});
		sender.notify(event(), [{kind: 'command', argv: ['sh', '-c', 'echo run >> "$0"; exit 1', file]}]);
		await waitFor(() => sender.stats().dropped === 1, 'dropped');
		expect(readFileSync(file, 'utf8')).toBe('run\nrun\nrun\n');
		expect(sender.stats()).toMatchObject({
			sent: 0, failed: 3, dropped: 1, pending: 0,
		});
		expect(sender.lastError()).toBe('command sh: exit 1');
	});

	it('counts a program that does not exist as a failed attempt', async () => {
		const sender = notifier({maxAttempts: 2});
		sender.notify(event(), [{kind: 'command', argv: ['/nonexistent/camtop-notify']}]);
		await waitFor(() => sender.stats().dropped === 1, 'dropped');
		expect(sender.stats()).toMatchObject({failed: 2});
		expect(sender.lastError()).toBe('command camtop-notify: ENOENT');
	});

	it('kills a command that runs too long, and one still running at close()', async () => {
		const file = temporaryFile('late.txt');
		const slow = notifier({commandTimeoutMs: 100, maxAttempts: 1});
		slow.notify(event(), [{kind: 'command', argv: ['sh', '-c', 'sleep 5; touch "$0"', file]}]);
		await waitFor(() => slow.stats().dropped === 1, 'killed');
		expect(slow.lastError()).toBe('command sh: killed after 100 ms');

		const closing = notifier();
		closing.notify(event(), [{kind: 'command', argv: ['sh', '-c', 'sleep 5; touch "$0"', file]}]);
		void closing.close();
		await waitFor(() => closing.stats().pending === 0, 'the command ended');
		expect(closing.stats()).toMatchObject({sent: 0, failed: 0});
		expect(existsSync(file)).toBe(false);
	});
});

describe('targetName', () => {
	it('names a webhook by its host and a command by its program, never a path', () => {
		expect(targetName(webhook('https://hooks.slack.com/services/T0/B0/XYZ'))).toBe('webhook hooks.slack.com');
		expect(targetName({kind: 'command', argv: ['/usr/local/bin/page-oncall', '--loud']})).toBe('command page-oncall');
	});
});
