import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {freePort} from './free-port.js';
import {stopChild} from './redis-server.js';
import {waitFor} from './wait-for.js';

/** Prometheus' deploy/ alerting rules, as a fleet's Prometheus loads them. */
export const CAMTOP_RULES = path.join(import.meta.dirname, '..', '..', 'deploy', 'prometheus', 'camtop-alerts.yml');

/** One sample of an instant query's vector. */
export type PromSample = {metric: Record<string, string>; value: [number, string]};

export type Prometheus = {
	/** http://127.0.0.1:PORT */
	url: string;
	/** An instant query through /api/v1/query; throws on anything but a vector answered with success. */
	query: (promql: string) => Promise<PromSample[]>;
	/** What Prometheus wrote (its log), for a failing test's message. */
	output: () => string;
	stop: () => Promise<void>;
};

/**
A real Prometheus (Debian's package) on a free loopback port, with `config` (prometheus.yml's text) written to `dir` and
its TSDB in `dir`/data. Resolves once /-/ready answers 200: the config was read and the rules were loaded.
*/
export async function startPrometheus(config: string, {dir}: {dir: string}): Promise<Prometheus> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const configFile = path.join(dir, 'prometheus.yml');
	writeFileSync(configFile, config);
	const child = spawn('prometheus', [
		`--config.file=${configFile}`,
		`--storage.tsdb.path=${path.join(dir, 'data')}`,
		`--web.listen-address=127.0.0.1:${port}`,
	], {stdio: ['ignore', 'ignore', 'pipe']});
	let output = '';
	child.stderr.on('data', (chunk: Buffer) => {
		// Its last few kB say why it failed.
		output = (output + chunk.toString()).slice(-8192);
	});
	try {
		await waitFor(async () => {
			if (child.exitCode !== null) {
				throw new Error(`prometheus exited ${child.exitCode}: ${output}`);
			}

			return fetch(`${url}/-/ready`).then(response => response.ok, () => false);
		}, 'prometheus ready', 30_000, 100);
	} catch (error) {
		await stopChild(child);
		throw error;
	}

	return {
		url,
		async query(promql) {
			const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`, {signal: AbortSignal.timeout(10_000)});
			const body = await response.json() as {status: string; error?: string; data?: {resultType: string; result: PromSample[]}};
			if (body.status !== 'success' || body.data?.resultType !== 'vector') {
				throw new Error(`query ${promql}: ${body.error ?? `${body.status}, ${body.data?.resultType ?? 'no data'}`}`);
			}

			return body.data.result;
		},
		output: () => output,
		stop: async () => stopChild(child),
	};
}
