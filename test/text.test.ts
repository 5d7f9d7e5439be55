import {describe, expect, it} from 'vitest';
import {
	redactCommandLine, redactUrl, scrubSecrets, urlSecrets,
} from '../source/text/redact.js';
import {stripControl, truncate} from '../source/text/sanitize.js';
import {
	formatBytes, formatDuration, formatQuantity, formatSeconds,
} from '../source/text/format.js';
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

	it('hides a lone user name and secret query parameters', () => {
		expect(redactUrl('redis://hunter2pw@host:6379')).toBe('redis://***@host:6379');
		expect(redactUrl('redis://127.0.0.1:6379/?password=hunter2pw&db=2')).toBe('redis://127.0.0.1:6379/?password=***&db=2');
		expect(redactUrl('http://cam/snapshot.jpg?token=abc123&size=big')).toBe('http://cam/snapshot.jpg?token=***&size=big');
	});

	it('finds the secrets, decoded, to scrub from messages', () => {
		const url = `redis://:${encodeURIComponent('p@ss/w')}@host:1/?password=qwerty`;
		expect(urlSecrets(url)).toEqual(['p@ss/w', 'qwerty']);
		expect(scrubSecrets('auth p@ss/w failed for p%40ss%2Fw, qwerty', urlSecrets(url))).toBe('auth *** failed for ***, ***');
	});
});

describe('redactCommandLine', () => {
	it('hides credentials in URLs, password flags and assignments', () => {
		expect(redactCommandLine('ffmpeg -i rtsp://admin:campass@10.0.0.21/stream1 -f mpjpeg http://0.0.0.0:8081/')).toBe('ffmpeg -i rtsp://admin:***@10.0.0.21/stream1 -f mpjpeg http://0.0.0.0:8081/');
		expect(redactCommandLine('redis-cli -a s3cret -h host ping')).toBe('redis-cli -a *** -h host ping');
		expect(redactCommandLine('python3 client.py --password=s3cret REDIS_PASSWORD=s3cret2 --token t0k3n')).toBe('python3 client.py --password=*** REDIS_PASSWORD=*** --token ***');
		expect(redactCommandLine('python3 start.py --redis-host box --auth hunter2pw', ['hunter2pw'])).toBe('python3 start.py --redis-host box --auth ***');
		expect(redactCommandLine('python3 start.py hunter2pw', ['hunter2pw'])).toBe('python3 start.py ***');
	});
});

describe('stripControl', () => {
	it('removes colour, cursor, title and charset escape sequences', () => {
		expect(stripControl('\u001B[31mred\u001B[0m \u001B[2J\u001B[H\u001B]0;pwned\u0007ok\u001B(0')).toBe('red ok');
	});

	it('shows other control characters as replacement characters, tabs as spaces', () => {
		expect(stripControl('a\u0000b\rc\td\u009Be')).toBe('a\uFFFDb\uFFFDc d');
	});

	it('removes bidirectional overrides, which would draw the rest of a line backwards', () => {
		expect(stripControl('abc\u202Exyz\u2066!')).toBe('abc\uFFFDxyz\uFFFD!');
	});

	it('leaves wide and accented text alone', () => {
		expect(stripControl('摄像头 café 📷')).toBe('摄像头 café 📷');
	});
});

describe('format', () => {
	it('formats bytes and durations for people', () => {
		expect(formatBytes(512)).toBe('512 B');
		expect(formatBytes(1536)).toBe('1.5 KiB');
		expect(formatBytes(3 * (1024 ** 3))).toBe('3.0 GiB');
		expect(formatDuration(45)).toBe('45 s');
		expect(formatDuration(200)).toBe('3 m 20 s');
		expect(formatDuration(7500)).toBe('2 h 5 m');
		expect(formatDuration(90_000)).toBe('1 d 1 h');
		expect(truncate('abcdef', 4)).toBe('abc…');
	});
});

describe('human units', () => {
	it.each([
		[0.000_002, '2 µs'],
		[0.000_093_2, '93.2 µs'],
		[0.000_999, '999 µs'],
		[0.000_999_96, '1 ms'],
		[0.001, '1 ms'],
		[0.003_53, '3.5 ms'],
		[1.209, '1.2 s'],
		[59.9, '59.9 s'],
		[60, '1 min'],
		[90, '1.5 min'],
		[9000, '2.5 h'],
		[0, '0 s'],
		[Number.NaN, '—'],
	])('shows %s seconds as %s, in the unit it is read in', (seconds, shown) => {
		expect(formatSeconds(seconds)).toBe(shown);
	});

	it('shows sizes in binary units across the boundary', () => {
		expect(formatBytes(1023)).toBe('1023 B');
		expect(formatBytes(1024)).toBe('1.0 KiB');
	});

	it.each([
		[0.000_015, 'seconds', '15 µs'],
		[12, 'ms', '12 ms'],
		[2048, 'bytes', '2.0 KiB'],
		[42.25, 'percent', '42.3 %'],
		[10.123, 'fps', '10.1 fps'],
		[1_234_567, 'frames', '1,230,000 frames'],
		[3, null, '3'],
	])('formats %s logged in %s as %s', (value, unit, shown) => {
		expect(formatQuantity(value, unit)).toBe(shown);
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
