import {
	mkdirSync, mkdtempSync, rmSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {parseSnapshot, snapshotUrl} from '../../source/fleet/box-detail.js';
import {health} from '../../source/commands/health.js';
import {loadConfig} from '../../source/config/load.js';
import {errorLine, TRACEBACK} from '../helpers/seed-logs.js';
import {freePort} from '../helpers/free-port.js';

describe('parseSnapshot', () => {
	let root: string;
	/** What `camtop health --json` (an exporter's /snapshot) says of a box in trouble, parsed as fetch would. */
	let json: unknown;

	beforeAll(async () => {
		root = mkdtempSync(path.join(os.tmpdir(), 'camtop-box-detail-'));
		const logs = path.join(root, 'logs');
		mkdirSync(logs);
		const now = new Date();
		writeFileSync(path.join(logs, 'camera_system.log'), `${errorLine(now, 'main:1', 'started', 'INFO')}\n`);
		writeFileSync(path.join(logs, 'errors.log'), [
			errorLine(new Date(now.getTime() - 5000), 'fetch_image:123', 'Redis connection failed: Connection refused'),
			...TRACEBACK,
			errorLine(now, 'client:9', 'frame dropped', 'CRITICAL'),
			'',
		].join('\n'));
		const closed = await freePort();
		writeFileSync(path.join(root, 'camtop.config.json'), JSON.stringify({
			logs: 'logs',
			redis: `redis://127.0.0.1:${closed}`,
			processes: [`cam1_stream_${process.pid}.py`],
			cameras: [{name: 'gate', url: `tcp://127.0.0.1:${closed}`}],
		}));
		const config = await loadConfig({flags: {}, env: {XDG_CONFIG_HOME: path.join(root, 'none')}, cwd: root});
		const stdout = new Collected();
		await health(config, {json: true}, stdout as unknown as NodeJS.WriteStream);
		json = JSON.parse(stdout.text);
	});

	afterAll(() => {
		rmSync(root, {recursive: true, force: true});
	});

	it('reads the cameras, processes and recent errors of camtop health --json', () => {
		const snapshot = parseSnapshot(json);
		expect(snapshot.checkedAt).toBe((json as {checked_at: string}).checked_at);
		expect(snapshot.cameras).toEqual([{name: 'gate', state: 'OFFLINE', reason: expect.any(String) as string}]);
		expect(snapshot.processes).toEqual([{
			name: `cam1_stream_${process.pid}.py`, running: false, rssBytes: 0, restarts: 0,
		}]);
		expect(snapshot.errors.map(error => [error.level, error.message])).toEqual(expect.arrayContaining([
			['ERROR', 'Redis connection failed: Connection refused'],
			['CRITICAL', 'frame dropped'],
		]));
		for (const error of snapshot.errors) {
			expect(error.timestamp).not.toBe('');
		}
	});

	it.each([
		['null', null],
		['a number', 42],
		['a string', '{"cameras": []}'],
		['an array', [{name: 'gate'}]],
		['lists of the wrong type', {
			cameras: 'gate', process_status: [1, 2], recent_errors: {message: 'x'}, checked_at: 7,
		}],
		['items of the wrong type', {
			cameras: [null, 1, 'gate', {name: 5, state: {}, reason: []}],
			process_status: {ffmpeg: null, 'start.py': 'running', client: {running: 'yes', rss_bytes: '12', restarts: Number.NaN}},
			recent_errors: [null, [], {timestamp: 1, level: null, message: {}}],
		}],
	])('reads %s as an empty or partial snapshot, never throwing', (_what, input) => {
		const snapshot = parseSnapshot(input);
		for (const camera of snapshot.cameras) {
			expect(camera).toEqual({name: expect.any(String) as string, state: expect.any(String) as string, reason: expect.any(String) as string});
		}

		for (const process of snapshot.processes) {
			expect(process.running).toBe(false);
			expect([process.rssBytes, process.restarts]).toEqual([null, null]);
		}

		for (const error of snapshot.errors) {
			expect(error).toEqual({timestamp: '', level: '', message: ''});
		}

		expect(typeof snapshot.checkedAt).toBe('string');
	});

	it('calls a camera without a state UNKNOWN', () => {
		expect(parseSnapshot({cameras: [{name: 'gate'}]}).cameras).toEqual([{name: 'gate', state: 'UNKNOWN', reason: ''}]);
	});

	it('keeps at most 50 of each list, however many a box sends', () => {
		const many = Array.from({length: 100_000}, (_, index) => index);
		const snapshot = parseSnapshot({
			cameras: many.map(index => ({name: `camera_${index}`, state: 'LIVE'})),
			process_status: Object.fromEntries(many.map(index => [`process_${index}`, {running: true}])),
			recent_errors: many.map(index => ({timestamp: '2026-12-05 08:00:00,000', level: 'ERROR', message: `error ${index}`})),
		});
		expect([snapshot.cameras.length, snapshot.processes.length, snapshot.errors.length]).toEqual([50, 50, 50]);
		expect(snapshot.cameras[0]!.name).toBe('camera_0');
	});
});

describe('snapshotUrl', () => {
	it.each([
		['http://10.0.0.5:9464/metrics', 'http://10.0.0.5:9464/snapshot'],
		['https://gate-5.example/camtop/metrics', 'https://gate-5.example/camtop/snapshot'],
		['http://10.0.0.5:9464/camtop/metrics?format=prometheus', 'http://10.0.0.5:9464/camtop/snapshot'],
		['http://10.0.0.5:9464/exporter', 'http://10.0.0.5:9464/exporter/snapshot'],
	])('finds /snapshot beside %s', (scrapeUrl, url) => {
		expect(snapshotUrl(scrapeUrl, '10.0.0.5:9464')).toBe(url);
	});

	it('asks the instance when Prometheus gave no scrape URL', () => {
		expect(snapshotUrl(undefined, '10.0.0.5:9464')).toBe('http://10.0.0.5:9464/snapshot');
		expect(snapshotUrl('', '10.0.0.5:9464')).toBe('http://10.0.0.5:9464/snapshot');
	});
});

class Collected extends Writable {
	text = '';

	override _write(chunk: Uint8Array, _encoding: string, done: () => void): void {
		this.text += String(chunk);
		done();
	}
}
