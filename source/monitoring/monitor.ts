import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {
	LEVELS, LEVEL_CRITICAL, LEVEL_DEBUG, LEVEL_ERROR, LEVEL_INFO, LEVEL_WARNING, type Level,
} from '../logs/line-header.js';
import {describeError} from '../base/errors.js';
import {withDeadline} from '../base/deadline.js';
import {runCleanups, type Cleanup, type CleanupOutcome} from './cleanups.js';
import {FileSink} from './file-sink.js';
import {pythonJson, pythonNumber, pythonString} from './python-json.js';
import {
	asText, callerLocation, errorText, logTime, oneLine, oneWord, thrownLocation, tracebackLines, type Entry, type Location,
} from './records.js';
import {diskPercent, HealthSampler, memoryPercent} from './system-health.js';

export type {Level} from '../logs/line-header.js';

export type MonitorOptions = {
	/** Where camera_system.log, errors.log and performance.log go; created (mkdir -p) when missing. Default `./logs`. */
	logsDir?: string;
	/** The legacy copy of the main log, relative to the working directory; null for none. Default `greencam.log`. */
	legacyLog?: string | null;
	/** The logger name in every line of the main and error logs. Default `camera_system`. */
	name?: string;
	/** The lowest level written to the main log (and the legacy one); errors.log takes ERROR and CRITICAL whatever this is. Default INFO. */
	level?: Level;
	/** Camera_system.log and greencam.log rotate once they reach this, bytes. Default 50 MiB (the seed's LOG_ROTATION_SIZE). */
	rotationBytes?: number;
	/** Errors.log rotates once it reaches this, bytes. Default 10 MiB (ERROR_LOG_ROTATION_SIZE). */
	errorRotationBytes?: number;
	/** Rotated files kept of each log: file.1 (newest) … file.N. performance.log rotates at local midnight. Default 5 (LOG_BACKUP_COUNT). */
	backups?: number;
	/** The health check runs this often, milliseconds. Default 60,000 (HEALTH_CHECK_INTERVAL). */
	healthCheckIntervalMs?: number;
	/** The system_health PERF record is written this often, milliseconds. Default 300,000 (PERFORMANCE_LOG_INTERVAL). */
	performanceLogIntervalMs?: number;
	/** Timed() calls slower than this also write a WARNING `Slow call: NAME took 1.234 s`, seconds. Default 1. */
	slowCallSeconds?: number;
	/** An extra check run with the health check; a throw or rejection writes ISSUE system_health_check_failed. */
	healthCheck?: () => void | Promise<void>;
	/** SIGTERM and SIGINT run shutdown(), then exit 0 (SIGTERM: asked to stop, stopped cleanly) or 130 (SIGINT, as shells expect); a second signal exits at once. Default true. */
	handleSignals?: boolean;
	/** Shutdown() returns within this, milliseconds, cleanups that hang or not: 80 % for cleanups, the rest for flushing. Default 5,000. */
	shutdownTimeoutMs?: number;
	/** Records waiting for a slow or failing disk beyond this are dropped, bytes per file. Default 64 MiB. */
	maxPendingBytes?: number;
};

export type MonitorStats = {
	/** Records written to camera_system.log by level, ISSUE and CONNECTION records included. */
	records: Record<Level, number>;
	/** PERF records written to performance.log, system_health included. */
	perf: number;
	/** ISSUE records written, by type. */
	issues: Record<string, number>;
	/** CONNECTION records written. */
	connections: number;
	/** CONNECTION records written with status false, by service. */
	connectionFailures: Record<string, number>;
	/** Records written to errors.log. */
	errorsLog: number;
	/** Records counted above that did not reach their file (a write failure, the pending bound, the shutdown deadline), one per file. */
	lostWrites: number;
};

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

const MAIN_LOG = 'camera_system.log';
const ERROR_LOG = 'errors.log';
const PERFORMANCE_LOG = 'performance.log';

