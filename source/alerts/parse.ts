import path from 'node:path';
import type {Checker} from '../config/checker.js';
import type {CrashLoop, Thresholds} from '../config/types.js';
import {UsageError} from '../base/usage-error.js';
import {CAMERA_STATES, type CameraState} from '../collectors/camera-state.js';
import {
	BUILT_IN_NAMES, DEFAULT_CAMERA_STATES, DEFAULT_PERF_METRIC, MATCH_KEYS, RULE_METRICS, builtInRules, ruleDefaults,
	type AlertRule, type AlertTarget, type RuleMetric, type Severity,
} from './rules.js';

/** A rule as the config file gives it: what it leaves out takes its metric's built-in value once thresholds are known. */
export type RuleInput = {
	/** Where it stands in the file (`alerts[2]`), for messages. */
	where: string;
	name: string;
	metric: RuleMetric;
	fire?: number;
	clear?: number;
	forSeconds?: number;
	severity?: Severity;
	match?: string;
	perfMetric?: string;
	states?: CameraState[];
	targets?: AlertTarget[];
};

const RULE_KEYS = ['name', 'metric', 'fire', 'clear', 'for', 'severity', 'targets', 'process', 'camera', 'file', 'function', 'perfMetric', 'states'];
const SEVERITIES: ReadonlySet<string> = new Set<Severity>(['warning', 'critical']);
/** Rule names go into chat lines, environment variables and metric labels. */
const NAME_PATTERN = /^[\w.:-]{1,64}$/;
/** The largest level a rule takes; its values are percentages, counts, milliseconds and seconds. */
const MAX_LEVEL = 1e9;
const MAX_FOR_SECONDS = 7 * 86_400;
const DURATION_UNITS: Record<string, number> = {s: 1, m: 60, h: 3600};
/** RFC 9110 token: what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^`|~\w-]+$/;

/** `alerts`: the rules, checked; names filled in and unique. */
export function parseAlertRules(check: Checker, value: unknown): RuleInput[] {
	const rules = check.array(value, 'alerts').map((item, index) => parseRule(check, item, `alerts[${index}]`));
	const seen = new Map<string, string>();
	for (const rule of rules) {
		const first = seen.get(rule.name);
		if (first !== undefined) {
			throw new UsageError(`config ${check.file}: ${rule.where}.name "${rule.name}" is taken by ${first} (rule names must be unique)`);
		}

		seen.set(rule.name, rule.where);
	}

	return rules;
}

function parseRule(check: Checker, value: unknown, where: string): RuleInput {
	const object = check.object(value, where);
	check.knownKeys(object, where, RULE_KEYS);
	const metric = parseMetric(check, object.metric, `${where}.metric`);
	const rule: RuleInput = {where, metric, name: BUILT_IN_NAMES[metric]};
	if (object.name !== undefined) {
		rule.name = check.string(object.name, `${where}.name`);
		if (!NAME_PATTERN.test(rule.name)) {
			throw new UsageError(`config ${check.file}: ${where}.name must be at most 64 letters, digits, _ . : or -, got "${rule.name}"`);
		}
	}

	if (object.fire !== undefined) {
		rule.fire = check.number(object.fire, `${where}.fire`, 0, MAX_LEVEL);
	}

	if (object.clear !== undefined) {
		rule.clear = check.number(object.clear, `${where}.clear`, 0, MAX_LEVEL);
	}

	if (object.for !== undefined) {
		rule.forSeconds = parseForSeconds(check, object.for, `${where}.for`);
	}

	if (object.severity !== undefined) {
		const {severity} = object;
		if (typeof severity !== 'string' || !SEVERITIES.has(severity)) {
			throw new UsageError(`config ${check.file}: ${where}.severity must be "warning" or "critical", got ${shown(severity)}`);
		}

		rule.severity = severity as Severity;
	}

	if (object.targets !== undefined) {
		rule.targets = parseAlertTargets(check, object.targets, `${where}.targets`);
	}

	for (const key of ['process', 'camera', 'file', 'function'] as const) {
		if (object[key] !== undefined) {
			applies(check, metric, `${where}.${key}`, MATCH_KEYS[metric] === key);
			rule.match = check.string(object[key], `${where}.${key}`);
		}
	}

	if (object.perfMetric !== undefined) {
		applies(check, metric, `${where}.perfMetric`, metric === 'queue_depth');
		rule.perfMetric = check.string(object.perfMetric, `${where}.perfMetric`);
	}

	if (object.states !== undefined) {
		applies(check, metric, `${where}.states`, metric === 'camera_state');
		const states = check.array(object.states, `${where}.states`);
		if (states.length === 0) {
			throw new UsageError(`config ${check.file}: ${where}.states must name at least one camera state (${CAMERA_STATES.join(', ')})`);
		}

		rule.states = states.map((state, index) => {
			if (!CAMERA_STATES.includes(state as CameraState)) {
				throw new UsageError(`config ${check.file}: ${where}.states[${index}] must be one of ${CAMERA_STATES.join(', ')}, got ${shown(state)}`);
			}

			return state as CameraState;
		});
	}

	return rule;
}

