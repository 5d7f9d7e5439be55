/*
Errors are grouped by what went wrong, not by the numbers in them: by the exception class at the end of a Python
traceback when there is one, else by the message with its variable parts replaced by placeholders.
*/

const MAX_KEY_LENGTH = 160;

// A traceback's last line: `redis.exceptions.ConnectionError: Error 111 …` or a bare `KeyboardInterrupt`.
// Linear: one character class repeated, anchored at both ends of the name.
const EXCEPTION_LINE = /^([A-Za-z_][\w.]{0,200})(?::\s|:$|$)/;

/**
The exception class named by a traceback's last line, or undefined when the line is not one.
*/
export function exceptionClass(line: string): string | undefined {
	const trimmed = line.trim();
	const match = EXCEPTION_LINE.exec(trimmed);
	// `Traceback (most recent call last):` and `  File "x.py", line 3` are not exceptions; a word with neither a capital
	// letter nor a dot (`main:`, `ok`) is not either, while `socket.timeout: timed out` is.
	if (match === null || !/[A-Z.]/.test(match[1]!) || match[1] === 'Traceback') {
		return undefined;
	}

	return match[1];
}

const URL = /^[a-z][a-z\d+.-]{1,15}:\/\//i;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?$/;
const HEX_PREFIXED = /^0x[\da-f]+$/i;
// UUIDs and long hex ids: only hex digits and dashes, at least one digit and one letter, eight characters or more.
const HEX_ID = /^(?=[^\d]{0,64}\d)(?=[^a-f]{0,64}[a-f])[\da-f-]{8,}$/i;
const DIGITS = /\d+(?:\.\d+)?/g;
const TRAILING_PUNCTUATION = /[.,;:)\]}'"]+$/;
const LEADING_PUNCTUATION = /^[([{'"]+/;

/**
A message with its variable parts replaced: URLs → `<url>`, IPs → `<ip>`, paths → `<path>`, hex ids → `<hex>`,
numbers → `<n>`. Word by word, each a short anchored match, so a hostile line costs time in proportion to its length;
words without a digit, a slash or a colon (most of them) are kept without any match at all.
*/
export function normalizeMessage(message: string): string {
	const text = message.length > 1000 ? message.slice(0, 1000) : message;
	let out = '';
	let wordStart = -1;
	let variable = false;
	for (let index = 0; index <= text.length; index++) {
		const code = index < text.length ? text.charCodeAt(index) : 0x20;
		if (code === 0x20 || code === 0x09 || code === 0x0A || code === 0x0D) {
			if (wordStart !== -1) {
				const word = text.slice(wordStart, index);
				out += (out === '' ? '' : ' ') + (variable ? normalizePunctuated(word) : word);
				wordStart = -1;
				variable = false;
			}

			continue;
		}

		if (wordStart === -1) {
			wordStart = index;
		}

		// Digits, `/` (paths, URLs), `:` (URLs), `\` (Windows paths).
		if ((code >= 0x30 && code <= 0x39) || code === 0x2F || code === 0x3A || code === 0x5C) {
			variable = true;
		}
	}

	return out.length > MAX_KEY_LENGTH ? `${out.slice(0, MAX_KEY_LENGTH - 1)}…` : out;
}

function normalizePunctuated(word: string): string {
	const lead = LEADING_PUNCTUATION.exec(word)?.[0] ?? '';
	const trail = TRAILING_PUNCTUATION.exec(word.slice(lead.length))?.[0] ?? '';
	return `${lead}${normalizeWord(word.slice(lead.length, word.length - trail.length))}${trail}`;
}

function normalizeWord(word: string): string {
	if (word === '') {
		return word;
	}

	if (URL.test(word)) {
		return '<url>';
	}

	if (IPV4.test(word)) {
		return '<ip>';
	}

	if (word.startsWith('/') || word.startsWith('./') || word.startsWith('~/') || /^[A-Za-z]:\\/.test(word)) {
		return '<path>';
	}

	if (HEX_PREFIXED.test(word) || HEX_ID.test(word)) {
		return '<hex>';
	}

	return word.replace(DIGITS, '<n>');
}

/**
The key an error is counted under: its exception class, else its normalised message.
*/
export function errorKey(message: string, lastTracebackLine: string | undefined): string {
	const exception = lastTracebackLine === undefined ? undefined : exceptionClass(lastTracebackLine);
	return exception ?? normalizeMessage(message);
}
