import cliTruncate from 'cli-truncate';
import fc from 'fast-check';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {cell, fit, line} from '../../source/ui/components/styled.js';
import {wrappedPage, wrappedRowCount} from '../../source/ui/components/wrap.js';
import {stripControl} from '../../source/text/sanitize.js';

const visible = (text: string) => text.replaceAll(/\u001B\[[\d;]*m/g, '');

describe('rows cut to their cells before Ink', () => {
	it('cuts text to its cells with a `…`, wide characters and escape sequences included', () => {
		const piece = fc.constantFrom('a', 'b', ' ', '█', '界', '😀', '⚠️', '\u001B[31m', '\u001B]0;title\u0007', '\t', '\u0000');
		fc.assert(fc.property(fc.array(piece, {maxLength: 40}).map(parts => parts.join('')), fc.integer({min: 1, max: 30}), (text, columns) => {
			const fitted = fit(text, columns);
			const clean = stripControl(text);
			// The longest start that leaves a column for the `…` (cli-truncate, Ink's, can overflow by a wide character).
			const characters = [...new Intl.Segmenter().segment(clean)].map(({segment}) => segment);
			let keep = 0;
			while (keep < characters.length && stringWidth(characters.slice(0, keep + 1).join('')) <= columns - 1) {
				keep++;
			}

			expect(fitted.text).toBe(stringWidth(clean) <= columns ? clean : `${characters.slice(0, keep).join('')}…`);
			expect(fitted.width).toBe(stringWidth(fitted.text));
			expect(fitted.width).toBeLessThanOrEqual(columns);
			if (!/[界😀⚠]/u.test(clean)) {
				expect(fitted.text).toBe(stringWidth(clean) <= columns ? clean : cliTruncate(clean, columns));
			}
		}), {numRuns: 2000});
	});

	it('counts an emoji with its variation selector, a keycap and a flag as the terminal does: one character, two columns', () => {
		expect(fit('⚠️ camera 3 lost frames', 6)).toEqual({text: '⚠️ ca…', width: 6, cut: true});
		expect(fit('1️⃣🇫🇷x', 5)).toEqual({text: '1️⃣🇫🇷x', width: 5, cut: false});
		expect(wrappedPage(['⚠️⚠️⚠️'], 5, 0, 3)).toEqual(['⚠️⚠️', '⚠️']);
	});

	it('reads a 64 KiB line only as far as the cells it fills', () => {
		// Escape sequences first: the prefix read grows until it holds enough visible text.
		const hostile = `${'\u001B[1m'.repeat(5000)}${'x'.repeat(65_536)}`;
		expect(fit(hostile, 20)).toEqual({text: `${'x'.repeat(19)}…`, width: 20, cut: true});
	});

	it('joins styled segments into one row and cuts the row, not each segment, at its width', () => {
		expect(visible(line(12, ['CPU ', ['█████', {color: 'green'}], ['░░░░░', {color: 'gray'}], ' 50%']))).toBe('CPU █████░░…');
		expect(visible(line(6, ['abc', 'def']))).toBe('abcdef');
		expect(visible(line(5, ['abc', 'def']))).toBe('abcd…');
		expect(visible(line(3, ['abc', 'def']))).toBe('ab…');
	});

	it('pads a table cell to its width, its last column a gap, left or right aligned', () => {
		expect(cell('pid', 8)[0]).toBe('pid     ');
		expect(cell('12.5%', 8, {right: true})[0]).toBe('  12.5% ');
		expect(cell('cam1_stream.py', 8)[0]).toBe('cam1_s… ');
	});
});

describe('a long record read a page at a time', () => {
	const record = ['2026-12-05 01:02:03,456 ERROR main:1', 'x'.repeat(250), 'Traceback (most recent call last):'];

	it('wraps each line at the width and gives the rows of the page asked for', () => {
		expect(wrappedRowCount(record, 100)).toBe(1 + 3 + 1);
		expect(wrappedPage(record, 100, 0, 2)).toEqual([record[0], 'x'.repeat(100)]);
		expect(wrappedPage(record, 100, 3, 5)).toEqual(['x'.repeat(50), record[2]]);
	});

	it('never splits a wide character across rows', () => {
		expect(wrappedPage(['界界界'], 5, 0, 3)).toEqual(['界界', '界']);
	});
});
