import {
	afterAll, afterEach, beforeAll, describe, expect, it,
} from 'vitest';
import {Redis} from 'ioredis';
import {ChannelWatcher, type ChannelStats} from '../../source/collectors/camera-channels.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {freePort} from '../helpers/free-port.js';
import {waitFor} from '../helpers/wait-for.js';

/** Rates over 1 s keep the tests short; camtop uses 5 s. */
const WINDOW_MS = 1000;
const FRAME_BYTES = 20_000;
const PASSWORD = 'pa55-w0rd/with:odd@chars';

/** A fake JPEG: binary (0xFF 0xD8 is no UTF-8), the same size each time, different content for each `sequence`. */
function frame(sequence: number): Buffer {
	const payload = Buffer.alloc(FRAME_BYTES, 0xAB);
	payload[0] = 0xFF;
	payload[1] = 0xD8;
	payload.writeUInt32BE(sequence, 2);
	return payload;
}

/** A camera publishing at `perSecond` until stopped; `same` publishes one frame again and again. */
function startPublisher(client: Redis, channel: string, perSecond: number, {same = false} = {}) {
	let sequence = 0;
	const timer = setInterval(() => {
		sequence++;
		client.publish(channel, frame(same ? 0 : sequence)).catch(() => undefined);
	}, 1000 / perSecond);
	return {
		get published() {
			return sequence;
		},
		stop() {
			clearInterval(timer);
		},
	};
}

function statsOf(watcher: ChannelWatcher, channel: string): ChannelStats {
	return watcher.stats().find(stats => stats.channel === channel)!;
}

