import {parentPort} from 'node:worker_threads';
import {scanChunk, type Chunk} from './scan-file.js';
import type {LogSummaryPlain, ScanOptions} from './log-summary.js';

export type WorkerRequest = {chunks: Chunk[]; options: ScanOptions; next: Int32Array};
export type WorkerReply = {id: number; summary?: LogSummaryPlain; error?: string} | {done: true};

/**
Takes chunks from the shared counter until none is left, posting each chunk's summary as it is done. Threads take
their own next chunk (Atomics), so none waits on another to hand it work.
*/
parentPort!.once('message', async ({chunks, options, next}: WorkerRequest) => {
	for (let id = Atomics.add(next, 0, 1); id < chunks.length; id = Atomics.add(next, 0, 1)) {
		try {
			// eslint-disable-next-line no-await-in-loop -- a thread takes its next chunk when it is done with one
			const summary = await scanChunk(chunks[id]!, options);
			parentPort!.postMessage({id, summary: summary.toPlain()} satisfies WorkerReply);
		} catch (error) {
			parentPort!.postMessage({id, error: error instanceof Error ? error.message : String(error)} satisfies WorkerReply);
		}
	}

	parentPort!.postMessage({done: true} satisfies WorkerReply);
});
