import {stat} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {DEPLOY_DIR, PROMETHEUS_CONFIG} from '../helpers/deploy-metrics.js';
import {readYaml} from '../helpers/yaml.js';

const CENTRAL_DIR = path.join(DEPLOY_DIR, 'central');
const COMPOSE = path.join(CENTRAL_DIR, 'compose.yaml');

type Service = {image?: string; restart?: string; network_mode?: string; command?: string[]; volumes?: string[]};
type Compose = {name?: string; services?: Record<string, Service>; volumes?: Record<string, unknown>};

async function isFile(file: string): Promise<boolean> {
	return stat(file).then(stats => stats.isFile(), () => false);
}

/** A service's `--flag=value`, or undefined. */
function flag(service: Service, name: string): string | undefined {
	const prefix = `--${name}=`;
	return service.command?.find(argument => argument.startsWith(prefix))?.slice(prefix.length);
}

/**
Where a path inside the container comes from: a bind mount's directory on the host (relative to compose.yaml, as
compose resolves it), or the named volume that holds it.
*/
function source(service: Service, containerPath: string): {host: string} | {volume: string} | undefined {
	for (const volume of service.volumes ?? []) {
		const [from, to] = volume.split(':') as [string, string];
		if (containerPath === to || containerPath.startsWith(`${to}/`)) {
			const rest = containerPath.slice(to.length);
			return from.startsWith('.') || from.startsWith('/') ? {host: path.join(CENTRAL_DIR, from, rest)} : {volume: from};
		}
	}

	return undefined;
}

/**
No Docker engine runs where the tests run, so compose.yaml is never started here: these tests read it as data and check
that it is wired to deploy/'s files (the same ones the other tests check with promtool, amtool and a real Alertmanager).
*/
describe('deploy/central/compose.yaml', () => {
	const load = async () => (await readYaml(COMPOSE)) as Compose;

	test('two services, Prometheus and Alertmanager, from pinned images, restarted, on the host\'s network', async () => {
		const compose = await load();
		expect(Object.keys(compose.services ?? {}).sort()).toEqual(['alertmanager', 'prometheus']);
		const {prometheus, alertmanager} = compose.services!;
		expect(prometheus!.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
		expect(alertmanager!.image).toMatch(/^prom\/alertmanager:v\d+\.\d+\.\d+$/);
		for (const service of [prometheus!, alertmanager!]) {
			expect(service.restart).toBe('unless-stopped');
			// prometheus.yml sends to localhost:9093, which is Alertmanager only when both share the host's network.
			expect(service.network_mode).toBe('host');
		}
	});

	test('Prometheus reads deploy/prometheus (config, rules, targets) read-only and keeps its data in a named volume', async () => {
		const compose = await load();
		const prometheus = compose.services!.prometheus!;
		const config = flag(prometheus, 'config.file')!;
		const mounted = source(prometheus, config);
		expect(mounted).toEqual({host: PROMETHEUS_CONFIG});
		expect(await isFile(PROMETHEUS_CONFIG)).toBe(true);
		// prometheus.yml finds the rules and targets beside itself: the whole directory is mounted, read-only.
		const configDir = path.dirname(config);
		expect(prometheus.volumes).toContain(`../prometheus:${configDir}:ro`);
		for (const file of ['camtop-alerts.yml', 'targets/camtop-boxes.yml']) {
			const {host} = source(prometheus, `${configDir}/${file}`) as {host: string};
			expect(await isFile(host), file).toBe(true);
		}

		const data = source(prometheus, flag(prometheus, 'storage.tsdb.path')!) as {volume: string};
		expect(Object.keys(compose.volumes ?? {})).toContain(data.volume);
		expect(flag(prometheus, 'web.listen-address')).toBe(':9090');
	});

	test('Alertmanager reads deploy/central/alertmanager.yml, keeps silences in a named volume, listens where Prometheus sends', async () => {
		const compose = await load();
		const alertmanager = compose.services!.alertmanager!;
		expect(source(alertmanager, flag(alertmanager, 'config.file')!)).toEqual({host: path.join(CENTRAL_DIR, 'alertmanager.yml')});
		expect(alertmanager.volumes!.find(volume => volume.startsWith('.:'))).toMatch(/:ro$/);
		const data = source(alertmanager, flag(alertmanager, 'storage.path')!) as {volume: string};
		expect(Object.keys(compose.volumes ?? {})).toContain(data.volume);
		expect(flag(alertmanager, 'cluster.listen-address')).toBe('');

		const prometheusConfig = (await readYaml(PROMETHEUS_CONFIG)) as {alerting?: {alertmanagers?: Array<{static_configs?: Array<{targets?: string[]}>}>}};
		const targets = prometheusConfig.alerting?.alertmanagers?.flatMap(each => each.static_configs ?? []).flatMap(each => each.targets ?? []);
		expect(targets).toEqual(['localhost:9093']);
		expect(flag(alertmanager, 'web.listen-address')).toBe('localhost:9093');
	});
});
