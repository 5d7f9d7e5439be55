import {FileFollower, type FollowStatus} from '../logs/follow-file.js';
import {isRecordStart, parseRecordHeader, type RecordHeader} from '../logs/record-header.js';
import {fail, ok, type Result} from '../base/result.js';

/** Listeners hear of changes at most this often by default, ms: a burst of lines is one wake-up, not thousands. */
const NOTIFY_MS = 20;

/** Each returns whether the model changed: lines the model ignores wake nobody. */
export type RecordSink = {
	/** A line that starts a record. */
	record: (header: RecordHeader, line: string) => boolean;
	/** A line that continues the last record (a traceback line). */
	continuation: (line: string) => boolean;
};

export type LogFeedOptions = {
	/** At start, the last this many records … */
	backfillRecords: number;
	/** … within this many bytes from the end, bytes. */
	backfillBytes: number;
	checkMs?: number;
	/** Changes are told at most this often, ms (NOTIFY_MS by default): a sparkline need not redraw for every PERF line. */
	notifyMs?: number;
	/** Set: read every this many ms instead of on change events, and looked for as often (FollowOptions.pollMs). */
	pollMs?: number;
};

/**
One log file followed live and cut into records for a model (errors, events, metrics): the follower's lines go to
`sink` as they come, and subscribers hear that something changed, at most every NOTIFY_MS.
*/
export class LogFeed {
	readonly #follower: FileFollower;
	readonly #listeners = new Set<() => void>();
	#timer: NodeJS.Timeout | undefined;
	readonly #notifyMs: number;
	#ready: () => void = () => undefined;
	/** Resolves once the back-fill is read, or the file found missing or unreadable: the first answer. */
	readonly ready = new Promise<void>(resolve => {
		this.#ready = resolve;
	});

	/** Whether a record has started: continuation lines before the first record belong to none. */
	#inRecord = false;
	/** Records seen since start, back-filled ones included. */
	records = 0;

	constructor(file: string, sink: RecordSink, options: LogFeedOptions) {
		this.#notifyMs = options.notifyMs ?? NOTIFY_MS;
		this.#follower = new FileFollower(file, {
			...options,
			checkMs: options.checkMs ?? options.pollMs,
			isRecordStart,
			onLine: line => {
				const header = parseRecordHeader(line);
				let changed = false;
				if (header === undefined) {
					changed = this.#inRecord && sink.continuation(line);
				} else {
					this.#inRecord = true;
					this.records++;
					changed = sink.record(header, line);
				}

				if (changed) {
					this.#changed();
				}
			},
			onStatus: () => {
				this.#ready();
				this.#changed();
			},
		});
	}

	get status(): FollowStatus {
		return this.#follower.status;
	}

	get rotations(): number {
		return this.#follower.rotations;
	}

	/** `data` while the file is followed (or before the first look); why not otherwise. */
	result<T>(data: T): Result<T> {
		const {state, detail} = this.#follower.status;
		return state === 'following' || state === 'starting' ? ok(data) : fail(detail ?? state);
	}

	start(): void {
		this.#follower.start();
	}

	subscribe(listener: () => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	async close(): Promise<void> {
		clearTimeout(this.#timer);
		this.#listeners.clear();
		await this.#follower.close();
	}

	#changed(): void {
		this.#timer ??= setTimeout(() => {
			this.#timer = undefined;
			for (const listener of this.#listeners) {
				listener();
			}
		}, this.#notifyMs);
	}
}
