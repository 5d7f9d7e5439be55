/*
What the readers of the ISSUE, CONNECTION and PERF payloads share: the JSON after the prefix, read from bytes.
Nothing here throws: a payload that is cut or not JSON comes back as undefined.
*/

/** Whether bytes[start, end) begins with `prefix`. */
export function startsWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
	if (end - start < prefix.length) {
		return false;
	}

	// Several times per PERF line: an index loop, as `.entries()` allocates an iterator and a pair each step.
	// eslint-disable-next-line unicorn/no-for-loop
	for (let index = 0; index < prefix.length; index++) {
		if (bytes[start + index] !== prefix[index]) {
			return false;
		}
	}

	return true;
}

export function parseJson(bytes: Uint8Array, start: number, end: number): unknown {
	try {
		return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8'));
	} catch {
		// Not JSON, cut JSON, or nested deeper than the parser's stack: an invalid record, never a crash.
		return undefined;
	}
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
