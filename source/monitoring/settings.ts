/*
The options of createMonitor: what each means, its default (the seed's monitoring.py constants), and the check that
refuses nonsense at creation with the option named.
*/
import {LEVELS, type Level} from '../logs/line-header.js';

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

export type Settings = Required<Omit<MonitorOptions, 'healthCheck' | 'legacyLog'>> & {legacyLog: string | null; healthCheck: MonitorOptions['healthCheck']};

export function resolveSettings(options: MonitorOptions): Settings {
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
