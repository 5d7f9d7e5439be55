import {readFile, readdir, statfs} from 'node:fs/promises';
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {errorMessage} from '../base/errors.js';
import {fail, ok, type Result} from '../base/result.js';

export type Resources = {
	host: string;
	cpu: {
		/** Busy share of all cores over the last interval, 0–100. */
		percent: number;
		/** The same per core, 0–100 each. */
		cores: number[];
	};
	/** 1, 5 and 15 minute load averages. */
	load: [number, number, number];
	memory: {totalBytes: number; usedBytes: number; availableBytes: number; percent: number};
	swap: {totalBytes: number; usedBytes: number; percent: number};
	/** The volume that holds the logs directory. */
	disk: {path: string; totalBytes: number; usedBytes: number; freeBytes: number; percent: number};
	uptimeSeconds: number;
	/** CPU temperature in °C, or null where the box has no sensor. */
	temperatureCelsius: number | null;
};

/** Jiffies from one line of /proc/stat: `cpu` (all) or `cpu0`, `cpu1`, …. */
export type CpuTimes = {name: string; busy: number; total: number};

/** The first CPU sample needs a second one this much later to give a percentage, milliseconds. */
export const CPU_SAMPLE_MS = 200;

/**
`/proc/stat` → per-CPU jiffies, the aggregate `cpu` line first, then `cpu0`, `cpu1`, …
Idle is idle + iowait; guest time is already counted in user, so it is not added again.
*/
export function parseProcStat(text: string): CpuTimes[] {
	const times: CpuTimes[] = [];
	for (const line of text.split('\n')) {
		if (!line.startsWith('cpu')) {
			continue;
		}

		const words = line.trim().split(/\s+/);
		const fields = words.slice(1, 9).map(Number);
		const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
		const idleAll = idle + iowait;
		const total = user + nice + system + idleAll + irq + softirq + steal;
		times.push({name: words[0]!, busy: total - idleAll, total});
	}

	return times;
}

/**
Busy percentage between two samples, 0–100; 0 when no time passed.
*/
export function cpuPercent(before: CpuTimes, after: CpuTimes): number {
	const total = after.total - before.total;
	if (total <= 0) {
		return 0;
	}

	return Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100));
}

/**
Disk usage as `df` and psutil count it: percent = used / (used + available to users).
*/
export function diskUsage(stats: {bsize: number; blocks: number; bfree: number; bavail: number}): {totalBytes: number; usedBytes: number; freeBytes: number; percent: number} {
	const totalBytes = stats.blocks * stats.bsize;
	const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
	const freeBytes = stats.bavail * stats.bsize;
	const denominator = usedBytes + freeBytes;
	return {
		totalBytes, usedBytes, freeBytes, percent: denominator === 0 ? 0 : (usedBytes / denominator) * 100,
	};
}

// Thermal zone types of the CPU on a Raspberry Pi (cpu-thermal), a Jetson (CPU-therm) and x86 (x86_pkg_temp).
const CPU_ZONE = /cpu|soc|x86_pkg|package/i;

type Options = {
	logsDir: string;
	/** Where /proc/stat is read; tests point it at a fixture. */
	procStatPath?: string;
	meminfoPath?: string;
	/** Where thermal zones are listed; tests point it at a fixture of a Pi's or a Jetson's. */
	thermalRoot?: string;
};

/**
CPU, load, memory, swap, disk, uptime and temperature. Costs ≈ 0.2 ms of CPU per call: /proc/stat deltas and statfs
rather than systeminformation's currentLoad (an execSync per call) or fsSize (spawns df).
*/
export class ResourcesCollector {
	readonly #logsDir: string;
	readonly #procStatPath: string;
	readonly #meminfoPath: string;
	readonly #thermalRoot: string;
	#previous: CpuTimes[] | undefined;
	/** The temperature file, found once: undefined before the search, null when there is none. */
	#temperatureFile: string | null | undefined;

	constructor({logsDir, procStatPath = '/proc/stat', meminfoPath = '/proc/meminfo', thermalRoot = '/sys/class/thermal'}: Options) {
		this.#logsDir = logsDir;
		this.#procStatPath = procStatPath;
		this.#meminfoPath = meminfoPath;
		this.#thermalRoot = thermalRoot;
	}

	async collect(): Promise<Result<Resources>> {
		try {
			const [cpu, memory, disk, temperatureCelsius] = await Promise.all([
				this.#cpu(),
				this.#memory(),
				this.#disk(),
				this.#temperature(),
			]);
			const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
			return ok({
				host: os.hostname(),
				cpu,
				load: [load1, load5, load15],
				memory: {
					totalBytes: memory.total,
					usedBytes: memory.total - memory.available,
					availableBytes: memory.available,
					// As psutil's virtual_memory().percent, which the seed's health check printed.
					percent: memory.total === 0 ? 0 : ((memory.total - memory.available) / memory.total) * 100,
				},
				swap: {
					totalBytes: memory.swapTotal,
					usedBytes: memory.swapUsed,
					percent: memory.swapTotal === 0 ? 0 : (memory.swapUsed / memory.swapTotal) * 100,
				},
				disk,
				uptimeSeconds: os.uptime(),
				temperatureCelsius,
			});
		} catch (error) {
			return fail(errorMessage(error));
		}
	}

