/*
The heap that survives a full GC, read from outside a running Node process without changing its source: the process is
started with `--inspect=127.0.0.1:PORT` (in NODE_OPTIONS), and this drives the inspector protocol over its WebSocket:
HeapProfiler.collectGarbage twice, then Runtime.evaluate of process.memoryUsage().
*/
import WebSocket from 'ws';
import {waitFor} from '../test/helpers/wait-for.js';

export type MemoryAfterGc = {rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number};

export class Inspector {
	readonly #socket: WebSocket;
	#next = 1;
	readonly #pending = new Map<number, {resolve: (result: unknown) => void; reject: (error: Error) => void}>();

	private constructor(socket: WebSocket) {
		this.#socket = socket;
		socket.on('message', (data: WebSocket.RawData) => {
			const message = JSON.parse((data as Buffer).toString('utf8')) as {id?: number; result?: unknown; error?: {message: string}};
			if (message.id === undefined) {
				return;
			}

			const pending = this.#pending.get(message.id);
			this.#pending.delete(message.id);
			if (message.error === undefined) {
				pending?.resolve(message.result);
			} else {
				pending?.reject(new Error(`inspector: ${message.error.message}`));
			}
		});
		socket.on('close', () => {
			for (const pending of this.#pending.values()) {
				pending.reject(new Error('inspector connection closed'));
			}

			this.#pending.clear();
		});
	}

	/** Connects to the inspector on 127.0.0.1:port once it answers (waits up to `timeoutMs`). */
	static async connect(port: number, timeoutMs = 30_000): Promise<Inspector> {
		const targets = await waitFor(async () => {
			const response = await fetch(`http://127.0.0.1:${port}/json/list`);
			return response.ok ? await response.json() as Array<{webSocketDebuggerUrl: string}> : undefined;
		}, `the inspector on port ${port}`, timeoutMs, 50);
		const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl, {perMessageDeflate: false});
		await new Promise<void>((resolve, reject) => {
			socket.once('open', resolve);
			socket.once('error', reject);
		});
		return new Inspector(socket);
	}

	async call<T = unknown>(method: string, parameters: Record<string, unknown> = {}): Promise<T> {
		const id = this.#next++;
		return new Promise<T>((resolve, reject) => {
			this.#pending.set(id, {resolve: resolve as (result: unknown) => void, reject});
			this.#socket.send(JSON.stringify({id, method, params: parameters}));
		});
	}

	/** Two forced full GCs, then the process's process.memoryUsage(), bytes. */
	async memoryAfterGc(): Promise<MemoryAfterGc> {
		await this.call('HeapProfiler.collectGarbage');
		await this.call('HeapProfiler.collectGarbage');
		const {result} = await this.call<{result: {value: string}}>('Runtime.evaluate', {expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true});
		return JSON.parse(result.value) as MemoryAfterGc;
	}

	close(): void {
		this.#socket.terminate();
	}
}
