import {mkdirSync, mkdtempSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {startRedis, type RedisServer} from '../helpers/redis-server.js';
import {startExporter, type Exporter} from '../helpers/exporter.js';
import {
	CAMTOP_RULES, startPrometheus, type Prometheus,
} from '../helpers/prometheus.js';
import {waitFor} from '../helpers/wait-for.js';

/**
A real Prometheus (Debian's package) scraping a real `camtop export` every second, with deploy/'s alerting rules
loaded; what camtop exported is read back through Prometheus' HTTP API.
*/
describe('Prometheus scraping camtop export', () => {
	let redis: RedisServer;
	let exporter: Exporter;
	let prometheus: Prometheus;
	let api: string;

	beforeAll(async () => {
		redis = await startRedis();
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-prometheus-'));
		mkdirSync(path.join(root, 'logs'));
		exporter = await startExporter(['--interval', '500', '--logs', 'logs'], {cwd: root, env: {REDIS_URL: redis.url}});
		prometheus = await startPrometheus([
			'global:',
			'  scrape_interval: 1s',
			'  evaluation_interval: 1s',
			'rule_files:',
			`  - ${CAMTOP_RULES}`,
			'scrape_configs:',
			'  - job_name: camtop',
			'    static_configs:',
			`      - targets: ['127.0.0.1:${exporter.port}']`,
			'        labels: {site: test}',
			'',
		].join('\n'), {dir: root});
		api = prometheus.url;
	}, 40_000);

	afterAll(async () => {
		await prometheus?.stop();
		await exporter?.stop();
		await redis?.stop();
	});

	it('scrapes the exporter healthily, and camtop\'s values read back through the HTTP API', async () => {
		const [up] = await waitFor(async () => {
			const result = await prometheus.query('camtop_redis_up{job="camtop"}');
			return result.length > 0 && result;
		}, 'camtop_redis_up in Prometheus', 20_000, 250);
		expect(up!.value[1]).toBe('1');
		expect(up!.metric).toMatchObject({job: 'camtop', site: 'test', instance: `127.0.0.1:${exporter.port}`});

		const [target] = await prometheus.query('up{job="camtop"}');
		expect(target!.value[1]).toBe('1');
		const [memory] = await prometheus.query('camtop_memory_total_bytes');
		expect(Number(memory!.value[1])).toBe(os.totalmem());
		const [info] = await prometheus.query('camtop_info');
		expect(info!.metric.host).toBe(os.hostname());
	}, 30_000);

	it('sees Redis go down in camtop_redis_up when the server stops', async () => {
		await redis.stop();
		await waitFor(async () => (await prometheus.query('camtop_redis_up'))[0]?.value[1] === '0', 'camtop_redis_up 0 in Prometheus', 20_000, 250);
	}, 30_000);

	it('loads deploy/\'s alerting rules, every one evaluating without error against the live series', async () => {
		const rules = await waitFor(async () => {
			const response = await fetch(`${api}/api/v1/rules`);
			const body = await response.json() as {data: {groups: Array<{rules: Array<{name: string; health: string; lastError?: string; lastEvaluation: string}>}>}};
			const all = body.data.groups.flatMap(group => group.rules);
			return all.length > 0 && all.every(rule => !rule.lastEvaluation.startsWith('0001')) && all;
		}, 'the rules evaluated', 20_000, 250);
		expect(rules.map(rule => rule.name)).toContain('CamtopRedisDown');
		for (const rule of rules) {
			expect({name: rule.name, health: rule.health, error: rule.lastError ?? ''}).toEqual({name: rule.name, health: 'ok', error: ''});
		}
	}, 30_000);
});
