import {Redis} from 'ioredis';
import {scrubSecrets, urlSecrets} from '../text/redact.js';
import {exactQuantile} from '../logs/quantiles.js';
import {errorMessage} from '../base/errors.js';
import {withDeadline} from '../base/deadline.js';
import {monitorRedisOptions, REDIS_DEADLINE_MS} from './redis.js';

export type ChannelStats = {
	channel: string;
	/** camtop's own SUBSCRIBE is in place on a live connection. */
	subscribed: boolean;
	/** PUBSUB NUMSUB for the channel (includes camtop's own subscription); null when unknown (Redis down, not yet asked). */
	subscribers: number | null;
	/** Messages received since the watcher started. */
	messages: number;
	/** Over the last `windowMs` (over the time subscribed, while that is shorter). */
	messagesPerSecond: number;
	bytesPerSecond: number;
	/** Epoch ms of the last message, null when none since start. */
	lastMessageAt: number | null;
	/** 95th percentile of the gaps between consecutive messages over the last up to 256 gaps, ms; null with fewer than 2 messages. */
	p95GapMs: number | null;
	/** At least 3 messages in a row, each byte-identical to the one before (a camera publishing the same frame). */
	frozen: boolean;
	/** Why not subscribed, credentials scrubbed; null when fine. */
	error: string | null;
};

/** Rates are averaged over this long by default, milliseconds. */
const DEFAULT_WINDOW_MS = 5000;
/** Arrivals kept per channel for the rates: 128 KiB of typed arrays, enough for 1600 messages/s over 5 s. */
const MAX_ARRIVALS = 8192;
/** Gaps kept per channel for the p95. */
const MAX_GAPS = 256;
/** This many byte-identical messages in a row make a channel frozen. */
const FROZEN_RUN = 3;
/** close() waits at most this long for the sockets to close, milliseconds: ioredis destroys a socket after 500 ms. */
const CLOSE_DEADLINE_MS = 1000;

/**
What has arrived on one channel, in bounded memory whatever the publish rate: fixed rings of arrivals and gaps, and
the previous payload only.
*/
class ChannelState {
	/** camtop's SUBSCRIBE to this channel was answered on the current connection. */
	subscribed = false;
	/** Why the SUBSCRIBE on the current connection failed (NOPERM…), scrubbed. */
	subscribeError: string | null = null;
	subscribers: number | null = null;
	lastMessageAt: number | null = null;
	/** Arrival times (epoch ms) and sizes (bytes), a ring: `#next` is where the next one goes. */
	readonly #times = new Float64Array(MAX_ARRIVALS);
	readonly #sizes = new Float64Array(MAX_ARRIVALS);
	#next = 0;
	#count = 0;
	/** Gaps between consecutive messages, ms, a ring. */
	readonly #gaps = new Float64Array(MAX_GAPS);
	#nextGap = 0;
	#gapCount = 0;
	/** Kept only to compare with the next one: a frame can be megabytes, and is never copied or decoded. */
	#previous: Buffer | undefined;
	/** Messages in the current run of byte-identical ones. */
	#run = 0;

	/** When the first subscription took, epoch ms: rates are over the time since then until a window has passed. */
	subscribedAt: number | undefined;

	constructor(readonly name: string) {}

	/** Messages received since start. */
	total = 0;

	record(at: number, payload: Buffer): void {
		this.total++;
		this.#times[this.#next] = at;
		this.#sizes[this.#next] = payload.length;
		this.#next = (this.#next + 1) % MAX_ARRIVALS;
		this.#count = Math.min(this.#count + 1, MAX_ARRIVALS);
		if (this.lastMessageAt !== null) {
			// The wall clock may step back: a negative gap is no information.
			this.#gaps[this.#nextGap] = Math.max(0, at - this.lastMessageAt);
			this.#nextGap = (this.#nextGap + 1) % MAX_GAPS;
			this.#gapCount = Math.min(this.#gapCount + 1, MAX_GAPS);
		}

		this.#run = this.#previous !== undefined && this.#previous.equals(payload) ? this.#run + 1 : 1;
		this.#previous = payload;
		this.lastMessageAt = at;
	}

