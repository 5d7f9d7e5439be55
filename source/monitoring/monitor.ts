import path from 'node:path';
import {
	LEVELS, LEVEL_CRITICAL, LEVEL_DEBUG, LEVEL_ERROR, LEVEL_INFO, LEVEL_WARNING,
} from '../logs/line-header.js';
import {asText, oneLine, oneWord} from './caller-text.js';
import {Counters, type MonitorStats} from './counters.js';
import {HealthChecks} from './health-checks.js';
import {LogFiles} from './log-files.js';
import {RecordWriter, type Thrown} from './record-writer.js';
import {resolveSettings, type MonitorOptions} from './settings.js';
import {Shutdown} from './shutdown.js';
import {TimedCalls} from './timed-calls.js';

export type {Level} from '../logs/line-header.js';
export type {MonitorStats} from './counters.js';
export type {MonitorOptions} from './settings.js';

export type Monitor = {
	debug(message: string): void;
	info(message: string): void;
	warning(message: string): void;
	/** To the main log and errors.log (with the caller's function:line), and the error's traceback after it. */
	error(message: string, options?: {error?: unknown}): void;
	critical(message: string, options?: {error?: unknown}): void;
	/** Runs fn, sync or async (its promise is returned), and writes PERF `NAME_duration` in seconds; a failure writes an error and ISSUE function_failure, and is rethrown. */
	timed<T>(name: string, fn: () => T): T;
	/** A PERF record. */
	metric(name: string, value: number | Record<string, number>, unit?: string | null): void;
	/** An ISSUE record at the severity's level, counted per type. */
	issue(type: string, message: string, context?: Record<string, unknown>, severity?: 'WARNING' | 'ERROR' | 'CRITICAL'): void;
	/** A CONNECTION record, INFO when up, WARNING when down; details.failures counts the service's failures so far. */
	connection(service: string, status: boolean, details?: Record<string, unknown>): void;
	/** Writes system_health now and every performanceLogIntervalMs, and runs the health check every healthCheckIntervalMs. */
	start(): void;
	/** Run on shutdown, the last registered first. */
	onShutdown(cleanup: () => void | Promise<void>): void;
	/** Stops the timers, runs the cleanups and flushes and closes every file, within shutdownTimeoutMs. Idempotent. */
	shutdown(reason?: string): Promise<void>;
	/** What was written, for checks that read the logs back. */
	stats(): MonitorStats;
};

/** The traceback to write, when the caller gave an error. */
function thrownIn(errorOptions: {error?: unknown} | undefined): Thrown | undefined {
	return errorOptions?.error === undefined ? undefined : {error: errorOptions.error};
}

/**
The seed's monitoring.py and graceful_shutdown.py for a Node camera app: the main, error, performance and legacy
logs in the seed's exact formats (which camtop reads), rotated by size or daily with 5 backups, timed calls, issues,
connections, a periodic system_health record and a health check, and a graceful shutdown on SIGTERM / SIGINT.
Logging never throws at the caller: a file that cannot be written is reported once on stderr and counted in
stats().lostWrites.

Each job has its module: the files (log-files.ts), the records and their counts (record-writer.ts, counters.ts),
timed calls, the health checks and the shutdown; this wires them together.
*/
export function createMonitor(options: MonitorOptions = {}): Monitor {
	const settings = resolveSettings(options);
	const startedAt = Date.now();
	const logsDir = path.resolve(settings.logsDir);
	const files = new LogFiles(settings, logsDir);
	const counters = new Counters();
	const writer = new RecordWriter(files, counters, {
		// Python's root logger is called root; an empty name would leave the header without its logger word.
		logger: oneWord(asText(settings.name)) || 'root',
		minLevel: LEVELS.indexOf(settings.level),
		startedAt,
	});
	const calls = new TimedCalls(writer, settings.slowCallSeconds);
	const health = new HealthChecks(writer, {...settings, logsDir});
	const shutdown = new Shutdown(writer, files, {
		timeoutMs: settings.shutdownTimeoutMs,
		handleSignals: settings.handleSignals,
		onStart() {
			health.stop();
		},
	});

	// The entry points that write to errors.log are named functions: errors.log names the caller of the one it called.
	function logError(message: string, errorOptions?: {error?: unknown}): void {
		writer.log(LEVEL_ERROR, message, logError, thrownIn(errorOptions));
	}

	function logCritical(message: string, errorOptions?: {error?: unknown}): void {
		writer.log(LEVEL_CRITICAL, message, logCritical, thrownIn(errorOptions));
	}

	function logIssue(type: string, message: string, context?: Record<string, unknown>, severity?: 'WARNING' | 'ERROR' | 'CRITICAL'): void {
		writer.issue({
			type, message, context, severity,
		}, logIssue);
	}

	function timed<T>(name: string, fn: () => T): T {
		return calls.run(name, fn, timed);
	}

	return {
		debug(message) {
			writer.log(LEVEL_DEBUG, message);
		},
		info(message) {
			writer.log(LEVEL_INFO, message);
		},
		warning(message) {
			writer.log(LEVEL_WARNING, message);
		},
		error: logError,
		critical: logCritical,
		timed,
		metric(name, value, unit) {
			writer.metric(name, value, unit);
		},
		issue: logIssue,
		connection(service, status, details) {
			writer.connection(service, status, details);
		},
		start() {
			health.start();
		},
		onShutdown(cleanup) {
			shutdown.add(cleanup);
		},
		// Not async: every call returns the one promise of the first.
		// eslint-disable-next-line @typescript-eslint/promise-function-async
		shutdown(reason = 'shutdown requested') {
			return shutdown.run(oneLine(asText(reason)));
		},
		stats: () => counters.stats(files.lost),
	};
}
