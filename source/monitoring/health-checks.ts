import {errorText} from './caller-text.js';
import type {RecordWriter} from './record-writer.js';
import {diskPercent, HealthSampler, memoryPercent} from './system-health.js';

/** The health check reports a volume or memory this full, percent. */
const HIGH_MEMORY_PERCENT = 90;
const HIGH_DISK_PERCENT = 95;

export type HealthCheckOptions = {
	logsDir: string;
	/** The system_health PERF record is written this often, milliseconds. */
	performanceLogIntervalMs: number;
	/** The checks run this often, milliseconds. */
	healthCheckIntervalMs: number;
	/** The application's own check; a throw or rejection writes ISSUE system_health_check_failed. */
	healthCheck: (() => void | Promise<void>) | undefined;
};

/**
Monitor.start(): the system_health record now and on its interval, and the health check on its own: memory and the
logs volume against their limits, then the application's check.
*/
export class HealthChecks {
	readonly #writer: RecordWriter;
	readonly #options: HealthCheckOptions;
	readonly #sampler: HealthSampler;
	#timers: NodeJS.Timeout[] = [];
	#started = false;
	#stopped = false;
	#checking = false;

	constructor(writer: RecordWriter, options: HealthCheckOptions) {
		this.#writer = writer;
		this.#options = options;
		this.#sampler = new HealthSampler(options.logsDir);
	}

	start(): void {
		if (this.#started || this.#stopped) {
			return;
		}

		this.#started = true;
		this.#writeHealth();
		// Unreferenced: the monitor never keeps the process alive on its own.
		this.#timers = [
			setInterval(() => {
				this.#writeHealth();
			}, this.#options.performanceLogIntervalMs).unref(),
			setInterval(() => {
				void this.#check();
			}, this.#options.healthCheckIntervalMs).unref(),
		];
	}

	/** For shutdown: no more records or checks, and start() does nothing from now on. */
	stop(): void {
		this.#stopped = true;
		for (const timer of this.#timers) {
			clearInterval(timer);
		}
	}

	#writeHealth(): void {
		try {
			this.#writer.metric('system_health', this.#sampler.sample(), null);
		} catch (error) {
			this.#writer.reportError('the system_health record', error);
		}
	}

	async #check(): Promise<void> {
		if (this.#stopped) {
			return;
		}

		const memory = memoryPercent();
		if (memory >= HIGH_MEMORY_PERCENT) {
			this.#writer.issue({type: 'high_memory_usage', message: `Memory ${memory} % used`, context: {memory_percent: memory}});
		}

		const disk = diskPercent(this.#options.logsDir);
		if (disk !== undefined && disk >= HIGH_DISK_PERCENT) {
			this.#writer.issue({type: 'low_disk_space', message: `The logs volume is ${disk} % full`, context: {disk_percent: disk, path: this.#options.logsDir}});
		}

		// The application's own check is skipped while its last run has not finished: one that hangs is not piled up.
		if (this.#checking || this.#options.healthCheck === undefined) {
			return;
		}

		this.#checking = true;
		try {
			await this.#options.healthCheck();
		} catch (error) {
			this.#writer.issue({
				type: 'system_health_check_failed', message: `Health check failed: ${errorText(error)}`, context: {error: errorText(error)}, severity: 'ERROR',
			});
		} finally {
			this.#checking = false;
		}
	}
}
