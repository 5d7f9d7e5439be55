import {
	mkdirSync, mkdtempSync, utimesSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {collectLogFiles, type LogFileInfo} from '../../source/collectors/log-files.js';
import {rotatedSiblings} from '../../source/logs/rotation.js';

function appDir(): {root: string; logs: string} {
	const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-logs-'));
	const logs = path.join(root, 'logs');
	mkdirSync(logs);
	return {root, logs};
}

async function collect(logs: string, root: string, now = Date.now()): Promise<Record<string, LogFileInfo>> {
	const result = await collectLogFiles({
		logsDir: logs, legacyLog: path.join(root, 'greencam.log'), staleLogSeconds: 600, now,
	});
	if (!result.ok) {
		throw new Error(result.error);
	}

	return Object.fromEntries(result.data.map(file => [file.name, file]));
}

describe('collectLogFiles', () => {
	it('reports size, last write and rotated siblings of the four logs', async () => {
		const {root, logs} = appDir();
		writeFileSync(path.join(logs, 'camera_system.log'), 'x'.repeat(1234));
		writeFileSync(path.join(logs, 'errors.log'), '');
		for (const sibling of ['errors.log.1', 'errors.log.2.gz', 'errors.log.10', 'errors.log.bak', 'performance.log.2024-01-15']) {
			writeFileSync(path.join(logs, sibling), '');
		}

		const files = await collect(logs, root);
		expect(files['camera_system.log']).toMatchObject({
			exists: true, sizeBytes: 1234, stale: false, rotated: [], error: null,
		});
		expect(files['camera_system.log']!.secondsSinceWrite).toBeLessThan(60);
		expect(files['errors.log']!.rotated).toEqual(['errors.log.1', 'errors.log.2.gz', 'errors.log.10']);
		expect(files['performance.log']).toMatchObject({exists: false, rotated: ['performance.log.2024-01-15']});
		expect(files['greencam.log']).toMatchObject({exists: false, path: path.join(root, 'greencam.log')});
	});

	it('flags a log not written for longer than the threshold as stale, but never errors.log', async () => {
		const {root, logs} = appDir();
		const hourAgo = new Date(Date.now() - 3_600_000);
		for (const name of ['camera_system.log', 'errors.log', 'performance.log']) {
			const file = path.join(logs, name);
			writeFileSync(file, 'x\n');
			utimesSync(file, hourAgo, hourAgo);
		}

		const files = await collect(logs, root);
		expect(files['camera_system.log']).toMatchObject({stale: true});
		expect(files['camera_system.log']!.secondsSinceWrite).toBeGreaterThan(3500);
		expect(files['performance.log']).toMatchObject({stale: true});
		expect(files['errors.log']).toMatchObject({stale: false, expectsWrites: false});
	});

	it('reports every file missing when the logs directory does not exist', async () => {
		const {root} = appDir();
		const files = await collect(path.join(root, 'nowhere'), root);
		expect(Object.values(files).every(file => !file.exists && file.error === null)).toBe(true);
	});

	it('says so when a log path is not a regular file', async () => {
		const {root, logs} = appDir();
		mkdirSync(path.join(logs, 'errors.log'));
		expect((await collect(logs, root))['errors.log']).toMatchObject({exists: true, error: 'not a regular file'});
	});

	it('fails as a whole when the logs path is a file', async () => {
		const {root} = appDir();
		const notDir = path.join(root, 'file');
		writeFileSync(notDir, '');
		const result = await collectLogFiles({logsDir: notDir, legacyLog: path.join(root, 'greencam.log'), staleLogSeconds: 600});
		expect(result).toEqual({ok: false, error: `${notDir}: not a directory`});
	});
});

describe('rotatedSiblings', () => {
	it('orders numbered backups newest first and ignores look-alikes', () => {
		expect(rotatedSiblings('errors.log', ['errors.log.3', 'errors.log.1', 'errors.log', 'errors.logx', 'errors.log.old', 'errors.log.2.gz'])).toEqual(['errors.log.1', 'errors.log.2.gz', 'errors.log.3']);
	});
});
