import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {
	mkdtemp, readFile, rm, writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {
	afterAll, beforeAll, describe, expect, test,
} from 'vitest';
import {ALERT_RULES, DEPLOY_DIR} from '../helpers/deploy-metrics.js';
import {freePort} from '../helpers/free-port.js';
import {stopChild} from '../helpers/redis-server.js';
import {waitFor} from '../helpers/wait-for.js';
import {startWebhookReceiver} from '../helpers/webhook-receiver.js';
import {readYaml} from '../helpers/yaml.js';

const execFileAsync = promisify(execFile);

const ALERTMANAGER_CONFIG = path.join(DEPLOY_DIR, 'central', 'alertmanager.yml');
const ALERTMANAGER_DEFAULTS = path.join(DEPLOY_DIR, 'central', 'debian', 'prometheus-alertmanager.default');
/** Debian's prometheus-alertmanager names the server so; upstream's tarball and image call it `alertmanager`. */
const ALERTMANAGER = 'prometheus-alertmanager';
/** What Prometheus sets an alert's endsAt to: 4 × its resend delay of 1 minute, renewed while the alert fires. */
const ALERT_LIFETIME_MS = 4 * 60_000;

type Rule = {alert?: string; labels?: Record<string, string>; annotations?: Record<string, string>};
type PostedAlert = {labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; generatorURL: string};
type Notification = {
	status: string;
	groupLabels: Record<string, string>;
	commonLabels: Record<string, string>;
	alerts: Array<{status: string; labels: Record<string, string>; annotations: Record<string, string>}>;
};
type AlertState = {labels: Record<string, string>; status: {state: string; inhibitedBy: string[]}};

/** The ARGS line of the /etc/default file, as Debian's unit passes it: split into words. */
async function defaultArgs(): Promise<string[]> {
	const line = /^ARGS="(.*)"$/m.exec(await readFile(ALERTMANAGER_DEFAULTS, 'utf8'));
	expect(line, `ARGS="…" in ${ALERTMANAGER_DEFAULTS}`).not.toBeNull();
	return line![1]!.split(/\s+/).filter(Boolean);
}

/**
A real Alertmanager (Debian's package) with deploy/central/alertmanager.yml and the flags of the /etc/default file,
sending to a real webhook receiver; alerts are posted to its API as Prometheus posts them, with the labels and summaries
of deploy/prometheus/camtop-alerts.yml.
*/
describe('deploy/central/alertmanager.yml in a real Alertmanager', () => {
	let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
	let alertmanager: ChildProcess;
	let dir: string;
	let api: string;
	let output = '';

	beforeAll(async () => {
		receiver = await startWebhookReceiver();
		dir = await mkdtemp(path.join(tmpdir(), 'camtop-alertmanager-'));
		const config = await readFile(ALERTMANAGER_CONFIG, 'utf8');
		expect(config.match(/^ {2}group_wait: 30s$/gm)).toHaveLength(1);
		expect(config.match(/^ {6}- url: \S+$/gm)).toHaveLength(1);
		// Two values rewritten, nothing else: the receiver's URL, and group_wait from 30 s to 1 s so that the test does
		// not wait half a minute for the first notification. Grouping, intervals and inhibit rules are the file's own.
		const testConfig = config
			.replace(/^ {2}group_wait: 30s$/m, '  group_wait: 1s')
			.replace(/^ {6}- url: \S+$/m, `      - url: ${receiver.url}`);
		await writeFile(path.join(dir, 'alertmanager.yml'), testConfig);
		const port = await freePort();
		api = `http://127.0.0.1:${port}`;
		// The flags of the /etc/default file, but its listen address: that flag adds an address each time it is given, and
		// localhost:9093 may be taken (by Debian's own prometheus-alertmanager.service, or another run of this test). For
		// the other flags, the ones after them win.
		const args = (await defaultArgs()).filter(argument => !argument.startsWith('--web.listen-address='));
		alertmanager = spawn(ALERTMANAGER, [
			...args,
			`--config.file=${path.join(dir, 'alertmanager.yml')}`,
			`--storage.path=${path.join(dir, 'data')}`,
			`--web.listen-address=127.0.0.1:${port}`,
		], {stdio: ['ignore', 'pipe', 'pipe']});
		const keep = (chunk: Buffer) => {
			output += chunk.toString();
		};

		alertmanager.stdout!.on('data', keep);
		alertmanager.stderr!.on('data', keep);
		await waitFor(async () => {
			if (alertmanager.exitCode !== null) {
				throw new Error(`${ALERTMANAGER} exited ${alertmanager.exitCode}: ${output}`);
			}

			return fetch(`${api}/-/ready`).then(response => response.ok, () => false);
		}, 'Alertmanager ready', 15_000, 100);
	}, 20_000);

	afterAll(async () => {
		if (alertmanager !== undefined) {
			await stopChild(alertmanager);
		}

		await receiver?.close();
		if (dir !== undefined) {
			await rm(dir, {recursive: true, force: true});
		}
	});

	test('amtool check-config accepts alertmanager.yml: one route to the one receiver, two inhibit rules', async () => {
		const {stdout} = await execFileAsync('amtool', ['check-config', ALERTMANAGER_CONFIG]);
		expect(stdout).toContain('SUCCESS');
		expect(stdout).toContain('2 inhibit rules');
		expect(stdout).toContain('1 receivers');
		const routes = await execFileAsync('amtool', ['config', 'routes', 'test', `--config.file=${ALERTMANAGER_CONFIG}`, 'alertname=CamtopRedisDown', 'severity=critical']);
		expect(routes.stdout.trim()).toBe('camtop-webhook');
	});

	const metric = async () => (await fetch(`${api}/metrics`)).text();

	test('the flags of the /etc/default file: one Alertmanager, not a cluster, on localhost:9093', async () => {
		expect(await defaultArgs()).toEqual(['--web.listen-address=localhost:9093', '--cluster.listen-address=']);
		// The server started with the second (beforeAll), and opened no gossip port.
		expect(await metric()).toMatch(/^alertmanager_cluster_enabled 0$/m);
	});

	test('a fleet-wide outage is one notification per cause with every box in it; inhibited alerts are in none', async () => {
		const groups = (await readYaml(ALERT_RULES)) as {groups: Array<{rules: Rule[]}>};
		const rules = new Map(groups.groups.flatMap(group => group.rules).map(rule => [rule.alert, rule]));
		const now = Date.now();
		/** An alert of a rule on a box, as Prometheus sends it: the rule's labels and the series', summary rendered. */
		const alert = (name: string, box: string, labels: Record<string, string> = {}): PostedAlert => {
			const rule = rules.get(name);
			expect(rule, name).toBeDefined();
			const instance = `${box}:9464`;
			const summary = rule!.annotations!.summary!
				.replaceAll('{{ $labels.instance }}', instance)
				.replaceAll('{{ $labels.process }}', labels.process ?? '');
			return {
				labels: {
					alertname: name, ...rule!.labels, job: 'camtop', instance, site: 'north-gate', ...labels,
				},
				annotations: {summary},
				startsAt: new Date(now).toISOString(),
				endsAt: new Date(now + ALERT_LIFETIME_MS).toISOString(),
				generatorURL: `http://prometheus.example.lan:9090/graph?g0.expr=${name}`,
			};
		};

		const redisDown = ['camera-box-01', 'camera-box-02', 'camera-box-03', 'camera-box-04', 'camera-box-05'];
		const exporterDown = ['camera-box-06', 'camera-box-07'];
		const posted = [
			// The cause: Redis is gone on five boxes at once, and two boxes stop answering.
			...redisDown.map(box => alert('CamtopRedisDown', box)),
			...exporterDown.map(box => alert('CamtopExporterDown', box)),
			// Inhibited: Redis down on a box whose exporter is down (its last word before it went quiet), and Redis
			// slow on a box where Redis is down, and the memory growth of a process that is down.
			alert('CamtopRedisDown', 'camera-box-06'),
			alert('CamtopRedisSlow', 'camera-box-01'),
			alert('CamtopProcessDown', 'camera-box-02', {process: 'recorder'}),
			alert('CamtopMemoryGrowth', 'camera-box-02', {process: 'recorder'}),
			// Not inhibited: Redis slow where it is not down, the memory growth of another process of the same box.
			alert('CamtopRedisSlow', 'camera-box-08'),
			alert('CamtopMemoryGrowth', 'camera-box-02', {process: 'streamer'}),
		];
		const response = await fetch(`${api}/api/v2/alerts`, {
			method: 'POST',
			headers: {'content-type': 'application/json'},
			body: JSON.stringify(posted),
		});
		expect(response.status).toBe(200);

		const boxesOf = (notification: Notification) => notification.alerts.map(each => each.labels.instance!.replace(':9464', '') + (each.labels.process ? `/${each.labels.process}` : '')).sort();
		const expected = {
			CamtopRedisDown: redisDown,
			CamtopExporterDown: exporterDown,
			CamtopRedisSlow: ['camera-box-08'],
			CamtopProcessDown: ['camera-box-02/recorder'],
			CamtopMemoryGrowth: ['camera-box-02/streamer'],
		};
		const notifications = await waitFor(() => {
			const received = receiver.received.map(request => JSON.parse(request.body) as Notification);
			return received.length >= Object.keys(expected).length && received;
		}, 'a notification for each cause', 15_000);
		expect(Object.fromEntries(notifications.map(notification => [notification.groupLabels.alertname!, boxesOf(notification)]))).toEqual(expected);
		// Exactly one each: Alertmanager counts the notifications it sent, and they are the ones the receiver got.
		const sent = await waitFor(async () => {
			const value = /^alertmanager_notifications_total{integration="webhook"} (\d+)$/m.exec(await metric());
			return value ? Number(value[1]) : undefined;
		}, 'alertmanager_notifications_total');
		expect(sent).toBe(Object.keys(expected).length);
		expect(receiver.received).toHaveLength(sent);

		const redis = notifications.find(notification => notification.groupLabels.alertname === 'CamtopRedisDown')!;
		expect(redis).toMatchObject({
			status: 'firing',
			groupLabels: {alertname: 'CamtopRedisDown', severity: 'critical'},
			commonLabels: {
				alertname: 'CamtopRedisDown', severity: 'critical', component: 'redis', job: 'camtop', site: 'north-gate',
			},
		});
		expect(redis.alerts.map(each => each.annotations.summary!).sort()).toEqual(redisDown.map(box => `Redis down on ${box}:9464`));

		// Alertmanager holds the inhibited alerts as suppressed, each by the alert that mutes it.
		const states = await (await fetch(`${api}/api/v2/alerts`)).json() as AlertState[];
		const suppressed = states
			.filter(state => state.status.state === 'suppressed')
			.map(state => `${state.labels.alertname} ${state.labels.instance}${state.labels.process ? `/${state.labels.process}` : ''}`)
			.sort();
		expect(suppressed).toEqual([
			'CamtopMemoryGrowth camera-box-02:9464/recorder',
			'CamtopRedisDown camera-box-06:9464',
			'CamtopRedisSlow camera-box-01:9464',
		]);
		expect(states.filter(state => state.status.state === 'suppressed').every(state => state.status.inhibitedBy.length === 1)).toBe(true);
	});
});
