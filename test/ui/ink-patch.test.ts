import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Writable} from 'node:stream';
import fc from 'fast-check';
import xterm from '@xterm/headless';
import {
	describe, expect, it, vi,
} from 'vitest';

/*
patches/ink+6.8.0.patch (applied by patch-package on install) makes Ink 6.8's frames cost what changed on screen.
These tests fail when the patch is not applied, and name what they need of Ink's internals, so that an upgrade
that moves them says so here. Ink's package exports hide its build files: they are imported by path, and have no
types, so this file calls them untyped.
*/
/* eslint-disable @typescript-eslint/no-unsafe-call -- the whole file: see above */
const inkBuild = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules', 'ink', 'build');
const load = async (file: string): Promise<any> => import(pathToFileURL(path.join(inkBuild, file)).href);

type Write = {x: number; y: number; text: string};

async function draw(writes: Write[], {width, height, rowCache}: {width: number; height: number; rowCache?: unknown}): Promise<string> {
	const {default: Output} = await load('output.js');
	const output = new Output({width, height, rowCache});
	output.clip({
		x1: 0, x2: width, y1: 0, y2: height,
	});
	for (const {x, y, text} of writes) {
		output.write(x, y, text, {transformers: []});
	}

	output.unclip();
	return output.get().output as string;
}

