import {errorMessage} from '../base/errors.js';
import {redactUrl} from '../text/redact.js';
import {stripControl} from '../text/sanitize.js';
import {
	httpRequest, requestFailureWords, RequestError, type HttpAnswer,
} from './http-request.js';

/** How camtop proves itself to Prometheus (or to an exporter): never from a flag, where `ps` would show it. */
export type Credentials =
	| {readonly kind: 'none'}
	| {readonly kind: 'bearer'; readonly token: string}
	| {readonly kind: 'basic'; readonly user: string; readonly password: string};

/** Why Prometheus gave no answer, in the words the badge and `--json`'s one line use. */
export type PrometheusFailure = 'unreachable' | 'timeout' | 'unauthorized' | 'bad-answer';

export class PrometheusError extends Error {
	constructor(readonly kind: PrometheusFailure, message: string) {
		super(message);
		this.name = 'PrometheusError';
	}
}

/** One series of an instant vector: its labels, and its value at the query's time `at` (Prometheus' clock, seconds). */
export type Sample = {readonly labels: Readonly<Record<string, string>>; readonly value: number; readonly at: number};
/** One series of a range query: its labels and its points, seconds and values. */
export type Series = {readonly labels: Readonly<Record<string, string>>; readonly points: ReadonlyArray<readonly [seconds: number, value: number]>};

/** What Prometheus' targets API says of one scrape target. */
export type Target = {
	readonly labels: Readonly<Record<string, string>>;
	readonly scrapeUrl: string;
	readonly health: string;
	readonly lastError: string;
	/** When it was last scraped, ms since the epoch; NaN when never. */
	readonly lastScrapeMs: number;
};

/** An answer larger than this is refused, bytes: 1,000 boxes' table is about 2 MiB, and a wrong URL must not fill memory. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export type PrometheusClientOptions = {
	/** The server's base URL: http://prometheus:9090 (a path prefix such as /prometheus is kept). */
	readonly url: string;
	readonly credentials: Credentials;
	/** Every request is abandoned after this long, ms; Prometheus is told the same, so it stops working on it too. */
	readonly timeoutMs: number;
	/** An answer larger than this is refused, bytes; MAX_ANSWER_BYTES unless a test needs a smaller one. */
	readonly maxAnswerBytes?: number | undefined;
};

/**
A client of Prometheus' HTTP API (/api/v1): instant and range queries, and the targets list. Each call either answers
within `timeoutMs` or throws a PrometheusError whose message is one line fit for a badge: where it asked (the URL
without credentials) and what went wrong.
*/
export class PrometheusClient {
	readonly #base: string;
	readonly #headers: Record<string, string>;
	readonly #timeoutMs: number;
	readonly #maxAnswerBytes: number;
	/** The URL as it may be shown: credentials hidden. */
	readonly shownUrl: string;

	constructor({
		url, credentials, timeoutMs, maxAnswerBytes = MAX_ANSWER_BYTES,
	}: PrometheusClientOptions) {
		const inUrl = credentialsInUrl(url);
		this.#base = inUrl.url.replace(/\/+$/, '');
		this.shownUrl = redactUrl(url.replace(/\/+$/, ''));
		// Uncompressed: inflating a 1,000-box answer cost camtop 25–40 ms of CPU a refresh (bench:fleet, with gzip) to save
		// bandwidth on what is usually a LAN.
		this.#headers = {accept: 'application/json', 'accept-encoding': 'identity', ...authorization(credentials.kind === 'none' ? inUrl.credentials ?? credentials : credentials)};
		this.#timeoutMs = timeoutMs;
		this.#maxAnswerBytes = maxAnswerBytes;
	}

	/** An instant query at `time` (seconds; now when left out). */
	async query(promql: string, time?: number): Promise<Sample[]> {
		const data = await this.#get('query', {query: promql, ...(time === undefined ? {} : {time: String(time)})});
		return vector(data);
	}

