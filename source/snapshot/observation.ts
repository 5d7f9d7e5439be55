import type {Snapshot} from './snapshot.js';

/** One PERF metric's newest value. */
export type PerfValue = {
	metric: string;
	/** As the record gave it (`seconds` for `NAME_duration`), null when it gave none. */
	unit: string | null;
	value: number;
	/** When it was written, epoch ms. */
	time: number;
};

/**
What the live log feeds have counted, beside the Snapshot. Counters start when camtop starts following (the back-fill
of old records is not counted), so a restart of camtop reads as a counter reset to Prometheus, not as a burst.
Each part is null while its log is not followed (missing, unreadable).
*/
export type LogActivity = {
	/** ERROR and CRITICAL records of errors.log stamped within the last 60 s (at most the feed's 200 kept). */
	errorsLastMinute: number | null;
	/** ERROR and CRITICAL records of errors.log since following began, by level. */
	errorsTotal: Array<{level: string; count: number}> | null;
	/** ISSUE records of camera_system.log since following began, by issue type. */
	issuesTotal: Array<{issueType: string; count: number}> | null;
	/** CONNECTION records of camera_system.log: each service's latest state and its changes since following began. */
	services: Array<{service: string; up: boolean; changesTotal: number; time: number}> | null;
	/** The newest value of each PERF metric of performance.log written within staleLogSeconds (back-filled ones included). */
	metrics: PerfValue[] | null;
};

/**
What alerts and /metrics read at one moment: the Snapshot (the same one `health --json` prints) and the live feeds'
activity. Both the exporter and the TUI build one; neither collects anything twice for it.
*/
export type Observation = {
	/** When it was taken, epoch ms. */
	at: number;
	snapshot: Snapshot;
	activity: LogActivity;
};

/** Units a PERF `NAME_duration` may give, as units per second: none means seconds, as camtop/monitoring writes them. */
const UNITS_PER_SECOND: Record<string, number> = {
	seconds: 1, s: 1, sec: 1, milliseconds: 1000, ms: 1000, microseconds: 1e6, us: 1e6, µs: 1e6,
};

/**
A timed function's duration in seconds from its PERF `NAME_duration` value, or undefined for any other metric or a
unit that is not a time: /metrics and the slow_function alert read durations the same way.
*/
export function timedFunction(perf: PerfValue): {function: string; seconds: number} | undefined {
	const perSecond = perf.unit === null ? 1 : UNITS_PER_SECOND[perf.unit.toLowerCase()];
	if (!perf.metric.endsWith('_duration') || perf.metric === '_duration' || perSecond === undefined) {
		return undefined;
	}

	return {function: perf.metric.slice(0, -'_duration'.length), seconds: perf.value / perSecond};
}
