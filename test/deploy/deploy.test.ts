import {execFile} from 'node:child_process';
import {
	cp, mkdtemp, readFile, rm, writeFile,
} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {describe, expect, test} from 'vitest';
import {builtInRules} from '../../source/alerts/rules.js';
import {DEFAULTS} from '../../source/config/types.js';
import {
	ALERT_RULE_TESTS,
	ALERT_RULES,
	CAMTOP_METRIC_NAMES,
	DASHBOARD,
	DEPLOY_DIR,
	EXPORT_ENV_EXAMPLE,
	EXPORT_UNIT,
	PROMETHEUS_CONFIG,
	camtopMetricNames,
	dashboardExprs,
	dashboardVariableQueries,
	deployMetricNames,
} from '../helpers/deploy-metrics.js';
import {readYaml} from '../helpers/yaml.js';

const execFileAsync = promisify(execFile);

/**
Runs a tool and returns what it printed (promtool says SUCCESS on stdout and FAILED on stderr). A missing tool fails the
test: promtool comes with Debian's prometheus package, which scripts/install-test-deps.sh installs.
*/
async function run(command: string, args: string[]): Promise<string> {
	try {
		const {stdout, stderr} = await execFileAsync(command, args);
		return stdout + stderr;
	} catch (error) {
		const {stdout = '', stderr = '', message} = error as {stdout?: string; stderr?: string; message: string};
		throw new Error(`${command} ${args.join(' ')} failed: ${message}\n${stdout}${stderr}`);
	}
}

async function withTemporaryDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(path.join(tmpdir(), 'camtop-deploy-'));
	try {
		return await work(dir);
	} finally {
		await rm(dir, {recursive: true, force: true});
	}
}

const ALERT_NAMES = [
	'CamtopCpuHigh',
	'CamtopMemoryHigh',
	'CamtopDiskFull',
	'CamtopRedisDown',
	'CamtopRedisSlow',
	'CamtopProcessDown',
	'CamtopCrashLoop',
	'CamtopMemoryGrowth',
	'CamtopCameraDown',
	'CamtopLogStale',
	'CamtopErrorRate',
	'CamtopQueueFull',
	'CamtopSlowFunction',
	'CamtopExporterDown',
];

