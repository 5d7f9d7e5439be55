import {errorMessage} from '../base/errors.js';
import {fail, ok, type Result} from '../base/result.js';
import {boxRangeQueries} from './fleet-queries.js';
import {type Credentials, type PrometheusClient} from './prometheus-client.js';
import {httpRequest, requestFailureWords, type HttpAnswer} from './http-request.js';

/** A box's detail view spans this much history, seconds. */
export const DETAIL_RANGE_SECONDS = 3600;
/** One point a minute: 60 points, a sparkline's width. */
const DETAIL_STEP_SECONDS = 60;
/** What is kept of each list of the /snapshot: the detail view shows no more. */
const MAX_SNAPSHOT_ITEMS = 50;
/** A /snapshot larger than this is refused, bytes (one has 10 recent errors with tracebacks: tens of KiB). */
const MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;

export type TrendName = keyof ReturnType<typeof boxRangeQueries>;

/** What a box's exporter says of itself (its /snapshot), cut to what the detail view shows. */
export type BoxSnapshot = {
	readonly cameras: ReadonlyArray<{readonly name: string; readonly state: string; readonly reason: string}>;
	readonly processes: ReadonlyArray<{readonly name: string; readonly running: boolean; readonly rssBytes: number | null; readonly restarts: number | null}>;
	readonly errors: ReadonlyArray<{readonly timestamp: string; readonly level: string; readonly message: string}>;
	readonly checkedAt: string;
};

export type BoxDetail = {
	/** Each trend's points over the last hour, oldest first; a failed query is its reason. */
	readonly trends: Readonly<Record<TrendName, Result<readonly number[]>>>;
	/** The exporter's /snapshot, or why there is none ("exporter: connection refused"). */
	readonly snapshot: Result<BoxSnapshot>;
};

/**
One box in detail: its last hour from Prometheus (a range query per trend) and its exporter's /snapshot, at once,
each within the client's timeout. Never throws: every part that fails says why in its place.
*/
export async function readBoxDetail(client: PrometheusClient, {job, instance, scrapeUrl, exporter, timeoutMs, nowMs = Date.now()}: {
	job: string;
	instance: string;
	/** The exporter's /metrics URL when the table knows it; else Prometheus' targets are asked, else http://instance/metrics. */
	scrapeUrl: string | undefined;
	exporter: Credentials;
	timeoutMs: number;
	nowMs?: number;
}): Promise<BoxDetail> {
	const end = Math.floor(nowMs / 1000);
	const queries = boxRangeQueries(job, instance);
	const names = Object.keys(queries) as TrendName[];
	// The table asks for the targets only when a box is down: an up box's scheme and path come from them here.
	const scraped = async () => scrapeUrl ?? client.targets(job).then(targets => targets.find(target => target.labels.instance === instance)?.scrapeUrl, () => undefined);
	const [snapshot, ...trends] = await Promise.all([
		scraped().then(async url => readSnapshot(snapshotUrl(url, instance), exporter, timeoutMs)),
		...names.map(async name => client.queryRange(queries[name], {start: end - DETAIL_RANGE_SECONDS, end, step: DETAIL_STEP_SECONDS}).then(
			series => ok(series[0]?.points.map(([, value]) => value) ?? []),
			(error: unknown) => fail(errorMessage(error)),
		)),
	]);
	return {trends: Object.fromEntries(names.map((name, index) => [name, trends[index]!])) as BoxDetail['trends'], snapshot};
}

/** /snapshot beside the /metrics Prometheus scrapes: same scheme, host and path prefix. */
export function snapshotUrl(scrapeUrl: string | undefined, instance: string): string {
	try {
		const url = new URL(scrapeUrl ?? `http://${instance}/metrics`);
		url.pathname = url.pathname.replace(/\/metrics$/, '') + '/snapshot';
		url.search = '';
		return url.toString();
	} catch {
		return `http://${instance}/snapshot`;
	}
}

async function readSnapshot(url: string, credentials: Credentials, timeoutMs: number): Promise<Result<BoxSnapshot>> {
	let response: HttpAnswer;
	try {
		// node:http with a cap on what is read, counted as it arrives: a chunked answer declares no length.
		response = await httpRequest(new URL(url), {
			method: 'GET',
			headers: credentials.kind === 'bearer' ? {authorization: `Bearer ${credentials.token}`} : {},
			timeoutMs,
			maxBytes: MAX_SNAPSHOT_BYTES,
		});
	} catch (error) {
		return fail(`exporter: ${requestFailureWords(error)}`);
	}

	if (response.status === 401) {
		return fail('exporter: 401 unauthorized (set CAMTOP_EXPORT_TOKEN or CAMTOP_EXPORT_TOKEN_FILE)');
	}

	if (response.status < 200 || response.status >= 300) {
		return fail(`exporter: HTTP ${response.status}`);
	}

	try {
		return ok(parseSnapshot(JSON.parse(response.text) as unknown));
	} catch (error) {
		return fail(`exporter: ${(error as Error).name === 'SyntaxError' ? 'not JSON' : errorMessage(error)}`);
	}
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const count = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value.slice(0, MAX_SNAPSHOT_ITEMS) : []);
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {});

/** The health JSON an exporter serves, read as untrusted: what is missing or of another type is left empty. */
export function parseSnapshot(json: unknown): BoxSnapshot {
	const root = record(json);
	return {
		checkedAt: text(root.checked_at),
		cameras: list(root.cameras).map(item => {
			const camera = record(item);
			return {name: text(camera.name), state: text(camera.state) || 'UNKNOWN', reason: text(camera.reason)};
		}),
		processes: Object.entries(record(root.process_status)).slice(0, MAX_SNAPSHOT_ITEMS).map(([name, value]) => {
			const process = record(value);
			return {
				name, running: process.running === true, rssBytes: count(process.rss_bytes), restarts: count(process.restarts),
			};
		}),
		errors: list(root.recent_errors).map(item => {
			const error = record(item);
			return {timestamp: text(error.timestamp), level: text(error.level), message: text(error.message)};
		}),
	};
}