function parseMetric(check: Checker, value: unknown, where: string): RuleMetric {
	if (value === undefined) {
		throw new UsageError(`config ${check.file}: ${where} is required (one of ${RULE_METRICS.join(', ')})`);
	}

	if (!RULE_METRICS.includes(value as RuleMetric)) {
		throw new UsageError(`config ${check.file}: ${where} must be one of ${RULE_METRICS.join(', ')}, got ${shown(value)}`);
	}

	return value as RuleMetric;
}

function applies(check: Checker, metric: RuleMetric, where: string, applicable: boolean): void {
	if (!applicable) {
		throw new UsageError(`config ${check.file}: ${where} does not apply to metric ${metric}`);
	}
}

/** `for`: seconds as a number, or a string `30s`, `2m`, `1h`. */
export function parseForSeconds(check: Checker, value: unknown, where: string): number {
	if (typeof value === 'number') {
		return check.number(value, where, 0, MAX_FOR_SECONDS);
	}

	const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)\s*([smh])$/.exec(value.trim()) : null;
	if (match === null) {
		throw new UsageError(`config ${check.file}: ${where} must be seconds or a duration such as "30s", "2m", "1h", got ${shown(value)}`);
	}

	const seconds = Number(match[1]) * DURATION_UNITS[match[2]!]!;
	if (seconds > MAX_FOR_SECONDS) {
		throw new UsageError(`config ${check.file}: ${where} must be at most ${MAX_FOR_SECONDS / 86_400} days, got "${value as string}"`);
	}

	return seconds;
}

/**
`alertTargets` or a rule's `targets`. A command's program with a slash in it but not absolute is relative to the
config file, as `logs` is; a bare name is looked up on PATH.
*/
export function parseAlertTargets(check: Checker, value: unknown, where: string): AlertTarget[] {
	return check.array(value, where).map((item, index) => parseTarget(check, item, `${where}[${index}]`));
}

