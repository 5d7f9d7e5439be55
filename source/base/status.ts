/** How a part of the box is, worst last: what colours a pane's badge and sets `health`'s exit code. */
export type Status = 'ok' | 'unknown' | 'warning' | 'critical';

/** The monitoring-plugin states, in the order a summary takes the worst: unknown only beats ok. */
export const STATUS_ORDER: readonly Status[] = ['ok', 'unknown', 'warning', 'critical'];

/** The worst of them; `ok` for none. */
export function worst(statuses: readonly Status[]): Status {
	let result: Status = 'ok';
	for (const status of statuses) {
		if (STATUS_ORDER.indexOf(status) > STATUS_ORDER.indexOf(result)) {
			result = status;
		}
	}

	return result;
}
