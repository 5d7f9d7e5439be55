import {stripControl} from '../../text/sanitize.js';
import {cells} from './styled.js';

/*
A long record (a log line may be 64 KiB) read as rows of a pane's width, a page at a time: rows are found by walking
the text's characters, and only the rows of the page asked for are cut out. A record's rows are counted once per
width, for the scroll limit.
*/

/** Each line of `lines` hard-wrapped at `columns` cells; the rows from `start`, `count` of them. */
export function wrappedPage(lines: readonly string[], columns: number, start: number, count: number): string[] {
	const page: string[] = [];
	let row = 0;
	const end = start + count;
	for (const text of lines) {
		if (row >= end) {
			break;
		}

		row = wrapInto(text, columns, row, {start, end, page});
	}

	return page;
}

/** Rows `lines` take at `columns` cells. */
export function wrappedRowCount(lines: readonly string[], columns: number): number {
	let rows = 0;
	for (const text of lines) {
		rows = wrapInto(text, columns, rows, COUNT_ONLY);
	}

	return rows;
}

/** Which rows to keep: those numbered in [start, end), into `page`. */
type Keep = {start: number; end: number; page: string[]};

const COUNT_ONLY: Keep = {start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY, page: []};

/** Walks one line's rows from row number `row`, keeping those `keep` asks for; the row number after it. */
function wrapInto(text: string, columns: number, row: number, {start, end, page}: Keep): number {
	const width = Math.max(1, columns);
	let from = 0;
	let index = 0;
	let used = 0;
	for (const [character, next] of cells(text)) {
		if (used + next > width && used > 0) {
			if (row >= start && row < end) {
				page.push(text.slice(from, index));
			}

			row++;
			if (row >= end) {
				return row;
			}

			from = index;
			used = 0;
		}

		used += next;
		index += character.length;
	}

	if (row >= start && row < end) {
		page.push(text.slice(from));
	}

	return row + 1;
}

/** Record lines made safe to draw, once per record: a detail view pages through them without cleaning them again. */
export function cleanLines(lines: readonly string[]): string[] {
	return lines.map(text => stripControl(text));
}
