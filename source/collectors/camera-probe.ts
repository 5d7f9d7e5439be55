import {createHash, type Hash} from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import {scrubSecrets, urlSecrets} from '../text/redact.js';
import {errorMessage} from '../base/errors.js';

export type ProbeKind = 'rtsp' | 'mjpeg' | 'snapshot' | 'tcp';

export type ProbeResult = {
	/** When the probe finished, epoch ms. */
	at: number;
	/** undefined when the URL's scheme is not one we probe. An http(s) URL is 'snapshot' until its response says MJPEG. */
	kind: ProbeKind | undefined;
	/** Reached and answered as expected. */
	ok: boolean;
	/** One short line, never containing the URL's user or password: "connect ECONNREFUSED", "timeout after 3 s", "HTTP 404 Not Found", "unsupported scheme ftp:". null when ok. */
	error: string | null;
	/** Start of the probe (DNS and connect included) → first answer (RTSP reply, HTTP response headers, TCP connect), ms. */
	latencyMs: number | null;
	/** RTSP or HTTP status code. */
	status: number | null;
	/** Bytes of body read (snapshot body; MJPEG bytes over the sample). */
	bytes: number | null;
	/** MJPEG only: frames counted over the sample / sample seconds. */
	fps: number | null;
	frames: number | null;
	/** MJPEG only: at least 3 frames and every consecutive frame in the sample byte-identical to the one before. */
	frozen: boolean;
};

export type ProbeOptions = {
	/** Connect + first answer, ms. Default 3000. */
	timeoutMs?: number;
	/** How long an MJPEG stream is read, and the most a snapshot body may take after its headers, ms. Default 2000. */
	sampleMs?: number;
	/** Cap on body bytes read. Default 16 MiB. */
	maxBytes?: number;
};

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_SAMPLE_MS = 2000;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const RTSP_DEFAULT_PORT = 554;
/** An RTSP status line is a few dozen bytes: this many without a line end is not one. */
const MAX_STATUS_LINE_BYTES = 512;
/** Part headers are a few lines; past this many bytes without a blank line, the part is taken as all frame data. */
const MAX_PART_HEADER_BYTES = 4096;
/** `--` and a boundary (at most 70 characters, RFC 2046) and a line end: a body longer than this without one is no multipart stream. */
const MAX_BOUNDARY_LINE_BYTES = 80;
/** A status reason longer than this (characters) is cut: the error stays one short line. */
const MAX_REASON_LENGTH = 60;
/** How long to wait for a destroyed socket to report closed before resolving anyway, ms. */
const CLOSE_GRACE_MS = 200;

type Draft = Omit<ProbeResult, 'at'>;
type Settings = Required<ProbeOptions>;

/**
Whether a camera answers, and how: an RTSP server's reply to OPTIONS, an MJPEG stream's frame rate and whether its
picture is frozen, a snapshot's status and size, or a bare TCP connect. Never throws, never takes much longer than
`timeoutMs + sampleMs` whatever the peer does, and leaves no socket open.
*/
export async function probeCamera(url: string, options: ProbeOptions = {}): Promise<ProbeResult> {
	const settings: Settings = {
		timeoutMs: positive(options.timeoutMs, DEFAULT_TIMEOUT_MS),
		sampleMs: positive(options.sampleMs, DEFAULT_SAMPLE_MS),
		maxBytes: positive(options.maxBytes, DEFAULT_MAX_BYTES),
	};
	let draft: Draft;
	try {
		draft = await probe(url, settings);
	} catch (error) {
		// A bug in a probe must not take the monitor down: the probe failed, and says why.
		draft = failed(undefined, errorMessage(error));
	}

	// Our messages never quote the URL; node's might one day. Scrubbing costs nothing.
	const error = draft.error === null ? null : scrubSecrets(draft.error, urlSecrets(url));
	return {...draft, error, at: Date.now()};
}

async function probe(url: string, settings: Settings): Promise<Draft> {
	let target: URL;
	try {
		target = new URL(url);
	} catch {
		// The URL itself may hold a password: it is not repeated.
		return failed(undefined, 'invalid URL');
	}

	switch (target.protocol) {
		case 'rtsp:': {
			return probeRtsp(target, settings);
		}

		case 'http:':
		case 'https:': {
			return probeHttp(target, settings);
		}

		case 'tcp:': {
			return target.port === '' ? failed('tcp', 'tcp URL without a port') : probeTcp(target, settings);
		}

		default: {
			return failed(undefined, `unsupported scheme ${target.protocol}`);
		}
	}
}

