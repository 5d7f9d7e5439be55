import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {Redis} from 'ioredis';
import {parseInfo, RedisCollector, REDIS_DEADLINE_MS} from '../../source/collectors/redis.js';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {freePort} from '../helpers/free-port.js';
import {waitFor} from '../helpers/wait-for.js';

const PASSWORD = 'pa55-w0rd/with:odd@chars';

describe('parseInfo', () => {
	it('reads key:value lines and skips section headers', () => {
		const info = parseInfo('# Server\r\nredis_version:7.0.15\r\nrole:master\r\n\r\n# Clients\r\nconnected_clients:3\r\n');
		expect(Object.fromEntries(info)).toEqual({redis_version: '7.0.15', role: 'master', connected_clients: '3'});
	});
});

describe('RedisCollector against a real redis-server', () => {
	let server: RedisServer;
	let collector: RedisCollector;
	let subscriber: Redis;

	beforeAll(async () => {
		server = await startRedis({password: PASSWORD});
		collector = new RedisCollector(server.url);
		subscriber = new Redis(server.url);
		await subscriber.subscribe('camera:1');
		await subscriber.psubscribe('camera:*');
	});

	afterAll(async () => {
		subscriber.disconnect();
		await collector.close();
		await server.stop();
	});

	it('reports up with PING latency, version, role, clients, memory, ops/s and pub/sub', async () => {
		const info = await collector.collect();
		expect(info).toMatchObject({
			state: 'up', role: 'master', lastError: null, downSince: null, pubsubChannels: 1, pubsubPatterns: 1, channelNames: ['camera:1'],
		});
		expect(info.version).toMatch(/^\d+\.\d+/);
		expect(info.pingMs).toBeGreaterThan(0);
		expect(info.connectedClients).toBeGreaterThanOrEqual(2);
		expect(info.usedMemoryBytes).toBeGreaterThan(0);
		expect(info.maxMemoryBytes).toBe(0);
		expect(info.opsPerSecond).toBeGreaterThanOrEqual(0);
	});

	it('never shows the password of the URL', async () => {
		const info = await collector.collect();
		expect(info.url).toBe(`redis://:***@127.0.0.1:${server.port}`);
		expect(JSON.stringify(info)).not.toContain(PASSWORD);
		expect(JSON.stringify(info)).not.toContain(encodeURIComponent(PASSWORD));
	});

	it('says up for a user allowed only PING, leaving what it may not read empty', async () => {
		const admin = new Redis(server.url);
		await admin.call('ACL', 'SETUSER', 'pinger', 'on', '>ping-only-pass', '+ping');
		admin.disconnect();
		const limited = new RedisCollector(`redis://pinger:ping-only-pass@127.0.0.1:${server.port}`);
		try {
			const info = await limited.collect();
			expect(info).toMatchObject({
				state: 'up', version: null, pubsubChannels: null, pubsubPatterns: null, lastError: null,
			});
			expect(info.pingMs).toBeGreaterThan(0);
		} finally {
			await limited.close();
		}
	});

	it('says not responding, within its deadline, while the server is frozen, and up again after', async () => {
		server.freeze();
		try {
			const started = performance.now();
			const info = await collector.collect();
			const elapsed = performance.now() - started;
			expect(info.state).toBe('not_responding');
			expect(info.pingMs).toBeNull();
			expect(info.downSince).not.toBeNull();
			// Not a speed test: the deadline is what makes collect() return at all while Redis is frozen.
			expect(elapsed).toBeLessThan(REDIS_DEADLINE_MS * 4);
		} finally {
			server.thaw();
		}

		await waitFor(async () => (await collector.collect()).state === 'up', 'redis to answer again');
	});
});

describe('RedisCollector without a server', () => {
	it('says down, with the cause, when nothing listens on the port', async () => {
		const port = await freePort();
		const collector = new RedisCollector(`redis://:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`);
		try {
			const info = await collector.collect();
			expect(info.state).toBe('down');
			expect(info.lastError).toContain('ECONNREFUSED');
			expect(JSON.stringify(info)).not.toContain(PASSWORD);
			// Nothing queues while it is down: a second call fails as fast.
			expect((await collector.collect()).state).toBe('down');
		} finally {
			await collector.close();
		}
	});

	it('says down, and since when, after the server it watched stops', async () => {
		const server = await startRedis();
		const collector = new RedisCollector(server.url);
		try {
			expect((await collector.collect()).state).toBe('up');
			await server.stop();
			const down = await waitFor(async () => {
				const info = await collector.collect();
				return info.state === 'down' ? info : undefined;
			}, 'redis to be seen down');
			expect(down.downSince).toBeLessThanOrEqual(Date.now());
		} finally {
			await collector.close();
		}
	});

	it('scrubs the password from an authentication error', async () => {
		const server = await startRedis({password: PASSWORD});
		const collector = new RedisCollector(`redis://:${encodeURIComponent(`wrong-${PASSWORD}`)}@127.0.0.1:${server.port}`);
		try {
			const info = await collector.collect();
			expect(info.state).toBe('down');
			expect(info.lastError).toMatch(/wrongpass|noauth|invalid/i);
			expect(JSON.stringify(info)).not.toContain(PASSWORD);
		} finally {
			await collector.close();
			await server.stop();
		}
	});
});
