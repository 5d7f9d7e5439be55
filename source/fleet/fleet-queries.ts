/*
The table's PromQL: a fixed handful of instant queries, each over every box of the job at once, so that a refresh costs
the same number of round trips for 10 boxes or 1,000. No query here names a box.
*/

/** The gauges the table reads as they are, one series per box each. */
const TABLE_GAUGES = ['info', 'health_status', 'cpu_usage_ratio', 'memory_usage_ratio', 'redis_up', 'log_errors_last_minute', 'last_collect_timestamp_seconds'] as const;

/** A label value in a PromQL string literal. */
export function promqlString(value: string): string {
	return JSON.stringify(value);
}

/** The selector of one job's series: `job="camtop"`. */
function jobMatcher(job: string): string {
	return `job=${promqlString(job)}`;
}

export type TableQueries = {
	/** Every scrape target of the job, 1 or 0: which boxes Prometheus scrapes, and whether the last scrape worked. */
	readonly up: string;
	/** TABLE_GAUGES of every box, in one answer told apart by __name__. */
	readonly gauges: string;
	/** The fullest volume of each box. */
	readonly disk: string;
	/** Cameras of each box by state. */
	readonly cameras: string;
	/** The checks each box's exporter judges not ok, with their level. */
	readonly checks: string;
	/** Prometheus' firing alerts of each box, by name. */
	readonly alerts: string;
	/**
	When each box was last scraped successfully, with its camtop_info labels (host, version): exact for a box scraped
	now, from a one-hour subquery for one that is not (camtop_info has no sample after a failed scrape).
	*/
	readonly lastSeen: string;
};

/** The queries of one refresh. `resolutionSeconds` is lastSeen's subquery step: the scrape interval is enough. */
export function tableQueries(job: string, resolutionSeconds = 15): TableQueries {
	const matcher = jobMatcher(job);
	return {
		up: `up{${matcher}}`,
		gauges: `{__name__=~"camtop_(${TABLE_GAUGES.join('|')})",${matcher}}`,
		disk: `max by (instance) (camtop_disk_usage_ratio{${matcher}})`,
		cameras: `count by (instance, state) (camtop_camera_state{${matcher}} == 1)`,
		checks: `camtop_check_status{${matcher}} > 0`,
		alerts: `count by (instance, alertname) (ALERTS{${matcher},alertstate="firing"})`,
		lastSeen: `timestamp(camtop_info{${matcher}}) or max_over_time(timestamp(camtop_info{${matcher}})[1h:${resolutionSeconds}s])`,
	};
}

/** The sparklines of one box over the last hour: its detail view, the only place a query names a box. */
export function boxRangeQueries(job: string, instance: string): Record<'cpu' | 'memory' | 'disk' | 'errors' | 'redis' | 'cameras', string> {
	const matcher = `${jobMatcher(job)},instance=${promqlString(instance)}`;
	return {
		cpu: `camtop_cpu_usage_ratio{${matcher}}`,
		memory: `camtop_memory_usage_ratio{${matcher}}`,
		disk: `max(camtop_disk_usage_ratio{${matcher}})`,
		errors: `camtop_log_errors_last_minute{${matcher}}`,
		redis: `camtop_redis_up{${matcher}}`,
		cameras: `sum(camtop_camera_up{${matcher}})`,
	};
}
