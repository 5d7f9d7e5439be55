import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {DEFAULTS} from '../../source/config/types.js';
import {loadConfig, parseInterval} from '../../source/config/load.js';
import {UsageError} from '../../source/base/usage-error.js';

function temporaryDir(): string {
	return mkdtempSync(path.join(os.tmpdir(), 'camtop-config-'));
}

const noUserConfig = (cwd: string) => ({XDG_CONFIG_HOME: path.join(cwd, 'none')});

describe('loadConfig', () => {
	it('uses the defaults when nothing is given', async () => {
		const cwd = temporaryDir();
		const config = await loadConfig({flags: {}, env: noUserConfig(cwd), cwd});
		expect(config.logs).toBe(path.join(cwd, 'logs'));
		expect(config.legacyLog).toBe(path.join(cwd, 'greencam.log'));
		expect(config.redis).toBe('redis://127.0.0.1:6379');
		expect(config.processes).toEqual(['cam1_stream.py', 'start.py', 'client.py']);
		expect(config.thresholds).toEqual(DEFAULTS.thresholds);
		expect(config.intervalMs).toBe(1000);
		expect(config.file).toBeUndefined();
	});

	it('reads ./camtop.config.json, resolving paths against the file', async () => {
		const cwd = temporaryDir();
		writeFileSync(path.join(cwd, 'camtop.config.json'), JSON.stringify({
			logs: 'app/logs',
			processes: ['ffmpeg'],
			thresholds: {cpuPercent: {warning: 50}, staleLogSeconds: 30},
			cameras: [{name: 'gate', url: 'rtsp://10.0.0.9/stream', minFps: 8}],
		}));
		const config = await loadConfig({flags: {}, env: noUserConfig(cwd), cwd});
		expect(config.logs).toBe(path.join(cwd, 'app', 'logs'));
		expect(config.processes).toEqual(['ffmpeg']);
		expect(config.thresholds.cpuPercent).toEqual({warning: 50, critical: 95});
		expect(config.thresholds.staleLogSeconds).toBe(30);
		expect(config.cameras).toEqual([{name: 'gate', url: 'rtsp://10.0.0.9/stream', minFps: 8}]);
	});

	it('falls back to $XDG_CONFIG_HOME/camtop/config.json', async () => {
		const cwd = temporaryDir();
		const home = temporaryDir();
		mkdirSync(path.join(home, 'camtop'));
		writeFileSync(path.join(home, 'camtop', 'config.json'), JSON.stringify({redis: 'redis://10.1.1.1:6380'}));
		const config = await loadConfig({flags: {}, env: {XDG_CONFIG_HOME: home}, cwd});
		expect(config.redis).toBe('redis://10.1.1.1:6380');
		expect(config.file).toBe(path.join(home, 'camtop', 'config.json'));
	});

	it('ranks flags over environment over file over defaults', async () => {
		const cwd = temporaryDir();
		writeFileSync(path.join(cwd, 'camtop.config.json'), JSON.stringify({logs: '/from/file', redis: 'redis://file:1'}));
		const env = {...noUserConfig(cwd), CAMTOP_LOGS: '/from/env', REDIS_URL: 'redis://env:2'};

		const fromEnv = await loadConfig({flags: {}, env, cwd});
		expect([fromEnv.logs, fromEnv.redis]).toEqual(['/from/env', 'redis://env:2']);

		const fromFlags = await loadConfig({flags: {logs: '/from/flag', redis: 'redis://flag:3'}, env, cwd});
		expect([fromFlags.logs, fromFlags.redis]).toEqual(['/from/flag', 'redis://flag:3']);

		const fromFile = await loadConfig({flags: {}, env: noUserConfig(cwd), cwd});
		expect([fromFile.logs, fromFile.redis]).toEqual(['/from/file', 'redis://file:1']);
	});

	it.each([
		['{"logs": ', /invalid JSON/],
		['[]', /the top level must be an object, got an array/],
		['{"thresholds": {"cpuPercnt": {}}}', /unknown field "thresholds.cpuPercnt"/],
		['{"processes": "start.py"}', /processes must be an array, got string/],
		['{"thresholds": {"diskPercent": {"warning": 99, "critical": 90}}}', /warning \(99\) is above critical \(90\)/],
		['{"thresholds": {"memoryPercent": {"critical": 150}}}', /between 0 and 100, got 150/],
		['{"cameras": [{"url": "rtsp://x"}]}', /cameras\[0]\.name must be a non-empty string/],
		['{"cameras": [{"name": "gate", "url": "ftp://admin:hunter2@10.0.0.9/x"}]}', /cameras\[0]\.url must be an rtsp:\/\/, http:\/\/, https:\/\/ or tcp:\/\/host:port URL, got "ftp:\/\/\*\*\*:\*\*\*@10\.0\.0\.9\/x"/],
		['{"cameras": [{"name": "gate", "url": "tcp://10.0.0.9"}]}', /cameras\[0]\.url must be/],
		['{"redis": "http://x"}', /expected a redis:\/\/ or rediss:\/\/ URL/],
		['{"fleet": {"prometheus": "prometheus:9090"}}', /fleet\.prometheus must be an http:\/\/ or https:\/\/ URL/],
		['{"fleet": {"token": "s3cret"}}', /unknown field "fleet\.token"/],
		['{"fleet": {"downAfterSeconds": 0}}', /fleet\.downAfterSeconds must be between 1 and 86400, got 0/],
		['{"fleet": {"staleCollectSeconds": 100000}}', /fleet\.staleCollectSeconds must be between 1 and 86400/],
		['{"fleet": {"scrapeIntervalSeconds": 0.5}}', /fleet\.scrapeIntervalSeconds must be between 1 and 3600, got 0\.5/],
		['{"fleet": {"timeoutMs": 50}}', /fleet\.timeoutMs must be between 100 and 120000, got 50/],
		['{"fleet": {"refreshMs": "5s"}}', /fleet\.refreshMs must be a number/],
		['{"fleet": {"job": 7}}', /fleet\.job must be/],
		['{"fleet": []}', /fleet must be an object/],
	])('rejects %s with a message naming the file', async (text, message) => {
		const cwd = temporaryDir();
		const file = path.join(cwd, 'bad.json');
		writeFileSync(file, text);
		const loading = loadConfig({flags: {config: file}, env: noUserConfig(cwd), cwd});
		await expect(loading).rejects.toThrow(UsageError);
		await expect(loading).rejects.toThrow(message);
		await expect(loading).rejects.toThrow(file);
	});

	it('says so when --config names a file that does not exist', async () => {
		const cwd = temporaryDir();
		await expect(loadConfig({flags: {config: 'nope.json'}, env: {}, cwd})).rejects.toThrow(`config file not found: ${path.join(cwd, 'nope.json')}`);
	});

	it('never repeats a password from a bad Redis URL', async () => {
		const cwd = temporaryDir();
		const loading = loadConfig({flags: {redis: 'http://:hunter2@host:1'}, env: noUserConfig(cwd), cwd});
		await expect(loading).rejects.toThrow(/\*{3}/);
		await expect(loading).rejects.not.toThrow(/hunter2/);
	});
});

