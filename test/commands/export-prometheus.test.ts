import {spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {startRedis, stopChild, type RedisServer} from '../helpers/redis-server.js';
import {startExporter, type Exporter} from '../helpers/exporter.js';
import {freePort} from '../helpers/free-port.js';
import {waitFor} from '../helpers/wait-for.js';

const RULES = path.join(import.meta.dirname, '..', '..', 'deploy', 'prometheus', 'camtop-alerts.yml');

type QueryResult = {metric: Record<string, string>; value: [number, string]};

/**
A real Prometheus (Debian's package) scraping a real `camtop export` every second, with deploy/'s alerting rules
loaded; what camtop exported is read back through Prometheus' HTTP API.
*/
describe('Prometheus scraping camtop export', () => {
	let redis: RedisServer;
	let exporter: Exporter;
	let prometheus: ChildProcess;
	let api: string;
	let output = '';

	beforeAll(async () => {
		redis = await startRedis();
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-prometheus-'));
		mkdirSync(path.join(root, 'logs'));
		exporter = await startExporter(['--interval', '500', '--logs', 'logs'], {cwd: root, env: {REDIS_URL: redis.url}});
		const port = await freePort();
		api = `http://127.0.0.1:${port}`;
		writeFileSync(path.join(root, 'prometheus.yml'), [
			'global:',
			'  scrape_interval: 1s',
			'  evaluation_interval: 1s',
			'rule_files:',
			`  - ${RULES}`,
			'scrape_configs:',
			'  - job_name: camtop',
			'    static_configs:',
			`      - targets: ['127.0.0.1:${exporter.port}']`,
			'        labels: {site: test}',
			'',
		].join('\n'));
		prometheus = spawn('prometheus', [
			`--config.file=${path.join(root, 'prometheus.yml')}`,
			`--storage.tsdb.path=${path.join(root, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
		], {stdio: ['ignore', 'pipe', 'pipe']});
		prometheus.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		prometheus.stderr!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		await waitFor(async () => {
			if (prometheus.exitCode !== null) {
				throw new Error(`prometheus exited ${prometheus.exitCode}: ${output}`);
			}

			return fetch(`${api}/-/ready`).then(response => response.ok, () => false);
		}, 'prometheus ready', 30_000, 200);
	}, 40_000);

	afterAll(async () => {
		if (prometheus !== undefined) {
			await stopChild(prometheus);
		}

		await exporter?.stop();
		await redis?.stop();
	});

	async function query(promql: string): Promise<QueryResult[]> {
		const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
		const body = await response.json() as {status: string; data: {result: QueryResult[]}};
		expect(body.status).toBe('success');
		return body.data.result;
	}

	it('scrapes the exporter healthily, and camtop\'s values read back through the HTTP API', async () => {
		const [up] = await waitFor(async () => {
			const result = await query('camtop_redis_up{job="camtop"}');
			return result.length > 0 && result;
		}, 'camtop_redis_up in Prometheus', 20_000, 250);
		expect(up!.value[1]).toBe('1');
		expect(up!.metric).toMatchObject({job: 'camtop', site: 'test', instance: `127.0.0.1:${exporter.port}`});

		const [target] = await query('up{job="camtop"}');
		expect(target!.value[1]).toBe('1');
		const [memory] = await query('camtop_memory_total_bytes');
		expect(Number(memory!.value[1])).toBe(os.totalmem());
		const [info] = await query('camtop_info');
		expect(info!.metric.host).toBe(os.hostname());
	}, 30_000);

	it('sees Redis go down in camtop_redis_up when the server stops', async () => {
		await redis.stop();
		await waitFor(async () => (await query('camtop_redis_up'))[0]?.value[1] === '0', 'camtop_redis_up 0 in Prometheus', 20_000, 250);
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
