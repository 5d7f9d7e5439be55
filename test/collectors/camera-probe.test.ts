import {once} from 'node:events';
import http from 'node:http';
import net from 'node:net';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {probeCamera, type ProbeResult} from '../../source/collectors/camera-probe.js';
import {freePort} from '../helpers/free-port.js';
import {startMjpegCamera, startRtspListener, type FfmpegPeer} from '../helpers/mjpeg-camera.js';
import {waitFor} from '../helpers/wait-for.js';

/** Small deadlines keep the file fast, ms. */
const TIMEOUT_MS = 500;
const SAMPLE_MS = 500;
/** Room for a loaded machine on every bound on elapsed time, ms: these are upper bounds, not speed tests. */
const SLACK_MS = 1000;
const SECRET = 's3cret';

type Peer = {port: number; server: net.Server; close: () => Promise<void>};

/** A server of ours on a free loopback port; close() also ends the connections it still holds. */
async function serve(server: net.Server): Promise<Peer> {
	const sockets = new Set<net.Socket>();
	server.on('connection', (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => {
			sockets.delete(socket);
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return {
		port: (server.address() as net.AddressInfo).port,
		server,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}

/** Resolves once the server holds no connection: the probe closed its socket, it did not leave it to a timer. */
async function allClosed(server: net.Server): Promise<void> {
	await waitFor(async () => new Promise<boolean>((resolve, reject) => {
		server.getConnections((error, count) => {
			if (error) {
				reject(error);
			} else {
				resolve(count === 0);
			}
		});
	}), 'the probe to close its connection', 2000);
}

async function timed(url: string, options?: Parameters<typeof probeCamera>[1]): Promise<{result: ProbeResult; ms: number}> {
	const started = performance.now();
	const result = await probeCamera(url, options);
	return {result, ms: performance.now() - started};
}

function expectNoCredentials(result: ProbeResult): void {
	const text = JSON.stringify(result);
	expect(text).not.toContain(SECRET);
	expect(text).not.toContain('user:');
}

describe('probeCamera against real ffmpeg MJPEG cameras', () => {
	let moving: FfmpegPeer;
	let declared: FfmpegPeer;
	let frozen: FfmpegPeer;

	beforeAll(async () => {
		[moving, declared, frozen] = await Promise.all([
			// The brief's command as is: ffmpeg 5.1 sends it as application/octet-stream, and the probe must see MJPEG anyway.
			startMjpegCamera(),
			startMjpegCamera({contentType: 'multipart/x-mixed-replace;boundary=ffmpeg'}),
			startMjpegCamera({frozen: true}),
		]);
	});

	afterAll(async () => {
		await Promise.all([moving?.stop(), declared?.stop(), frozen?.stop()]);
	});

	it('counts about 10 frames/s from the test pattern, not frozen, though ffmpeg calls it application/octet-stream', async () => {
		const result = await probeCamera(moving.url);
		expect(result, moving.output()).toMatchObject({
			kind: 'mjpeg', ok: true, error: null, status: 200, frozen: false,
		});
		expect(result.fps).toBeGreaterThanOrEqual(7);
		expect(result.fps).toBeLessThanOrEqual(13);
		expect(result.frames).toBeGreaterThanOrEqual(10);
		expect(result.bytes).toBeGreaterThan(0);
		expect(result.latencyMs).toBeGreaterThan(0);
		expect(result.at).toBeLessThanOrEqual(Date.now());
	});

	it('takes the boundary from a multipart/x-mixed-replace Content-Type', async () => {
		const result = await probeCamera(declared.url);
		expect(result, declared.output()).toMatchObject({
			kind: 'mjpeg', ok: true, status: 200, frozen: false,
		});
		expect(result.fps).toBeGreaterThanOrEqual(7);
		expect(result.fps).toBeLessThanOrEqual(13);
	});

	it('says frozen when every frame is byte-identical, and still counts them', async () => {
		const result = await probeCamera(frozen.url);
		expect(result, frozen.output()).toMatchObject({kind: 'mjpeg', ok: true, frozen: true});
		expect(result.frames).toBeGreaterThanOrEqual(3);
		expect(result.fps).toBeGreaterThanOrEqual(7);
		expect(result.fps).toBeLessThanOrEqual(13);
	});

	it('fails at once with a connect error after the camera is killed', async () => {
		const camera = await startMjpegCamera();
		try {
			expect((await probeCamera(camera.url, {sampleMs: SAMPLE_MS})).ok, camera.output()).toBe(true);
		} finally {
			await camera.stop();
		}

		// The default 3 s timeout: a refused connection must not wait for it.
		const {result, ms} = await timed(camera.url);
		expect(result).toMatchObject({
			kind: 'snapshot', ok: false, status: null, frames: null,
		});
		expect(result.error).toMatch(/^connect ECONNREFUSED/);
		expect(ms).toBeLessThan(1500);
	});
});

describe('probeCamera on multipart streams cut anywhere', () => {
	const frameCount = 12;
	let peer: Peer;

	beforeAll(async () => {
		// `/<frozen>/<delimiter>?type=<Content-Type>`: 12 frames, then the end. Each write is its own HTTP chunk, and so
		// its own 'data' event at the client: 3-byte writes split every delimiter between two chunks.
		peer = await serve(http.createServer((request, response) => {
			const url = new URL(request.url!, 'http://x');
			const [, still, delimiter] = url.pathname.split('/');
			const stream = Buffer.concat(Array.from({length: frameCount}, (_, index) => {
				const body = Buffer.concat([Buffer.from([0xFF, 0xD8]), Buffer.from(`frame ${still === 'frozen' ? 0 : index} `.repeat(5)), Buffer.from([0xFF, 0xD9])]);
				// The part headers differ even when the picture does not, as with cameras that stamp each part.
				return Buffer.concat([Buffer.from(`${delimiter}\r\nContent-Type: image/jpeg\r\nX-Timestamp: ${1000 + index}\r\nContent-Length: ${body.length}\r\n\r\n`), body, Buffer.from('\r\n')]);
			}));
			response.writeHead(200, {'Content-Type': url.searchParams.get('type')!});
			for (let offset = 0; offset < stream.length; offset += 3) {
				response.write(stream.subarray(offset, offset + 3));
			}

			response.end();
		}));
	});

	afterAll(async () => {
		await peer?.close();
	});

	it.each([
		['multipart/x-mixed-replace; boundary=frame', '--frame'],
		['multipart/x-mixed-replace;boundary="frame"', '--frame'],
		// RFC 2046: the delimiter is two dashes and the boundary, dashes and all.
		['multipart/x-mixed-replace; boundary=--frame', '----frame'],
		// Some cameras declare the dashes and write no more of them.
		['multipart/x-mixed-replace; boundary=--frame', '--frame'],
		// What ffmpeg's -f mpjpeg says over HTTP: the body's first line tells.
		['application/octet-stream', '--frame'],
	])('counts every part of %s delimited by %s', async (type, delimiter) => {
		const url = `http://127.0.0.1:${peer.port}`;
		const moving = await probeCamera(`${url}/moving/${delimiter}?type=${encodeURIComponent(type)}`);
		expect(moving).toMatchObject({
			kind: 'mjpeg', ok: true, frames: frameCount, frozen: false,
		});
		const still = await probeCamera(`${url}/frozen/${delimiter}?type=${encodeURIComponent(type)}`);
		expect(still).toMatchObject({
			kind: 'mjpeg', ok: true, frames: frameCount, frozen: true,
		});
	});
});

describe('probeCamera on HTTP snapshots', () => {
	// A JPEG's markers around bytes of no meaning: what matters is the exact count.
	const snapshot = Buffer.concat([Buffer.from([0xFF, 0xD8, 0xFF, 0xE0]), Buffer.alloc(123_451, 0x5A), Buffer.from([0xFF, 0xD9])]);
	const authorization = `Basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`;
	let peer: Peer;

	beforeAll(async () => {
		peer = await serve(http.createServer((request, response) => {
			switch (request.url) {
				case '/snap.jpg': {
					response.writeHead(200, {'Content-Type': 'image/jpeg', 'Content-Length': snapshot.length});
					response.end(snapshot);
					break;
				}

				case '/private.jpg': {
					if (request.headers.authorization === authorization) {
						response.writeHead(200, {'Content-Type': 'image/jpeg'});
						response.end(snapshot);
					} else {
						response.writeHead(401, {'WWW-Authenticate': 'Basic realm="camera"'});
						response.end();
					}

					break;
				}

				case '/slow.jpg': {
					// Headers and 100 bytes, then nothing, for ever.
					response.writeHead(200, {'Content-Type': 'image/jpeg'});
					response.write(snapshot.subarray(0, 100));
					break;
				}

				case '/silent.mjpg': {
					response.writeHead(200, {'Content-Type': 'multipart/x-mixed-replace; boundary=frame'});
					response.flushHeaders();
					break;
				}

				default: {
					response.writeHead(404, {'Content-Type': 'text/plain'});
					response.end('no such picture');
				}
			}
		}));
	});

	afterAll(async () => {
		await peer?.close();
	});

	it('reads a snapshot: status, latency, exact bytes, and closes its connection', async () => {
		const result = await probeCamera(`http://127.0.0.1:${peer.port}/snap.jpg`);
		expect(result).toEqual({
			at: expect.any(Number), kind: 'snapshot', ok: true, error: null, latencyMs: expect.any(Number), status: 200,
			bytes: snapshot.length, fps: null, frames: null, frozen: false,
		});
		expect(result.latencyMs).toBeGreaterThan(0);
		await allClosed(peer.server);
	});

	it('reads no more than maxBytes', async () => {
		const result = await probeCamera(`http://127.0.0.1:${peer.port}/snap.jpg`, {maxBytes: 1000});
		expect(result).toMatchObject({kind: 'snapshot', ok: true, bytes: 1000});
		await allClosed(peer.server);
	});

	it('fails on a 404 with the status and its reason', async () => {
		const result = await probeCamera(`http://127.0.0.1:${peer.port}/missing.jpg`);
		expect(result).toMatchObject({
			kind: 'snapshot', ok: false, error: 'HTTP 404 Not Found', status: 404,
		});
		expect(result.latencyMs).toBeGreaterThan(0);
	});

	it('sends Basic auth from the URL, and shows it nowhere', async () => {
		const result = await probeCamera(`http://user:${SECRET}@127.0.0.1:${peer.port}/private.jpg`);
		expect(result).toMatchObject({
			kind: 'snapshot', ok: true, status: 200, bytes: snapshot.length,
		});
		expectNoCredentials(result);
		const wrong = await probeCamera(`http://user:not-${SECRET}@127.0.0.1:${peer.port}/private.jpg`);
		expect(wrong).toMatchObject({ok: false, error: 'HTTP 401 Unauthorized', status: 401});
		expectNoCredentials(wrong);
	});

	it('gives up on a body that stops coming, within timeoutMs + sampleMs', async () => {
		const {result, ms} = await timed(`http://127.0.0.1:${peer.port}/slow.jpg`, {timeoutMs: TIMEOUT_MS, sampleMs: SAMPLE_MS});
		expect(result).toMatchObject({
			kind: 'snapshot', ok: false, error: 'body not complete after 500 ms', status: 200, bytes: 100,
		});
		expect(ms).toBeLessThan(TIMEOUT_MS + SAMPLE_MS + SLACK_MS);
		await allClosed(peer.server);
	});

	it('fails an MJPEG stream that sends no frame, within timeoutMs + sampleMs', async () => {
		const {result, ms} = await timed(`http://127.0.0.1:${peer.port}/silent.mjpg`, {timeoutMs: TIMEOUT_MS, sampleMs: SAMPLE_MS});
		expect(result).toMatchObject({
			kind: 'mjpeg', ok: false, error: 'no MJPEG frame in 500 ms', status: 200, frames: 0, frozen: false,
		});
		expect(ms).toBeLessThan(TIMEOUT_MS + SAMPLE_MS + SLACK_MS);
		await allClosed(peer.server);
	});
});

describe('probeCamera against peers that misbehave', () => {
	let silent: Peer;
	let garbage: Peer;
	let hangUp: Peer;
	let requests: string[];

	beforeAll(async () => {
		requests = [];
		// Accepts, reads, never answers: a camera whose process hangs while the kernel still accepts connections.
		silent = await serve(net.createServer(socket => {
			socket.resume();
		}));
		garbage = await serve(net.createServer(socket => {
			socket.once('data', (data: Buffer) => {
				requests.push(data.toString('latin1'));
				socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
			});
		}));
		hangUp = await serve(net.createServer(socket => {
			socket.end();
		}));
	});

	afterAll(async () => {
		await Promise.all([silent?.close(), garbage?.close(), hangUp?.close()]);
	});

	it.each(['http', 'rtsp'])('gives up on a %s peer that never answers after timeoutMs, and closes its connection', async scheme => {
		const {result, ms} = await timed(`${scheme}://127.0.0.1:${silent.port}/live`, {timeoutMs: TIMEOUT_MS});
		expect(result).toMatchObject({
			ok: false, error: 'timeout after 500 ms', latencyMs: null, status: null,
		});
		expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
		await allClosed(silent.server);
	});

	it('says "not an RTSP reply" to an HTTP answer on an RTSP URL, and sends no credentials', async () => {
		const result = await probeCamera(`rtsp://user:${SECRET}@127.0.0.1:${garbage.port}/live`);
		expect(result).toMatchObject({kind: 'rtsp', ok: false, error: 'not an RTSP reply'});
		expectNoCredentials(result);
		expect(requests.at(-1)).toBe(`OPTIONS rtsp://127.0.0.1:${garbage.port}/live RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: camtop\r\n\r\n`);
	});

	it('fails an RTSP peer that hangs up without a word', async () => {
		const result = await probeCamera(`rtsp://127.0.0.1:${hangUp.port}/live`);
		expect(result).toMatchObject({kind: 'rtsp', ok: false, error: 'closed without a reply'});
	});

	it('fails on a name that does not resolve, within timeoutMs', async () => {
		const {result, ms} = await timed(`http://user:${SECRET}@camera.invalid/snap.jpg`, {timeoutMs: TIMEOUT_MS});
		expect(result).toMatchObject({kind: 'snapshot', ok: false});
		// ENOTFOUND with a resolver, EAI_AGAIN or our timeout without one.
		expect(result.error).toMatch(/ENOTFOUND|EAI_AGAIN|timeout/);
		expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
		expectNoCredentials(result);
	});

	it('never shows credentials, whatever fails', async () => {
		const closedPort = await freePort();
		const urls = [
			`http://user:${SECRET}@127.0.0.1:${closedPort}/snap.jpg`,
			`rtsp://user:${SECRET}@127.0.0.1:${closedPort}/live`,
			`rtsp://user:${SECRET}@127.0.0.1:${silent.port}/live`,
			`tcp://user:${SECRET}@127.0.0.1:${closedPort}`,
			`http://user:${SECRET}@[::1/`,
			`ftp://user:${SECRET}@127.0.0.1/x`,
		];
		const results = await Promise.all(urls.map(async url => probeCamera(url, {timeoutMs: TIMEOUT_MS})));
		for (const result of results) {
			expect(result.ok).toBe(false);
			expect(result.error).not.toBeNull();
			expectNoCredentials(result);
		}
	});
});

describe('probeCamera on RTSP servers', () => {
	let ffmpeg: FfmpegPeer;
	let unauthorized: Peer;

	beforeAll(async () => {
		ffmpeg = await startRtspListener();
		unauthorized = await serve(net.createServer(socket => {
			socket.once('data', () => {
				socket.write('RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Digest realm="cam", nonce="1"\r\n\r\n');
			});
		}));
	});

	afterAll(async () => {
		await Promise.all([ffmpeg?.stop(), unauthorized?.close()]);
	});

	it('gets 200 to OPTIONS from ffmpeg listening for a stream', async () => {
		const result = await probeCamera(ffmpeg.url);
		expect(result, ffmpeg.output()).toEqual({
			at: expect.any(Number), kind: 'rtsp', ok: true, error: null, latencyMs: expect.any(Number), status: 200,
			bytes: null, fps: null, frames: null, frozen: false,
		});
		expect(result.latencyMs).toBeGreaterThan(0);
	});

	it('takes a 401 as alive, and closes its connection', async () => {
		const result = await probeCamera(`rtsp://user:${SECRET}@127.0.0.1:${unauthorized.port}/live`);
		expect(result).toMatchObject({
			kind: 'rtsp', ok: true, error: null, status: 401,
		});
		expectNoCredentials(result);
		await allClosed(unauthorized.server);
	});
});

describe('probeCamera on TCP ports and URLs it does not probe', () => {
	let peer: Peer;

	beforeAll(async () => {
		peer = await serve(net.createServer(socket => {
			socket.resume();
		}));
	});

	afterAll(async () => {
		await peer?.close();
	});

	it('connects, measures, and closes', async () => {
		const result = await probeCamera(`tcp://127.0.0.1:${peer.port}`);
		expect(result).toMatchObject({
			kind: 'tcp', ok: true, error: null, status: null, bytes: null,
		});
		expect(result.latencyMs).toBeGreaterThan(0);
		await allClosed(peer.server);
	});

	it('fails on a closed port, leaving no socket behind', async () => {
		const sockets = () => process.getActiveResourcesInfo().filter(name => name === 'TCPSocketWrap' || name === 'ConnectWrap').length;
		const before = sockets();
		const result = await probeCamera(`tcp://127.0.0.1:${await freePort()}`);
		expect(result).toMatchObject({kind: 'tcp', ok: false, latencyMs: null});
		expect(result.error).toMatch(/^connect ECONNREFUSED/);
		expect(sockets()).toBe(before);
	});

	it.each([
		['tcp://127.0.0.1', 'tcp', 'tcp URL without a port'],
		['ftp://camera/picture.jpg', undefined, 'unsupported scheme ftp:'],
		['rtsps://camera/live', undefined, 'unsupported scheme rtsps:'],
		['camera-1', undefined, 'invalid URL'],
		['', undefined, 'invalid URL'],
	])('%s: %s', async (url, kind, error) => {
		expect(await probeCamera(url)).toMatchObject({
			kind, ok: false, error, latencyMs: null,
		});
	});
});
