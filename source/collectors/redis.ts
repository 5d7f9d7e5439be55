import {Redis, type RedisOptions} from 'ioredis';
import {redactUrl, scrubSecrets, urlSecrets} from '../text/redact.js';
import {formatDuration} from '../text/format.js';
import {errorMessage} from '../base/errors.js';
import {withDeadline} from '../base/deadline.js';

/** up: answers PING; down: no connection; not_responding: connected, or connecting, but no reply in time (frozen, overloaded). */
export type RedisState = 'up' | 'down' | 'not_responding';

export type RedisInfo = {
	/** The URL with its password replaced by `***`. */
	url: string;
	state: RedisState;
	/** PING round trip, milliseconds. */
	pingMs: number | null;
	version: string | null;
	role: string | null;
	connectedClients: number | null;
	usedMemoryBytes: number | null;
	/** 0 means no limit. */
	maxMemoryBytes: number | null;
	opsPerSecond: number | null;
	pubsubChannels: number | null;
	pubsubPatterns: number | null;
	/** The first MAX_CHANNEL_NAMES active channel names, untrusted. */
	channelNames: string[];
	/** The last error seen, credentials scrubbed; null while up. */
	lastError: string | null;
	/** Since when it has not been up (epoch ms), null while up. */
	downSince: number | null;
};

/** No call to collect() takes longer than this, milliseconds, even with Redis frozen. */
export const REDIS_DEADLINE_MS = 1000;
const MAX_CHANNEL_NAMES = 50;

/**
Options that keep a monitor honest. ioredis' defaults queue commands while Redis is down and replay them ~70 s later
with false latencies, and with a frozen Redis (SIGSTOP) a command waits forever; these fail fast instead.
*/
export function monitorRedisOptions(): RedisOptions {
	return {
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 1,
		commandTimeout: 1000,
		socketTimeout: 4000,
		connectTimeout: 2000,
		disconnectTimeout: 500,
		// The ready check sends INFO, which a restricted ACL user may not run: PING alone says whether Redis is up.
		enableReadyCheck: false,
		// RESP2: nothing here needs RESP3, and older Redis on camera boxes would cost a failed HELLO per connection.
		protocol: 2,
		// Reconnect every 0.5–2 s while down, forever: the monitor must notice Redis coming back.
		retryStrategy: times => Math.min(times * 500, 2000),
	};
}

/**
One Redis server: state, PING latency, INFO and pub/sub counts. Keeps one connection open across calls.
*/
export class RedisCollector {
	readonly #url: string;
	readonly #secrets: string[];
	readonly #client: Redis;
	readonly #now: () => number;
	#lastError: string | null = null;
	readonly #invalid: string | undefined;
	#downSince: number | null = null;

	constructor(url: string, {now = Date.now}: {now?: () => number} = {}) {
		this.#url = url;
		this.#secrets = urlSecrets(url);
		this.#now = now;
		// The config checked the URL already; ioredis parses it again, and must not take the process down if it disagrees.
		try {
			this.#client = new Redis(url, monitorRedisOptions());
		} catch (error) {
			this.#client = new Redis({...monitorRedisOptions(), port: 1, retryStrategy: () => null});
			this.#invalid = `invalid Redis URL: ${errorMessage(error)}`;
		}

		// Without a listener ioredis prints every connection error to the console.
		this.#client.on('error', (error: unknown) => {
			this.#lastError = this.#scrub(errorMessage(error));
		});
	}

	async collect(): Promise<RedisInfo> {
		return withDeadline(this.#collect(), REDIS_DEADLINE_MS, () => this.#failed('not_responding', `no reply within ${REDIS_DEADLINE_MS} ms`));
	}

	async close(): Promise<void> {
		this.#client.disconnect();
	}

	async #collect(): Promise<RedisInfo> {
		if (this.#invalid !== undefined) {
			return this.#failed('down', this.#invalid);
		}

		try {
			if (this.#client.status === 'wait' || this.#client.status === 'end') {
				await this.#client.connect();
			}

			const started = performance.now();
			await this.#client.ping();
			const pingMs = performance.now() - started;
			// PING decided: Redis is up. The rest may be refused (an ACL user allowed only PING) and is then left empty.
			const [info, channelList, patternCount] = await Promise.allSettled([
				this.#client.info(),
				this.#client.call('PUBSUB', 'CHANNELS') as Promise<string[]>,
				this.#client.call('PUBSUB', 'NUMPAT') as Promise<number>,
			]);
			const fields = parseInfo(info.status === 'fulfilled' ? info.value : '');
			const channels = channelList.status === 'fulfilled' && Array.isArray(channelList.value) ? channelList.value : undefined;
			const patterns = patternCount.status === 'fulfilled' ? Number(patternCount.value) : null;
			this.#lastError = null;
			this.#downSince = null;
			return {
				url: redactUrl(this.#url),
				state: 'up',
				pingMs,
				version: fields.get('redis_version') ?? null,
				role: fields.get('role') ?? null,
				connectedClients: numberField(fields, 'connected_clients'),
				usedMemoryBytes: numberField(fields, 'used_memory'),
				maxMemoryBytes: numberField(fields, 'maxmemory'),
				opsPerSecond: numberField(fields, 'instantaneous_ops_per_sec'),
				pubsubChannels: channels?.length ?? null,
				pubsubPatterns: patterns,
				channelNames: (channels ?? []).slice(0, MAX_CHANNEL_NAMES).map(String),
				lastError: null,
				downSince: null,
			};
		} catch (error) {
			let message = errorMessage(error);
			// ioredis rejects with a bare "Connection is closed." and reports the cause (ECONNREFUSED…) as an event.
			if (/connection is closed|stream isn't writeable/i.test(message) && this.#lastError !== null) {
				message = this.#lastError;
			}

			const state: RedisState = /timed? ?out/i.test(message) ? 'not_responding' : 'down';
			return this.#failed(state, message);
		}
	}

	#failed(state: RedisState, message: string): RedisInfo {
		this.#lastError = this.#scrub(message);
		this.#downSince ??= this.#now();
		return {
			url: redactUrl(this.#url),
			state,
			pingMs: null,
			version: null,
			role: null,
			connectedClients: null,
			usedMemoryBytes: null,
			maxMemoryBytes: null,
			opsPerSecond: null,
			pubsubChannels: null,
			pubsubPatterns: null,
			channelNames: [],
			lastError: this.#lastError,
			downSince: this.#downSince,
		};
	}

	#scrub(message: string): string {
		return scrubSecrets(message, this.#secrets);
	}
}

/**
The state in words, with how long it has lasted once that is a second or more: `up`, `down 12 s`, `not responding 3 s`.
*/
export function redisStateText(info: RedisInfo, now: number): string {
	if (info.state === 'up') {
		return 'up';
	}

	const seconds = info.downSince === null ? 0 : (now - info.downSince) / 1000;
	return `${info.state === 'down' ? 'down' : 'not responding'}${seconds >= 1 ? ` ${formatDuration(seconds)}` : ''}`;
}

/**
INFO's `key:value` lines; section headers and blank lines are skipped.
*/
export function parseInfo(text: string): Map<string, string> {
	const fields = new Map<string, string>();
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		if (colon > 0 && !line.startsWith('#')) {
			fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
		}
	}

	return fields;
}

function numberField(fields: Map<string, string>, key: string): number | null {
	const value = Number(fields.get(key));
	return fields.has(key) && Number.isFinite(value) ? value : null;
}
