import process from 'node:process';
import {performance} from 'node:perf_hooks';
import type {Server} from 'node:http';
import type {Config} from '../config/load.js';
import {LiveObserver} from '../snapshot/observer.js';
import type {Observation} from '../snapshot/observation.js';
import {SnapshotMetrics} from '../export/metrics.js';
import {createExportServer, isLoopback, type Listen} from '../export/server.js';
import {AlertRunner} from '../alerts/runner.js';
import {errorMessage} from '../base/errors.js';
import {healthJson} from './health-json.js';

/**
The exporter collects this often unless --interval says otherwise, ms: once per Prometheus scrape interval (15 s in
deploy/), as an exporter that collects on scrape would, but without ever making the scrape wait. 0.15 % of a core
here against 0.25 % at 5 s (bench:export).
*/
export const EXPORT_INTERVAL_MS = 15_000;
/** The process list is read this often for new pids, ms (a vanished pid is looked for again within 1 s). */
const EXPORT_DISCOVERY_MS = 15_000;
/**
The logs are read this often, ms, not on every change: counters and last values only need to be current at each
collection, and a calm log's lines read a few at a time cost a fraction of reading each as it comes (bench:export).
*/
const EXPORT_FEED_POLL_MS = 5000;
/** On SIGTERM, notifications still queued get this long to go out, ms (systemd's stop timeout is 10 s in deploy/). */
const NOTIFY_FLUSH_MS = 2000;
/** /healthz turns 503 when no collection finished for this many intervals (and a deadline's grace). */
const STALE_INTERVALS = 3;
const GRACE_MS = 5000;

export type ExportOptions = {
	listen: Listen;
	/** Wanted as `Authorization: Bearer …` on /metrics and /snapshot when set (CAMTOP_EXPORT_TOKEN). */
	token: string | undefined;
	intervalMs: number;
	version: string;
	/** Where the listening address and warnings go: one line each. */
	log?: (line: string) => void;
	/** Resolves when the exporter should stop (SIGTERM, SIGINT by default). */
	stop?: Promise<unknown>;
};

