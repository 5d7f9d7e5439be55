import {readFileSync, statfsSync} from 'node:fs';
import os from 'node:os';

/** The system_health PERF value, psutil's names; a field that cannot be measured here is left out. */
export type SystemHealth = {
	/** Busy share of all cores since the previous sample, 0–100. */
	cpu_percent: number;
	/** (total − available) / total, as psutil's virtual_memory().percent, 0–100. */
	memory_percent: number;
	/** Of the volume that holds the logs, as psutil's disk_usage().percent, 0–100. */
	disk_percent?: number;
	/** The process' threads (V8's and libuv's pool included), from /proc/self/status. */
	threads?: number;
};

/** A CPU share over less CPU time than this is noise (clock ticks are 10 ms), milliseconds summed over cores. */
const MIN_CPU_SAMPLE_MS = 1000;

type CpuTimes = {busy: number; total: number};

function cpuTimes(): CpuTimes {
	let busy = 0;
	let total = 0;
	for (const {times} of os.cpus()) {
		busy += times.user + times.nice + times.sys + times.irq;
		total += times.user + times.nice + times.sys + times.irq + times.idle;
	}

	return {busy, total};
}

/** psutil rounds its percentages to one decimal. */
function percent(part: number, whole: number): number {
	return whole <= 0 ? 0 : Math.round(Math.min(100, Math.max(0, part / whole * 100)) * 10) / 10;
}

/**
Samples for the system_health record. CPU is the share since the previous sample; the first sample, or one taken
too soon after the previous, is the share since boot rather than noise.
*/
export class HealthSampler {
	readonly #logsDir: string;
	#previous: CpuTimes;

	constructor(logsDir: string) {
		this.#logsDir = logsDir;
		this.#previous = cpuTimes();
	}

	sample(): SystemHealth {
		const now = cpuTimes();
		const spanned = now.total - this.#previous.total;
		const cpu = spanned >= MIN_CPU_SAMPLE_MS ? percent(now.busy - this.#previous.busy, spanned) : percent(now.busy, now.total);
		this.#previous = now;
		const health: SystemHealth = {cpu_percent: cpu, memory_percent: memoryPercent()};
		const disk = diskPercent(this.#logsDir);
		if (disk !== undefined) {
			health.disk_percent = disk;
		}

		const threads = threadCount();
		if (threads !== undefined) {
			health.threads = threads;
		}

		return health;
	}
}

export function memoryPercent(): number {
	// os.freemem() is MemAvailable on Linux (libuv ≥ 1.45), what camtop's resources collector reads too.
	const total = os.totalmem();
	return percent(total - os.freemem(), total);
}

/**
undefined when the directory's volume cannot be measured (the directory is missing, say). Synchronous: statfs of a
local volume answers in microseconds, and the system_health record is then written at once, in order.
*/
export function diskPercent(directory: string): number | undefined {
	try {
		const stats = statfsSync(directory);
		// As `df` and psutil: used / (used + available to users), blocks reserved for root left out.
		const used = (stats.blocks - stats.bfree) * stats.bsize;
		return percent(used, used + (stats.bavail * stats.bsize));
	} catch {
		return undefined;
	}
}

function threadCount(): number | undefined {
	try {
		const status = readFileSync('/proc/self/status', 'utf8');
		const start = status.indexOf('\nThreads:');
		if (start === -1) {
			return undefined;
		}

		const value = Number.parseInt(status.slice(start + '\nThreads:'.length).trimStart(), 10);
		return Number.isFinite(value) ? value : undefined;
	} catch {
		return undefined;
	}
}
