import type {Status} from '../base/status.js';

/**
A box as the fleet sees it: health's four states as its exporter judged them, and two only Prometheus can tell.
`stale`: what Prometheus holds is old — the last scrape failed but an earlier one succeeded less than `downAfter`
ago, the exporter's own collection has stalled, or the box is no longer a scrape target. `down`: no successful
scrape for `downAfter` or more.
*/
export type FleetStatus = Status | 'stale' | 'down';

/** Worst first: the table's default order, and the order a summary takes the worst. */
export const FLEET_STATUS_ORDER: readonly FleetStatus[] = ['down', 'critical', 'stale', 'warning', 'unknown', 'ok'];

/** `camtop fleet --json`'s exit code for its worst box, as `health` exits: a box that cannot be seen is critical. */
export const FLEET_EXIT_CODES: Record<FleetStatus, number> = {
	ok: 0, warning: 1, stale: 1, critical: 2, down: 2, unknown: 3,
};

/** Lower is worse. */
export function severityRank(status: FleetStatus): number {
	return FLEET_STATUS_ORDER.indexOf(status);
}

/** The worst of them; `ok` for none. */
export function worstOf(statuses: Iterable<FleetStatus>): FleetStatus {
	let result: FleetStatus = 'ok';
	for (const status of statuses) {
		if (severityRank(status) < severityRank(result)) {
			result = status;
		}
	}

	return result;
}

const CODE_STATUS: Readonly<Record<number, Status>> = {
	0: 'ok', 1: 'warning', 2: 'critical', 3: 'unknown',
};

/** How many boxes are in each status, every status named (0 for none). */
export function countByStatus(boxes: Iterable<{readonly status: FleetStatus}>): Record<FleetStatus, number> {
	const counts: Record<FleetStatus, number> = {
		down: 0, critical: 0, stale: 0, warning: 0, unknown: 0, ok: 0,
	};
	for (const box of boxes) {
		counts[box.status]++;
	}

	return counts;
}

/** A status in the table's few letters, the same everywhere it is written short: `CRIT`, `STALE`. */
export const SHORT_STATUS: Record<FleetStatus, string> = {
	ok: 'OK', warning: 'WARN', critical: 'CRIT', unknown: 'UNKN', stale: 'STALE', down: 'DOWN',
};

/** camtop_health_status's value (health's exit code) as a status; anything else is unknown. */
export function statusOfCode(code: number): Status {
	return CODE_STATUS[code] ?? 'unknown';
}