describe('ChannelWatcher against a real redis-server and publisher', () => {
	let server: RedisServer;
	let publisher: Redis;
	const cleanups: Array<() => unknown> = [];

	beforeAll(async () => {
		server = await startRedis();
		publisher = new Redis(server.url);
	});

	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) {
			await cleanup();
		}
	});

	afterAll(async () => {
		publisher.disconnect();
		await server.stop();
	});

	function watch(channels: string[], given?: {windowMs?: number; now?: () => number}, url = server.url): ChannelWatcher {
		const watcher = new ChannelWatcher(url, channels, given ?? {windowMs: WINDOW_MS});
		cleanups.push(async () => watcher.close());
		return watcher;
	}

	it('measures a camera at 30 frames/s: rate, bytes, gaps, subscribers, and sees it pause', async () => {
		const watcher = watch(['camera:live', 'camera:silent']);
		watcher.start();
		await waitFor(() => watcher.stats().every(stats => stats.subscribed), 'the SUBSCRIBEs to be answered');
		const camera = startPublisher(publisher, 'camera:live', 30);
		cleanups.push(() => {
			camera.stop();
		});
		// Two windows of frames: the first window's rate is complete.
		await waitFor(() => camera.published >= 60, '2 s of frames');

		const live = statsOf(watcher, 'camera:live');
		expect(live).toMatchObject({
			subscribed: true, frozen: false, error: null, subscribers: null,
		});
		expect(live.messagesPerSecond).toBeGreaterThanOrEqual(22);
		expect(live.messagesPerSecond).toBeLessThanOrEqual(38);
		// Every frame has the same size, so bytes/s is frames/s times that size.
		expect(live.bytesPerSecond / live.messagesPerSecond).toBeCloseTo(FRAME_BYTES, 6);
		// 33 ms apart on a quiet machine; timers on a busy one slip.
		expect(live.p95GapMs).toBeGreaterThanOrEqual(20);
		expect(live.p95GapMs).toBeLessThanOrEqual(120);
		expect(Date.now() - live.lastMessageAt!).toBeLessThan(1000);
		expect(statsOf(watcher, 'camera:silent')).toEqual({
			channel: 'camera:silent', subscribed: true, subscribers: null, messages: 0, messagesPerSecond: 0, bytesPerSecond: 0, lastMessageAt: null, p95GapMs: null, frozen: false, error: null,
		});

		await watcher.refreshSubscribers();
		expect(watcher.stats().map(stats => [stats.channel, stats.subscribers])).toEqual([['camera:live', 1], ['camera:silent', 1]]);
		const viewer = new Redis(server.url);
		cleanups.push(() => {
			viewer.disconnect();
		});
		await viewer.subscribe('camera:live');
		await watcher.refreshSubscribers();
		expect(watcher.stats().map(stats => [stats.channel, stats.subscribers])).toEqual([['camera:live', 2], ['camera:silent', 1]]);

		camera.stop();
		// No frame in the last window: the rates fall to 0, and the last frame is older than the window.
		const paused = await waitFor(() => {
			const stats = statsOf(watcher, 'camera:live');
			return stats.messagesPerSecond === 0 ? stats : undefined;
		}, 'the rate to fall to 0');
		expect(paused.bytesPerSecond).toBe(0);
		expect(paused.subscribed).toBe(true);
		expect(Date.now() - paused.lastMessageAt!).toBeGreaterThanOrEqual(WINDOW_MS);
		expect(statsOf(watcher, 'camera:live').lastMessageAt).toBe(paused.lastMessageAt);
	});

	it('says frozen after 3 byte-identical frames in a row, and not after a changed one', async () => {
		const watcher = watch(['camera:stuck']);
		watcher.start();
		await waitFor(() => statsOf(watcher, 'camera:stuck').subscribed, 'the SUBSCRIBE to be answered');
		const arrived = async (count: number) => waitFor(() => {
			const stats = statsOf(watcher, 'camera:stuck');
			return stats.messages === count ? stats : undefined;
		}, `${count} frames to arrive`);

		await publisher.publish('camera:stuck', frame(1));
		await publisher.publish('camera:stuck', frame(2));
		await publisher.publish('camera:stuck', frame(2));
		expect((await arrived(3)).frozen).toBe(false);
		await publisher.publish('camera:stuck', frame(2));
		expect((await arrived(4)).frozen).toBe(true);
		await publisher.publish('camera:stuck', frame(3));
		expect((await arrived(5)).frozen).toBe(false);
	});

	it('says frozen for a camera publishing the same frame at 30 frames/s, and not once it changes again', async () => {
		const watcher = watch(['camera:same']);
		watcher.start();
		await waitFor(() => statsOf(watcher, 'camera:same').subscribed, 'the SUBSCRIBE to be answered');
		const stuck = startPublisher(publisher, 'camera:same', 30, {same: true});
		cleanups.push(() => {
			stuck.stop();
		});
		const frozen = await waitFor(() => {
			const stats = statsOf(watcher, 'camera:same');
			return stats.frozen ? stats : undefined;
		}, 'frozen');
		expect(frozen.messagesPerSecond).toBeGreaterThan(0);
		stuck.stop();
		const moving = startPublisher(publisher, 'camera:same', 30);
		cleanups.push(() => {
			moving.stop();
		});
		await waitFor(() => !statsOf(watcher, 'camera:same').frozen, 'not frozen');
	});

	it('computes rates over the window and the p95 of the gaps on its clock', async () => {
		let clock = 1_000_000;
		const watcher = watch(['camera:clock'], {windowMs: 1000, now: () => clock});
		watcher.start();
		await waitFor(() => statsOf(watcher, 'camera:clock').subscribed, 'the SUBSCRIBE to be answered');
		// Gaps of 10, 20, … 200 ms: p95 by linear interpolation is 190 + 0.05 × 10 = 190.5 ms.
		for (let gap = 0; gap <= 200; gap += 10) {
			clock += gap;
			const sentAt = clock;
			await publisher.publish('camera:clock', Buffer.alloc(gap + 1));
			await waitFor(() => statsOf(watcher, 'camera:clock').lastMessageAt === sentAt, `the frame at ${sentAt}`);
		}

		const stats = statsOf(watcher, 'camera:clock');
		expect(stats.p95GapMs).toBeCloseTo(190.5, 6);
		// Within the last 1000 ms: the newest frame and those 200, 390, 570, 740 and 900 ms before it; the next is 1050 ms old.
		expect(stats.messagesPerSecond).toBe(6);
		expect(stats.bytesPerSecond).toBe(201 + 191 + 181 + 171 + 161 + 151);
		clock += 1000;
		expect(statsOf(watcher, 'camera:clock')).toMatchObject({messagesPerSecond: 0, bytesPerSecond: 0, lastMessageAt: clock - 1000});
	});

	it('answers refreshSubscribers within its deadline while Redis is frozen, and closes at once', async () => {
		const watcher = watch(['camera:frozen-redis']);
		watcher.start();
		await waitFor(() => statsOf(watcher, 'camera:frozen-redis').subscribed, 'the SUBSCRIBE to be answered');
		await watcher.refreshSubscribers();
		expect(statsOf(watcher, 'camera:frozen-redis').subscribers).toBe(1);
		// Its second connection is first opened to the frozen server: the kernel accepts it, the handshake hangs.
		const late = watch(['camera:frozen-redis']);
		server.freeze();
		try {
			let started = performance.now();
			await watcher.refreshSubscribers();
			// Not a speed test: the 1 s deadline is what makes it return at all; a busy machine adds its share.
			expect(performance.now() - started).toBeLessThan(2000);
			expect(statsOf(watcher, 'camera:frozen-redis').subscribers).toBeNull();
			started = performance.now();
			await late.refreshSubscribers();
			// Handshake then NUMSUB, each bounded by ioredis' 1 s command timeout, would take 2 s without the deadline.
			expect(performance.now() - started).toBeLessThan(1800);
			expect(statsOf(late, 'camera:frozen-redis').subscribers).toBeNull();
			started = performance.now();
			await watcher.close();
			expect(performance.now() - started).toBeLessThan(2000);
			expect(statsOf(watcher, 'camera:frozen-redis')).toMatchObject({subscribed: false, error: 'closed'});
		} finally {
			server.thaw();
		}

		await waitFor(async () => (await publisher.ping()) === 'PONG', 'redis to answer again');
	});

	it('subscribes once a Redis that was frozen when it connected answers again', async () => {
		const watcher = watch(['camera:thawed']);
		server.freeze();
		try {
			watcher.start();
			// The SUBSCRIBE times out unanswered; it could still take effect later, unseen, so the watcher starts over.
			const waiting = await waitFor(() => {
				const stats = statsOf(watcher, 'camera:thawed');
				return stats.error?.includes('timed out') ? stats : undefined;
			}, 'the unanswered SUBSCRIBE to be reported');
			expect(waiting).toMatchObject({subscribed: false, error: expect.stringContaining('no reply to SUBSCRIBE') as unknown});
		} finally {
			server.thaw();
		}

		await waitFor(() => statsOf(watcher, 'camera:thawed').subscribed, 'the SUBSCRIBE to be answered');
		await publisher.publish('camera:thawed', frame(1));
		await waitFor(() => statsOf(watcher, 'camera:thawed').lastMessageAt !== null, 'a frame');
	});

	it('ends both connections on close, and leaves no timer behind', async () => {
		const timers = () => process.getActiveResourcesInfo().filter(resource => resource === 'Timeout').length;
		const before = timers();
		const watcher = watch(['camera:closing']);
		watcher.start();
		await waitFor(() => statsOf(watcher, 'camera:closing').subscribed, 'the SUBSCRIBE to be answered');
		await watcher.refreshSubscribers();
		// The watcher's two connections, by the last command each ran.
		const clients = async () => (await publisher.call('CLIENT', 'LIST') as string).split('\n').filter(line => /cmd=(?:subscribe|pubsub\|numsub) /.test(line)).length;
		expect(await clients()).toBe(2);
		await watcher.close();
		// Right as close() resolves: no reconnect timer, no command timeout, no socket waiting to be destroyed.
		expect(timers()).toBeLessThanOrEqual(before);
		await waitFor(async () => (await clients()) === 0, 'both connections to end');
		await watcher.refreshSubscribers();
		expect(statsOf(watcher, 'camera:closing')).toMatchObject({subscribed: false, error: 'closed'});
	});
});