	/** Messages and bytes per second over the `windowMs` before `now`. */
	rates(now: number, windowMs: number): {messagesPerSecond: number; bytesPerSecond: number} {
		const since = now - windowMs;
		let messages = 0;
		let bytes = 0;
		let oldest = now;
		// Newest first, stopping at the first arrival outside the window.
		for (let offset = 1; offset <= this.#count; offset++) {
			const index = (this.#next - offset + MAX_ARRIVALS) % MAX_ARRIVALS;
			const time = this.#times[index]!;
			if (time <= since) {
				break;
			}

			messages++;
			bytes += this.#sizes[index]!;
			oldest = time;
		}

		// A full ring that is all inside the window has dropped arrivals of this window: rate over the span it still holds.
		const seconds = (messages === MAX_ARRIVALS ? Math.max(now - oldest, 1) : windowMs) / 1000;
		return {messagesPerSecond: messages / seconds, bytesPerSecond: bytes / seconds};
	}

	p95GapMs(): number | null {
		return this.#gapCount === 0 ? null : exactQuantile([...this.#gaps.subarray(0, this.#gapCount)], 0.95);
	}

	get frozen(): boolean {
		return this.#run >= FROZEN_RUN;
	}
}

/**
Watches camera pub/sub channels: subscribes on a connection of its own and measures what arrives (rate, bytes, gaps,
repeated frames), and asks Redis how many subscribe on a second one. Never throws; reasons go into `error`.
*/
export class ChannelWatcher {
	readonly #channels: ChannelState[];
	readonly #byName = new Map<string, ChannelState>();
	readonly #windowMs: number;
	readonly #now: () => number;
	readonly #secrets: string[];
	/** Subscribed connections can run nothing but (un)subscribe and PING in RESP2, hence two. Undefined for an invalid URL. */
	readonly #subscriber: Redis | undefined;
	readonly #querier: Redis | undefined;
	readonly #invalid: string | undefined;
	/** Why the subscriber connection is not ready, scrubbed; null once it is. */
	#connectionError: string | null = null;
	/** Bumped on every ready and close, so a SUBSCRIBE reply from an earlier connection changes nothing. */
	#generation = 0;
	/** Bumped on every refreshSubscribers(), so a late answer never overwrites a newer one. */
	#refreshes = 0;
	#started = false;
	#closed = false;

	constructor(redisUrl: string, channels: readonly string[], {windowMs = DEFAULT_WINDOW_MS, now = Date.now}: {windowMs?: number; now?: () => number} = {}) {
		this.#windowMs = windowMs;
		this.#now = now;
		this.#secrets = urlSecrets(redisUrl);
		for (const name of channels) {
			if (!this.#byName.has(name)) {
				this.#byName.set(name, new ChannelState(name));
			}
		}

		this.#channels = [...this.#byName.values()];
		// The config checked the URL already; ioredis parses it again, and must not take the process down if it disagrees.
		let subscriber: Redis | undefined;
		let querier: Redis | undefined;
		try {
			// SUBSCRIBE is sent by #subscribeAll on every 'ready', where its reply can be watched: ioredis' own resubscribe
			// is fire-and-forget and would send a second SUBSCRIBE, and resending commands from a dead connection would too.
			subscriber = new Redis(redisUrl, {...monitorRedisOptions(), autoResubscribe: false, autoResendUnfulfilledCommands: false});
			querier = new Redis(redisUrl, monitorRedisOptions());
		} catch (error) {
			subscriber?.disconnect();
			subscriber = undefined;
			this.#invalid = this.#scrub(`invalid Redis URL: ${errorMessage(error)}`);
		}

		this.#subscriber = subscriber;
		this.#querier = querier;
		subscriber?.on('error', (error: unknown) => {
			this.#connectionError = this.#scrub(errorMessage(error));
		});
		subscriber?.on('ready', () => {
			if (!this.#closed) {
				this.#subscribeAll();
			}
		});
		subscriber?.on('close', () => {
			this.#generation++;
			for (const channel of this.#channels) {
				channel.subscribed = false;
			}

			// Redis going away cleanly emits no error; keep the cause when there was one (ECONNREFUSED, WRONGPASS…).
			this.#connectionError ??= 'connection closed';
		});
		subscriber?.on('messageBuffer', (channel: Buffer, message: Buffer) => {
			this.#byName.get(channel.toString())?.record(this.#now(), message);
		});
		// Without a listener ioredis prints every connection error to the console; the querier's failures show as null counts.
		querier?.on('error', () => undefined);
	}

	/** Connects and subscribes; keeps reconnecting (and resubscribing) while Redis is down. Never throws. */
	start(): void {
		if (this.#started || this.#closed || this.#subscriber === undefined || this.#channels.length === 0) {
			return;
		}

		this.#started = true;
		// A refused first attempt rejects here, and ioredis retries on its own (retryStrategy): nothing to do with it.
		this.#subscriber.connect().catch(() => undefined);
	}

