/*
Text from whatever a JavaScript caller passed, made fit for a record: a Symbol or an object whose toString throws
is no reason to throw, and a line break or a space where the reader does not expect one would change what it reads.
*/

export function asText(value: unknown): string {
	if (typeof value === 'string') {
		return value;
	}

	try {
		return String(value);
	} catch {
		return '[unprintable]';
	}
}

/** An error's message, first line only, for ISSUE records; never throws. */
export function errorText(error: unknown): string {
	if (error instanceof Error) {
		try {
			return asText(error.message).split('\n')[0]!;
		} catch {
			return '[unprintable]';
		}
	}

	return asText(error);
}

const LINE_BREAKS = /[\r\n]/g;

/** A message on one line: a line break inside it would start a line that is not a record. */
export function oneLine(message: string): string {
	return message.includes('\n') || message.includes('\r') ? message.replaceAll(LINE_BREAKS, ' ') : message;
}

/** A logger name or a location is one word: the reader ends it at the first space. */
export function oneWord(word: string): string {
	return word.replaceAll(/\s/g, '_');
}