const MIB = 1024 * 1024;
const DEFAULTS = {
	logsDir: './logs',
	legacyLog: 'greencam.log',
	name: 'camera_system',
	level: 'INFO',
	rotationBytes: 50 * MIB,
	errorRotationBytes: 10 * MIB,
	backups: 5,
	healthCheckIntervalMs: 60_000,
	performanceLogIntervalMs: 300_000,
	slowCallSeconds: 1,
	handleSignals: true,
	shutdownTimeoutMs: 5000,
	maxPendingBytes: 64 * MIB,
} as const;

/** Cleanups get this share of shutdownTimeoutMs; flushing the files the rest (they are written all along, so little is left). */
const CLEANUP_SHARE = 0.8;
/** The health check reports a volume or memory this full, percent. */
const HIGH_MEMORY_PERCENT = 90;
const HIGH_DISK_PERCENT = 95;

const EXIT_CODES = {SIGTERM: 0, SIGINT: 130} as const;

type Settings = Required<Omit<MonitorOptions, 'healthCheck' | 'legacyLog'>> & {legacyLog: string | null; healthCheck: MonitorOptions['healthCheck']};

function resolveSettings(options: MonitorOptions): Settings {
	const settings: Settings = {...DEFAULTS, healthCheck: undefined};
	for (const [key, value] of Object.entries(options)) {
		if (value !== undefined) {
			(settings as Record<string, unknown>)[key] = value;
		}
	}

	const positiveIntegers = ['rotationBytes', 'errorRotationBytes', 'backups', 'maxPendingBytes'] as const;
	for (const key of positiveIntegers) {
		if (!Number.isSafeInteger(settings[key]) || settings[key] < 1) {
			throw new RangeError(`createMonitor: ${key} must be a whole number of at least 1, not ${String(settings[key])}`);
		}
	}

	for (const key of ['healthCheckIntervalMs', 'performanceLogIntervalMs'] as const) {
		if (!Number.isFinite(settings[key]) || settings[key] <= 0) {
			throw new RangeError(`createMonitor: ${key} must be a positive number of milliseconds, not ${String(settings[key])}`);
		}
	}

	for (const key of ['slowCallSeconds', 'shutdownTimeoutMs'] as const) {
		if (!(settings[key] >= 0)) {
			throw new RangeError(`createMonitor: ${key} must be at least 0, not ${String(settings[key])}`);
		}
	}

	if (!LEVELS.includes(settings.level)) {
		throw new RangeError(`createMonitor: level must be one of ${LEVELS.join(', ')}, not ${String(settings.level)}`);
	}

	return settings;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
	return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as {then?: unknown}).then === 'function';
}