describe('ChannelWatcher when Redis goes away', () => {
	it('says why while Redis is down, and resubscribes and counts again once it is back on the same port', async () => {
		let server = await startRedis();
		const watcher = new ChannelWatcher(server.url, ['camera:restart'], {windowMs: WINDOW_MS});
		let publisher = new Redis(server.url);
		try {
			watcher.start();
			await waitFor(() => statsOf(watcher, 'camera:restart').subscribed, 'the SUBSCRIBE to be answered');
			await publisher.publish('camera:restart', frame(1));
			await waitFor(() => statsOf(watcher, 'camera:restart').lastMessageAt !== null, 'the first frame');

			publisher.disconnect();
			await server.stop();
			const down = await waitFor(() => {
				const stats = statsOf(watcher, 'camera:restart');
				return stats.error?.includes('ECONNREFUSED') ? stats : undefined;
			}, 'the refused reconnection to be reported');
			expect(down.subscribed).toBe(false);
			await watcher.refreshSubscribers();
			expect(statsOf(watcher, 'camera:restart').subscribers).toBeNull();

			server = await startRedis({port: server.port});
			publisher = new Redis(server.url);
			await waitFor(() => statsOf(watcher, 'camera:restart').subscribed, 'the SUBSCRIBE to be sent again and answered');
			expect(statsOf(watcher, 'camera:restart').error).toBeNull();
			const restartedAt = Date.now();
			await publisher.publish('camera:restart', frame(2));
			await waitFor(() => statsOf(watcher, 'camera:restart').lastMessageAt! >= restartedAt, 'a frame after the restart');
			await watcher.refreshSubscribers();
			expect(statsOf(watcher, 'camera:restart').subscribers).toBe(1);
		} finally {
			publisher.disconnect();
			await watcher.close();
			await server.stop();
		}
	});

	it('stops reconnecting once closed while Redis is down', async () => {
		const timers = () => process.getActiveResourcesInfo().filter(resource => resource === 'Timeout').length;
		const before = timers();
		const watcher = new ChannelWatcher(`redis://127.0.0.1:${await freePort()}`, ['camera:unreachable']);
		watcher.start();
		await waitFor(() => statsOf(watcher, 'camera:unreachable').error?.includes('ECONNREFUSED'), 'the refused connection to be reported');
		await watcher.refreshSubscribers();
		expect(statsOf(watcher, 'camera:unreachable')).toMatchObject({subscribed: false, subscribers: null});
		await watcher.close();
		// ioredis leaves its 500 ms disconnect timer for each dead socket; a reconnect timer would come back forever.
		await waitFor(() => timers() <= before, 'the timers to be gone', 3000);
	});

	it('reports a wrong password without ever showing it', async () => {
		const server = await startRedis({password: PASSWORD});
		const wrong = `wrong-${PASSWORD}`;
		const watcher = new ChannelWatcher(`redis://:${encodeURIComponent(wrong)}@127.0.0.1:${server.port}`, ['camera:auth']);
		try {
			watcher.start();
			const refused = await waitFor(() => {
				const stats = statsOf(watcher, 'camera:auth');
				return stats.error !== null && /wrongpass|noauth|invalid/i.test(stats.error) ? stats : undefined;
			}, 'the authentication error');
			expect(refused.subscribed).toBe(false);
			await watcher.refreshSubscribers();
			const text = JSON.stringify(watcher.stats());
			expect(text).not.toContain(wrong);
			expect(text).not.toContain(encodeURIComponent(wrong));
			expect(text).not.toContain(PASSWORD);
		} finally {
			await watcher.close();
			await server.stop();
		}
	});

	it('takes an invalid URL without throwing, and says so', async () => {
		const watcher = new ChannelWatcher('redis://:se%zzcret@127.0.0.1:99999', ['camera:nowhere']);
		watcher.start();
		await watcher.refreshSubscribers();
		const [stats] = watcher.stats();
		expect(stats).toMatchObject({channel: 'camera:nowhere', subscribed: false, subscribers: null});
		expect(stats!.error).toMatch(/^invalid Redis URL/);
		expect(stats!.error).not.toContain('se%zzcret');
		await watcher.close();
	});

	it('says not started before start()', async () => {
		const watcher = new ChannelWatcher('redis://127.0.0.1:1', ['camera:idle']);
		expect(watcher.stats()).toMatchObject([{subscribed: false, error: 'not started'}]);
		await watcher.close();
	});
});
