import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {builtInRules, type AlertRule} from '../../source/alerts/rules.js';
import {DEFAULTS} from '../../source/config/types.js';
import {loadConfig, parseConfigFile} from '../../source/config/load.js';
import {UsageError} from '../../source/base/usage-error.js';

function temporaryDir(): string {
	return mkdtempSync(path.join(os.tmpdir(), 'camtop-alerts-'));
}

/** The config loaded from a camtop.config.json holding `json`. */
async function load(json: unknown) {
	const cwd = temporaryDir();
	const file = path.join(cwd, 'camtop.config.json');
	writeFileSync(file, JSON.stringify(json));
	return {config: await loadConfig({flags: {}, env: {XDG_CONFIG_HOME: path.join(cwd, 'none')}, cwd}), cwd, file};
}

const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXSECRET';

describe('alerts in the config file', () => {
	it('are the built-in rules, sending nowhere, without a config file', async () => {
		const cwd = temporaryDir();
		const config = await loadConfig({flags: {}, env: {XDG_CONFIG_HOME: path.join(cwd, 'none')}, cwd});
		expect(config.alerts).toEqual(builtInRules(structuredClone(DEFAULTS.thresholds), DEFAULTS.crashLoop));
		expect(config.alerts.map(rule => [rule.name, rule.metric, rule.fire, rule.clear, rule.forSeconds, rule.severity])).toEqual([
			['cpu_high', 'cpu_percent', 95, 80, 60, 'critical'],
			['memory_high', 'memory_percent', 95, 80, 60, 'critical'],
			['disk_full', 'disk_percent', 95, 85, 0, 'critical'],
			['redis_down', 'redis_down', 1, 0, 30, 'critical'],
			['redis_slow', 'redis_ping_ms', 1000, 100, 60, 'warning'],
			['process_down', 'process_down', 1, 0, 30, 'critical'],
			['crash_loop', 'process_crash_loop', 3, 0, 0, 'critical'],
			['memory_growth', 'rss_growth_mib_per_hour', 50, 10, 1800, 'warning'],
			['camera_down', 'camera_state', 1, 0, 30, 'critical'],
			['log_stale', 'log_stale', 600, 300, 0, 'warning'],
			['error_rate', 'error_rate', 10, 5, 60, 'warning'],
			['queue_full', 'queue_depth', 100, 50, 30, 'warning'],
			['slow_function', 'function_seconds', 1, 0.5, 60, 'warning'],
		]);
		expect(config.alerts.every(rule => rule.targets.length === 0)).toBe(true);
	});

	it('take the built-ins\' levels from thresholds and crashLoop, and send them to alertTargets', async () => {
		const {config} = await load({
			thresholds: {cpuPercent: {warning: 60, critical: 70}, staleLogSeconds: 100},
			crashLoop: {restarts: 5},
			alertTargets: [{webhook: SLACK}],
		});
		const byName = new Map(config.alerts.map(rule => [rule.name, rule]));
		expect(byName.get('cpu_high')).toMatchObject({fire: 70, clear: 60});
		expect(byName.get('log_stale')).toMatchObject({fire: 100, clear: 50});
		expect(byName.get('crash_loop')).toMatchObject({fire: 5});
		expect(config.alerts.every(rule => rule.targets.length === 1 && rule.targets[0]!.kind === 'webhook')).toBe(true);
	});

	it('are off with "alerts": []', async () => {
		const {config} = await load({alerts: [], alertTargets: [{webhook: SLACK}]});
		expect(config.alerts).toEqual([]);
	});

	it('fill what a rule leaves out from its metric\'s built-in, and give alertTargets to rules without targets', async () => {
		const {config, cwd} = await load({
			alerts: [
				{metric: 'cpu_percent'},
				{
					name: 'gate_down', metric: 'camera_state', camera: 'gate', states: ['OFFLINE'], for: '2m', severity: 'warning', targets: [{command: ['./page.sh', 'gate']}],
				},
				{
					name: 'backlog', metric: 'queue_depth', perfMetric: 'frame_queue', fire: 20, clear: 10, for: 15,
				},
				{
					name: 'slow_save', metric: 'function_seconds', function: 'save_frame', fire: 2, for: '1h',
				},
			],
			alertTargets: [{webhook: SLACK, headers: {'X-Token': 'abc'}}, {command: ['logger', '-t', 'camtop']}],
		});
		const shared = [{kind: 'webhook', url: SLACK, headers: {'X-Token': 'abc'}}, {kind: 'command', argv: ['logger', '-t', 'camtop']}];
		expect(config.alerts).toEqual<AlertRule[]>([
			{...builtInRules(config.thresholds, config.crashLoop)[0]!, targets: shared as AlertRule['targets']},
			{
				name: 'gate_down', metric: 'camera_state', fire: 1, clear: 0, forSeconds: 120, severity: 'warning', match: 'gate', perfMetric: 'queue_depth',
				states: ['OFFLINE'], targets: [{kind: 'command', argv: [path.join(cwd, 'page.sh'), 'gate']}],
			},
			{
				name: 'backlog', metric: 'queue_depth', fire: 20, clear: 10, forSeconds: 15, severity: 'warning', match: undefined, perfMetric: 'frame_queue',
				states: ['STALLED', 'OFFLINE', 'FROZEN'], targets: shared as AlertRule['targets'],
			},
			{
				name: 'slow_save', metric: 'function_seconds', fire: 2, clear: 0.5, forSeconds: 3600, severity: 'warning', match: 'save_frame', perfMetric: 'queue_depth',
				states: ['STALLED', 'OFFLINE', 'FROZEN'], targets: shared as AlertRule['targets'],
			},
		]);
	});

	it('take memory_growth\'s levels, for and process from the file', async () => {
		const {config} = await load({
			alerts: [{
				metric: 'rss_growth_mib_per_hour', process: 'cam1_stream.py', fire: 20, clear: 5, for: '1h', severity: 'critical',
			}],
		});
		expect(config.alerts).toMatchObject([{
			name: 'memory_growth', metric: 'rss_growth_mib_per_hour', fire: 20, clear: 5, forSeconds: 3600, severity: 'critical', match: 'cam1_stream.py',
		}]);
	});

	const bad: Array<[string, unknown, string]> = [
		['alerts not a list', {alerts: {}}, 'alerts must be an array, got object'],
		['a rule not an object', {alerts: ['cpu']}, 'alerts[0] must be an object, got string'],
		['an unknown rule field', {alerts: [{metric: 'cpu_percent', threshold: 3}]}, 'unknown field "alerts[0].threshold"'],
		['no metric', {alerts: [{name: 'x'}]}, 'alerts[0].metric is required (one of cpu_percent'],
		['an unknown metric', {alerts: [{metric: 'cpu'}]}, 'alerts[0].metric must be one of cpu_percent, memory_percent'],
		['a bad name', {alerts: [{name: 'cpu high!', metric: 'cpu_percent'}]}, 'alerts[0].name must be at most 64 letters'],
		['a name used twice', {alerts: [{name: 'a', metric: 'cpu_percent'}, {name: 'a', metric: 'disk_percent'}]}, 'alerts[1].name "a" is taken by alerts[0]'],
		['a default name used twice', {alerts: [{metric: 'cpu_percent'}, {metric: 'cpu_percent', fire: 99}]}, 'alerts[1].name "cpu_high" is taken by alerts[0]'],
		['fire not a number', {alerts: [{metric: 'cpu_percent', fire: '90'}]}, 'alerts[0].fire must be a number, got string'],
		['a negative clear', {alerts: [{metric: 'cpu_percent', clear: -1}]}, 'alerts[0].clear must be between 0 and'],
		['a bad for', {alerts: [{metric: 'cpu_percent', for: '5 minutes'}]}, 'alerts[0].for must be seconds or a duration such as "30s", "2m", "1h", got "5 minutes"'],
		['a for too long', {alerts: [{metric: 'cpu_percent', for: '200h'}]}, 'alerts[0].for must be at most 7 days'],
		['a bad severity', {alerts: [{metric: 'cpu_percent', severity: 'page'}]}, 'alerts[0].severity must be "warning" or "critical", got "page"'],
		['a filter of another metric', {alerts: [{metric: 'cpu_percent', camera: 'gate'}]}, 'alerts[0].camera does not apply to metric cpu_percent'],
		['a process filter on a metric without processes', {alerts: [{metric: 'cpu_percent', process: 'start.py'}]}, 'alerts[0].process does not apply to metric cpu_percent'],
		['perfMetric on another metric', {alerts: [{metric: 'error_rate', perfMetric: 'x'}]}, 'alerts[0].perfMetric does not apply to metric error_rate'],
		['no states', {alerts: [{metric: 'camera_state', states: []}]}, 'alerts[0].states must name at least one camera state'],
		['an unknown state', {alerts: [{metric: 'camera_state', states: ['DOWN']}]}, 'alerts[0].states[0] must be one of LIVE, DEGRADED'],
		['targets not a list', {alerts: [{metric: 'cpu_percent', targets: {webhook: SLACK}}]}, 'alerts[0].targets must be an array, got object'],
		['a target with neither', {alertTargets: [{}]}, 'alertTargets[0] must have either "webhook" (a URL) or "command"'],
		['a target with both', {alertTargets: [{webhook: SLACK, command: ['x']}]}, 'alertTargets[0] must have either'],
		['an unknown target field', {alertTargets: [{webhook: SLACK, method: 'PUT'}]}, 'unknown field "alertTargets[0].method"'],
		['a webhook that is not a URL', {alertTargets: [{webhook: 'hooks.slack.com/services/XXXXSECRET'}]}, 'alertTargets[0].webhook must be an http:// or https:// URL, got text that is not a URL'],
		['a webhook of another scheme', {alertTargets: [{webhook: 'ftp://example.com/XXXXSECRET'}]}, 'alertTargets[0].webhook must be an http:// or https:// URL, got a ftp: URL'],
		['headers on a command', {alertTargets: [{command: ['x'], headers: {}}]}, 'alertTargets[0].headers goes with "webhook", not "command"'],
		['a header that is not a string', {alertTargets: [{webhook: SLACK, headers: {'X-Token': 5}}]}, 'alertTargets[0].headers.X-Token must be a string of printable ASCII on one line'],
		['a header fetch would refuse', {alertTargets: [{webhook: SLACK, headers: {'X-Token': 'clé'}}]}, 'alertTargets[0].headers.X-Token must be a string of printable ASCII on one line'],
		['a webhook with a user and password', {alertTargets: [{webhook: 'https://bot:XXXXSECRET@hooks.example.com/notify'}]}, 'alertTargets[0].webhook must not carry a user or password; send them as a header instead'],
		['a bad header name', {alertTargets: [{webhook: SLACK, headers: {'X Token': 'a'}}]}, 'alertTargets[0].headers has a name that is not a header name: "X Token"'],
		['an empty command', {alertTargets: [{command: []}]}, 'alertTargets[0].command must name a program'],
		['a command not of strings', {alertTargets: [{command: ['notify', 3]}]}, 'alertTargets[0].command[1] must be a non-empty string, got number'],
		['a command as one string', {alertTargets: [{command: 'notify --loud'}]}, 'alertTargets[0].command must be an array, got string'],
		['alertTargets not a list', {alertTargets: {webhook: SLACK}}, 'alertTargets must be an array, got object'],
	];

	for (const [what, json, message] of bad) {
		it(`rejects ${what} in one line naming the file and the field`, () => {
			const file = '/etc/camtop/config.json';
			const parse = () => parseConfigFile(file, JSON.stringify(json));
			expect(parse).toThrow(UsageError);
			expect(parse).toThrow(`config ${file}: ${message}`);
			try {
				parse();
			} catch (error) {
				expect((error as Error).message).not.toContain('\n');
				expect((error as Error).message).not.toContain('XXXXSECRET');
			}
		});
	}

	it('rejects a clear above fire, naming the rule, the defaults included', async () => {
		const explicit = load({
			alerts: [{
				name: 'hot', metric: 'cpu_percent', fire: 50, clear: 60,
			}],
		});
		await expect(explicit).rejects.toThrow(UsageError);
		await expect(explicit).rejects.toThrow(/^config .*camtop\.config\.json: alerts\[0] \(hot\): clear \(60\) is above fire \(50\)$/);
		await expect(load({alerts: [{metric: 'cpu_percent', fire: 50}]})).rejects.toThrow('alerts[0] (cpu_high): clear (80, the default) is above fire (50)');
	});

	it('accepts a clear equal to fire and "for" in seconds, minutes or hours', async () => {
		const {config} = await load({
			alerts: [
				{
					name: 'a', metric: 'disk_percent', fire: 90, clear: 90, for: 0,
				},
				{name: 'b', metric: 'disk_percent', for: '30s'},
				{name: 'c', metric: 'disk_percent', for: '1.5m'},
			],
		});
		expect(config.alerts.map(rule => rule.forSeconds)).toEqual([0, 30, 90]);
	});
});