/**
The seed's monitoring.py and graceful_shutdown.py for a Node camera app: the main, error, performance and legacy
logs in the seed's exact formats (which camtop reads), rotated by size or daily with 5 backups, timed calls, issues,
connections, a periodic system_health record and a health check, and a graceful shutdown on SIGTERM / SIGINT.
Logging never throws at the caller: a file that cannot be written is reported once on stderr and counted in
stats().lostWrites.
*/
export function createMonitor(options: MonitorOptions = {}): Monitor {
	const settings = resolveSettings(options);
	const startedAt = Date.now();
	// Python's root logger is called root; an empty name would leave the header without its logger word.
	const name = oneWord(asText(settings.name)) || 'root';
	const minLevel = LEVELS.indexOf(settings.level);
	const logsDir = path.resolve(settings.logsDir);

	let reported = false;
	const onError = (file: string, error: unknown) => {
		if (reported) {
			return;
		}

		reported = true;
		try {
			process.stderr.write(`camtop/monitoring: cannot write ${file} (${describeError(error)}); records that do not reach the logs are counted in stats().lostWrites\n`);
		} catch {}
	};

	try {
		mkdirSync(logsDir, {recursive: true});
	} catch {
		// Each file reports it, once, when it fails to open.
	}

	const sink = (file: string, rotation: {rotationBytes?: number; interval?: string}) => new FileSink({
		file, backups: settings.backups, maxPendingBytes: settings.maxPendingBytes, onError, ...rotation,
	});
	const main = sink(path.join(logsDir, MAIN_LOG), {rotationBytes: settings.rotationBytes});
	const errors = sink(path.join(logsDir, ERROR_LOG), {rotationBytes: settings.errorRotationBytes});
	const performanceLog = sink(path.join(logsDir, PERFORMANCE_LOG), {interval: '1d'});
	const legacy = settings.legacyLog === null ? undefined : sink(path.resolve(settings.legacyLog), {rotationBytes: settings.rotationBytes});
	const sinks = legacy === undefined ? [main, errors, performanceLog] : [main, errors, performanceLog, legacy];

	const levelCounts: Record<Level, number> = {
		DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0,
	};
	let perfRecords = 0;
	let connectionRecords = 0;
	let errorRecords = 0;
	// Maps, not objects: an issue type or a service may be called `__proto__`.
	const issueCounts = new Map<string, number>();
	const issuesWritten = new Map<string, number>();
	const failureCounts = new Map<string, number>();
	const failuresWritten = new Map<string, number>();

	const cleanups: Cleanup[] = [];
	const sampler = new HealthSampler(logsDir);
	let started = false;
	let closed = false;
	let closing: Promise<void> | undefined;
	let checking = false;
	let timers: NodeJS.Timeout[] = [];
	let signals = 0;

	const uptime = (time: number) => pythonNumber((time - startedAt) / 1000);

	/**
	A record at `level`; returns whether the main log took it. errors.log names `where`: a location, or the caller of
	that entry point (see callerLocation); else the first caller outside the library.
	*/
	function log(level: number, message: string, withError: boolean, error?: unknown, where?: Location | Entry): boolean {
		if (closed || (level < minLevel && level < LEVEL_ERROR)) {
			return false;
		}

		try {
			const stamp = logTime(Date.now());
			const text = oneLine(asText(message));
			const tail = withError ? `\n${tracebackLines(error).join('\n')}\n` : '\n';
			const levelName = LEVELS[level]!;
			let written = false;
			if (level >= minLevel) {
				const line = `${stamp} - ${name} - ${levelName} - ${text}${tail}`;
				written = main.write(line);
				if (written) {
					levelCounts[levelName]++;
				}

				legacy?.write(line);
			}

			if (level >= LEVEL_ERROR) {
				const location = typeof where === 'function' ? callerLocation(where) : where ?? callerLocation();
				if (errors.write(`${stamp} - ${name} - ${levelName} - ${location.function}:${location.line} - ${text}${tail}`)) {
					errorRecords++;
				}
			}

			return written;
		} catch (error_) {
			// Nothing here is known to throw; should something, it is reported like a file that cannot be written, never thrown.
			onError('a record', error_);
			return false;
		}
	}

	function metric(metricName: string, value: number | Record<string, number>, unit: string | null = null): void {
		if (closed) {
			return;
		}

		try {
			const time = Date.now();
			const json = typeof value === 'number' ? pythonNumber(value) : pythonJson(value);
			const unitJson = unit === null || unit === undefined ? 'null' : pythonString(asText(unit));
			// The key order and spacing of the seed's records: camtop's PERF fast path reads exactly this.
			if (performanceLog.write(`${logTime(time)} - PERF: {"metric": ${pythonString(asText(metricName))}, "value": ${json}, "unit": ${unitJson}, "timestamp": ${pythonNumber(time / 1000)}, "uptime": ${uptime(time)}}\n`)) {
				perfRecords++;
			}
		} catch (error) {
			onError('a record', error);
		}
	}

	function issue(type: string, message: string, context: Record<string, unknown> = {}, severity: 'WARNING' | 'ERROR' | 'CRITICAL' = 'WARNING', entry?: Entry): void {
		const issueType = asText(type);
		const level = LEVELS.includes(severity) ? LEVELS.indexOf(severity) : LEVEL_WARNING;
		const count = (issueCounts.get(issueType) ?? 0) + 1;
		issueCounts.set(issueType, count);
		const payload = `ISSUE: {"issue_type": ${pythonString(issueType)}, "message": ${pythonString(asText(message))}, "severity": ${pythonString(LEVELS[level]!)}, "count": ${count}, "uptime": ${uptime(Date.now())}, "context": ${pythonJson(context ?? {})}}`;
		if (log(level, payload, false, undefined, entry)) {
			issuesWritten.set(issueType, (issuesWritten.get(issueType) ?? 0) + 1);
		}
	}

	function connection(service: string, status: boolean, details: Record<string, unknown> = {}): void {
		const serviceName = asText(service);
		const up = Boolean(status);
		if (!up) {
			failureCounts.set(serviceName, (failureCounts.get(serviceName) ?? 0) + 1);
		}

		const failures = failureCounts.get(serviceName) ?? 0;
		let fullDetails: Record<string, unknown>;
		try {
			fullDetails = {...details, failures};
		} catch {
			// A getter that throws: the count is what matters.
			fullDetails = {failures};
		}

		const payload = `CONNECTION: {"service": ${pythonString(serviceName)}, "status": ${up ? 'true' : 'false'}, "details": ${pythonJson(fullDetails)}, "uptime": ${uptime(Date.now())}}`;
		if (log(up ? LEVEL_INFO : LEVEL_WARNING, payload, false)) {
			connectionRecords++;
			if (!up) {
				failuresWritten.set(serviceName, (failuresWritten.get(serviceName) ?? 0) + 1);
			}
		}
	}

	// Microseconds: what the clock can tell, and few enough digits for camtop's PERF fast path.
	const secondsSince = (startedMs: number) => Math.round((performance.now() - startedMs) * 1000) / 1e6;

	function succeeded(callName: string, startedMs: number): void {
		const seconds = secondsSince(startedMs);
		metric(`${callName}_duration`, seconds, 'seconds');
		if (seconds > settings.slowCallSeconds) {
			log(LEVEL_WARNING, `Slow call: ${callName} took ${seconds.toFixed(3)} s`, false);
		}
	}

	function failed(callName: string, startedMs: number, error: unknown, entry: Entry): void {
		const seconds = secondsSince(startedMs);
		log(LEVEL_ERROR, `Function ${callName} failed`, true, error, entry);
		issue('function_failure', `Function ${callName} failed: ${errorText(error)}`, {function: callName, error: errorText(error), duration_seconds: seconds}, 'ERROR', entry);
	}

	// An async function, so that the stack at a rejection still names the caller that awaits it (V8's async stack traces).
	async function timedAsync(callName: string, promise: PromiseLike<unknown>, startedMs: number): Promise<unknown> {
		try {
			const value = await promise;
			succeeded(callName, startedMs);
			return value;
		} catch (error) {
			failed(callName, startedMs, error, timedAsync);
			throw error;
		}
	}

	function timed<T>(callName: string, fn: () => T): T {
		const label = asText(callName);
		const startedMs = performance.now();
		let result: T;
		try {
			result = fn();
		} catch (error) {
			failed(label, startedMs, error, timed);
			throw error;
		}

		if (isPromiseLike(result)) {
			return timedAsync(label, result, startedMs) as T;
		}

		succeeded(label, startedMs);
		return result;
	}

	function writeHealth(): void {
		try {
			metric('system_health', sampler.sample(), null);
		} catch (error) {
			onError('the system_health record', error);
		}
	}

	async function healthCheck(): Promise<void> {
		if (closing !== undefined) {
			return;
		}

		const memory = memoryPercent();
		if (memory >= HIGH_MEMORY_PERCENT) {
			issue('high_memory_usage', `Memory ${memory} % used`, {memory_percent: memory});
		}

		const disk = diskPercent(logsDir);
		if (disk !== undefined && disk >= HIGH_DISK_PERCENT) {
			issue('low_disk_space', `The logs volume is ${disk} % full`, {disk_percent: disk, path: logsDir});
		}

		// The application's own check is skipped while its last run has not finished: one that hangs is not piled up.
		if (checking || settings.healthCheck === undefined) {
			return;
		}

		checking = true;
		try {
			await settings.healthCheck();
		} catch (error) {
			issue('system_health_check_failed', `Health check failed: ${errorText(error)}`, {error: errorText(error)}, 'ERROR');
		} finally {
			checking = false;
		}
	}

	function start(): void {
		if (started || closing !== undefined) {
			return;
		}

		started = true;
		writeHealth();
		// Unreferenced: the monitor never keeps the process alive on its own.
		timers = [
			setInterval(writeHealth, settings.performanceLogIntervalMs).unref(),
			setInterval(() => {
				void healthCheck();
			}, settings.healthCheckIntervalMs).unref(),
		];
	}

	function reportCleanup({name: cleanupName, result, error}: CleanupOutcome): void {
		if (result === 'failed') {
			log(LEVEL_ERROR, `Cleanup ${cleanupName} failed`, true, error);
		} else if (result === 'timed_out') {
			log(LEVEL_WARNING, `Cleanup ${cleanupName} did not finish in time; shutting down without it`, false);
		}
	}

	async function close(reason: string): Promise<void> {
		const deadline = Date.now() + settings.shutdownTimeoutMs;
		for (const timer of timers) {
			clearInterval(timer);
		}

		log(LEVEL_INFO, `Shutting down: ${reason}`, false);
		await runCleanups([...cleanups].reverse(), settings.shutdownTimeoutMs * CLEANUP_SHARE, reportCleanup);

		log(LEVEL_INFO, 'Shutdown complete', false);
		closed = true;
		const flushed = await withDeadline(Promise.all(sinks.map(async file => file.close())).then(() => true), Math.max(0, deadline - Date.now()), () => false);
		if (!flushed) {
			for (const file of sinks) {
				file.flushSync();
			}
		}

		process.off('exit', onExit);
		process.off('uncaughtExceptionMonitor', onUncaught);
		process.off('SIGTERM', onSignal);
		process.off('SIGINT', onSignal);
	}

	// Not async: every call returns the one promise of the first, which an async function cannot.
	// eslint-disable-next-line @typescript-eslint/promise-function-async
	function shutdown(reason = 'shutdown requested'): Promise<void> {
		closing ??= close(oneLine(asText(reason)));
		return closing;
	}

	function onSignal(signal: NodeJS.Signals): void {
		const code = signal === 'SIGINT' ? EXIT_CODES.SIGINT : EXIT_CODES.SIGTERM;
		signals++;
		if (signals > 1) {
			// Asked twice: stop now, with what is queued written synchronously.
			onExit();
			process.exit(code);
			return;
		}

		void shutdown(`received ${signal}`).then(() => process.exit(code));
	}

	// A process.exit() that skips shutdown(), or a crash, still gets what is queued onto the disk.
	function onExit(): void {
		for (const file of sinks) {
			file.flushSync();
		}
	}

	// Observes a crash without changing it (Node still prints it and exits 1): the record is written on 'exit'.
	function onUncaught(error: unknown, origin: string): void {
		log(LEVEL_CRITICAL, origin === 'unhandledRejection' ? 'Unhandled promise rejection' : 'Uncaught exception', true, error, thrownLocation(error));
	}

	process.on('exit', onExit);
	process.on('uncaughtExceptionMonitor', onUncaught);
	if (settings.handleSignals) {
		process.on('SIGTERM', onSignal);
		process.on('SIGINT', onSignal);
	}

	return {
		debug(message) {
			log(LEVEL_DEBUG, message, false);
		},
		info(message) {
			log(LEVEL_INFO, message, false);
		},
		warning(message) {
			log(LEVEL_WARNING, message, false);
		},
		error: function logError(message, errorOptions) {
			log(LEVEL_ERROR, message, errorOptions?.error !== undefined, errorOptions?.error, logError);
		},
		critical: function logCritical(message, errorOptions) {
			log(LEVEL_CRITICAL, message, errorOptions?.error !== undefined, errorOptions?.error, logCritical);
		},
		timed,
		metric,
		issue: function logIssue(type, message, context, severity) {
			issue(type, message, context, severity, logIssue);
		},
		connection,
		start,
		onShutdown(cleanup) {
			if (closing === undefined && typeof cleanup === 'function') {
				cleanups.push(cleanup);
			}
		},
		shutdown,
		stats: () => ({
			records: {...levelCounts},
			perf: perfRecords,
			issues: Object.fromEntries(issuesWritten),
			connections: connectionRecords,
			connectionFailures: Object.fromEntries(failuresWritten),
			errorsLog: errorRecords,
			lostWrites: sinks.reduce((sum, file) => sum + file.lost, 0),
		}),
	};
}
