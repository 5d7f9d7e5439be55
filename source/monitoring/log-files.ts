import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {describeError} from '../base/errors.js';
import {withDeadline} from '../base/deadline.js';
import {FileSink} from './file-sink.js';
import type {Settings} from './settings.js';

const MAIN_LOG = 'camera_system.log';
const ERROR_LOG = 'errors.log';
const PERFORMANCE_LOG = 'performance.log';

/**
The files a monitor writes: camera_system.log and errors.log rotated by size, performance.log daily, and the legacy
copy of the main log. A file that cannot be written is said once on stderr, for all of them, and never thrown.
*/
export class LogFiles {
	readonly main: FileSink;
	readonly errors: FileSink;
	readonly performance: FileSink;
	readonly legacy: FileSink | undefined;
	readonly #all: FileSink[];
	#reported = false;

	constructor(settings: Settings, logsDir: string) {
		try {
			mkdirSync(logsDir, {recursive: true});
		} catch {
			// Each file reports it, once, when it fails to open.
		}

		const sink = (file: string, rotation: {rotationBytes?: number; interval?: string}) => new FileSink({
			file,
			backups: settings.backups,
			maxPendingBytes: settings.maxPendingBytes,
			onError: (name, error) => {
				this.reportError(name, error);
			},
			...rotation,
		});
		this.main = sink(path.join(logsDir, MAIN_LOG), {rotationBytes: settings.rotationBytes});
		this.errors = sink(path.join(logsDir, ERROR_LOG), {rotationBytes: settings.errorRotationBytes});
		this.performance = sink(path.join(logsDir, PERFORMANCE_LOG), {interval: '1d'});
		this.legacy = settings.legacyLog === null ? undefined : sink(path.resolve(settings.legacyLog), {rotationBytes: settings.rotationBytes});
		this.#all = this.legacy === undefined ? [this.main, this.errors, this.performance] : [this.main, this.errors, this.performance, this.legacy];
	}

	/** Records that will never reach their file, over all the files. */
	get lost(): number {
		return this.#all.reduce((sum, file) => sum + file.lost, 0);
	}

	/** Says on stderr, the first time only, that `file` cannot be written; never throws. */
	reportError(file: string, error: unknown): void {
		if (this.#reported) {
			return;
		}

		this.#reported = true;
		try {
			process.stderr.write(`camtop/monitoring: cannot write ${file} (${describeError(error)}); records that do not reach the logs are counted in stats().lostWrites\n`);
		} catch {}
	}

	/** Writes what is queued now, synchronously: for process exit, when no callback will run. */
	flushSync(): void {
		for (const file of this.#all) {
			file.flushSync();
		}
	}

	/** Flushes and closes every file within `timeoutMs`; what is still queued then is written synchronously. */
	async close(timeoutMs: number): Promise<void> {
		const closed = await withDeadline(Promise.all(this.#all.map(async file => file.close())).then(() => true), timeoutMs, () => false);
		if (!closed) {
			this.flushSync();
		}
	}
}