async function probeTcp(target: URL, {timeoutMs}: Settings): Promise<Draft> {
	const attempt = new Attempt();
	const socket = attempt.track(net.connect({host: hostOf(target), port: Number(target.port)}));
	attempt.after(timeoutMs, () => {
		attempt.finish(failed('tcp', timeoutText(timeoutMs)));
	});
	socket.once('connect', () => {
		attempt.finish({...empty('tcp'), ok: true, latencyMs: attempt.elapsedMs()});
	});
	socket.on('error', error => {
		attempt.finish(failed('tcp', errorMessage(error)));
	});
	return attempt.result;
}

async function probeRtsp(target: URL, {timeoutMs}: Settings): Promise<Draft> {
	const attempt = new Attempt();
	const port = target.port === '' ? RTSP_DEFAULT_PORT : Number(target.port);
	const socket = attempt.track(net.connect({host: hostOf(target), port}));
	attempt.after(timeoutMs, () => {
		attempt.finish(failed('rtsp', timeoutText(timeoutMs)));
	});
	socket.once('connect', () => {
		// OPTIONS needs no authentication on the servers we know, and even a 401 proves the server alive.
		socket.write(`OPTIONS ${withoutCredentials(target)} RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: camtop\r\n\r\n`);
	});
	let received = Buffer.alloc(0);
	socket.on('data', (chunk: Buffer) => {
		received = Buffer.concat([received, chunk]);
		const status = rtspStatus(received);
		if (status === null) {
			attempt.finish({...failed('rtsp', 'not an RTSP reply'), latencyMs: attempt.elapsedMs()});
		} else if (status !== undefined) {
			attempt.finish({
				...empty('rtsp'), ok: true, latencyMs: attempt.elapsedMs(), status,
			});
		}
	});
	socket.on('error', error => {
		attempt.finish(failed('rtsp', errorMessage(error)));
	});
	socket.on('close', () => {
		attempt.finish(failed('rtsp', received.length > 0 ? 'not an RTSP reply' : 'closed without a reply'));
	});
	return attempt.result;
}

/**
The status code of an RTSP reply's first line; undefined while that line may still be arriving; null when the bytes
cannot be one.
*/
function rtspStatus(received: Buffer): number | null | undefined {
	const end = received.indexOf('\n');
	if (end === -1) {
		const start = received.subarray(0, 5).toString('latin1');
		return 'RTSP/'.startsWith(start) && received.length <= MAX_STATUS_LINE_BYTES ? undefined : null;
	}

	const match = /^RTSP\/\d\.\d (\d{3})(?:[ \r]|$)/.exec(received.subarray(0, end).toString('latin1'));
	return match ? Number(match[1]) : null;
}

async function probeHttp(target: URL, {timeoutMs, sampleMs, maxBytes}: Settings): Promise<Draft> {
	const attempt = new Attempt();
	const auth = target.username === '' && target.password === '' ? undefined : `${safeDecode(target.username)}:${safeDecode(target.password)}`;
	// `agent: false`: a socket of its own, sent `Connection: close`, never kept alive in a pool after we are done.
	const request = (target.protocol === 'https:' ? https : http).request(withoutCredentials(target), {
		agent: false,
		auth,
		headers: {'User-Agent': 'camtop', Accept: '*/*'},
	});
	attempt.onFinish(() => request.destroy());
	request.on('socket', socket => {
		attempt.track(socket);
	});
	request.on('error', error => {
		attempt.finish(failed('snapshot', errorMessage(error)));
	});
	let answered = false;
	attempt.after(timeoutMs, () => {
		if (!answered) {
			attempt.finish(failed('snapshot', timeoutText(timeoutMs)));
		}
	});
	request.on('response', response => {
		answered = true;
		readBody(attempt, response, {sampleMs, maxBytes});
	});
	request.end();
	return attempt.result;
}