	/** Asks PUBSUB NUMSUB on a second, ordinary connection, bounded by a 1 s deadline (Redis frozen must not hang it). Never throws. */
	async refreshSubscribers(): Promise<void> {
		if (this.#querier === undefined || this.#closed || this.#channels.length === 0) {
			return;
		}

		const refresh = ++this.#refreshes;
		const counts = await withDeadline(this.#numsub(this.#querier), REDIS_DEADLINE_MS, () => undefined);
		if (refresh !== this.#refreshes) {
			return;
		}

		for (const [index, channel] of this.#channels.entries()) {
			channel.subscribers = counts?.[index] ?? null;
		}
	}

	stats(): ChannelStats[] {
		const now = this.#now();
		const ready = this.#subscriber?.status === 'ready';
		return this.#channels.map(channel => {
			const subscribed = ready && channel.subscribed && !this.#closed;
			return {
				channel: channel.name,
				subscribed,
				subscribers: channel.subscribers,
				messages: channel.total,
				// Over the time subscribed while that is shorter than the window: 1 s of 30 msg/s is 30 msg/s, not 6.
				...channel.rates(now, Math.max(1, Math.min(this.#windowMs, now - (channel.subscribedAt ?? now)))),
				lastMessageAt: channel.lastMessageAt,
				p95GapMs: channel.p95GapMs(),
				frozen: channel.frozen,
				error: subscribed ? null : this.#whyNot(channel, ready),
			};
		});
	}

	/**
	Ends both connections at once, without waiting on a frozen server for more than ioredis' 500 ms disconnect timeout.
	Closed while Redis is down, ioredis still arms that timeout for the dead socket: a no-op timer, gone within 500 ms.
	*/
	async close(): Promise<void> {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		// Disconnecting an ended client would arm ioredis' disconnect timer again, for a socket long gone.
		const clients = [this.#subscriber, this.#querier].filter((client): client is Redis => client !== undefined && client.status !== 'end');
		// Only a client with a socket open or opening emits 'end'; one waiting to reconnect just has its timer cleared.
		const ended = clients.filter(client => ['connecting', 'connect', 'ready'].includes(client.status)).map(async client => new Promise(resolve => {
			client.once('end', resolve);
		}));
		for (const client of clients) {
			client.disconnect();
		}

		await withDeadline(Promise.all(ended), CLOSE_DEADLINE_MS, () => []);
	}

	#subscribeAll(): void {
		const subscriber = this.#subscriber!;
		const generation = ++this.#generation;
		this.#connectionError = null;
		// One SUBSCRIBE per channel: a channel the ACL refuses (NOPERM) must not keep the others from being watched.
		for (const channel of this.#channels) {
			channel.subscribeError = null;
			subscriber.subscribe(channel.name).then(() => {
				if (generation === this.#generation) {
					channel.subscribed = true;
					channel.subscribedAt ??= this.#now();
				}
			}, (error: unknown) => {
				if (generation !== this.#generation) {
					return;
				}

				const message = this.#scrub(errorMessage(error));
				const timedOut = /timed out/i.test(message);
				channel.subscribeError = timedOut ? `no reply to SUBSCRIBE: ${message}` : message;
				// A timed-out SUBSCRIBE (Redis frozen) may still take effect later, unseen: start over on a fresh connection.
				if (timedOut && subscriber.status === 'ready') {
					this.#generation++;
					this.#connectionError = channel.subscribeError;
					subscriber.disconnect(true);
				}
			});
		}
	}

	#whyNot(channel: ChannelState, ready: boolean): string {
		if (this.#invalid !== undefined) {
			return this.#invalid;
		}

		if (this.#closed) {
			return 'closed';
		}

		if (!this.#started) {
			return 'not started';
		}

		if (ready) {
			return channel.subscribeError ?? 'waiting for the SUBSCRIBE reply';
		}

		return this.#connectionError ?? 'connecting';
	}

	/** Subscriber counts in the order of #channels, null for any Redis did not answer with a number; undefined on failure. */
	async #numsub(querier: Redis): Promise<Array<number | null> | undefined> {
		try {
			if (querier.status === 'wait' || querier.status === 'end') {
				await querier.connect();
			}

			// The reply alternates channel and count, in the order asked.
			const reply = await querier.call('PUBSUB', 'NUMSUB', ...this.#channels.map(channel => channel.name)) as unknown[];
			return this.#channels.map((_, index) => {
				const count = Number(reply[(index * 2) + 1]);
				return Number.isInteger(count) ? count : null;
			});
		} catch {
			return undefined;
		}
	}

	#scrub(message: string): string {
		return scrubSecrets(message, this.#secrets);
	}
}
