import http from 'node:http';

const BOUNDARY = 'camtopdemo';

/**
The demo cameras' streams: http://127.0.0.1:PORT/camera_N serves `multipart/x-mixed-replace` MJPEG, one part per
frame `push`ed for that camera, so camtop's probe counts real frames. A camera taken offline refuses its stream (503)
and drops its viewers.
*/
export class MjpegServer {
	readonly #server: http.Server;
	readonly #viewers = new Map<string, Set<http.ServerResponse>>();
	readonly #offline = new Set<string>();

	constructor() {
		this.#server = http.createServer((request, response) => {
			const name = (request.url ?? '/').slice(1);
			if (!this.#viewers.has(name) || this.#offline.has(name)) {
				response.writeHead(this.#offline.has(name) ? 503 : 404).end();
				return;
			}

			response.writeHead(200, {'Content-Type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`, 'Cache-Control': 'no-cache'});
			const viewers = this.#viewers.get(name)!;
			viewers.add(response);
			response.on('close', () => viewers.delete(response));
		});
	}

	async listen(names: readonly string[]): Promise<number> {
		for (const name of names) {
			this.#viewers.set(name, new Set());
		}

		await new Promise<void>((resolve, reject) => {
			this.#server.once('error', reject);
			this.#server.listen(0, '127.0.0.1', resolve);
		});
		return (this.#server.address() as {port: number}).port;
	}

	push(name: string, frame: Buffer): void {
		for (const viewer of this.#viewers.get(name) ?? []) {
			// A viewer that cannot keep up misses frames rather than growing a buffer.
			if (viewer.writableLength < 1024 * 1024) {
				viewer.write(`--${BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`);
				viewer.write(frame);
				viewer.write('\r\n');
			}
		}
	}

	setOffline(name: string, offline: boolean): void {
		if (offline) {
			this.#offline.add(name);
			for (const viewer of this.#viewers.get(name) ?? []) {
				viewer.destroy();
			}
		} else {
			this.#offline.delete(name);
		}
	}

	async close(): Promise<void> {
		for (const viewers of this.#viewers.values()) {
			for (const viewer of viewers) {
				viewer.destroy();
			}
		}

		await new Promise(resolve => {
			this.#server.close(resolve);
		});
	}
}

/** A synthetic frame: a JPEG start and end marker around a counter and filler, different every time, bytes. */
export function syntheticFrame(camera: number, sequence: number, size = 4096): Buffer {
	const frame = Buffer.alloc(size, ((camera * 31) + sequence) % 251);
	frame.writeUInt16BE(0xFF_D8, 0);
	frame.writeUInt32BE(sequence, 2);
	frame.writeUInt16BE(0xFF_D9, size - 2);
	return frame;
}
