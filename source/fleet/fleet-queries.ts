/*
The table's PromQL: a fixed handful of instant queries, each over every box of the job at once, so that a refresh costs
the same number of round trips for 10 boxes or 1,000. Each answer is aggregated down to the labels the table reads, so
it carries no target labels it would not use. Only the down boxes' query names boxes, and only those that are down.
*/

/** The gauges the table reads as they are, one series per box each. */
const TABLE_GAUGES = ['cpu_usage_ratio', 'memory_usage_ratio'] as const;

/** What `notable` can say of a box: its value is only there when it is not as a healthy box has it. */
export type Notable = 'health' | 'redis_down' | 'errors' | 'errors_unknown' | 'collect_age';

/** How far back a box that is no longer scraped is still listed, as a PromQL duration. */
export const LOOKBACK = '1h';

/** A label value in a PromQL string literal. */
export function promqlString(value: string): string {
	return JSON.stringify(value);
}

/** The selector of one job's series: `job="camtop"`. */
function jobMatcher(job: string): string {
	return `job=${promqlString(job)}`;
}

export type TableQueries = {
	/**
	The scrape targets that lastSeen does not show answering: 0 for those whose last scrape failed, 1 for one that
	answers but is no camtop exporter. A camtop box scraped now is not here (lastSeen has it), so this is as long as the
	trouble too.
	*/
	readonly up: string;
	/** TABLE_GAUGES of every box, in one answer told apart by __name__. */
	readonly gauges: string;
	/**
	Only what is out of the ordinary, told apart by a `notable` label: a health status other than ok, Redis down, errors
	in the last minute, a collection older than staleCollectSeconds. A healthy box has none of them, so the answer is as long as the trouble,
	not the fleet (these were 3,000 of 10,000 series a refresh at 1,000 boxes).
	*/
	readonly notable: string;
	/** The fullest volume of each box. */
	readonly disk: string;
	/** Cameras of each box by state. */
	readonly cameras: string;
	/** The checks each box's exporter judges not ok, with their level. */
	readonly checks: string;
	/** Prometheus' firing alerts of each box, by name. */
	readonly alerts: string;
	/**
	Every box scraped within LOOKBACK, with its camtop_info labels (host, version): the time of its last scrape when it
	was scraped now, 0 when it was not (then `downSince` asks when).
	*/
	readonly lastSeen: string;
};

/** The queries of one refresh; `staleCollectSeconds` is when a box's last collection is too old. */
export function tableQueries(job: string, {staleCollectSeconds = 120}: {staleCollectSeconds?: number} = {}): TableQueries {
	const matcher = jobMatcher(job);
	const byInstance = (expression: string, labels = '') => `max by (instance${labels}) (${expression})`;
	// Set operators match series without their names, so each part is told apart by a label of its own.
	const notable = (name: Notable, expression: string) => `label_replace(${expression}, "notable", "${name}", "", "")`;
	return {
		up: `${byInstance(`up{${matcher}} == 0`)} or ${byInstance(`up{${matcher}} unless on (instance) camtop_info{${matcher}}`)}`,
		gauges: byInstance(`{__name__=~"camtop_(${TABLE_GAUGES.join('|')})",${matcher}}`, ', __name__'),
		notable: [
			notable('health', byInstance(`camtop_health_status{${matcher}} > 0`)),
			notable('redis_down', byInstance(`camtop_redis_up{${matcher}} == 0`)),
			notable('errors', byInstance(`camtop_log_errors_last_minute{${matcher}} > 0`)),
			// An exporter that follows no errors.log exports no count: its errors are unknown, not 0.
			notable('errors_unknown', `${byInstance(`camtop_info{${matcher}}`)} unless on (instance) camtop_log_errors_last_minute{${matcher}}`),
			notable('collect_age', `${byInstance(`time() - camtop_last_collect_timestamp_seconds{${matcher}}`)} > ${staleCollectSeconds}`),
		].join(' or '),
		disk: byInstance(`camtop_disk_usage_ratio{${matcher}}`),
		cameras: `count by (instance, state) (camtop_camera_state{${matcher}} == 1)`,
		checks: byInstance(`camtop_check_status{${matcher}} > 0`, ', check'),
		alerts: `count by (instance, alertname) (ALERTS{${matcher},alertstate="firing"})`,
		// timestamp() of a selector is its sample's own time; last_over_time keeps a box that was not scraped now.
		// `or on (instance)`: a box whose host or version changed within the hour is still one box scraped now.
		lastSeen: [
			byInstance(`timestamp(camtop_info{${matcher}})`, ', host, version'),
			byInstance(`last_over_time(camtop_info{${matcher}}[${LOOKBACK}]) * 0`, ', host, version'),
		].join(' or on (instance) '),
	};
}

/**
When each of `instances` (boxes not scraped now) was last scraped, seconds: a subquery over LOOKBACK at the scrape
interval, the one costly query (240 steps a box at 15 s), asked only of the boxes that are down.
*/
export function downSinceQuery(job: string, instances: readonly string[], resolutionSeconds: number): string {
	const pattern = instances.map(instance => instance.replaceAll(/[\\.^$|?*+()[\]{}]/g, String.raw`\$&`)).join('|');
	return `max by (instance) (max_over_time(timestamp(camtop_info{${jobMatcher(job)},instance=~${promqlString(pattern)}})[${LOOKBACK}:${resolutionSeconds}s]))`;
}

/** The sparklines of one box over the last hour: its detail view, the only place a query names a box. */
export function boxRangeQueries(job: string, instance: string): Record<'cpu' | 'memory' | 'disk' | 'errors' | 'redis' | 'cameras', string> {
	const matcher = `${jobMatcher(job)},instance=${promqlString(instance)}`;
	return {
		cpu: `max(camtop_cpu_usage_ratio{${matcher}})`,
		memory: `max(camtop_memory_usage_ratio{${matcher}})`,
		disk: `max(camtop_disk_usage_ratio{${matcher}})`,
		errors: `max(camtop_log_errors_last_minute{${matcher}})`,
		redis: `max(camtop_redis_up{${matcher}})`,
		cameras: `sum(camtop_camera_up{${matcher}})`,
	};
}
