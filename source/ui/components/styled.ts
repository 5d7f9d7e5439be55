import chalk from 'chalk';
import stringWidth from 'string-width';
import {stripControl} from '../../text/sanitize.js';

/*
A pane's rows are built here as finished strings: cleaned of control sequences, cut to the cells they occupy and
styled with SGR codes, so that Ink gets one short <Text> per row. A frame then costs the screen, not the data: a
64 KiB log line is read only as far as the pane is wide, and Ink never measures, wraps or slices it.
*/

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white' | 'gray' | 'black';
export type Style = {color?: Color | undefined; background?: Color | undefined; bold?: boolean | undefined; inverse?: boolean | undefined};
/**
Text, or text with a style. A style written inside a segment says `satisfies Style` where it has `bold`: a segment may
be a string, so the literal's type also holds String's deprecated bold(), which the linter takes it for.
*/
export type Segment = string | readonly [text: string, style: Style];

const FOREGROUND: Record<Color, number> = {
	black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90,
};

/**
The text wrapped in the SGR codes of its style: the codes Ink's own `color`, `bold` and `inverse` give, and like them
none where chalk (Ink's colours) finds no colour support (NO_COLOR, a pipe).
*/
export function paint(text: string, style: Style | undefined): string {
	if (style === undefined || text === '' || chalk.level === 0) {
		return text;
	}

	let open = '';
	let close = '';
	if (style.color !== undefined) {
		open += `\u001B[${FOREGROUND[style.color]}m`;
		close = `\u001B[39m${close}`;
	}

	if (style.background !== undefined) {
		open += `\u001B[${FOREGROUND[style.background] + 10}m`;
		close = `\u001B[49m${close}`;
	}

	if (style.bold) {
		open += '\u001B[1m';
		close = `\u001B[22m${close}`;
	}

	if (style.inverse) {
		open += '\u001B[7m';
		close = `\u001B[27m${close}`;
	}

	return open + text + close;
}

/** Distinct graphemes measured: a hostile line could bring many, so the table stops growing here. */
const MAX_MEASURED_GRAPHEMES = 4096;
const graphemeWidths = new Map<string, number>();
const graphemes = new Intl.Segmenter();

/** Punctuation camtop writes into its own rows (`—` for unknown, `·`, `…`, `µs`, `°C`, `▲▼`), one column each in string-width. */
const SIMPLE_SYMBOLS = new Set([0xB0, 0xB5, 0xB7, 0xD7, 0x20_14, 0x20_22, 0x20_26, 0x25_B2, 0x25_BC]);

/**
Code points that are one column on their own and never join the next: ASCII, the box drawing a pane is made of, and
SIMPLE_SYMBOLS. A text of only these is measured without the grapheme segmenter.
*/
const isSimple = (code: number) => (code >= 0x20 && code < 0x7F) || (code >= 0x25_00 && code < 0x25_A0) || SIMPLE_SYMBOLS.has(code);

/**
The text's characters as the terminal counts them, with their columns: printable ASCII and box drawing one at a
time without asking string-width; anything else by grapheme (an emoji with its variation selector, a flag, a
keycap is one character of two columns), measured by string-width.
*/
export function * cells(text: string): Generator<[character: string, width: number]> {
	let simple = true;
	for (let index = 0; index < text.length; index++) {
		if (!isSimple(text.codePointAt(index)!)) {
			simple = false;
			break;
		}
	}

	if (simple) {
		for (const character of text) {
			yield [character, 1];
		}

		return;
	}

	for (const {segment} of graphemes.segment(text)) {
		let width = graphemeWidths.get(segment);
		if (width === undefined) {
			width = stringWidth(segment);
			if (graphemeWidths.size < MAX_MEASURED_GRAPHEMES) {
				graphemeWidths.set(segment, width);
			}
		}

		yield [segment, width];
	}
}

export type Fitted = {text: string; width: number; cut: boolean};

/**
Untrusted text, cleaned and cut to at most `columns` cells (`…` marks the cut). Only a prefix is read: enough raw
characters to fill the columns once escape sequences are removed, doubled until it does, so a 64 KiB line costs
what a pane's width of it costs.
*/
export function fit(text: string, columns: number): Fitted {
	if (columns <= 0) {
		return {text: '', width: 0, cut: text !== ''};
	}

	for (let take = (columns * 4) + 64; ; take *= 2) {
		const whole = take >= text.length;
		const fitted = cutToWidth(stripControl(whole ? text : text.slice(0, take)), columns);
		// A prefix that fits says nothing of the rest: read more, unless this was all of it.
		if (whole || fitted.cut) {
			return fitted;
		}
	}
}

/** Clean text cut to `columns`, the last column then given to `…`. */
function cutToWidth(text: string, columns: number): Fitted {
	let width = 0;
	let end = 0;
	// Where the text ends if it must leave a column for the `…`.
	let cutEnd = 0;
	let cutWidth = 0;
	for (const [character, next] of cells(text)) {
		if (width + next > columns) {
			return {text: `${text.slice(0, cutEnd)}…`, width: cutWidth + 1, cut: true};
		}

		width += next;
		end += character.length;
		if (width <= columns - 1) {
			cutEnd = end;
			cutWidth = width;
		}
	}

	return {text, width, cut: false};
}

/** One row: the segments in order, cut to `columns` cells (`…` at the cut), styles kept. */
export function line(columns: number, segments: readonly Segment[]): string {
	let out = '';
	let room = columns;
	for (const [index, segment] of segments.entries()) {
		const [text, style] = typeof segment === 'string' ? [segment, undefined] : segment;
		let fitted = fit(text, room);
		// Filled exactly with more to come: the row is cut, so this segment ends in the `…`.
		if (!fitted.cut && fitted.width === room && segments.slice(index + 1).some(next => (typeof next === 'string' ? next : next[0]) !== '')) {
			fitted = fit(`${fitted.text} `, room);
		}

		out += paint(fitted.text, style);
		room -= fitted.width;
		if (fitted.cut || room <= 0) {
			break;
		}
	}

	return out;
}

/** A table cell of exactly `width` columns, its last column a gap: cut at its edge, padded, left or right aligned. */
export function cell(text: string, width: number, style?: Style & {right?: boolean}): Segment {
	return [`${padCell(text, Math.max(2, width) - 1, style?.right)} `, style ?? {}];
}

/** Untrusted text in exactly `columns` cells: cleaned, cut at its edge (`…`), padded, left or right aligned. */
export function padCell(text: string, columns: number, right = false): string {
	const fitted = fit(text, columns);
	const padding = ' '.repeat(Math.max(0, columns - fitted.width));
	return right ? padding + fitted.text : fitted.text + padding;
}