	async #cpu(): Promise<Resources['cpu']> {
		let previous = this.#previous;
		if (previous === undefined) {
			previous = parseProcStat(readFileSync(this.#procStatPath, 'utf8'));
			await new Promise(resolve => {
				setTimeout(resolve, CPU_SAMPLE_MS);
			});
		}

		// Synchronous on purpose: /proc files are generated in memory; the async path costs more CPU than the read.
		const current = parseProcStat(readFileSync(this.#procStatPath, 'utf8'));
		this.#previous = current;
		const [totalBefore, ...coresBefore] = previous;
		const [totalAfter, ...coresAfter] = current;
		if (totalBefore === undefined || totalAfter === undefined) {
			throw new Error(`${this.#procStatPath}: no cpu line`);
		}

		// By name, not position: a core taken offline (Jetson power modes) drops out of /proc/stat.
		const before = new Map(coresBefore.map(core => [core.name, core]));
		return {
			percent: cpuPercent(totalBefore, totalAfter),
			cores: coresAfter.map(after => cpuPercent(before.get(after.name) ?? after, after)),
		};
	}

	/**
	/proc/meminfo read and parsed here, synchronously: systeminformation's mem() reads the same file but costs about
	1 ms of CPU a call (bench:export's profile); it stays the way where there is no /proc.
	*/
	async #memory(): Promise<{total: number; available: number; swapTotal: number; swapUsed: number}> {
		let text: string;
		try {
			text = readFileSync(this.#meminfoPath, 'utf8');
		} catch {
			// Loaded only here, where there is no /proc: it costs about 11 MiB of memory, loaded.
			const {default: si} = await import('systeminformation');
			const memory = await si.mem();
			return {
				total: memory.total, available: memory.available, swapTotal: memory.swaptotal, swapUsed: memory.swapused,
			};
		}

		return parseMeminfo(text);
	}

	async #disk(): Promise<Resources['disk']> {
		const where = nearestExisting(this.#logsDir);
		return {path: where, ...diskUsage(await statfs(where))};
	}

	async #temperature(): Promise<number | null> {
		if (this.#temperatureFile === undefined) {
			this.#temperatureFile = await findTemperatureFile(this.#thermalRoot);
		}

		if (this.#temperatureFile === null) {
			return null;
		}

		try {
			const milli = Number(readFileSync(this.#temperatureFile, 'utf8').trim());
			return Number.isFinite(milli) ? milli / 1000 : null;
		} catch {
			return null;
		}
	}
}

/**
Memory from /proc/meminfo, bytes: MemAvailable (the kernel's estimate, as psutil and free use it; MemFree + Buffers +
Cached before Linux 3.14, which has none), swap used = SwapTotal − SwapFree.
*/
export function parseMeminfo(text: string): {total: number; available: number; swapTotal: number; swapUsed: number} {
	const kib = new Map<string, number>();
	for (const line of text.split('\n')) {
		const match = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
		if (match !== null) {
			kib.set(match[1]!, Number(match[2]) * 1024);
		}
	}

	const get = (key: string) => kib.get(key) ?? 0;
	const available = kib.get('MemAvailable') ?? (get('MemFree') + get('Buffers') + get('Cached'));
	return {
		total: get('MemTotal'), available, swapTotal: get('SwapTotal'), swapUsed: Math.max(0, get('SwapTotal') - get('SwapFree')),
	};
}

/**
The logs directory may not exist yet: measure the volume of its nearest existing ancestor.
*/
function nearestExisting(directory: string): string {
	let current = path.resolve(directory);
	while (!existsSync(current)) {
		const parent = path.dirname(current);
		if (parent === current) {
			break;
		}

		current = parent;
	}

	return current;
}

/**
The `temp` file of the thermal zone that measures the CPU, else of the first zone; null when there is none.
*/
export async function findTemperatureFile(thermalRoot: string): Promise<string | null> {
	let zones: string[];
	try {
		zones = (await readdir(thermalRoot)).filter(name => name.startsWith('thermal_zone')).sort((a, b) => zoneNumber(a) - zoneNumber(b));
	} catch {
		return null;
	}

	let first: string | null = null;
	for (const zone of zones) {
		const temporary = path.join(thermalRoot, zone, 'temp');
		if (!existsSync(temporary)) {
			continue;
		}

		first ??= temporary;
		try {
			// Zones in order, stopping at the first CPU one: a handful of tiny files.
			// eslint-disable-next-line no-await-in-loop
			const type = (await readFile(path.join(thermalRoot, zone, 'type'), 'utf8')).trim();
			if (CPU_ZONE.test(type)) {
				return temporary;
			}
		} catch {}
	}

	return first;
}

function zoneNumber(name: string): number {
	return Number(name.slice('thermal_zone'.length)) || 0;
}