describe('loadConfig: fleet', () => {
	it('uses the fleet defaults, with no Prometheus URL, when nothing is given', async () => {
		const cwd = temporaryDir();
		const {fleet} = await loadConfig({flags: {}, env: noUserConfig(cwd), cwd});
		expect(fleet).toEqual(DEFAULTS.fleet);
		expect(fleet.prometheus).toBeUndefined();
	});

	it('reads the fleet section, resolving its files against the config file', async () => {
		const cwd = temporaryDir();
		const dir = path.join(cwd, 'etc');
		mkdirSync(dir);
		const file = path.join(dir, 'camtop.json');
		writeFileSync(file, JSON.stringify({
			fleet: {
				prometheus: 'https://prometheus.example/prom', job: 'cameras', downAfterSeconds: 300, staleCollectSeconds: 90, scrapeIntervalSeconds: 30, timeoutMs: 2000, refreshMs: 10_000, tokenFile: 'secrets/token', user: 'ops', passwordFile: '/run/secrets/password', exportTokenFile: '../export-token',
			},
		}));
		const {fleet} = await loadConfig({flags: {config: file}, env: noUserConfig(cwd), cwd});
		expect(fleet).toEqual({
			prometheus: 'https://prometheus.example/prom',
			job: 'cameras',
			downAfterSeconds: 300,
			staleCollectSeconds: 90,
			scrapeIntervalSeconds: 30,
			timeoutMs: 2000,
			refreshMs: 10_000,
			tokenFile: path.join(dir, 'secrets', 'token'),
			user: 'ops',
			passwordFile: '/run/secrets/password',
			exportTokenFile: path.join(cwd, 'export-token'),
		});
	});

	it('ranks --prometheus over PROMETHEUS_URL over the file, an empty PROMETHEUS_URL being unset', async () => {
		const cwd = temporaryDir();
		writeFileSync(path.join(cwd, 'camtop.config.json'), JSON.stringify({fleet: {prometheus: 'http://file:9090', job: 'from-file'}}));
		const env = {...noUserConfig(cwd), PROMETHEUS_URL: 'http://env:9090'};
		const url = async (flags: {prometheus?: string}, environment: NodeJS.ProcessEnv) => (await loadConfig({flags, env: environment, cwd})).fleet;
		expect((await url({}, noUserConfig(cwd))).prometheus).toBe('http://file:9090');
		expect((await url({}, env)).prometheus).toBe('http://env:9090');
		expect((await url({}, {...env, PROMETHEUS_URL: ''})).prometheus).toBe('http://file:9090');
		const fromFlag = await url({prometheus: 'http://flag:9090'}, env);
		expect(fromFlag.prometheus).toBe('http://flag:9090');
		// The rest of the section still comes from the file.
		expect(fromFlag.job).toBe('from-file');
	});

	it.each([
		['--prometheus', {prometheus: 'prometheus:9090'}, {}],
		['PROMETHEUS_URL', {}, {PROMETHEUS_URL: 'ftp://prometheus:9090'}],
	])('refuses a URL that is not http(s) from %s, naming it', async (where, flags, env) => {
		const cwd = temporaryDir();
		const loading = loadConfig({flags, env: {...noUserConfig(cwd), ...env}, cwd});
		await expect(loading).rejects.toThrow(UsageError);
		await expect(loading).rejects.toThrow(`${where} must be an http:// or https:// URL`);
	});

	it('refuses an unknown fleet key, listing every known one', async () => {
		const cwd = temporaryDir();
		const file = path.join(cwd, 'bad.json');
		writeFileSync(file, JSON.stringify({fleet: {jobs: 'camtop'}}));
		const error = await loadConfig({flags: {config: file}, env: noUserConfig(cwd), cwd}).then(() => new Error('loaded'), (error: unknown) => error as Error);
		expect(error).toBeInstanceOf(UsageError);
		expect(error.message).toMatch(new RegExp(`^config ${file}: unknown field "fleet\\.jobs" \\(known: `));
		const known = /\(known: (.*)\)$/.exec(error.message)![1]!.split(', ');
		expect(known.toSorted()).toEqual(Object.keys(DEFAULTS.fleet).toSorted());
	});

	it('never repeats a password from a bad Prometheus URL', async () => {
		const cwd = temporaryDir();
		const loading = loadConfig({flags: {prometheus: 'ftp://ops:hunter2@prometheus:9090'}, env: noUserConfig(cwd), cwd});
		await expect(loading).rejects.toThrow(/\*{3}/);
		await expect(loading).rejects.not.toThrow(/hunter2/);
	});
});

describe('parseInterval', () => {
	it('takes whole milliseconds', () => {
		expect(parseInterval('250')).toBe(250);
	});

	it.each(['abc', '', '1.5', '10', '99999999'])('rejects %j', text => {
		expect(() => parseInterval(text)).toThrow(UsageError);
	});
});
