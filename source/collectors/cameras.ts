import type {CameraConfig} from '../config/types.js';
import type {RecentEvents, ServiceState} from '../feeds/event-feed.js';
import {redactUrl} from '../text/redact.js';
import {ok, type Result} from '../base/result.js';
import {ChannelWatcher, type ChannelStats} from './camera-channels.js';
import {probeCamera, type ProbeOptions, type ProbeResult} from './camera-probe.js';
import {cameraState, type CameraState} from './camera-state.js';

/** Each camera's URL is probed this often, ms. An MJPEG probe reads the stream for 2 s of each. */
export const PROBE_INTERVAL_MS = 5000;

export type CameraStatus = {
	name: string;
	/** Credentials replaced by `***`; null without a URL. */
	url: string | null;
	channel: string | null;
	state: CameraState;
	/** Why it is not LIVE (or on what evidence it is); null when nothing needs saying. */
	reason: string | null;
	/** The three sources, side by side. */
	event: ServiceState | null;
	probe: ProbeResult | null;
	stream: ChannelStats | null;
};

export type CameraCollectorOptions = {
	probeIntervalMs?: number;
	probe?: ProbeOptions;
	/** The window the channel rates are measured over, ms. */
	windowMs?: number;
	now?: () => number;
};

/**
The cameras, watched three ways: their CONNECTION records (handed in from the main log's feed), a probe of each URL
every PROBE_INTERVAL_MS in the background, and a subscription to each channel. Keep one for the life of a view.
Without configured cameras, every CONNECTION service but Redis is a camera, known by its records only.
*/
export class CameraCollector {
	readonly #cameras: readonly CameraConfig[];
	readonly #options: CameraCollectorOptions;
	readonly #now: () => number;
	readonly #probes = new Map<string, ProbeResult>();
	readonly #channels: ChannelWatcher | undefined;
	readonly #timers: NodeJS.Timeout[] = [];
	readonly #running = new Set<string>();
	#since: number;
	/** Set for a one-shot report (sample()): how long it listened, ms. */
	#sampleMs: number | undefined;
	#closed = false;

	constructor(cameras: readonly CameraConfig[], redisUrl: string, options: CameraCollectorOptions = {}) {
		this.#cameras = cameras;
		this.#options = options;
		this.#now = options.now ?? Date.now;
		this.#since = this.#now();
		const channels = cameras.flatMap(camera => camera.channel === undefined ? [] : [camera.channel]);
		this.#channels = channels.length === 0 ? undefined : new ChannelWatcher(redisUrl, channels, {windowMs: options.windowMs, now: this.#now});
	}

	/** Starts the probes and the subscriptions; each probe runs at once, then every interval, never two at a time. */
	start(): void {
		this.#since = this.#now();
		this.#channels?.start();
		const interval = this.#options.probeIntervalMs ?? PROBE_INTERVAL_MS;
		for (const camera of this.#cameras) {
			if (camera.url !== undefined) {
				void this.#probe(camera);
				this.#timers.push(setInterval(() => {
					void this.#probe(camera);
				}, interval));
			}
		}

		if (this.#channels !== undefined) {
			void this.#channels.refreshSubscribers();
			this.#timers.push(setInterval(() => {
				void this.#channels?.refreshSubscribers();
			}, interval));
		}
	}

	/**
	Once, for a one-shot report: every probe, `sampleMs` of listening to the channels and their subscriber counts, all
	at the same time; then statuses() tells them.
	*/
	async sample(sampleMs: number): Promise<void> {
		this.#since = this.#now();
		this.#sampleMs = sampleMs;
		const channels = this.#channels;
		channels?.start();
		const sleep = async (ms: number) => new Promise(resolve => {
			setTimeout(resolve, ms);
		});
		await Promise.all([
			...this.#cameras.map(async camera => this.#probe(camera)),
			channels === undefined ? undefined : sleep(sampleMs),
			// Asked once the subscription has had time to take, so that camtop's own counts.
			channels === undefined ? undefined : sleep(Math.min(1000, sampleMs)).then(async () => channels.refreshSubscribers()),
		]);
	}

	/**
	One row per camera, given the main log's feed: configured cameras are probed whatever the log says; without config
	the log is all there is, and why it cannot be read is the answer.
	*/
	rows(recent: Result<RecentEvents>): Result<CameraStatus[]> {
		if (!recent.ok && this.#cameras.length === 0) {
			return recent;
		}

		return ok(this.statuses(recent.ok ? recent.data : undefined));
	}

	statuses(events: RecentEvents | undefined): CameraStatus[] {
		const now = this.#now();
		const services = events?.services ?? [];
		const cameras: CameraConfig[] = this.#cameras.length > 0
			? [...this.#cameras]
			: services.filter(service => service.service !== 'redis').map(service => ({name: service.service}));
		const streams = new Map((this.#channels?.stats() ?? []).map(stats => [stats.channel, stats]));
		return cameras.map(camera => {
			const evidence = {
				event: services.find(service => service.service === camera.name),
				probe: this.#probes.get(camera.name),
				channel: camera.channel === undefined ? undefined : streams.get(camera.channel),
			};
			return {
				name: camera.name,
				url: camera.url === undefined ? null : redactUrl(camera.url, {hideUser: true}),
				channel: camera.channel ?? null,
				...cameraState(camera, evidence, now, this.#since, this.#sampleMs),
				event: evidence.event ?? null,
				probe: evidence.probe ?? null,
				stream: evidence.channel ?? null,
			};
		});
	}

	async close(): Promise<void> {
		this.#closed = true;
		for (const timer of this.#timers) {
			clearInterval(timer);
		}

		await this.#channels?.close();
	}

	async #probe(camera: CameraConfig): Promise<void> {
		if (camera.url === undefined || this.#running.has(camera.name) || this.#closed) {
			return;
		}

		this.#running.add(camera.name);
		try {
			this.#probes.set(camera.name, await probeCamera(camera.url, this.#options.probe));
		} finally {
			this.#running.delete(camera.name);
		}
	}
}