function parseTarget(check: Checker, value: unknown, where: string): AlertTarget {
	const object = check.object(value, where);
	check.knownKeys(object, where, ['webhook', 'headers', 'command']);
	const hasWebhook = object.webhook !== undefined;
	if (hasWebhook === (object.command !== undefined)) {
		throw new UsageError(`config ${check.file}: ${where} must have either "webhook" (a URL) or "command" (an array of strings)`);
	}

	if (!hasWebhook) {
		if (object.headers !== undefined) {
			throw new UsageError(`config ${check.file}: ${where}.headers goes with "webhook", not "command"`);
		}

		const argv = check.array(object.command, `${where}.command`).map((part, index) => check.string(part, `${where}.command[${index}]`));
		if (argv.length === 0) {
			throw new UsageError(`config ${check.file}: ${where}.command must name a program: ["/path/to/program", "arg", …]`);
		}

		const program = argv[0]!;
		argv[0] = program.includes('/') && !path.isAbsolute(program) ? path.resolve(path.dirname(check.file), program) : program;
		return {kind: 'command', argv};
	}

	const url = check.string(object.webhook, `${where}.webhook`);
	let parsed: URL | undefined;
	try {
		parsed = new URL(url);
	} catch {}

	// Never repeat the URL: a Slack webhook's path is its password.
	if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
		throw new UsageError(`config ${check.file}: ${where}.webhook must be an http:// or https:// URL, got ${parsed === undefined ? 'text that is not a URL' : `a ${parsed.protocol} URL`}`);
	}

	// fetch refuses a URL with a user or password in it: every notification would fail.
	if (parsed.username !== '' || parsed.password !== '') {
		throw new UsageError(`config ${check.file}: ${where}.webhook must not carry a user or password; send them as a header instead: "headers": {"Authorization": "Basic …"}`);
	}

	const headers: Record<string, string> = {};
	if (object.headers !== undefined) {
		const given = check.object(object.headers, `${where}.headers`);
		for (const [name, headerValue] of Object.entries(given)) {
			if (!HEADER_NAME.test(name)) {
				throw new UsageError(`config ${check.file}: ${where}.headers has a name that is not a header name: "${name}"`);
			}

			// Header values are often tokens: their checks never print them.
			// Printable ASCII only: fetch refuses anything else in a header (and every notification would fail).
			if (typeof headerValue !== 'string' || !/^[\t\u0020-\u007E]*$/.test(headerValue)) {
				throw new UsageError(`config ${check.file}: ${where}.headers.${name} must be a string of printable ASCII on one line`);
			}

			headers[name] = headerValue;
		}
	}

	return {kind: 'webhook', url, headers};
}

/**
The rules in force: the file's (built-in levels filling what each leaves out) or, without `alerts`, the built-in ones;
`targets` of the file's `alertTargets` for each that names none. `where` names the config in messages.
*/
export function resolveAlertRules({
	rules, targets, thresholds, crashLoop, where,
}: {
	rules: readonly RuleInput[] | undefined;
	targets: readonly AlertTarget[];
	thresholds: Thresholds;
	crashLoop: CrashLoop;
	where: string;
}): AlertRule[] {
	if (rules === undefined) {
		return builtInRules(thresholds, crashLoop).map(rule => ({...rule, targets: [...targets]}));
	}

	return rules.map(input => {
		const defaults = ruleDefaults(input.metric, thresholds, crashLoop);
		const rule: AlertRule = {
			name: input.name,
			metric: input.metric,
			fire: input.fire ?? defaults.fire,
			clear: input.clear ?? defaults.clear,
			forSeconds: input.forSeconds ?? defaults.forSeconds,
			severity: input.severity ?? defaults.severity,
			match: input.match,
			perfMetric: input.perfMetric ?? DEFAULT_PERF_METRIC,
			states: input.states ?? [...DEFAULT_CAMERA_STATES],
			targets: input.targets ?? [...targets],
		};
		if (rule.clear > rule.fire) {
			const given = (key: 'fire' | 'clear') => input[key] === undefined ? `${rule[key]}, the default` : String(rule[key]);
			throw new UsageError(`${where}: ${input.where} (${rule.name}): clear (${given('clear')}) is above fire (${given('fire')})`);
		}

		return rule;
	});
}

function shown(value: unknown): string {
	if (typeof value === 'string') {
		return `"${value}"`;
	}

	if (value === null) {
		return 'null';
	}

	if (Array.isArray(value)) {
		return 'an array';
	}

	// eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects are answered here; what is left is a primitive
	return typeof value === 'object' ? 'an object' : String(value);
}
