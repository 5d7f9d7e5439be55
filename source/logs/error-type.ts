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

/*
Below, character-code loops rather than regular expressions: an errors.log is mostly error records, and this runs
for each one (measured: 0.74 µs a message with regular expressions).
*/

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
const isHexLetter = (code: number) => (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46);
const isLetter = (code: number) => (code >= 0x61 && code <= 0x7A) || (code >= 0x41 && code <= 0x5A);
const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0A || code === 0x0D;
// ( [ { ' "
const isLeadingPunctuation = (code: number) => code === 0x28 || code === 0x5B || code === 0x7B || code === 0x27 || code === 0x22;
// . , ; : ) ] } ' "
const isTrailingPunctuation = (code: number) => code === 0x2E || code === 0x2C || code === 0x3B || code === 0x3A || code === 0x29 || code === 0x5D || code === 0x7D || code === 0x27 || code === 0x22;

/**
A message with its variable parts replaced: URLs → `<url>`, IPs → `<ip>`, paths → `<path>`, hex ids → `<hex>`,
numbers → `<n>`, word by word, in time proportional to its length. Words without a digit, a slash, a colon or a
backslash (most of them) are copied as they stand, in stretches, not word by word.
*/
export function normalizeMessage(message: string): string {
	const text = (message.length > 1000 ? message.slice(0, 1000) : message).trim();
	let out = '';
	let copiedTo = 0;
	let wordStart = -1;
	let variable = false;
	for (let index = 0; index <= text.length; index++) {
		const code = index < text.length ? text.charCodeAt(index) : 0x20;
		if (isWhitespace(code)) {
			if (variable) {
				let coreStart = wordStart;
				while (coreStart < index && isLeadingPunctuation(text.charCodeAt(coreStart))) {
					coreStart++;
				}

				let coreEnd = index;
				while (coreEnd > coreStart && isTrailingPunctuation(text.charCodeAt(coreEnd - 1))) {
					coreEnd--;
				}

				out += text.slice(copiedTo, coreStart) + normalizeWord(text.slice(coreStart, coreEnd));
				copiedTo = coreEnd;
			}

			wordStart = -1;
			variable = false;
			continue;
		}

		if (wordStart === -1) {
			wordStart = index;
		}

		if (isDigit(code) || code === 0x2F || code === 0x3A || code === 0x5C) {
			variable = true;
		}
	}

	out += text.slice(copiedTo);
	return out.length > MAX_KEY_LENGTH ? `${out.slice(0, MAX_KEY_LENGTH - 1)}…` : out;
}

function normalizeWord(word: string): string {
	if (word === '') {
		return word;
	}

	if (isUrl(word)) {
		return '<url>';
	}

	if (isIpv4(word)) {
		return '<ip>';
	}

	const first = word.charCodeAt(0);
	if (first === 0x2F || word.startsWith('./') || word.startsWith('~/') || (isLetter(first) && word.startsWith(':\\', 1))) {
		return '<path>';
	}

	if (isHexId(word)) {
		return '<hex>';
	}

	return replaceNumbers(word);
}

/** `scheme://…`, the scheme a letter then 1–15 of letters, digits, `+`, `.`, `-`. */
function isUrl(word: string): boolean {
	const separator = word.indexOf('://');
	if (separator < 2 || separator > 16 || !isLetter(word.charCodeAt(0))) {
		return false;
	}

	for (let index = 1; index < separator; index++) {
		const code = word.charCodeAt(index);
		if (!isLetter(code) && !isDigit(code) && code !== 0x2B && code !== 0x2E && code !== 0x2D) {
			return false;
		}
	}

	return true;
}

/** Four groups of 1–3 digits joined by dots, maybe `:port` (1–5 digits). */
function isIpv4(word: string): boolean {
	let groups = 0;
	let digits = 0;
	let index = 0;
	for (; index < word.length; index++) {
		const code = word.charCodeAt(index);
		if (isDigit(code)) {
			if (++digits > 3) {
				return false;
			}
		} else if (code === 0x2E && digits > 0 && groups < 3) {
			groups++;
			digits = 0;
		} else {
			break;
		}
	}

	if (groups !== 3 || digits === 0) {
		return false;
	}

	if (index === word.length) {
		return true;
	}

	const portDigits = word.length - index - 1;
	if (word.charCodeAt(index) !== 0x3A || portDigits < 1 || portDigits > 5) {
		return false;
	}

	for (index++; index < word.length; index++) {
		if (!isDigit(word.charCodeAt(index))) {
			return false;
		}
	}

	return true;
}

/** `0x` and hex digits, or (UUIDs, ids) eight or more hex digits and dashes with at least one digit and one a–f. */
function isHexId(word: string): boolean {
	const prefixed = word.length > 2 && word.charCodeAt(0) === 0x30 && (word.charCodeAt(1) === 0x78 || word.charCodeAt(1) === 0x58);
	if (!prefixed && word.length < 8) {
		return false;
	}

	let digit = false;
	let letter = false;
	for (let index = prefixed ? 2 : 0; index < word.length; index++) {
		const code = word.charCodeAt(index);
		if (isDigit(code)) {
			digit = true;
		} else if (isHexLetter(code)) {
			letter = true;
		} else if (prefixed || code !== 0x2D) {
			return false;
		}
	}

	return prefixed || (digit && letter);
}

/** Each run of digits, with its decimal part if it has one, becomes `<n>`; the rest is copied in stretches. */
function replaceNumbers(word: string): string {
	let out = '';
	let copiedTo = 0;
	let index = 0;
	while (index < word.length) {
		if (!isDigit(word.charCodeAt(index))) {
			index++;
			continue;
		}

		out += `${word.slice(copiedTo, index)}<n>`;
		while (index < word.length && isDigit(word.charCodeAt(index))) {
			index++;
		}

		if (word.charCodeAt(index) === 0x2E && isDigit(word.charCodeAt(index + 1))) {
			index++;
			while (index < word.length && isDigit(word.charCodeAt(index))) {
				index++;
			}
		}

		copiedTo = index;
	}

	return copiedTo === 0 ? word : out + word.slice(copiedTo);
}
