import {parentPort} from 'node:worker_threads';
import {scanChunk, type Chunk} from './scan-file.js';
import type {ScanOptions} from './log-summary.js';

export type WorkerRequest = {id: number; chunk: Chunk; options: ScanOptions};
export type WorkerReply = {id: number; summary?: ReturnType<Awaited<ReturnType<typeof scanChunk>>['toPlain']>; error?: string};

// One chunk at a time: the pool sends the next when this one's summary is back.
parentPort!.on('message', async ({id, chunk, options}: WorkerRequest) => {
	try {
		const summary = await scanChunk(chunk, options);
		parentPort!.postMessage({id, summary: summary.toPlain()} satisfies WorkerReply);
	} catch (error) {
		parentPort!.postMessage({id, error: error instanceof Error ? error.message : String(error)} satisfies WorkerReply);
	}
});