	/** A range query from `start` to `end` (seconds) every `step` seconds. */
	async queryRange(promql: string, {start, end, step}: {start: number; end: number; step: number}): Promise<Series[]> {
		const data = await this.#get('query_range', {
			query: promql, start: String(start), end: String(end), step: String(step),
		});
		return matrix(data);
	}

	/** The active scrape targets (of one scrape pool, the job's name, when given): labels, health, last error, scrape URL. */
	async targets(scrapePool?: string): Promise<Target[]> {
		const data = await this.#get('targets', {state: 'active', ...(scrapePool === undefined ? {} : {scrapePool})}, false);
		const active = (data as {activeTargets?: unknown}).activeTargets;
		if (!Array.isArray(active)) {
			throw new PrometheusError('bad-answer', `${this.shownUrl}: the targets answer has no activeTargets`);
		}

		return active.map((raw: Record<string, unknown>) => ({
			labels: stringRecord(raw.labels),
			scrapeUrl: typeof raw.scrapeUrl === 'string' ? raw.scrapeUrl : '',
			health: typeof raw.health === 'string' ? raw.health : 'unknown',
			lastError: typeof raw.lastError === 'string' ? raw.lastError : '',
			lastScrapeMs: typeof raw.lastScrape === 'string' ? Date.parse(raw.lastScrape) : Number.NaN,
		}));
	}

	async #get(endpoint: string, parameters: Record<string, string>, withTimeout = true): Promise<unknown> {
		const search = new URLSearchParams(parameters);
		if (withTimeout) {
			// Prometheus gives up too, rather than finish a query nobody waits for.
			search.set('timeout', `${Math.max(1, Math.floor(this.#timeoutMs / 1000))}s`);
		}

		// Queries go as a form (POST): the down boxes' query names each of them, longer than a URL may be.
		const post = endpoint !== 'targets';
		let response: HttpAnswer;
		try {
			response = await httpRequest(new URL(post ? `${this.#base}/api/v1/${endpoint}` : `${this.#base}/api/v1/${endpoint}?${search.toString()}`), {
				method: post ? 'POST' : 'GET',
				headers: post ? {...this.#headers, 'content-type': 'application/x-www-form-urlencoded'} : this.#headers,
				...(post ? {body: search.toString()} : {}),
				timeoutMs: this.#timeoutMs,
				maxBytes: this.#maxAnswerBytes,
			});
		} catch (error) {
			throw failure(error, this.shownUrl);
		}

		const {text} = response;
		if (response.status === 401 || response.status === 403) {
			const refused = response.status === 401 ? 'unauthorized' : 'forbidden';
			throw new PrometheusError('unauthorized', `${this.shownUrl}: ${response.status} ${refused} (set PROMETHEUS_TOKEN, or PROMETHEUS_USER and PROMETHEUS_PASSWORD; camtop fleet --help)`);
		}

		let body: {status?: unknown; data?: unknown; error?: unknown};
		try {
			body = JSON.parse(text) as typeof body;
		} catch {
			throw new PrometheusError('bad-answer', `${this.shownUrl}: HTTP ${response.status}, not a Prometheus API answer (is this Prometheus' URL?)`);
		}

		if (body.status !== 'success') {
			// Prometheus' words are shown on a terminal: cleaned of control sequences.
			const why = typeof body.error === 'string' ? stripControl(body.error.split('\n')[0]!).slice(0, 300) : `HTTP ${response.status}`;
			// Prometheus' own deadline ("query timed out in expression evaluation") is a timeout like ours.
			const kind = /timed? ?out|deadline/i.test(why) ? 'timeout' : 'bad-answer';
			throw new PrometheusError(kind, `${this.shownUrl}: ${why}`);
		}

		return body.data;
	}
}

/**
A URL's user and password as basic auth, and the URL without them, so that no message can repeat the password.
*/
function credentialsInUrl(url: string): {url: string; credentials: Credentials | undefined} {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return {url, credentials: undefined};
	}

	if (parsed.username === '' && parsed.password === '') {
		return {url, credentials: undefined};
	}

	const credentials = {kind: 'basic', user: safeDecode(parsed.username), password: safeDecode(parsed.password)} as const;
	parsed.username = '';
	parsed.password = '';
	return {url: parsed.toString(), credentials};
}

/** A percent-encoded URL part, or as it is when it is not valid encoding (a literal `%` in a password). */
function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function authorization(credentials: Credentials): Record<string, string> {
	switch (credentials.kind) {
		case 'bearer': {
			return {authorization: `Bearer ${credentials.token}`};
		}

		case 'basic': {
			return {authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`};
		}

		case 'none': {
			return {};
		}
	}
}

/** A request's failure as a PrometheusError: refused, not found, timed out, too large. */
function failure(error: unknown, where: string): PrometheusError {
	const words = requestFailureWords(error);
	if (error instanceof RequestError) {
		return new PrometheusError(error.code === 'TIMEOUT' ? 'timeout' : 'bad-answer', `${where}: ${words}`);
	}

	const hint = (error as {code?: string}).code === 'ECONNREFUSED' ? ' (is Prometheus running there?)' : '';
	return new PrometheusError('unreachable', `${where}: ${words}${hint}`);
}

function stringRecord(value: unknown): Record<string, string> {
	if (typeof value !== 'object' || value === null) {
		return {};
	}

	// Prometheus' labels are strings: taken as they are, not copied (thousands of series a refresh).
	if (Object.values(value).every(item => typeof item === 'string')) {
		return value as Record<string, string>;
	}

	const result: Record<string, string> = {};
	for (const [key, item] of Object.entries(value)) {
		if (typeof item === 'string') {
			result[key] = item;
		}
	}

	return result;
}

/** One element of a result, whatever it is: a malformed one reads as a series without labels or values. */
function entry(raw: unknown): {metric?: unknown; value?: unknown; values?: unknown} {
	return typeof raw === 'object' && raw !== null ? raw : {};
}

/** The answer's result list, when it is of the type asked for. */
function resultOf(data: unknown, type: 'vector' | 'matrix'): unknown[] {
	const {resultType, result} = (data ?? {}) as {resultType?: unknown; result?: unknown};
	if (resultType !== type || !Array.isArray(result)) {
		throw new PrometheusError('bad-answer', `expected ${type === 'vector' ? 'an instant vector' : 'a range vector'}, got ${String(resultType)}`);
	}

	return result;
}

function vector(data: unknown): Sample[] {
	return resultOf(data, 'vector').map((raw: unknown) => {
		const item = entry(raw);
		return {
			labels: stringRecord(item.metric),
			value: Array.isArray(item.value) ? Number(item.value[1]) : Number.NaN,
			at: Array.isArray(item.value) ? Number(item.value[0]) : Number.NaN,
		};
	});
}

function matrix(data: unknown): Series[] {
	return resultOf(data, 'matrix').map((raw: unknown) => {
		const item = entry(raw);
		return {
			labels: stringRecord(item.metric),
			points: Array.isArray(item.values)
				? item.values.map((point: unknown) => (Array.isArray(point) ? [Number(point[0]), Number(point[1])] as const : [Number.NaN, Number.NaN] as const))
				: [],
		};
	});
}
