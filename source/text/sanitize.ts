import stringWidth from 'string-width';

/*
Log lines, command lines and Redis replies are untrusted: an ESC sequence in them could move the
cursor, retitle the window or switch the terminal's character set. Everything drawn goes through here.
*/

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), DCS/SOS/PM/APC (ESC P|X|^|_ … ESC \), and the rest (ESC, intermediates, a final byte: `ESC ( 0` switches the charset).
// Each alternative is linear: bounded character classes, no nested quantifiers.
// eslint-disable-next-line no-control-regex -- matching control sequences is this module's job
const ESCAPE_SEQUENCE = /\u001B(?:\[[0-?]*[ -/]*[@-~]?|][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[PX^_][^\u001B]*(?:\u001B\\)?|[ -/]*[0-~]?)|\u009B[0-?]*[ -/]*[@-~]?/g;
// C0 controls except tab, DEL, C1 controls, and the bidirectional overrides and isolates (U+202E would draw the
// rest of a line backwards and shift what follows it).
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_CHARACTER = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
The text with terminal escape sequences removed and other control characters shown as `�`; tabs become a space.
*/
export function stripControl(text: string): string {
	return text.replaceAll(ESCAPE_SEQUENCE, '').replaceAll(CONTROL_CHARACTER, '\uFFFD').replaceAll('\t', ' ');
}

/**
At most `columns` terminal columns (a CJK character or an emoji takes two), with `…` marking the cut.
*/
export function truncate(text: string, columns: number): string {
	if (text.length <= columns && stringWidth(text) <= columns) {
		return text;
	}

	let width = 0;
	let out = '';
	for (const character of text) {
		const characterWidth = stringWidth(character);
		if (width + characterWidth > columns - 1) {
			break;
		}

		out += character;
		width += characterWidth;
	}

	return `${out}…`;
}

/** `text` padded with spaces to `columns` terminal columns (wide characters count two). */
export function padEndWidth(text: string, columns: number): string {
	return text + ' '.repeat(Math.max(0, columns - stringWidth(text)));
}

/** `text` after spaces to `columns` cells, for right-aligned columns. */
export function padStartWidth(text: string, columns: number): string {
	return ' '.repeat(Math.max(0, columns - stringWidth(text))) + text;
}

/** Untrusted text made safe to print and cut to `columns`: the two steps every report line takes. */
export function cleanLine(text: string, columns: number): string {
	return truncate(stripControl(text), columns);
}
