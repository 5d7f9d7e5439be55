import {execFileSync} from 'node:child_process';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {pythonJson, pythonNumber, pythonString} from '../../source/logs/python-json.js';

/** Python's own json.dumps of each value (given as JSON), read back as strings: the reference, from python3. */
function pythonDumps(values: unknown[]): string[] {
	const script = 'import json, sys\nprint(json.dumps([json.dumps(value) for value in json.load(sys.stdin)]))';
	return JSON.parse(execFileSync('python3', ['-c', script], {input: JSON.stringify(values), encoding: 'utf8'})) as string[];
}

describe('pythonJson writes what Python\'s json.dumps writes', () => {
	it('strings of any code units: escapes, non-ASCII, astral characters, lone surrogates', () => {
		// eslint-disable-next-line unicorn/prefer-code-point -- code units, not code points: lone surrogates are among what is tested.
		const strings = fc.sample(fc.oneof(fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'}), fc.string({unit: fc.integer({min: 0, max: 0xFF_FF}).map(code => String.fromCharCode(code))})), {numRuns: 600, seed: 42});
		strings.push('', String.raw`"quoted" \ back\slash`, '\u007F\u0080\u2028\u2029', 'tab\tnew\nline\rcr\bbs\fff\u0000nul', '📷 é ✓');
		expect(strings.map(text => pythonString(text))).toEqual(pythonDumps(strings));
	});

	it('nested objects and arrays, with Python\'s separators and key order', () => {
		const values = [
			{},
			[],
			{
				cpu_percent: 25.5, memory_percent: 45.2, disk_percent: 61, threads: 12,
			},
			{issue_type: 'thread_timeout', context: {nested: {list: [1, 2.5, null, true, false, 'x']}}, ключ: 'значение'},
			[[], [{}], {'': ''}],
			-0.125,
			1e-7,
			1.5e-10,
			1e21,
			123_456_789.123,
			Number.MAX_SAFE_INTEGER,
		];
		expect(values.map(value => pythonJson(value))).toEqual(pythonDumps(values));
	});

	it('writes valid JSON where Python would not, and never throws', () => {
		const cycle: Record<string, unknown> = {name: 'loop'};
		cycle.self = cycle;
		expect(pythonJson(cycle)).toBe('{"name": "loop", "self": "[Circular]"}');
		expect(pythonNumber(Number.NaN)).toBe('null');
		expect(pythonJson({
			a: Number.POSITIVE_INFINITY, b: undefined, c: () => 1, d: 10n, e: new Error('boom'), f: new Date(0),
		}))
			.toBe('{"a": null, "d": 10, "e": "Error: boom", "f": "1970-01-01T00:00:00.000Z"}');
		const {proxy, revoke} = Proxy.revocable({}, {});
		revoke();
		expect(pythonJson(proxy)).toBe('"[unserializable]"');
		expect(pythonJson({
			proxy, get broken() {
				throw new Error('getter');
			},
		})).toBe('{"proxy": "[unreadable]", "broken": "[unreadable]"}');
		let deep: unknown = 0;
		for (let depth = 0; depth < 50; depth++) {
			deep = [deep];
		}

		expect(() => JSON.parse(pythonJson({deep})) as unknown).not.toThrow();
	});
});
