import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {readLinesBackwards} from '../../source/logs/read-lines-backwards.js';

const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-back-'));

async function backwards(content: string | Buffer, options?: {maxLineBytes: number; maxBytes: number}) {
	const file = path.join(directory, `f${Math.random()}`);
	writeFileSync(file, content);
	const state = {bytesRead: 0};
	const lines: string[] = [];
	const truncated: boolean[] = [];
	for await (const line of readLinesBackwards(file, options ?? {maxLineBytes: 1 << 20, maxBytes: 1 << 30}, state)) {
		lines.push(line.text);
		truncated.push(line.truncated);
	}

	return {lines, truncated, bytesRead: state.bytesRead};
}

describe('readLinesBackwards', () => {
	it('gives the lines last first, with or without a final newline, LF or CRLF', async () => {
		expect((await backwards('a\nb\nc\n')).lines).toEqual(['c', 'b', 'a']);
		expect((await backwards('a\nb\nc')).lines).toEqual(['c', 'b', 'a']);
		expect((await backwards('a\r\nb\r\n')).lines).toEqual(['b', 'a']);
		expect((await backwards('a\n\nb\n')).lines).toEqual(['b', '', 'a']);
		expect((await backwards('')).lines).toEqual([]);
	});

	it('joins lines that straddle its 64 KiB chunks', async () => {
		const lines = Array.from({length: 5000}, (_, index) => `line ${index} ${'x'.repeat(index % 97)}`);
		expect((await backwards(`${lines.join('\n')}\n`)).lines).toEqual(lines.reverse());
	});

	it('keeps the beginning of an over-long line and says it was cut', async () => {
		const long = `2024-01-15 10:30:15,123 - ${'y'.repeat(300_000)}`;
		const result = await backwards(`first\n${long}\nlast\n`, {maxLineBytes: 100, maxBytes: 1 << 30});
		expect(result.lines).toEqual(['last', long.slice(0, 100), 'first']);
		expect(result.truncated).toEqual([false, true, false]);
	});

	it('turns invalid UTF-8 and NUL bytes into text without throwing', async () => {
		const result = await backwards(Buffer.from([0x61, 0xFF, 0xFE, 0x0A, 0x00, 0x62, 0x0A]));
		expect(result.lines).toEqual(['\u0000b', 'a\uFFFD\uFFFD']);
	});

	it('stops reading at maxBytes, without returning the cut line', async () => {
		const content = `${'z'.repeat(100)}\n`.repeat(10_000);
		const result = await backwards(content, {maxLineBytes: 1000, maxBytes: 64 * 1024});
		expect(result.bytesRead).toBe(64 * 1024);
		expect(result.lines.every(line => line === 'z'.repeat(100))).toBe(true);
		expect(result.lines.length).toBe(Math.floor((64 * 1024) / 101));
	});
});
