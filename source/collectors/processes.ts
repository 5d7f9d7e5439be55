import {readdirSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {redactCommandLine} from '../text/redact.js';
import {errorMessage} from '../base/errors.js';
import {fail, ok, type Result} from '../base/result.js';
import {RingBuffer} from '../base/ring-buffer.js';

export type ProcessInstance = {
	pid: number;
	/** Share of one core over the last interval (100 = one core busy); null until a second sample exists. */
	cpuPercent: number | null;
	rssBytes: number;
	/**
	How fast its RSS grows, bytes per hour: the least-squares slope of its RSS history (one sample a minute over the
	last 6 h by default). Absent until that history spans RssHistoryOptions.minSpanMs (30 min by default).
	*/
	rssGrowthBytesPerHour?: number;
	threads: number;
	uptimeSeconds: number;
	/** The full command line with credentials hidden (URLs, password flags); untrusted: strip control characters before drawing. */
	command: string;
};

export type WatchedProcess = {
	name: string;
	running: boolean;
	instances: ProcessInstance[];
	/** Times a new process took the place of one seen before, since this collector started. */
	restarts: number;
	/** When those restarts were seen (epoch ms), the most recent last, at most MAX_RESTART_TIMES. */
	restartTimes: number[];
};

export type ListedProcess = {pid: number; cmd?: string | undefined};

/** How each process's RSS history is kept: the leak watch. Tests shrink it; the defaults are the product's. */
export type RssHistoryOptions = {
	/** One sample at most this often, milliseconds. */
	sampleIntervalMs: number;
	/** Samples kept: the window is sampleIntervalMs × samples. */
	samples: number;
	/** A slope is given once the history spans this long, milliseconds. */
	minSpanMs: number;
};

/** One sample a minute for 6 h; a slope from 30 min of history on. */
export const RSS_HISTORY: RssHistoryOptions = {sampleIntervalMs: 60_000, samples: 360, minSpanMs: 30 * 60_000};

const MS_PER_HOUR = 3_600_000;

type Options = {
	names: readonly string[];
	rssHistory?: RssHistoryOptions;
	/** How often the process list is read to find pids, milliseconds (≈ 1 ms of CPU from /proc with 80 processes). */
	discoveryIntervalMs?: number;
	listProcesses?: () => Promise<readonly ListedProcess[]>;
	procRoot?: string;
	now?: () => number;
	/** Strings to hide wherever they appear in a command line (the Redis password, say). */
	secrets?: readonly string[];
};

export const DISCOVERY_INTERVAL_MS = 5000;
/** Even when a watched process is missing, the process list is read no more often than this, milliseconds. */
const MIN_DISCOVERY_GAP_MS = 1000;
const MAX_RESTART_TIMES = 32;
/** The first call samples twice this far apart to give CPU percentages, milliseconds. */
export const CPU_SAMPLE_MS = 200;
/** USER_HZ: /proc times are in 1/100 s on every Linux architecture camtop runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

// Programs that run a script named by their first non-option argument: `python3 -u /opt/cam/start.py`.
const INTERPRETER = /^(?:python[\d.]*|pypy[\d.]*|node|nodejs|bun|deno|ruby|perl|php|bash|sh|dash|zsh)$/;

/**
Whether a command line runs the watched `name`: its program (argv[0]) has that file name, or, when the program is an
interpreter, the script it runs does. The 15-character `comm` would cut `cam1_stream.py`; matching any word would
count `grep start.py` and `vim client.py`.
*/
export function commandRuns(command: string, name: string): boolean {
	const words = command.trim().split(/\s+/);
	const program = path.basename(words[0] ?? '');
	if (program === name || words[0] === name) {
		return true;
	}

	if (!INTERPRETER.test(program)) {
		return false;
	}

	const script = words.slice(1).find(word => !word.startsWith('-'));
	return script !== undefined && (path.basename(script) === name || script === name);
}

export type ProcStat = {
	/** utime + stime, clock ticks. */
	cpuTicks: number;
	threads: number;
	/** Start time after boot, clock ticks: with the pid, it tells a process from a later one given the same pid. */
	startTicks: number;
	rssPages: number;
};

/**
One line of /proc/<pid>/stat. The command name in parentheses may hold spaces and parentheses, so the fields are
counted from the last `)`.
*/
export function parseProcPidStat(text: string): ProcStat | undefined {
	const close = text.lastIndexOf(')');
	if (close === -1) {
		return undefined;
	}

	// Fields from 3 (state) on: utime is field 14, stime 15, num_threads 20, starttime 22, rss 24.
	const fields = text.slice(close + 2).split(' ');
	const field = (n: number) => Number(fields[n - 3]);
	const stat = {
		cpuTicks: field(14) + field(15), threads: field(20), startTicks: field(22), rssPages: field(24),
	};
	return Object.values(stat).every(value => Number.isFinite(value)) ? stat : undefined;
}

type Tracked = {
	name: string;
	pid: number;
	command: string;
	startTicks: number;
	/** The previous sample, for CPU deltas. */
	cpuTicks?: number;
	sampledAt?: number;
	last?: ProcessInstance;
	/** RSS samples of this process (a successor starts its own: a new process's memory is no leak). */
	rss: RingBuffer<RssSample>;
	/** The slope fitted at the last sample, bytes per hour. */
	rssGrowth?: number;
};

type RssSample = {at: number; bytes: number};

type NameState = {pids: Set<string>; everSeen: boolean; restarts: number; restartTimes: number[]};

/**
Every process's pid and full command line, from /proc/<pid>/cmdline (arguments joined by spaces, as `ps -o args`
shows them; kernel threads, which have none, left out). Synchronous: ≈ 1 ms of CPU with 80 processes, where ps-list
spawns two `ps` for ≈ 15 ms (npm run bench:collect). Throws when /proc cannot be listed.
*/
export function listFromProc(procRoot = '/proc'): ListedProcess[] {
	const listed: ListedProcess[] = [];
	for (const entry of readdirSync(procRoot)) {
		const first = entry.codePointAt(0) ?? 0;
		if (first < 48 || first > 57) {
			continue;
		}

		try {
			const raw = readFileSync(path.join(procRoot, entry, 'cmdline'), 'utf8');
			if (raw !== '') {
				listed.push({pid: Number(entry), cmd: raw.replace(/\0+$/, '').replaceAll('\0', ' ')});
			}
		} catch {
			// Gone since the listing, or not ours to read: not a process we can watch.
		}
	}

	return listed;
}

/**
The watched processes: pids found in /proc every few seconds (with ps-list where there is no /proc), CPU, memory and
threads read from /proc/<pid>/stat on every call. A watched name whose process goes away and comes back under a new pid counts a restart.
*/
export class ProcessCollector {
	readonly #names: readonly string[];
	readonly #discoveryIntervalMs: number;
	readonly #listProcesses: () => Promise<readonly ListedProcess[]>;
	readonly #procRoot: string;
	readonly #now: () => number;
	readonly #secrets: readonly string[];
	readonly #rssHistory: RssHistoryOptions;
	#pageSize: number | undefined;
	#tracked = new Map<string, Tracked>();
	readonly #states = new Map<string, NameState>();
	#lastDiscovery = Number.NEGATIVE_INFINITY;
	#discoverSoon = true;

	constructor({names, discoveryIntervalMs = DISCOVERY_INTERVAL_MS, listProcesses, procRoot = '/proc', now = Date.now, secrets = [], rssHistory = RSS_HISTORY}: Options) {
		this.#secrets = secrets;
		this.#rssHistory = rssHistory;
		this.#names = names;
		this.#discoveryIntervalMs = discoveryIntervalMs;
		this.#listProcesses = listProcesses ?? (async () => {
			try {
				return listFromProc(procRoot);
			} catch {
				// No /proc to read (not Linux): ps, through ps-list, loaded only then.
				const {default: psList} = await import('ps-list');
				return psList();
			}
		});
		this.#procRoot = procRoot;
		this.#now = now;
		for (const name of names) {
			this.#states.set(name, {
				pids: new Set(), everSeen: false, restarts: 0, restartTimes: [],
			});
		}
	}

	async collect(): Promise<Result<WatchedProcess[]>> {
		try {
			const first = this.#lastDiscovery === Number.NEGATIVE_INFINITY;
			const now = this.#now();
			const gap = this.#discoverSoon ? Math.min(MIN_DISCOVERY_GAP_MS, this.#discoveryIntervalMs) : this.#discoveryIntervalMs;
			if (now - this.#lastDiscovery >= gap) {
				await this.#discover();
			}

			this.#sample();
			if (first && this.#tracked.size > 0) {
				await new Promise(resolve => {
					setTimeout(resolve, CPU_SAMPLE_MS);
				});
				this.#sample();
			}

			return ok(this.#report());
		} catch (error) {
			return fail(errorMessage(error));
		}
	}

	async #discover(): Promise<void> {
		const processes = await this.#listProcesses();
		this.#lastDiscovery = this.#now();
		const found = new Map<string, Tracked>();
		for (const {pid, cmd} of processes) {
			if (pid === process.pid || cmd === undefined) {
				continue;
			}

			const name = this.#names.find(candidate => commandRuns(cmd, candidate));
			if (name === undefined) {
				continue;
			}

			// A pid just listed may be gone already: then it is simply not found.
			const stat = this.#readStat(pid);
			if (stat === undefined) {
				continue;
			}

			const key = `${pid}:${stat.startTicks}`;
			found.set(key, this.#tracked.get(key) ?? {
				name, pid, command: redactCommandLine(cmd, this.#secrets), startTicks: stat.startTicks, rss: new RingBuffer(this.#rssHistory.samples),
			});
		}

		this.#tracked = found;
		this.#countRestarts();
		// Quick looks only follow a process seen going away (to catch its successor); a name that is simply absent
		// waits for the normal interval, or the list would be read every second on a box that never runs it.
		this.#discoverSoon = false;
	}

	#countRestarts(): void {
		for (const [name, state] of this.#states) {
			const keys = new Set([...this.#tracked.entries()].filter(([, tracked]) => tracked.name === name).map(([key]) => key));
			const appeared = [...keys].filter(key => !state.pids.has(key)).length;
			const vanished = [...state.pids].some(key => !keys.has(key));
			if (state.everSeen && appeared > 0 && (vanished || state.pids.size === 0)) {
				state.restarts += appeared;
				state.restartTimes.push(this.#now());
				state.restartTimes.splice(0, state.restartTimes.length - MAX_RESTART_TIMES);
			}

			state.pids = keys;
			state.everSeen ||= keys.size > 0;
		}
	}

	#sample(): void {
		this.#pageSize ??= detectPageSize(this.#procRoot);
		const pageSize = this.#pageSize;
		const uptime = os.uptime();
		for (const [key, tracked] of this.#tracked) {
			const stat = this.#readStat(tracked.pid);
			if (stat?.startTicks !== tracked.startTicks) {
				// Gone (or its pid reused): drop it and let the next call look for its successor.
				this.#tracked.delete(key);
				this.#discoverSoon = true;
				continue;
			}

			const now = performance.now();
			let cpuPercent: number | null = null;
			if (tracked.cpuTicks !== undefined && tracked.sampledAt !== undefined && now > tracked.sampledAt) {
				const seconds = (now - tracked.sampledAt) / 1000;
				cpuPercent = Math.max(0, ((stat.cpuTicks - tracked.cpuTicks) / CLOCK_TICKS_PER_SECOND / seconds) * 100);
			}

			tracked.cpuTicks = stat.cpuTicks;
			tracked.sampledAt = now;
			const rssBytes = stat.rssPages * pageSize;
			const growth = this.#rssGrowth(tracked, rssBytes);
			tracked.last = {
				pid: tracked.pid,
				cpuPercent,
				rssBytes,
				...(growth === undefined ? {} : {rssGrowthBytesPerHour: growth}),
				threads: stat.threads,
				uptimeSeconds: Math.max(0, uptime - (stat.startTicks / CLOCK_TICKS_PER_SECOND)),
				command: tracked.command,
			};
		}
	}

	/**
	Adds a sample when the last is sampleIntervalMs old, and then fits the slope again (once the history is long
	enough): between samples, a look costs nothing more.
	*/
	#rssGrowth(tracked: Tracked, bytes: number): number | undefined {
		const at = this.#now();
		const {sampleIntervalMs, minSpanMs} = this.#rssHistory;
		const last = tracked.rss.last();
		if (last !== undefined && at - last.at < sampleIntervalMs) {
			return tracked.rssGrowth;
		}

		tracked.rss.push({at, bytes});
		const samples = tracked.rss.toArray();
		tracked.rssGrowth = samples.length < 2 || at - samples[0]!.at < minSpanMs
			? undefined
			: leastSquaresSlope(samples.map(sample => [sample.at / MS_PER_HOUR, sample.bytes]));
		return tracked.rssGrowth;
	}

	#report(): WatchedProcess[] {
		return this.#names.map(name => {
			const state = this.#states.get(name)!;
			const instances = [...this.#tracked.values()]
				.filter(tracked => tracked.name === name && tracked.last !== undefined)
				.map(tracked => tracked.last!)
				.sort((a, b) => a.pid - b.pid);
			return {
				name, running: instances.length > 0, instances, restarts: state.restarts, restartTimes: [...state.restartTimes],
			};
		});
	}

	/**
	Synchronous on purpose: a /proc file is generated in memory and read in microseconds, while the async path pays
	an open, a stat, reads and a close, each through libuv's thread pool (measured: 3× the CPU, npm run bench:collect).
	*/
	#readStat(pid: number): ProcStat | undefined {
		try {
			return parseProcPidStat(readFileSync(path.join(this.#procRoot, String(pid), 'stat'), 'utf8'));
		} catch {
			return undefined;
		}
	}
}

/**
Bytes per page, for RSS from /proc/<pid>/stat: 4 KiB on x86 and most Pis, 16 KiB on a Pi 5, 64 KiB on some Jetson kernels.
Found by comparing our own RSS in pages with what Node reports in bytes.
*/
function detectPageSize(procRoot: string): number {
	try {
		const stat = parseProcPidStat(readFileSync(path.join(procRoot, 'self', 'stat'), 'utf8'));
		const bytes = process.memoryUsage.rss();
		if (stat !== undefined && stat.rssPages > 0) {
			const ratio = bytes / stat.rssPages;
			let best = 4096;
			for (const size of [16_384, 65_536]) {
				if (Math.abs(size - ratio) < Math.abs(best - ratio)) {
					best = size;
				}
			}

			return best;
		}
	} catch {}

	return 4096;
}

/**
The slope of the least-squares line through `points` ([x, y] pairs): y per unit of x. 0 when every x is the same.
*/
export function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number {
	const count = points.length;
	if (count < 2) {
		return 0;
	}

	// Centred on the means: epoch hours squared would lose the digits that matter.
	const meanX = points.reduce((sum, [x]) => sum + x, 0) / count;
	const meanY = points.reduce((sum, [, y]) => sum + y, 0) / count;
	let covariance = 0;
	let variance = 0;
	for (const [x, y] of points) {
		covariance += (x - meanX) * (y - meanY);
		variance += (x - meanX) ** 2;
	}

	return variance === 0 ? 0 : covariance / variance;
}

/**
Totals over a watched name's instances, for one-line views. The RSS growth is the sum of the instances' that have one,
null while none has history enough.
*/
export function processTotals(watched: WatchedProcess): {cpuPercent: number | null; rssBytes: number; rssGrowthBytesPerHour: number | null; threads: number; uptimeSeconds: number | null} {
	const cpu = watched.instances.map(instance => instance.cpuPercent).filter((value): value is number => value !== null);
	const growth = watched.instances.map(instance => instance.rssGrowthBytesPerHour).filter((value): value is number => value !== undefined);
	return {
		cpuPercent: cpu.length === 0 ? null : cpu.reduce((sum, value) => sum + value, 0),
		rssBytes: watched.instances.reduce((sum, instance) => sum + instance.rssBytes, 0),
		rssGrowthBytesPerHour: growth.length === 0 ? null : growth.reduce((sum, value) => sum + value, 0),
		threads: watched.instances.reduce((sum, instance) => sum + instance.threads, 0),
		uptimeSeconds: watched.instances.length === 0 ? null : Math.max(...watched.instances.map(instance => instance.uptimeSeconds)),
	};
}