describe('deploy/prometheus', () => {
	test('promtool check config accepts prometheus.yml with its rule file and targets', async () => {
		const output = await run('promtool', ['check', 'config', PROMETHEUS_CONFIG]);
		expect(output).toContain('SUCCESS: 1 rule files found');
		expect(output).toContain(`SUCCESS: ${ALERT_NAMES.length} rules found`);
	});

	test('promtool check config reads targets/*.yml: a broken targets file fails it', async () => {
		await withTemporaryDir(async dir => {
			await cp(path.join(DEPLOY_DIR, 'prometheus'), dir, {recursive: true});
			await writeFile(path.join(dir, 'targets', 'broken.yml'), '- targets: [camera-box-03:9464]\n  labels: {"not a label": x}\n');
			await expect(run('promtool', ['check', 'config', path.join(dir, 'prometheus.yml')])).rejects.toThrow(/not a valid label name/);
		});
	});

	test('promtool check rules accepts camtop-alerts.yml, which has one rule per alert', async () => {
		const output = await run('promtool', ['check', 'rules', ALERT_RULES]);
		expect(output).toContain(`SUCCESS: ${ALERT_NAMES.length} rules found`);
		const rules = await readFile(ALERT_RULES, 'utf8');
		expect([...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map(match => match[1])).toEqual(ALERT_NAMES);
	});

	test('every rule states its for, a severity and a component (which Alertmanager inhibits by), a summary naming the box', async () => {
		type Rule = {alert: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string>};
		const {groups} = (await readYaml(ALERT_RULES)) as {groups: Array<{rules: Rule[]}>};
		const rules = groups.flatMap(group => group.rules);
		expect(rules.map(rule => rule.alert)).toEqual(ALERT_NAMES);
		for (const rule of rules) {
			expect(rule.for, rule.alert).toMatch(/^\d+[sm]$/);
			expect(Object.keys(rule.labels ?? {}).sort(), rule.alert).toEqual(['component', 'severity']);
			expect(['critical', 'warning'], rule.alert).toContain(rule.labels!.severity);
			// One notification groups the boxes of one alert: each line must say which box it is.
			expect(rule.annotations?.summary, rule.alert).toContain('{{ $labels.instance }}');
			expect(rule.annotations?.description, rule.alert).toMatch(/\S/);
		}

		// A critical alert mutes the warnings of the same component on the same box (deploy/central/alertmanager.yml).
		expect(Object.fromEntries(rules.map(rule => [rule.alert, rule.labels!.component]))).toEqual({
			CamtopCpuHigh: 'host',
			CamtopMemoryHigh: 'host',
			CamtopDiskFull: 'host',
			CamtopRedisDown: 'redis',
			CamtopRedisSlow: 'redis',
			CamtopProcessDown: 'process',
			CamtopCrashLoop: 'process',
			CamtopMemoryGrowth: 'process',
			CamtopCameraDown: 'camera',
			CamtopLogStale: 'logs',
			CamtopErrorRate: 'logs',
			CamtopQueueFull: 'app',
			CamtopSlowFunction: 'app',
			CamtopExporterDown: 'exporter',
		});
	});

	test('promtool test rules: every alert fires after its for, not for a shorter breach, with hysteresis', async () => {
		const output = await run('promtool', ['test', 'rules', ALERT_RULE_TESTS]);
		expect(output).toContain('SUCCESS');
		const tests = await readFile(ALERT_RULE_TESTS, 'utf8');
		const tested = new Set([...tests.matchAll(/alertname: (\w+)/g)].map(match => match[1]!));
		const byName = (a: string, b: string) => a.localeCompare(b);
		expect([...tested].sort(byName)).toEqual([...ALERT_NAMES].sort(byName));
	});

	test('the Prometheus rules mirror camtop\'s built-in alerts: fire and clear levels, for, severity', async () => {
		// camtop's levels are in its own units: percent for the ratios, milliseconds for the Redis ping.
		const mirrors: Record<string, {alert: string; per: number | null}> = {
			cpu_high: {alert: 'CamtopCpuHigh', per: 100},
			memory_high: {alert: 'CamtopMemoryHigh', per: 100},
			disk_full: {alert: 'CamtopDiskFull', per: 100},
			redis_down: {alert: 'CamtopRedisDown', per: null},
			redis_slow: {alert: 'CamtopRedisSlow', per: 1000},
			process_down: {alert: 'CamtopProcessDown', per: null},
			crash_loop: {alert: 'CamtopCrashLoop', per: 1},
			// MiB per hour on both sides: deriv() of the RSS gauge, × 3600 / 1048576.
			memory_growth: {alert: 'CamtopMemoryGrowth', per: 1},
			camera_down: {alert: 'CamtopCameraDown', per: null},
			// camtop_log_file_stale is camtop's own staleLogSeconds decision.
			log_stale: {alert: 'CamtopLogStale', per: null},
			error_rate: {alert: 'CamtopErrorRate', per: 1},
			queue_full: {alert: 'CamtopQueueFull', per: 1},
			slow_function: {alert: 'CamtopSlowFunction', per: 1},
		};
		const rules = await readFile(ALERT_RULES, 'utf8');
		const blocks = new Map(rules.split(/^\s*- alert: /m).slice(1).map(block => [/^\w+/.exec(block)![0], block]));
		const builtIn = builtInRules(structuredClone(DEFAULTS.thresholds), DEFAULTS.crashLoop);
		expect(builtIn.map(rule => rule.name).sort()).toEqual(Object.keys(mirrors).sort());
		for (const rule of builtIn) {
			const {alert, per} = mirrors[rule.name]!;
			const block = blocks.get(alert);
			expect(block, alert).toBeDefined();
			const forMatch = /^\s*for: (\d+)([sm])$/m.exec(block!);
			const forSeconds = forMatch ? Number(forMatch[1]) * (forMatch[2] === 'm' ? 60 : 1) : 0;
			expect({alert, forSeconds, severity: /severity: (\w+)/.exec(block!)?.[1]}).toEqual({alert, forSeconds: rule.forSeconds, severity: rule.severity});
			if (per !== null) {
				const fire = Number(/ >= ([\d.]+)\n/.exec(block!)?.[1]);
				const clear = Number(/ > ([\d.]+) and on\(/.exec(block!)?.[1]);
				expect({alert, fire, clear}).toEqual({alert, fire: rule.fire / per, clear: rule.clear / per});
				expect(block, `${alert} reads its own firing state back`).toContain(`ALERTS{alertname="${alert}", alertstate="firing"}`);
			}
		}
	});

	test('the alert rules read only metrics camtop export exposes', async () => {
		const rules = await readFile(ALERT_RULES, 'utf8');
		const names = camtopMetricNames(rules);
		expect(names.size).toBeGreaterThan(10);
		expect([...names].filter(name => !CAMTOP_METRIC_NAMES.includes(name))).toEqual([]);
	});
});

describe('deploy/grafana', () => {
	type Panel = {id?: number; type?: string; title?: string; datasource?: {uid?: string}; gridPos?: {x: number; y: number; w: number; h: number}; targets?: Array<{expr?: string}>; panels?: Panel[]};
	type Variable = {name?: string; type?: string; query?: unknown; definition?: string; multi?: boolean; includeAll?: boolean};
	type Dashboard = {schemaVersion?: number; uid?: string; panels?: Panel[]; templating?: {list?: Variable[]}};

	const loadDashboard = async (): Promise<Dashboard> => JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
	const allPanels = (panels: Panel[]): Panel[] => panels.flatMap(panel => [panel, ...allPanels(panel.panels ?? [])]);

	test('the dashboard is JSON with a Prometheus data source variable and a multi-select instance variable', async () => {
		const dashboard = await loadDashboard();
		expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
		const variables = dashboard.templating?.list ?? [];
		expect(variables.find(variable => variable.name === 'datasource')).toMatchObject({type: 'datasource', query: 'prometheus'});
		expect(variables.find(variable => variable.name === 'instance')).toMatchObject({
			type: 'query',
			definition: 'label_values(camtop_info, instance)',
			multi: true,
			includeAll: true,
		});
	});

	test('every panel queries the chosen data source for the chosen boxes, laid out on the 24-column grid', async () => {
		const panels = allPanels((await loadDashboard()).panels ?? []);
		expect(panels.length).toBeGreaterThan(20);
		const ids = panels.map(panel => panel.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const panel of panels) {
			const {x = -1, w = 0} = panel.gridPos ?? {};
			expect(x >= 0 && w > 0 && x + w <= 24, `${panel.title} gridPos`).toBe(true);
			if (panel.type === 'row') {
				continue;
			}

			// eslint-disable-next-line no-template-curly-in-string -- Grafana's variable, not a template
			expect(panel.datasource?.uid, `${panel.title} datasource`).toBe('${datasource}');
			expect(panel.targets?.length, `${panel.title} targets`).toBeGreaterThan(0);
			for (const {expr} of panel.targets ?? []) {
				expect(expr, `${panel.title}`).toContain('instance=~"$instance"');
			}
		}
	});

	test('every dashboard expression is PromQL that promtool parses', async () => {
		const exprs = dashboardExprs(await loadDashboard());
		// Grafana's variables, as Grafana would fill them in.
		const values: Record<string, string> = {
			instance: '.+', __range: '6h', __rate_interval: '1m', __interval: '15s',
		};
		const rules = exprs.map((expr, index) => ({
			record: `dashboard:expr_${index}`,
			expr: expr.replaceAll(/\${?(\w+)}?/g, (_, name: string) => {
				const value = values[name];
				if (value === undefined) {
					throw new Error(`unknown Grafana variable $${name} in ${expr}`);
				}

				return value;
			}),
		}));
		await withTemporaryDir(async dir => {
			// JSON is YAML: promtool reads it as a rules file.
			const file = path.join(dir, 'dashboard-rules.json');
			await writeFile(file, JSON.stringify({groups: [{name: 'dashboard', rules}]}));
			expect(await run('promtool', ['check', 'rules', file])).toContain(`SUCCESS: ${exprs.length} rules found`);
		});
	});

	test('the dashboard reads only metrics camtop export exposes', async () => {
		const dashboard = await loadDashboard();
		const names = new Set([...dashboardExprs(dashboard), ...dashboardVariableQueries(dashboard)].flatMap(text => [...camtopMetricNames(text)]));
		expect(names.size).toBeGreaterThan(20);
		expect([...names].filter(name => !CAMTOP_METRIC_NAMES.includes(name))).toEqual([]);
	});

	test('deployMetricNames collects the names of both the dashboard and the rules', async () => {
		const names = await deployMetricNames();
		// camtop_log_errors_last_minute is read by the rules only, camtop_load15 by the dashboard only.
		expect(names).toContain('camtop_log_errors_last_minute');
		expect(names).toContain('camtop_load15');
		expect(names).toContain('camtop_info');
	});
});

describe('deploy/systemd', () => {
	/** The unit's sections, each a list of [key, value]: a key may repeat. */
	const parseUnit = (text: string): Map<string, Array<[string, string]>> => {
		const sections = new Map<string, Array<[string, string]>>();
		let current: Array<[string, string]> | undefined;
		for (const line of text.split('\n').map(line => line.trim())) {
			if (line === '' || line.startsWith('#') || line.startsWith(';')) {
				continue;
			}

			const section = /^\[(.+)]$/.exec(line);
			if (section) {
				current = [];
				sections.set(section[1]!, current);
				continue;
			}

			const equals = line.indexOf('=');
			expect(current !== undefined && equals > 0, `a key=value line inside a section: ${line}`).toBe(true);
			current!.push([line.slice(0, equals), line.slice(equals + 1)]);
		}

		return sections;
	};

	const values = (section: Array<[string, string]> | undefined, key: string): string[] => (section ?? []).filter(([name]) => name === key).map(([, value]) => value);

	test('camtop-export.service runs camtop export, hardened and bounded', async () => {
		const unit = parseUnit(await readFile(EXPORT_UNIT, 'utf8'));
		expect([...unit.keys()]).toEqual(['Unit', 'Service', 'Install']);
		const service = unit.get('Service');
		expect(values(service, 'ExecStart')).toHaveLength(1);
		expect(values(service, 'ExecStart')[0]).toMatch(/\bcamtop export\b/);
		expect(values(service, 'EnvironmentFile')).toEqual(['-/etc/camtop/export.env']);
		for (const [key, value] of Object.entries({
			DynamicUser: 'yes',
			NoNewPrivileges: 'yes',
			ProtectSystem: 'strict',
			ProtectHome: 'read-only',
			PrivateTmp: 'yes',
			RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
			MemoryMax: '128M',
			CPUQuota: '5%',
			Restart: 'on-failure',
			Nice: '10',
		})) {
			expect(values(service, key), key).toEqual([value]);
		}

		expect(values(service, 'ReadOnlyPaths')).toHaveLength(1);
		expect(values(unit.get('Install'), 'WantedBy')).toEqual(['multi-user.target']);
	});

	test('systemd-analyze verify finds nothing to say about camtop-export.service', async () => {
		// It warns about unknown keys and bad values on stderr and still exits 0, so its output must be empty too. It
		// comes with Debian's systemd package, which this machine kind has.
		expect(await run('systemd-analyze', ['verify', EXPORT_UNIT])).toBe('');
	});

	test('export.env.example sets what the unit and Prometheus need', async () => {
		const example = await readFile(EXPORT_ENV_EXAMPLE, 'utf8');
		const keys = example.split('\n').filter(line => /^[A-Z_]+=/.test(line)).map(line => line.slice(0, line.indexOf('=')));
		expect(keys.sort()).toEqual(['CAMTOP_EXPORT_ARGS', 'CAMTOP_EXPORT_TOKEN', 'REDIS_URL']);
		const unit = await readFile(EXPORT_UNIT, 'utf8');
		expect(unit).toContain('$CAMTOP_EXPORT_ARGS');
	});
});
