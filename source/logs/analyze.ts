import {createReadStream} from 'node:fs';
import {createGunzip} from 'node:zlib';
import path from 'node:path';
import os from 'node:os';
import {Worker} from 'node:worker_threads';
import {describeError} from '../base/errors.js';
import {analyzeWorkerModule} from '../base/entry-points.js';
import {createHeader, readHeader} from './line-header.js';
import {LineSplitter} from './line-splitter.js';
import {LogSummary, type ScanOptions} from './log-summary.js';
import {planChunks, type LogSource} from './plan.js';
import {scanChunk, type Chunk} from './scan-file.js';
import {readLinesBackwards} from './read-lines-backwards.js';
import {parseRecordHeader} from './record-header.js';
import type {WorkerReply, WorkerRequest} from './analyze-worker.js';

/** Chunks of about this size are read in parallel, bytes: big enough that merging costs nothing, small enough to share a file between cores. */
export const CHUNK_BYTES = 32 * 1024 * 1024;
/** Each worker's V8 heap is capped: what it keeps is bounded by LIMITS, not by the input, megabytes. */
const WORKER_HEAP_MB = 48;
const WORKER_YOUNG_MB = 8;

export type AnalyzeOptions = {
	sources: LogSource[];
	/** Analyse only the last this many hours before the newest record of the files. */
	hours?: number | undefined;
	/** Keep this many of the last ERROR records whole. */
	recentErrors?: number;
	/** Worker threads; 0 reads in this thread. Default: one per core. */
	workers?: number;
	chunkBytes?: number;
};

/** A log's summary, and what could not be read of it (`errors.log.2: missing`, `errors.log.1.gz: unexpected end of file`). */
export type LogAnalysis = {source: LogSource; summary: LogSummary; problems: string[]};

export type AnalyzeResult = {
	logs: LogAnalysis[];
	/** The window, when --hours was given: [start, end] epoch ms, end being the newest record in the files. */
	window: {hours: number; start: number; end: number} | undefined;
};

/**
The logs read in chunks, on worker threads when there is more than one chunk, and each log's chunk summaries merged
in order. A file that cannot be read marks its log with an error; the others are analysed all the same.
*/
export async function analyzeLogs({sources, hours, recentErrors = 0, workers = os.availableParallelism(), chunkBytes = CHUNK_BYTES}: AnalyzeOptions): Promise<AnalyzeResult> {
	let window: AnalyzeResult['window'];
	if (hours !== undefined) {
		const end = await newestRecordTime(sources);
		window = end === undefined ? undefined : {hours, start: end - (hours * 3_600_000), end};
	}

	const options: ScanOptions = {cutoff: window?.start ?? Number.NEGATIVE_INFINITY, recentErrors};
	const {chunks, problems} = planLogChunks(sources, chunkBytes);
	const module = analyzeWorkerModule(new URL('analyze-worker.js', import.meta.url));
	const threads = Math.min(workers, chunks.length);
	const summaries = threads > 1 && module !== undefined
		? await scanOnWorkers(chunks, options, threads, module)
		: await scanHere(chunks, options);
	if (process.env.CAMTOP_DEBUG) {
		process.stderr.write(`camtop: analyze read ${chunks.length} chunks on ${threads > 1 && module !== undefined ? threads : 1} threads\n`);
	}

	const logs = sources.map((source, index): LogAnalysis => ({source, summary: new LogSummary(options), problems: problems[index]!}));
	for (const [index, chunk] of chunks.entries()) {
		const result = summaries[index]!;
		const log = logs[chunk.log]!;
		if (typeof result === 'string') {
			log.problems.push(fileProblem(log.source, chunk.file, result));
		} else {
			log.summary.merge(result);
		}
	}

	for (const log of logs) {
		log.problems.push(...log.summary.problems);
	}

	return {logs, window};
}

/** Every log's files in chunks, in order, and per log what could not be planned. */
function planLogChunks(sources: LogSource[], chunkBytes: number): {chunks: Chunk[]; problems: string[][]} {
	const problems = sources.map((): string[] => []);
	const chunks: Chunk[] = [];
	for (const [index, source] of sources.entries()) {
		for (const file of source.files) {
			try {
				chunks.push(...planChunks([{key: source.key, files: [file]}], chunkBytes).map(chunk => ({...chunk, log: index})));
			} catch (error) {
				// One bad file (a dangling rotated sibling, say) costs only itself: the rest of the log is still read.
				problems[index]!.push(fileProblem(source, file, describeError(error)));
			}
		}
	}

	return {chunks, problems};
}

