import {
	LEVEL_CRITICAL, LEVEL_ERROR, LEVEL_INFO, LEVEL_WARNING,
} from '../logs/line-header.js';
import {runCleanups, type Cleanup, type CleanupOutcome} from './cleanups.js';
import type {LogFiles} from './log-files.js';
import type {RecordWriter} from './record-writer.js';
import {thrownLocation} from './stack-frames.js';

/** Cleanups get this share of the timeout; flushing the files the rest (they are written all along, so little is left). */
const CLEANUP_SHARE = 0.8;

/** SIGTERM: asked to stop, stopped cleanly; SIGINT: 128 + 2, as shells expect. */
const EXIT_CODES = {SIGTERM: 0, SIGINT: 130} as const;

export type ShutdownOptions = {
	/** Shutdown resolves within this, milliseconds, cleanups that hang or not. */
	timeoutMs: number;
	/** SIGTERM and SIGINT run the shutdown, then exit; a second signal exits at once. */
	handleSignals: boolean;
	/** Called first: the monitor's timers stop. */
	onStart: () => void;
};

/**
A monitor's end, and its hold on the process: SIGTERM and SIGINT, the cleanups the app registered (the last one first,
within 80 % of the timeout), the files flushed and closed within the rest, and on a process.exit() that skips all
that, or a crash, what is queued written synchronously. run() is idempotent: every call returns the first one's
promise.
*/
export class Shutdown {
	readonly #writer: RecordWriter;
	readonly #files: LogFiles;
	readonly #options: ShutdownOptions;
	readonly #cleanups: Cleanup[] = [];
	#closing: Promise<void> | undefined;
	#signals = 0;

	constructor(writer: RecordWriter, files: LogFiles, options: ShutdownOptions) {
		this.#writer = writer;
		this.#files = files;
		this.#options = options;
		process.on('exit', this.#onExit);
		process.on('uncaughtExceptionMonitor', this.#onUncaught);
		if (options.handleSignals) {
			process.on('SIGTERM', this.#onSignal);
			process.on('SIGINT', this.#onSignal);
		}
	}

	/** Whether run() has been called. */
	get started(): boolean {
		return this.#closing !== undefined;
	}

	/** Runs `cleanup` on shutdown, before those added earlier; ignored once the shutdown has begun. */
	add(cleanup: Cleanup): void {
		if (this.#closing === undefined && typeof cleanup === 'function') {
			this.#cleanups.push(cleanup);
		}
	}

	// Not async: every call returns the one promise of the first, which an async function cannot.
	// eslint-disable-next-line @typescript-eslint/promise-function-async
	run(reason: string): Promise<void> {
		this.#closing ??= this.#close(reason);
		return this.#closing;
	}

	async #close(reason: string): Promise<void> {
		const deadline = Date.now() + this.#options.timeoutMs;
		this.#options.onStart();
		this.#writer.log(LEVEL_INFO, `Shutting down: ${reason}`);
		await runCleanups([...this.#cleanups].reverse(), this.#options.timeoutMs * CLEANUP_SHARE, this.#reportCleanup);

		this.#writer.log(LEVEL_INFO, 'Shutdown complete');
		this.#writer.closed = true;
		await this.#files.close(Math.max(0, deadline - Date.now()));

		process.off('exit', this.#onExit);
		process.off('uncaughtExceptionMonitor', this.#onUncaught);
		process.off('SIGTERM', this.#onSignal);
		process.off('SIGINT', this.#onSignal);
	}

	readonly #reportCleanup = ({name, result, error}: CleanupOutcome): void => {
		if (result === 'failed') {
			this.#writer.log(LEVEL_ERROR, `Cleanup ${name} failed`, undefined, {error});
		} else if (result === 'timed_out') {
			this.#writer.log(LEVEL_WARNING, `Cleanup ${name} did not finish in time; shutting down without it`);
		}
	};

	readonly #onSignal = (signal: NodeJS.Signals): void => {
		const code = signal === 'SIGINT' ? EXIT_CODES.SIGINT : EXIT_CODES.SIGTERM;
		this.#signals++;
		if (this.#signals > 1) {
			// Asked twice: stop now, with what is queued written synchronously.
			this.#onExit();
			// eslint-disable-next-line unicorn/no-process-exit -- a signal handler ends the process, as Node's default one would, with the code shells expect.
			process.exit(code);
			return;
		}

		// eslint-disable-next-line unicorn/no-process-exit -- as above, once the shutdown is done.
		void this.run(`received ${signal}`).then(() => process.exit(code));
	};

	// A process.exit() that skips the shutdown, or a crash, still gets what is queued onto the disk.
	readonly #onExit = (): void => {
		this.#files.flushSync();
	};

	// Observes a crash without changing it (Node still prints it and exits 1): the record is written on 'exit'.
	readonly #onUncaught = (error: unknown, origin: string): void => {
		this.#writer.log(LEVEL_CRITICAL, origin === 'unhandledRejection' ? 'Unhandled promise rejection' : 'Uncaught exception', thrownLocation(error), {error});
	};
}
