import type {Config} from '../config/load.js';
import {UsageError} from '../base/usage-error.js';
import {round} from '../text/format.js';
import {stripControl} from '../text/sanitize.js';
import {PrometheusClient, PrometheusError} from '../fleet/prometheus-client.js';
import {prometheusCredentials} from '../fleet/credentials.js';
import {readFleet, type Fleet, type FleetBox} from '../fleet/read-fleet.js';
import {
	FLEET_EXIT_CODES, FLEET_STATUS_ORDER, countByStatus, worstOf,
} from '../fleet/fleet-status.js';
import {
	DEFAULT_SORT, alertCount, cellText, placeColumns, sortBoxes, type PlacedColumn,
} from '../fleet/fleet-columns.js';

/** Exit code when Prometheus gives no table: down, slow, refusing us, or not Prometheus. */
export const PROMETHEUS_FAILED_EXIT = 3;

/** The client `camtop fleet` asks, from the config in force; a usage error when no URL is known. */
export function fleetClient(config: Config, env: NodeJS.ProcessEnv): PrometheusClient {
	const {fleet} = config;
	if (fleet.prometheus === undefined) {
		throw new UsageError('camtop fleet needs Prometheus\' URL: --prometheus http://prometheus:9090, PROMETHEUS_URL, or fleet.prometheus in the config file');
	}

	return new PrometheusClient({url: fleet.prometheus, credentials: prometheusCredentials(env, fleet), timeoutMs: fleet.timeoutMs});
}

const percent = (ratio: number | null) => (ratio === null ? null : round(ratio * 100));

/** One box as `--json` writes it: snake_case like health's JSON, percentages 0–100, ages in seconds. */
function boxJson(box: FleetBox): Record<string, unknown> {
	return {
		instance: box.instance,
		host: box.host,
		version: box.version,
		status: box.status,
		reasons: box.reasons,
		up: box.up,
		last_scrape_seconds_ago: box.lastScrapeAgeSeconds === null ? null : round(box.lastScrapeAgeSeconds),
		cameras_live: box.cameras?.live ?? null,
		cameras_total: box.cameras?.total ?? null,
		cameras_by_state: box.cameras?.byState ?? null,
		alerts_firing: alertCount(box),
		alerts: box.alerts,
		cpu_percent: percent(box.cpu),
		memory_percent: percent(box.memory),
		disk_percent: percent(box.disk),
		redis_up: box.redisUp,
		errors_per_minute: box.errorsPerMinute,
		scrape_url: box.scrapeUrl ?? null,
	};
}

/** The table as `--json` writes it: worst box first. */
export function fleetJson(fleet: Fleet, {prometheus, job}: {prometheus: string; job: string}): Record<string, unknown> {
	const boxes = sortBoxes(fleet.boxes, DEFAULT_SORT);
	const counts = countByStatus(boxes);
	// Worst first, as the boxes are.
	const summary = Object.fromEntries(FLEET_STATUS_ORDER.map(status => [status, counts[status]]));
	return {
		prometheus,
		job,
		checked_at: new Date(fleet.at).toISOString(),
		status: boxes.length === 0 ? 'unknown' : worstOf(boxes.map(box => box.status)),
		summary: {...summary, total: boxes.length},
		boxes: boxes.map(box => boxJson(box)),
	};
}

/** The table as plain text, for a pipe: the TUI's columns at `columns` cells, worst first; the reasons whole. */
export function fleetText(fleet: Fleet, columns: number): string {
	const placed = placeColumns(columns);
	const row = (texts: string[]) => texts.join(' ').trimEnd();
	const text = (column: PlacedColumn, value: string) => (column.id === 'why' ? stripControl(value) : cellText(column, value));
	return [
		row(placed.map(column => cellText(column, column.title))),
		...sortBoxes(fleet.boxes, DEFAULT_SORT).map(box => row(placed.map(column => text(column, column.text(box))))),
		'',
	].join('\n');
}

export type FleetOnceOptions = {
	json: boolean;
	columns: number;
	env: NodeJS.ProcessEnv;
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
};

/**
`camtop fleet --json` (or a pipe): the table once. Exits by the worst box as `health` does (0 ok, 1 warning or stale,
2 critical or down, 3 unknown or no box at all), and 3 with one line on stderr when Prometheus gives no table.
*/
export async function fleetOnce(config: Config, {
	json, columns, env, stdout, stderr,
}: FleetOnceOptions): Promise<number> {
	const client = fleetClient(config, env);
	const {job} = config.fleet;
	let fleet: Fleet;
	try {
		fleet = await readFleet(client, {...config.fleet, resolutionSeconds: config.fleet.scrapeIntervalSeconds});
	} catch (error) {
		if (!(error instanceof PrometheusError)) {
			throw error;
		}

		stderr.write(`camtop fleet: ${stripControl(error.message)}\n`);
		if (json) {
			stdout.write(`${JSON.stringify({
				prometheus: client.shownUrl, job, checked_at: new Date().toISOString(), status: 'unknown', error: error.message, error_kind: error.kind, boxes: [],
			}, null, 2)}\n`);
		}

		return PROMETHEUS_FAILED_EXIT;
	}

	if (fleet.boxes.length === 0) {
		stderr.write(`camtop fleet: Prometheus at ${client.shownUrl} knows no box of job "${job}" (is the job named otherwise? --job NAME)\n`);
	}

	stdout.write(json ? `${JSON.stringify(fleetJson(fleet, {prometheus: client.shownUrl, job}), null, 2)}\n` : fleetText(fleet, columns));
	return fleet.boxes.length === 0 ? FLEET_EXIT_CODES.unknown : FLEET_EXIT_CODES[worstOf(fleet.boxes.map(box => box.status))];
}
