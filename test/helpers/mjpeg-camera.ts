import {spawn, type ChildProcess} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {freePort} from './free-port.js';
import {stopChild} from './redis-server.js';
import {waitFor} from './wait-for.js';

export type FfmpegPeer = {
	port: number;
	url: string;
	/** Resolves once ffmpeg listens again: it serves one client, then exits and is started anew. */
	listening: () => Promise<void>;
	stop: () => Promise<void>;
	/** What ffmpeg wrote to stderr, for a failing test's message. */
	output: () => string;
};

/** A pause before starting ffmpeg again, ms: an ffmpeg that fails at once would otherwise spin a core. */
const RESTART_PAUSE_MS = 20;

/**
A real MJPEG camera: ffmpeg's test pattern at 10 frames/s (a moving counter: every frame differs) or, when frozen, a
blue picture (every JPEG byte-identical), served as `-f mpjpeg` over HTTP on a free loopback port. ffmpeg 5.1 sends it
as `Content-Type: application/octet-stream` unless `contentType` is given.
*/
export async function startMjpegCamera({frozen = false, contentType}: {frozen?: boolean; contentType?: string} = {}): Promise<FfmpegPeer> {
	const source = frozen ? 'color=c=blue:size=320x240:rate=10' : 'testsrc=size=320x240:rate=10';
	const port = await freePort();
	const url = `http://127.0.0.1:${port}/`;
	return startFfmpeg(port, url, [
		'-re',
		'-f',
		'lavfi',
		'-i',
		source,
		'-f',
		'mpjpeg',
		...(contentType === undefined ? [] : ['-content_type', contentType]),
		'-listen',
		'1',
		url,
	]);
}

/**
A real RTSP server: ffmpeg waiting for a stream to be pushed to `rtsp://127.0.0.1:PORT/live`. It answers OPTIONS,
then exits when the client hangs up.
*/
export async function startRtspListener(): Promise<FfmpegPeer> {
	const port = await freePort();
	const url = `rtsp://127.0.0.1:${port}/live`;
	return startFfmpeg(port, url, ['-rtsp_flags', 'listen', '-i', url, '-f', 'null', '-']);
}

/**
ffmpeg with `args`, started again whenever it exits, until stop(). Ready once it listens on `port`.
*/
async function startFfmpeg(port: number, url: string, args: string[]): Promise<FfmpegPeer> {
	let child: ChildProcess | undefined;
	let stopped = false;
	let restart: NodeJS.Timeout | undefined;
	let output = '';
	const launch = () => {
		const current = spawn('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args], {stdio: ['ignore', 'ignore', 'pipe']});
		child = current;
		current.stderr.on('data', (chunk: Buffer) => {
			// The last few kB are enough to say why ffmpeg failed.
			output = (output + chunk.toString()).slice(-4096);
		});
		current.on('exit', () => {
			if (!stopped) {
				restart = setTimeout(launch, RESTART_PAUSE_MS);
			}
		});
	};

	launch();
	const listening = async () => {
		try {
			await waitFor(() => isListening(port), `ffmpeg listening on ${port}`);
		} catch (error) {
			throw new Error(`${(error as Error).message}; ffmpeg said: ${output}`);
		}
	};

	await listening();
	return {
		port,
		url,
		listening,
		async stop() {
			stopped = true;
			clearTimeout(restart);
			if (child !== undefined) {
				await stopChild(child);
			}
		},
		output: () => output,
	};
}

/**
Whether something listens on 127.0.0.1:port, from /proc/net/tcp: a test connection would be ffmpeg's one client,
and it would exit.
*/
function isListening(port: number): boolean {
	const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
	// Fields: sl, local_address, rem_address, st (0A is LISTEN), …
	return readFileSync('/proc/net/tcp', 'utf8').split('\n').some(line => {
		const fields = line.trim().split(/\s+/);
		return fields[1] === local && fields[3] === '0A';
	});
}
