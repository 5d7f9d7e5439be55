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
for each one (measured: 0.74 µs a message with regular expressions). So characters are their codes (charCodeAt).
*/

const TAB = 0x09;
const NEWLINE = 0x0A;
const CARRIAGE_RETURN = 0x0D;
const SPACE = 0x20;
const DOUBLE_QUOTE = 0x22;
const QUOTE = 0x27;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const PLUS = 0x2B;
const COMMA = 0x2C;
const DASH = 0x2D;
const DOT = 0x2E;
const SLASH = 0x2F;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COLON = 0x3A;
const SEMICOLON = 0x3B;
const UPPER_A = 0x41;
const UPPER_F = 0x46;
const UPPER_X = 0x58;
const UPPER_Z = 0x5A;
const OPEN_BRACKET = 0x5B;
const BACKSLASH = 0x5C;
const CLOSE_BRACKET = 0x5D;
const LOWER_A = 0x61;
const LOWER_F = 0x66;
const LOWER_X = 0x78;
const LOWER_Z = 0x7A;
const OPEN_BRACE = 0x7B;
const CLOSE_BRACE = 0x7D;

/** The UTF-16 code unit at `index`, NaN past the end (which no test below matches). */
// eslint-disable-next-line unicorn/prefer-code-point -- only ASCII is compared, for which code units are code points
const codeAt = (text: string, index: number) => text.charCodeAt(index);

const isDigit = (code: number) => code >= DIGIT_0 && code <= DIGIT_9;
const isHexLetter = (code: number) => (code >= LOWER_A && code <= LOWER_F) || (code >= UPPER_A && code <= UPPER_F);
const isLetter = (code: number) => (code >= LOWER_A && code <= LOWER_Z) || (code >= UPPER_A && code <= UPPER_Z);
const isWhitespace = (code: number) => code === SPACE || code === TAB || code === NEWLINE || code === CARRIAGE_RETURN;
const isLeadingPunctuation = (code: number) => code === OPEN_PAREN || code === OPEN_BRACKET || code === OPEN_BRACE || code === QUOTE || code === DOUBLE_QUOTE;
const isTrailingPunctuation = (code: number) => code === DOT || code === COMMA || code === SEMICOLON || code === COLON || code === CLOSE_PAREN || code === CLOSE_BRACKET
	|| code === CLOSE_BRACE || code === QUOTE || code === DOUBLE_QUOTE;

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
		// One space past the end closes the last word.
		const code = index < text.length ? codeAt(text, index) : SPACE;
		if (isWhitespace(code)) {
			if (variable) {
				let coreStart = wordStart;
				while (coreStart < index && isLeadingPunctuation(codeAt(text, coreStart))) {
					coreStart++;
				}

				let coreEnd = index;
				while (coreEnd > coreStart && isTrailingPunctuation(codeAt(text, coreEnd - 1))) {
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

		if (isDigit(code) || code === SLASH || code === COLON || code === BACKSLASH) {
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

	const first = codeAt(word, 0);
	if (first === SLASH || word.startsWith('./') || word.startsWith('~/') || (isLetter(first) && word.startsWith(':\\', 1))) {
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
	if (separator < 2 || separator > 16 || !isLetter(codeAt(word, 0))) {
		return false;
	}

	for (let index = 1; index < separator; index++) {
		const code = codeAt(word, index);
		if (!isLetter(code) && !isDigit(code) && code !== PLUS && code !== DOT && code !== DASH) {
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
		const code = codeAt(word, index);
		if (isDigit(code)) {
			if (++digits > 3) {
				return false;
			}
		} else if (code === DOT && digits > 0 && groups < 3) {
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
	if (codeAt(word, index) !== COLON || portDigits < 1 || portDigits > 5) {
		return false;
	}

	for (index++; index < word.length; index++) {
		if (!isDigit(codeAt(word, index))) {
			return false;
		}
	}

	return true;
}

/** `0x` and hex digits, or (UUIDs, ids) eight or more hex digits and dashes with at least one digit and one a–f. */
function isHexId(word: string): boolean {
	const prefixed = word.length > 2 && codeAt(word, 0) === DIGIT_0 && (codeAt(word, 1) === LOWER_X || codeAt(word, 1) === UPPER_X);
	if (!prefixed && word.length < 8) {
		return false;
	}

	let digit = false;
	let letter = false;
	for (let index = prefixed ? 2 : 0; index < word.length; index++) {
		const code = codeAt(word, index);
		if (isDigit(code)) {
			digit = true;
		} else if (isHexLetter(code)) {
			letter = true;
		} else if (prefixed || code !== DASH) {
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
		if (!isDigit(codeAt(word, index))) {
			index++;
			continue;
		}

		out += `${word.slice(copiedTo, index)}<n>`;
		while (index < word.length && isDigit(codeAt(word, index))) {
			index++;
		}

		if (codeAt(word, index) === DOT && isDigit(codeAt(word, index + 1))) {
			index++;
			while (index < word.length && isDigit(codeAt(word, index))) {
				index++;
			}
		}

		copiedTo = index;
	}

	return copiedTo === 0 ? word : out + word.slice(copiedTo);
}
