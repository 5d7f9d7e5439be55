import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {describeError} from '../base/errors.js';
import {rotatedSiblings} from '../logs/rotation.js';
import {fail, ok, type Result} from '../base/result.js';

export type LogFileInfo = {
	name: string;
	path: string;
	exists: boolean;
	sizeBytes: number;
	/** Last write, epoch milliseconds. */
	modifiedAt: number | null;
	secondsSinceWrite: number | null;
	/** Not written for longer than the threshold although it should be. errors.log is never stale: quiet is good news there. */
	stale: boolean;
	/** Whether silence in this file is a sign of trouble. */
	expectsWrites: boolean;
	/** Rotated siblings present (`errors.log.1`, `performance.log.2024-01-15`, `….gz`), newest first. */
	rotated: string[];
	/** Why it could not be read (`permission denied`), null when it could or simply does not exist. */
	error: string | null;
};

export type LogFilesOptions = {
	logsDir: string;
	legacyLog: string;
	staleLogSeconds: number;
	now?: number;
};

export const LOG_FILE_NAMES = ['camera_system.log', 'errors.log', 'performance.log'] as const;

/**
The seed's four logs: whether each exists, its size, when it was last written and its rotated siblings.
Fails as a whole only when the logs directory cannot be listed for a reason other than not existing.
*/
export async function collectLogFiles({logsDir, legacyLog, staleLogSeconds, now = Date.now()}: LogFilesOptions): Promise<Result<LogFileInfo[]>> {
	const listings = new Map<string, string[]>();
	const list = async (directory: string): Promise<string[]> => {
		if (!listings.has(directory)) {
			try {
				listings.set(directory, await readdir(directory));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
					throw error;
				}

				listings.set(directory, []);
			}
		}

		return listings.get(directory)!;
	};

	try {
		const files = [...LOG_FILE_NAMES.map(name => path.join(logsDir, name)), legacyLog];
		return ok(await Promise.all(files.map(async file => {
			const name = path.basename(file);
			const siblings = rotatedSiblings(name, await list(path.dirname(file)));
			return describeFile(file, siblings, {expectsWrites: name !== 'errors.log', staleLogSeconds, now});
		})));
	} catch (error) {
		return fail(`${logsDir}: ${describeError(error)}`);
	}
}

async function describeFile(file: string, rotated: string[], {expectsWrites, staleLogSeconds, now}: {expectsWrites: boolean; staleLogSeconds: number; now: number}): Promise<LogFileInfo> {
	const info: LogFileInfo = {
		name: path.basename(file),
		path: file,
		exists: false,
		sizeBytes: 0,
		modifiedAt: null,
		secondsSinceWrite: null,
		stale: false,
		expectsWrites,
		rotated,
		error: null,
	};
	try {
		const stats = await stat(file);
		if (!stats.isFile()) {
			return {...info, exists: true, error: 'not a regular file'};
		}

		const secondsSinceWrite = Math.max(0, (now - stats.mtimeMs) / 1000);
		return {
			...info,
			exists: true,
			sizeBytes: stats.size,
			modifiedAt: stats.mtimeMs,
			secondsSinceWrite,
			stale: expectsWrites && secondsSinceWrite > staleLogSeconds,
		};
	} catch (error) {
		const {code} = (error as NodeJS.ErrnoException);
		return code === 'ENOENT' ? info : {...info, error: describeError(error)};
	}
}