describe('the Ink patch', () => {
	it('builds again only the rows whose writes changed since the last frame (Output.buildRow, RowCache)', async () => {
		const {default: Output, RowCache} = await load('output.js');
		const rowCache = new RowCache();
		const frame = (clock: string) => [{x: 0, y: 0, text: `\u001B[1mcamtop\u001B[22m ${clock}`}, {x: 0, y: 1, text: '╭──╮'}, {x: 2, y: 2, text: '\u001B[31mred\u001B[39m'}];
		await draw(frame('01:00:00'), {width: 20, height: 3, rowCache});
		const buildRow = vi.spyOn(Output.prototype, 'buildRow');
		const second = await draw(frame('01:00:01'), {width: 20, height: 3, rowCache});
		expect(buildRow).toHaveBeenCalledTimes(1);
		expect(second).toBe(await draw(frame('01:00:01'), {width: 20, height: 3}));
		buildRow.mockRestore();
	});

	it('draws the same frames with the row cache as without it, whatever was drawn before', async () => {
		const {RowCache} = await load('output.js');
		const text = fc.array(fc.constantFrom('a', 'b', ' ', '█', '界', '\u001B[31m', '\u001B[39m', '\u001B[1m', '\u001B[0m', '\n'), {maxLength: 12}).map(parts => parts.join(''));
		const write = fc.record({x: fc.integer({min: -2, max: 9}), y: fc.integer({min: -1, max: 4}), text});
		await fc.assert(fc.asyncProperty(fc.array(fc.array(write, {maxLength: 6}), {minLength: 1, maxLength: 4}), async frames => {
			const rowCache = new RowCache();
			for (const writes of frames) {
				expect(await draw(writes, {width: 8, height: 4, rowCache})).toBe(await draw(writes, {width: 8, height: 4}));
			}
		}), {numRuns: 300});
	});

	it('copies rows whose writes do not overlap, and they show the same cells as rows laid out cell by cell (Output.copyRows)', async () => {
		const {default: Output} = await load('output.js');
		const {styledCharsFromTokens, tokenize} = await import('@alcalzone/ansi-tokenize');
		// What a terminal shows: each cell's character and styles, whatever codes put them there; unstyled spaces at
		// the end of a row show as nothing (log-update erases to the end of each line it writes).
		const cells = (frame: string) => frame.split('\n').map(row => {
			const shown = styledCharsFromTokens(tokenize(row)).map(({value, styles}) => `${value}${styles.map(style => style.code).sort().join('')}`);
			while (shown.at(-1) === ' ') {
				shown.pop();
			}

			return shown;
		});
		const text = fc.array(fc.constantFrom('a', ' ', '█', '界', '\u001B[31m', '\u001B[39m', '\u001B[1m', '\u001B[22m', '\u001B[0m'), {maxLength: 8}).map(parts => parts.join(''));
		const write = fc.record({x: fc.integer({min: 0, max: 12}), y: fc.integer({min: 0, max: 2}), text});
		const copyRow = vi.spyOn(Output.prototype, 'copyRow');
		await fc.assert(fc.asyncProperty(fc.array(write, {maxLength: 6}), async writes => {
			Output.copyRows = true;
			const copied = await draw(writes, {width: 10, height: 3});
			Output.copyRows = false;
			const laidOut = await draw(writes, {width: 10, height: 3});
			Output.copyRows = true;
			expect(cells(copied)).toEqual(cells(laidOut));
		}), {numRuns: 500});
		expect(copyRow.mock.results.some(result => result.value !== undefined)).toBe(true);
		copyRow.mockRestore();
	});

	it('measures the characters it counts as one column as string-width does (narrowWidth)', async () => {
		const {narrowWidth} = await load('output.js');
		const {default: stringWidth} = await import('string-width');
		for (let code = 0; code < 0x30_00; code++) {
			const character = String.fromCodePoint(code);
			const narrow = narrowWidth(`\u001B[31m${character}\u001B[39m`);
			if (narrow !== undefined) {
				expect([code.toString(16), narrow]).toEqual([code.toString(16), stringWidth(character)]);
			}
		}

		expect(narrowWidth('╭─ CPU █░ ▶1 · ●')).toBe(16);
		expect(narrowWidth('界')).toBeUndefined();
	});

	it('rewrites only the changed part of a changed line, and the terminal shows what a whole redraw shows (log-update)', async () => {
		const {default: logUpdate} = await load('log-update.js');
		const columns = 12;
		const rows = 4;
		/** A real terminal emulator; `written` is everything sent to it. */
		const terminal = () => {
			const emulator = new xterm.Terminal({
				cols: columns, rows: rows + 1, allowProposedApi: true, convertEol: true,
			});
			let written = '';
			const stream = new Writable({
				write(chunk: Buffer, _encoding, done) {
					written += chunk.toString();
					emulator.write(chunk.toString(), done);
				},
			});
			const screen = () => Array.from({length: rows}, (_, y) => {
				const line = emulator.buffer.active.getLine(y)!;
				return Array.from({length: columns}, (_, x) => {
					const cell = line.getCell(x)!;
					return `${cell.getChars() || ' '}${cell.getFgColor()}${cell.isBold()}${cell.isInverse()}`;
				}).join('|');
			});
			return {stream, screen, bytes: () => written.length};
		};

		const piece = fc.constantFrom('a', 'b', ' ', '│', '█', '\u001B[31mr\u001B[39m', '\u001B[1mB\u001B[22m', '\u001B[7mi\u001B[27m', '界');
		// Lines no wider than the terminal, as Ink's are (a wrapped line would move every line below it).
		const frameLine = fc.array(piece, {maxLength: 10}).map(parts => parts.join('')).filter(line => [...line.replaceAll(/\u001B\[\d+m/g, '')].reduce((width, character) => width + (character === '界' ? 2 : 1), 0) <= columns);
		await fc.assert(fc.asyncProperty(fc.array(fc.array(frameLine, {minLength: rows, maxLength: rows}), {minLength: 2, maxLength: 5}), async frames => {
			const incremental = terminal();
			const log = logUpdate.create(incremental.stream, {incremental: true});
			for (const frame of frames) {
				log(`${frame.join('\n')}\n`);
				const whole = terminal();
				await new Promise(resolve => {
					whole.stream.write(`${frame.join('\n')}\n`, resolve);
				});
				await new Promise(resolve => {
					incremental.stream.write('', resolve);
				});
				expect(incremental.screen()).toEqual(whole.screen());
			}
		}), {numRuns: Number(process.env.PROPERTY_RUNS ?? 300)});

		// A ticking clock at the end of a long status line: the second frame sends the seconds, not the line.
		const clock = terminal();
		const log = logUpdate.create(clock.stream, {incremental: true});
		log('\u001B[1mcamtop\u001B[22m · box · 01:00:00\n');
		const first = clock.bytes();
		log('\u001B[1mcamtop\u001B[22m · box · 01:00:01\n');
		expect(clock.bytes() - first).toBeLessThan(20);
	});

	it('keeps a cached width while a frame uses it and drops it two frames after its last use (FrameCache)', async () => {
		const {createFrameCache, startFrame} = await load('frame-cache.js');
		const cache = createFrameCache();
		const compute = vi.fn((text: string) => text.length);
		cache.get('kept', compute);
		cache.get('dropped', compute);
		startFrame();
		cache.get('kept', compute);
		startFrame();
		cache.get('kept', compute);
		cache.get('dropped', compute);
		expect(compute.mock.calls.map(([text]) => text)).toEqual(['kept', 'dropped', 'dropped']);
	});

	it('does not mix up wrapped texts whose text and width run together the same (wrap-text)', async () => {
		const {default: wrapText} = await load('wrap-text.js');
		expect(wrapText('abc1', 2, 'truncate-end')).toBe('a…');
		expect(wrapText('abc', 12, 'truncate-end')).toBe('abc');
	});

	it('moves back to the first line of a frame that ended in a newline before redrawing its changed lines (log-update)', async () => {
		const {default: logUpdate} = await load('log-update.js');
		const written: string[] = [];
		const stream = new Writable({
			write(chunk: Buffer, _encoding, done) {
				written.push(chunk.toString());
				done();
			},
		});
		const log = logUpdate.create(stream, {incremental: true});
		log('one\ntwo\nthree\n');
		log('one\n2\nthree\n');
		// Three lines and a newline leave the cursor on the fourth line: three up is the first line.
		expect(written.at(-1)).toMatch(/^\u001B\[3A/);
		expect(written.at(-1)).toContain('2');
		expect(written.at(-1)).not.toContain('three');
	});
});
/* eslint-enable @typescript-eslint/no-unsafe-call */