/**
A snapshot's body to its end, or an MJPEG stream for `sampleMs`, counting frames. A stream is recognised by its
Content-Type, or, when the server says `application/octet-stream` (ffmpeg's `-f mpjpeg` over HTTP does), by a body
that starts with a boundary line.
*/
function readBody(attempt: Attempt, response: http.IncomingMessage, {sampleMs, maxBytes}: {sampleMs: number; maxBytes: number}): void {
	const latencyMs = attempt.elapsedMs();
	const status = response.statusCode ?? null;
	const contentType = response.headers['content-type'] ?? '';
	const multipart = /^\s*multipart\/x-mixed-replace\b/i.test(contentType);
	if (status === null || status < 200 || status > 299) {
		const reason = (response.statusMessage ?? '').trim().slice(0, MAX_REASON_LENGTH);
		attempt.finish({...failed(multipart ? 'mjpeg' : 'snapshot', `HTTP ${status ?? '?'}${reason === '' ? '' : ` ${reason}`}`), latencyMs, status});
		return;
	}

	const declared = multipart ? declaredBoundary(contentType) : undefined;
	let counter = declared === undefined ? undefined : new FrameCounter(declared);
	let head: Buffer | undefined = counter === undefined ? Buffer.alloc(0) : undefined;
	let bytes = 0;
	const bodyStarted = performance.now();
	const report = (why: 'end' | 'time' | 'cap') => {
		const seconds = (performance.now() - bodyStarted) / 1000;
		if (counter === undefined && !multipart) {
			const complete = why !== 'time';
			attempt.finish({
				...empty('snapshot'),
				ok: complete,
				error: complete ? null : `body not complete after ${durationText(sampleMs)}`,
				latencyMs,
				status,
				bytes,
			});
			return;
		}

		const frames = counter?.frames ?? 0;
		const error = frames > 0 ? null : (why === 'end' ? 'stream ended without a frame' : `no MJPEG frame in ${durationText(sampleMs)}`);
		attempt.finish({
			...empty('mjpeg'),
			ok: frames > 0,
			error,
			latencyMs,
			status,
			bytes,
			frames,
			fps: seconds > 0 ? frames / seconds : null,
			frozen: counter?.frozen ?? false,
		});
	};

	attempt.after(sampleMs, () => {
		report('time');
	});
	response.on('data', (chunk: Buffer) => {
		const part = chunk.length > maxBytes - bytes ? chunk.subarray(0, maxBytes - bytes) : chunk;
		bytes += part.length;
		if (head === undefined) {
			counter?.push(part);
		} else {
			head = Buffer.concat([head, part]);
			const sniffed = sniffBoundary(head);
			if (sniffed !== undefined) {
				if (sniffed !== null) {
					counter = new FrameCounter(sniffed);
					counter.push(head);
				}

				head = undefined;
			}
		}

		if (bytes >= maxBytes) {
			report('cap');
		}
	});
	response.on('end', () => {
		report('end');
	});
	response.on('error', error => {
		// A stream cut off by its server has still shown its frames; a cut-off snapshot is a failure.
		if (counter === undefined && !multipart) {
			attempt.finish({
				...failed('snapshot', errorMessage(error)), latencyMs, status, bytes,
			});
		} else {
			report('end');
		}
	});
}

/** The `boundary` parameter of a multipart Content-Type, quoted or not. */
function declaredBoundary(contentType: string): string | undefined {
	const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;,"]{1,70}))/i.exec(contentType);
	return match?.[1] ?? match?.[2];
}

/** The boundary of a body that starts `--boundary` and a line end; undefined while too few bytes have come to tell; null when it does not. */
function sniffBoundary(head: Buffer): string | null | undefined {
	if (head.length >= 2 && (head[0] !== 0x2D || head[1] !== 0x2D)) {
		return null;
	}

	const end = head.indexOf('\n');
	if (end === -1) {
		return head.length > MAX_BOUNDARY_LINE_BYTES ? null : undefined;
	}

	return /^--(\S{1,70})\r?$/.exec(head.subarray(0, end).toString('latin1'))?.[1] ?? null;
}

/**
Counts the parts of a multipart stream fed in chunks cut anywhere (a delimiter may straddle two chunks), and
whether each complete part's body is byte-identical to the one before it. Bodies are compared by SHA-1 digest, so no
frame is kept. Part headers are left out of the comparison: some cameras stamp each part with the time.
*/
class FrameCounter {
	/** Delimiters seen: each starts a frame. */
	frames = 0;
	readonly #delimiter: Buffer;
	/** The last bytes of the data so far, which the next chunk may complete into a delimiter. */
	#pending = Buffer.alloc(0);
	/** The current part's digest so far; undefined before the first delimiter (a preamble is no frame). */
	#hash: Hash | undefined;
	/** The current part's headers while their end is not found yet; undefined once in its body. */
	#header: Buffer | undefined;
	#previous: string | undefined;
	#complete = 0;
	#allSame = true;

	constructor(boundary: string) {
		// Some cameras declare `boundary=--foo` and then write `--foo`, not `----foo`: searching `--foo` finds both.
		this.#delimiter = Buffer.from(boundary.startsWith('--') ? boundary : `--${boundary}`, 'latin1');
	}

	get frozen(): boolean {
		return this.#complete >= 3 && this.#allSame;
	}