/** A problem with one file of a log, naming the file when the log has more than one. */
function fileProblem(source: LogSource, file: string, problem: string): string {
	return `${source.files.length > 1 ? `${path.basename(file)}: ` : ''}${problem}`;
}

async function scanHere(chunks: Chunk[], options: ScanOptions): Promise<Array<LogSummary | string>> {
	const results: Array<LogSummary | string> = [];
	for (const chunk of chunks) {
		try {
			// eslint-disable-next-line no-await-in-loop -- one chunk at a time: this is the path without worker threads
			results.push(await scanChunk(chunk, options));
		} catch (error) {
			results.push(describeError(error));
		}
	}

	return results;
}

async function scanOnWorkers(chunks: Chunk[], options: ScanOptions, threads: number, module: URL): Promise<Array<LogSummary | string>> {
	const results: Array<LogSummary | string> = Array.from({length: chunks.length}, () => 'not read');
	// The index of the next chunk to read, shared by every thread; chunks stay in log order, so threads mostly read
	// the same kind of log at the same time (switching between kinds costs V8's optimised code, measured).
	const next = new Int32Array(new SharedArrayBuffer(4));
	const workers = Array.from({length: threads - 1}, async () => new Promise<void>(resolve => {
		const worker = new Worker(module, {resourceLimits: {maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB}});
		worker.on('message', (reply: WorkerReply) => {
			if ('done' in reply) {
				void worker.terminate();
				return;
			}

			results[reply.id] = reply.summary === undefined ? (reply.error ?? 'unknown error') : LogSummary.fromPlain(reply.summary, options);
		});
		// A worker that dies (out of its heap, say) leaves its chunk unread, with the reason; the other threads go on.
		worker.on('error', error => {
			if (process.env.CAMTOP_DEBUG) {
				process.stderr.write(`camtop: analyze worker thread failed: ${describeError(error)}\n`);
			}

			for (const [index, result] of results.entries()) {
				if (result === 'not read') {
					results[index] = `not read: the worker thread failed (${describeError(error)})`;
				}
			}
		});
		worker.on('exit', () => {
			resolve();
		});
		worker.postMessage({chunks, options, next} satisfies WorkerRequest);
	}));

	// This thread reads too: one isolate fewer is about 25 MB less at the peak.
	for (let id = Atomics.add(next, 0, 1); id < chunks.length; id = Atomics.add(next, 0, 1)) {
		try {
			// eslint-disable-next-line no-await-in-loop -- this thread takes its next chunk when it is done with one, as the workers do
			results[id] = await scanChunk(chunks[id]!, options);
		} catch (error) {
			results[id] = describeError(error);
		}
	}

	await Promise.all(workers);
	return results;
}

/** The newest valid record time of the files, read from their ends (a gzip file, which cannot be read backwards, whole). */
export async function newestRecordTime(sources: readonly LogSource[]): Promise<number | undefined> {
	let newest: number | undefined;
	for (const source of sources) {
		// The newest file first; an empty one (just rotated) sends us on to the one before.
		for (const file of [...source.files].reverse()) {
			// eslint-disable-next-line no-await-in-loop -- the next older file is read only when this one has no record
			const time = file.endsWith('.gz') ? await lastRecordTimeGzip(file) : await lastRecordTime(file);
			if (time !== undefined) {
				newest = Math.max(newest ?? time, time);
				break;
			}
		}
	}

	return newest;
}

async function lastRecordTime(file: string): Promise<number | undefined> {
	try {
		for await (const {text} of readLinesBackwards(file, {maxLineBytes: 4096, maxBytes: 4 * 1024 * 1024})) {
			const header = parseRecordHeader(text);
			if (header !== undefined && !Number.isNaN(header.time)) {
				return header.time;
			}
		}
	} catch {}

	return undefined;
}

async function lastRecordTimeGzip(file: string): Promise<number | undefined> {
	const header = createHeader();
	let last: number | undefined;
	const splitter = new LineSplitter((bytes, start, end) => {
		if (readHeader(bytes, start, end, header) && !Number.isNaN(header.time)) {
			last = header.time;
		}
	});
	try {
		for await (const block of createReadStream(file).pipe(createGunzip())) {
			splitter.push(block as Buffer);
		}

		splitter.end();
	} catch {}

	return last;
}
