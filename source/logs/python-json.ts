/*
JSON as the seed's monitoring.py wrote it with Python's json.dumps defaults: `", "` and `": "` separators, keys in
insertion order, and ensure_ascii (every character outside space … `~` escaped, as `\n`, `\t`, … or lowercase `\u00e9`,
a character above U+FFFF as its two surrogates). camtop's PERF fast path (perf-record.ts readPerf) reads exactly this
layout. Where Python would write something that is not JSON (NaN, Infinity) or would raise (a cycle, an unknown
type), this writes valid JSON instead: it never throws.
*/

/** Deeper nesting is written as a string: a context object is a few levels deep, never a hundred. */
const MAX_DEPTH = 20;

// Space … `~` without `"` and `\`: the characters written as they are.
const NEEDS_ESCAPE = /[^ !\u0023-\u005B\u005D-\u007E]/;

const SHORT_ESCAPES: Record<number, string> = {
	0x08: String.raw`\b`,
	0x09: String.raw`\t`,
	0x0A: String.raw`\n`,
	0x0C: String.raw`\f`,
	0x0D: String.raw`\r`,
	0x22: String.raw`\"`,
	0x5C: '\\\\',
};

export function pythonString(text: string): string {
	if (!NEEDS_ESCAPE.test(text)) {
		return `"${text}"`;
	}

	let out = '"';
	let copiedTo = 0;
	for (let index = 0; index < text.length; index++) {
		// eslint-disable-next-line unicorn/prefer-code-point -- UTF-16 code units are what json.dumps escapes, surrogates one by one.
		const code = text.charCodeAt(index);
		if (code >= 0x20 && code <= 0x7E && code !== 0x22 && code !== 0x5C) {
			continue;
		}

		// UTF-16 code units are what Python's \uXXXX escapes are made of too, surrogate pairs included.
		out += text.slice(copiedTo, index) + (SHORT_ESCAPES[code] ?? `\\u${code.toString(16).padStart(4, '0')}`);
		copiedTo = index + 1;
	}

	return `${out}${text.slice(copiedTo)}"`;
}

/**
A finite number as Python's float repr writes it where the two differ only in form: exponents have at least two
digits (`1e-07`). Integers stay integers (`61`, where Python would write `61.0` for a float): the same JSON value.
Non-finite numbers become `null`, as JSON.stringify does (Python's `NaN` is not JSON).
*/
export function pythonNumber(value: number): string {
	if (!Number.isFinite(value)) {
		return 'null';
	}

	const text = String(value);
	const exponent = text.indexOf('e');
	if (exponent !== -1 && text.length - exponent === 3) {
		return `${text.slice(0, exponent + 2)}0${text.slice(exponent + 2)}`;
	}

	return text;
}

/**
`value` as Python's `json.dumps(value)` writes it. JavaScript-only values follow JSON.stringify (toJSON, undefined
and functions left out of objects, null in arrays), except: a bigint is written as its digits (Python's int), an Error
as `"Name: message"`, a cycle as `"[Circular]"` and nesting deeper than MAX_DEPTH as `"[Too deep]"`.
*/
export function pythonJson(value: unknown): string {
	try {
		return write(value, new Set(), 0) ?? 'null';
	} catch {
		// A revoked Proxy, say: the record is still written, saying so.
		return pythonString('[unserializable]');
	}
}

function write(value: unknown, ancestors: Set<object>, depth: number): string | undefined {
	switch (typeof value) {
		case 'string': {
			return pythonString(value);
		}

		case 'number': {
			return pythonNumber(value);
		}

		case 'boolean': {
			return value ? 'true' : 'false';
		}

		case 'bigint': {
			return value.toString();
		}

		case 'object': {
			return value === null ? 'null' : writeObject(value, ancestors, depth);
		}

		default: {
			// undefined, functions and symbols: left out, as JSON.stringify does.
			return undefined;
		}
	}
}

function writeObject(value: object, ancestors: Set<object>, depth: number): string {
	if (value instanceof Error) {
		return pythonString(`${value.name}: ${value.message}`);
	}

	if (typeof (value as {toJSON?: unknown}).toJSON === 'function') {
		try {
			const json: unknown = (value as {toJSON: () => unknown}).toJSON();
			if (json !== value) {
				return write(json, ancestors, depth) ?? 'null';
			}
		} catch {
			return pythonString('[toJSON failed]');
		}
	}

	if (ancestors.has(value)) {
		return pythonString('[Circular]');
	}

	if (depth >= MAX_DEPTH) {
		return pythonString('[Too deep]');
	}

	ancestors.add(value);
	try {
		if (Array.isArray(value)) {
			return `[${value.map(item => write(item, ancestors, depth + 1) ?? 'null').join(', ')}]`;
		}

		const fields: string[] = [];
		for (const key of Object.keys(value)) {
			let field: string | undefined;
			try {
				field = write((value as Record<string, unknown>)[key], ancestors, depth + 1);
			} catch {
				// A getter or a revoked Proxy that throws: the key is kept, so the record still says what was there.
				field = pythonString('[unreadable]');
			}

			if (field !== undefined) {
				fields.push(`${pythonString(key)}: ${field}`);
			}
		}

		return `{${fields.join(', ')}}`;
	} finally {
		ancestors.delete(value);
	}
}