/**
`camtop export`: collects on its own interval and keeps the result, so that a scrape of /metrics or /snapshot only
formats what is there (a frozen Redis slows the collection, never the scrape). Alerts are judged on every collection.
Resolves with the exit code once stopped.
*/
export async function runExport(config: Config, options: ExportOptions): Promise<number> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	// Listened for before anything else: a SIGTERM right after the first line must stop it cleanly, not kill it.
	const stop = options.stop ?? signalled();
	const observer = new LiveObserver(config, {discoveryIntervalMs: EXPORT_DISCOVERY_MS, feedPollMs: EXPORT_FEED_POLL_MS});
	const metrics = new SnapshotMetrics({version: options.version, crashLoop: config.crashLoop});
	const alerts = new AlertRunner(config);
	const startedAt = Date.now();
	/** The last collection; its health JSON is made when first asked for (most collections are never asked). */
	let last: {observation: Observation; finishedAt: number; alerts: unknown[]; notifications: Record<string, unknown>; json?: string} | undefined;

	const server = createExportServer({
		async metrics() {
			return {contentType: metrics.registry.contentType, body: await metrics.text()};
		},
		snapshot() {
			if (last === undefined) {
				return undefined;
			}

			last.json ??= `${JSON.stringify({...healthJson(last.observation.snapshot), alerts: last.alerts, alert_notifications: last.notifications}, null, 2)}\n`;
			return last.json;
		},
		unhealthy() {
			const since = last?.finishedAt ?? startedAt;
			const age = Date.now() - since;
			if (age <= (STALE_INTERVALS * options.intervalMs) + GRACE_MS) {
				return undefined;
			}

			return last === undefined ? `no collection finished in ${Math.round(age / 1000)} s` : `last collection finished ${Math.round(age / 1000)} s ago`;
		},
	}, {token: options.token});

	const listening = await listen(server, options.listen);
	if (!listening.ok) {
		log(`camtop: cannot listen on ${address(options.listen)}: ${listening.error}`);
		return 1;
	}

	const bound = server.address();
	const shown = typeof bound === 'object' && bound !== null ? address({host: bound.address, port: bound.port}) : address(options.listen);
	log(`camtop export: http://${shown}/metrics, collecting every ${options.intervalMs / 1000} s${options.token === undefined ? '' : ' (bearer token required)'}`);
	if (!isLoopback(options.listen.host) && options.token === undefined) {
		log('camtop export: warning: listening beyond this machine without CAMTOP_EXPORT_TOKEN: anyone who reaches the port can read /metrics and /snapshot');
	}

	for (const line of alerts.describe()) {
		log(`camtop export: ${line}`);
	}

	observer.start();
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let wake: () => void = () => undefined;

	// One collection at a time: the next is due an interval after the last began, or at once if it overran.
	let lastFailure: string | undefined;
	let lastNotifyError: string | null = null;
	/* eslint-disable no-await-in-loop, no-unmodified-loop-condition, @typescript-eslint/no-loop-func -- a scheduler: one
	collection after the other, each awaited; `stopped`, `wake` and `timer` are set from outside by stop(). */
	const loop = (async () => {
		while (!stopped) {
			const began = performance.now();
			try {
				const observation = await observer.observe();
				if (stopped) {
					break;
				}

				alerts.evaluate(observation);
				const collectSeconds = (performance.now() - began) / 1000;
				metrics.update(observation, {collectSeconds, alerts: alerts.states(), notifications: alerts.notificationStats()});
				last = {
					observation, finishedAt: Date.now(), alerts: alerts.json(), notifications: alerts.notificationsJson(),
				};
				lastFailure = undefined;
			} catch (error) {
				// Nothing here should throw (collectors answer with their failures); if it does, say so once and go on:
				// /healthz turns 503 while no collection finishes.
				const message = errorMessage(error);
				if (message !== lastFailure) {
					log(`camtop export: collection failed: ${message}`);
					lastFailure = message;
				}
			}

			// Notifications fail in the background: the journal hears of each new reason (a webhook by its host only).
			const notifyError = alerts.lastNotifyError();
			if (notifyError !== null && notifyError !== lastNotifyError) {
				log(`camtop export: notification failed: ${notifyError}`);
			}

			lastNotifyError = notifyError;
			await new Promise<void>(resolve => {
				wake = resolve;
				timer = setTimeout(resolve, Math.max(0, options.intervalMs - (performance.now() - began)));
			});
		}
	})();
	/* eslint-enable no-await-in-loop, no-unmodified-loop-condition, @typescript-eslint/no-loop-func */

	await stop;
	stopped = true;
	clearTimeout(timer);
	wake();
	server.closeAllConnections();
	await Promise.all([
		new Promise(resolve => {
			server.close(resolve);
		}),
		loop,
		observer.close(),
		alerts.close({flushMs: NOTIFY_FLUSH_MS}),
	]);
	return 0;
}

async function signalled(): Promise<void> {
	return new Promise(resolve => {
		const stop = () => {
			process.off('SIGTERM', stop);
			process.off('SIGINT', stop);
			resolve();
		};

		process.on('SIGTERM', stop);
		process.on('SIGINT', stop);
	});
}

async function listen(server: Server, {host, port}: Listen): Promise<{ok: true} | {ok: false; error: string}> {
	return new Promise(resolve => {
		const failed = (error: NodeJS.ErrnoException) => {
			const reasons: Record<string, string> = {
				EADDRINUSE: 'address already in use (another exporter? pick another port with --listen)',
				EACCES: 'permission denied (ports below 1024 need privileges)',
				EADDRNOTAVAIL: 'no such address on this machine',
			};
			resolve({ok: false, error: reasons[error.code ?? ''] ?? error.message});
		};

		server.once('error', failed);
		server.listen(port, host, () => {
			server.off('error', failed);
			resolve({ok: true});
		});
	});
}

function address({host, port}: Listen): string {
	return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
