import {describe, expect, it} from 'vitest';
import {redactUrl, scrubSecrets, urlPassword} from '../source/text/redact.js';
import {stripControl, truncate} from '../source/text/sanitize.js';
import {formatBytes, formatDuration} from '../source/text/format.js';
import {colorEnabled} from '../source/text/colors.js';

describe('redactUrl', () => {
	it('hides the password and keeps the rest', () => {
		expect(redactUrl('redis://:secret@10.0.0.5:6379/2')).toBe('redis://:***@10.0.0.5:6379/2');
		expect(redactUrl('redis://user:secret@host:6379')).toBe('redis://user:***@host:6379');
		expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
	});

	it('hides the credentials of a URL it cannot parse', () => {
		expect(redactUrl('redis://:pa/ss#word@host:6379')).toBe('redis://***@host:6379');
	});

	it('finds the password, decoded, to scrub from messages', () => {
		const url = `redis://:${encodeURIComponent('p@ss/w')}@host:1`;
		expect(urlPassword(url)).toBe('p@ss/w');
		expect(scrubSecrets('auth p@ss/w failed for p%40ss%2Fw', [urlPassword(url)])).toBe('auth *** failed for ***');
	});
});

describe('stripControl', () => {
	it('removes colour, cursor, title and charset escape sequences', () => {
		expect(stripControl('\u001B[31mred\u001B[0m \u001B[2J\u001B[H\u001B]0;pwned\u0007ok\u001B(0')).toBe('red ok');
	});

	it('shows other control characters as replacement characters, tabs as spaces', () => {
		expect(stripControl('a\u0000b\rc\td\u009Be')).toBe('a\uFFFDb\uFFFDc d');
	});

	it('leaves wide and accented text alone', () => {
		expect(stripControl('摄像头 café 📷')).toBe('摄像头 café 📷');
	});
});

describe('format', () => {
	it('formats bytes and durations for people', () => {
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1536)).toBe('1.5 KiB');
		expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
		expect(formatDuration(45)).toBe('45 s');
		expect(formatDuration(200)).toBe('3 m 20 s');
		expect(formatDuration(7500)).toBe('2 h 5 m');
		expect(formatDuration(90_000)).toBe('1 d 1 h');
		expect(truncate('abcdef', 4)).toBe('abc…');
	});
});

describe('colorEnabled', () => {
	it('colours a terminal unless NO_COLOR is set or TERM is dumb', () => {
		expect(colorEnabled({isTTY: true}, {})).toBe(true);
		expect(colorEnabled({isTTY: false}, {})).toBe(false);
		expect(colorEnabled({isTTY: true}, {NO_COLOR: '1'})).toBe(false);
		expect(colorEnabled({isTTY: true}, {TERM: 'dumb'})).toBe(false);
		expect(colorEnabled({isTTY: false}, {FORCE_COLOR: '1'})).toBe(true);
	});
});
