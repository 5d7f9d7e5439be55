import {
	appendFileSync, mkdtempSync, rmSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import {ErrorFeed, MAX_FEED_CHARACTERS} from '../../source/feeds/error-feed.js';
import {errorLine} from '../helpers/seed-logs.js';
import {waitFor} from '../helpers/wait-for.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(async close => close()));
});

function feedOn(content: string): {errors: ErrorFeed; file: string} {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-error-feed-'));
	const file = path.join(directory, 'errors.log');
	writeFileSync(file, content);
	const errors = new ErrorFeed(file, 200);
	errors.feed.start();
	closers.push(async () => {
		await errors.feed.close();
		rmSync(directory, {recursive: true, force: true});
	});
	return {errors, file};
}

const held = (errors: ErrorFeed) => {
	const current = errors.current();
	return current.ok ? current.data.records : [];
};

const characters = (errors: ErrorFeed) => held(errors).reduce((sum, record) => sum + record.message.length + record.traceback.reduce((lines, line) => lines + line.length, 0), 0);

describe('the error feed stays bounded in bytes, not only in records', () => {
	it('drops the oldest records when 60 KiB messages would pass its characters, keeping the newest', async () => {
		const now = new Date();
		const huge = (index: number) => errorLine(now, `huge:${index}`, `record ${index} ${'x'.repeat(60_000)}`);
		const {errors, file} = feedOn(`${Array.from({length: 40}, (_, index) => huge(index)).join('\n')}\n`);
		await waitFor(() => held(errors).at(-1)?.message.startsWith('record 39 '), 'the back-fill');
		appendFileSync(file, `${Array.from({length: 40}, (_, index) => huge(40 + index)).join('\n')}\n`);
		await waitFor(() => held(errors).at(-1)?.message.startsWith('record 79 '), 'the records written live');
		expect(characters(errors)).toBeLessThanOrEqual(MAX_FEED_CHARACTERS);
		// Not more dropped than the bound asks: as many of these records as fit.
		expect(held(errors).length).toBe(Math.floor(MAX_FEED_CHARACTERS / held(errors)[0]!.message.length));
	});

	it('keeps a traceback line of a 64 KiB line to its first 4,096 characters', async () => {
		const {errors, file} = feedOn(`${errorLine(new Date(), 'main:1', 'crashed')}\n`);
		await waitFor(() => held(errors).length === 1, 'the record');
		appendFileSync(file, `Traceback (most recent call last):\n${'y'.repeat(65_000)}\n`);
		const record = await waitFor(() => (held(errors)[0]?.traceback.length === 2 ? held(errors)[0] : undefined), 'the traceback');
		expect(record.traceback[1]).toBe('y'.repeat(4096));
	});
});