	push(chunk: Buffer): void {
		let data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
		for (let index = data.indexOf(this.#delimiter); index !== -1; index = data.indexOf(this.#delimiter)) {
			this.#feed(data.subarray(0, index));
			this.#endPart();
			this.frames++;
			this.#hash = createHash('sha1');
			this.#header = Buffer.alloc(0);
			data = data.subarray(index + this.#delimiter.length);
		}

		// Fewer bytes than a delimiter are held back, so a delimiter split between chunks is found, and found once.
		const keep = Math.min(data.length, this.#delimiter.length - 1);
		this.#feed(data.subarray(0, data.length - keep));
		this.#pending = Buffer.from(data.subarray(data.length - keep));
	}

	#feed(bytes: Buffer): void {
		if (this.#hash === undefined || bytes.length === 0) {
			return;
		}

		let body = bytes;
		if (this.#header !== undefined) {
			const header = Buffer.concat([this.#header, bytes]);
			// After the delimiter: the rest of its line, header lines, a blank line. Bare `\n` from sloppy servers too.
			const end = /\r?\n\r?\n/.exec(header.subarray(0, MAX_PART_HEADER_BYTES).toString('latin1'));
			if (end === null && header.length <= MAX_PART_HEADER_BYTES) {
				this.#header = header;
				return;
			}

			this.#header = undefined;
			body = end === null ? header : header.subarray(end.index + end[0].length);
		}

		this.#hash.update(body);
	}

	#endPart(): void {
		if (this.#hash === undefined) {
			return;
		}

		if (this.#header !== undefined) {
			this.#hash.update(this.#header);
		}

		const digest = this.#hash.digest('hex');
		if (this.#previous !== undefined && digest !== this.#previous) {
			this.#allSame = false;
		}

		this.#previous = digest;
		this.#complete++;
	}
}

/**
One probe's timers, sockets and clean-ups. `finish` takes the first answer only: it clears the timers, destroys
every socket, waits for them to close, then resolves.
*/
class Attempt {
	readonly result: Promise<Draft>;
	readonly #started = performance.now();
	readonly #timers: NodeJS.Timeout[] = [];
	readonly #sockets: net.Socket[] = [];
	/** One per socket, settled by its 'close' event: net.Socket emits that once libuv has closed the handle (and fd), not on destroy(). */
	readonly #closed: Array<Promise<void>> = [];
	readonly #cleanups: Array<() => void> = [];
	#resolve: (draft: Draft) => void = () => undefined;
	#done = false;

	constructor() {
		this.result = new Promise(resolve => {
			this.#resolve = resolve;
		});
	}

	elapsedMs(): number {
		return performance.now() - this.#started;
	}

	after(ms: number, action: () => void): void {
		if (!this.#done) {
			this.#timers.push(setTimeout(action, ms));
		}
	}

	track<T extends net.Socket>(socket: T): T {
		this.#sockets.push(socket);
		this.#closed.push(new Promise(resolve => {
			socket.once('close', () => {
				resolve();
			});
		}));
		if (this.#done) {
			socket.destroy();
		}

		return socket;
	}

	onFinish(cleanup: () => void): void {
		this.#cleanups.push(cleanup);
	}

	finish(draft: Draft): void {
		if (this.#done) {
			return;
		}

		this.#done = true;
		for (const timer of this.#timers) {
			clearTimeout(timer);
		}

		for (const cleanup of this.#cleanups) {
			cleanup();
		}

		for (const socket of this.#sockets) {
			socket.destroy();
		}

		// A close that never comes must not hold the answer back for ever.
		let grace: NodeJS.Timeout | undefined;
		void Promise.race([
			Promise.all(this.#closed),
			new Promise(resolve => {
				grace = setTimeout(resolve, CLOSE_GRACE_MS);
			}),
		]).then(() => {
			clearTimeout(grace);
			this.#resolve(draft);
		});
	}
}

function empty(kind: ProbeKind | undefined): Draft {
	return {
		kind, ok: false, error: null, latencyMs: null, status: null, bytes: null, fps: null, frames: null, frozen: false,
	};
}

function failed(kind: ProbeKind | undefined, error: string): Draft {
	return {...empty(kind), error};
}

function timeoutText(ms: number): string {
	return `timeout after ${durationText(ms)}`;
}

/** `500 ms`, `3 s`, `2.5 s`. */
function durationText(ms: number): string {
	return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

function withoutCredentials(target: URL): string {
	const copy = new URL(target.href);
	copy.username = '';
	copy.password = '';
	return copy.href;
}

/** `[::1]` → `::1`: net.connect wants an IPv6 address without its URL brackets. */
function hostOf(target: URL): string {
	return target.hostname.replace(/^\[(.*)]$/, '$1');
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function positive(value: number | undefined, fallback: number): number {
	return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
