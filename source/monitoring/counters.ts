import type {Level} from '../logs/line-header.js';

export type MonitorStats = {
	/** Records written to camera_system.log by level, ISSUE and CONNECTION records included. */
	records: Record<Level, number>;
	/** PERF records written to performance.log, system_health included. */
	perf: number;
	/** ISSUE records written, by type; types after the first MAX_KEYS together under OTHER_KEY. */
	issues: Record<string, number>;
	/** CONNECTION records written. */
	connections: number;
	/** CONNECTION records written with status false, by service; services after the first MAX_KEYS together under OTHER_KEY. */
	connectionFailures: Record<string, number>;
	/** Records written to errors.log. */
	errorsLog: number;
	/** Records counted above that did not reach their file (a write failure, the pending bound, the shutdown deadline), one per file. */
	lostWrites: number;
};

/**
Distinct keys a count by issue type or by service keeps. An app has a handful of each; thousands mean a name made
per call (an id or a message in the type), which must not grow the monitor's memory for as long as the app runs.
*/
export const MAX_KEYS = 256;
/** The key that counts every key after the first MAX_KEYS. */
export const OTHER_KEY = '[other]';

/**
Counts by key, bounded: the first MAX_KEYS keys are counted each on its own, every later one under OTHER_KEY
(MAX_KEYS + 1 keys at most). An overflow key rather than evicting the oldest: evicting would start an evicted type's
count again at 1 and drop its records from stats(), whose counts would then no longer add up to what the logs hold;
with the overflow key every record stays counted, and the first types, the ones a real app has, stay exact. A
record of a type past the bound carries OTHER_KEY's count.
*/
export class BoundedCounts {
	// A Map, not an object: an issue type or a service may be called `__proto__`.
	readonly #counts = new Map<string, number>();

	/** Counts one more of `key`; returns its count now. */
	add(key: string): number {
		const counted = this.#keyOf(key);
		const count = (this.#counts.get(counted) ?? 0) + 1;
		this.#counts.set(counted, count);
		return count;
	}

	get(key: string): number {
		return this.#counts.get(this.#keyOf(key)) ?? 0;
	}

	toObject(): Record<string, number> {
		return Object.fromEntries(this.#counts);
	}

	#keyOf(key: string): string {
		return this.#counts.has(key) || this.#counts.size < MAX_KEYS ? key : OTHER_KEY;
	}
}

/** What a monitor has written, counted as it goes: stats() reports it. */
export class Counters {
	readonly #records: Record<Level, number> = {
		DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0, CRITICAL: 0,
	};

	#perf = 0;
	#connections = 0;
	#errorsLog = 0;
	/** ISSUE records made, by type, written or not: the `count` each carries. */
	readonly #issuesMade = new BoundedCounts();
	readonly #issuesWritten = new BoundedCounts();
	/** CONNECTION records down, by service, written or not: the `failures` each carries. */
	readonly #failuresMade = new BoundedCounts();
	readonly #failuresWritten = new BoundedCounts();

	wroteRecord(level: Level): void {
		this.#records[level]++;
	}

	wroteErrorsLog(): void {
		this.#errorsLog++;
	}

	wrotePerf(): void {
		this.#perf++;
	}

	/** One more issue of `type`: returns its count, for its record. */
	issueMade(type: string): number {
		return this.#issuesMade.add(type);
	}

	wroteIssue(type: string): void {
		this.#issuesWritten.add(type);
	}

	/** A connection record of `service`: returns the service's failures so far, this one included when it is down. */
	connectionMade(service: string, up: boolean): number {
		return up ? this.#failuresMade.get(service) : this.#failuresMade.add(service);
	}

	wroteConnection(service: string, up: boolean): void {
		this.#connections++;
		if (!up) {
			this.#failuresWritten.add(service);
		}
	}

	stats(lostWrites: number): MonitorStats {
		return {
			records: {...this.#records},
			perf: this.#perf,
			issues: this.#issuesWritten.toObject(),
			connections: this.#connections,
			connectionFailures: this.#failuresWritten.toObject(),
			errorsLog: this.#errorsLog,
			lostWrites,
		};
	}
}
