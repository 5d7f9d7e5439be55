#!/usr/bin/env node
import process from 'node:process';
import meow, {type AnyFlags} from 'meow';
import {loadConfig, parseInterval, type ConfigFlags} from './config/load.js';
import {UsageError} from './base/usage-error.js';

// package.json's name, version, description and bin, written into the one-file bin by scripts/bundle.mjs: copied
// alone, it has no package.json beside it (or a stranger's above it). Under tsc's output meow reads package.json.
declare const CAMTOP_PACKAGE: Record<string, unknown> | undefined;
const PACKAGE = typeof CAMTOP_PACKAGE === 'object' ? CAMTOP_PACKAGE : undefined;

const HELP = `
	Usage
	  $ camtop [options]              the full-screen monitor (? inside for keys)
	  $ camtop <command> [options]

	Commands
	  health       One-shot health report of the box (what health_check.py did)
	  analyze      Analyse the logs: errors, issues, connections, performance
	  export       Prometheus /metrics, /snapshot and alerts, for a fleet of boxes
	  fleet        Every box on one screen, read from the Prometheus that
	               scrapes their camtop export
	  demo         A simulated camera box writing live logs, to watch with camtop

	Options
	  --logs DIR       Directory of camera_system.log, errors.log, … [./logs]
	  --redis URL      redis://[:password@]host[:port][/db] [127.0.0.1:6379]
	  --config FILE    [./camtop.config.json, else ~/.config/camtop/config.json]
	  --interval MS    Refresh interval of live views, milliseconds  [1000]
	  --help           Show help (also after a command: camtop health --help)
	  --version        Show the version

	Environment
	  CAMTOP_LOGS      Same as --logs
	  REDIS_URL        Same as --redis
	  NO_COLOR         Set to anything to turn colour off

	Flags beat environment, which beats the config file, which beats the defaults.

	Examples
	  $ camtop
	  $ camtop --logs /opt/camera/logs
	  $ camtop health
	  $ camtop health --json | jq .system_resources.memory_percent
	  $ camtop health --logs /opt/cam/logs --redis redis://:secret@10.0.0.5
	  $ camtop analyze --json | jq '."logs/errors.log".error_types'
	  $ camtop analyze --recent-errors --hours 2
	  $ camtop export --listen 127.0.0.1:9464
`;

const HEALTH_HELP = `
	Usage
	  $ camtop health [--json] [options]

	One snapshot of the box: CPU, memory, disk, the camera processes, Redis,
	the log files and the last errors.

	Options
	  --json           health_check.py's --json keys, with status and
	                   checked_at
	  --logs, --redis, --config, --interval   as for camtop (camtop --help)

	Exit codes (as monitoring plugins use them)
	  0 OK · 1 WARNING · 2 CRITICAL · 3 UNKNOWN
	  2 also for a usage error, with one line on stderr

	Examples
	  $ camtop health --json | jq .redis_connection
	  $ camtop health || echo "box needs attention"
`;

const ANALYZE_HELP = `
	Usage
	  $ camtop analyze [--file F]… [--hours N] [--recent-errors]
	                   [--json | --ndjson]

	Reads the logs from start to end, streaming, on every core: levels, error
	and issue types, connection history, hourly activity and performance
	statistics per log. Without --file: every *.log of the logs directory with
	its rotated siblings (.1 … .5, .gz; oldest first), and greencam.log.

	Options
	  --file F         Analyse this file (repeatable; no siblings added)
	  --hours N        Only the last N hours before the newest record in the
	                   files (not before now: old logs are read days later)
	  --recent-errors  The last 50 ERROR records (of errors.log unless --file)
	                   with their tracebacks
	  --json           JSON keyed by each log's path as given:
	                   jq '."logs/errors.log".error_types'
	  --ndjson         One JSON object per record, one a line, streamed in
	                   file order (for Filebeat, Logstash, promtail): @timestamp,
	                   timestamp, file, logger, level, function, line, kind,
	                   message, perf / issue / connection, traceback. With
	                   --recent-errors: those records only
	  --logs, --config as for camtop (camtop --help)

	Exit codes
	  0 analysed · 1 something could not be read (one line on stderr each;
	  the rest is still reported) · 2 usage error

	Examples
	  $ camtop analyze
	  $ camtop analyze --file logs/errors.log
	  $ camtop analyze --recent-errors --hours 2
	  $ camtop analyze --json | jq '."logs/performance.log".performance'
	  $ camtop analyze --ndjson | jq -c 'select(.level=="ERROR")'
	  $ camtop analyze --ndjson --hours 1 --file logs/performance.log
`;

const COMMON_FLAGS = {
	logs: {type: 'string'},
	redis: {type: 'string'},
	config: {type: 'string'},
	// A string checked by parseInterval: meow would turn `--interval abc` into null without a word.
	interval: {type: 'string'},
} as const satisfies AnyFlags;

const HEALTH_FLAGS = {
	...COMMON_FLAGS,
	json: {type: 'boolean', default: false},
} as const satisfies AnyFlags;

const EXPORT_HELP = `
	Usage
	  $ camtop export [--listen HOST:PORT] [--interval MS] [options]

	Serves the box to Prometheus: collects every --interval in the background
	and answers from what it has, so a scrape never waits on a slow Redis.
	Judges the alert rules of the config on every collection and notifies
	their webhooks and commands.

	  /metrics    Prometheus text format (camtop_ names, base units)
	  /snapshot   the health JSON (as camtop health --json) and the alerts
	  /healthz    200 while collection runs, 503 when it has stalled

	Options
	  --listen HOST:PORT  Address to serve on  [127.0.0.1:9464]
	                      (0.0.0.0:9464 for every interface)
	  --interval MS       Collect this often, milliseconds  [15000]
	                      (alerts are judged as often)
	  --logs, --redis, --config   as for camtop (camtop --help)

	Environment
	  CAMTOP_EXPORT_TOKEN  When set, /metrics and /snapshot want the header
	                       Authorization: Bearer <token> (set it whenever
	                       --listen goes beyond 127.0.0.1)

	Stops on SIGTERM or Ctrl-C. deploy/ has a systemd unit, a Prometheus
	scrape config with alerting rules, and a Grafana dashboard.

	Examples
	  $ camtop export
	  $ curl -s localhost:9464/metrics | grep camtop_camera_up
	  $ export CAMTOP_EXPORT_TOKEN=$(cat /etc/camtop/token)
	  $ camtop export --listen 0.0.0.0:9464
`;

const FLEET_HELP = `
	Usage
	  $ camtop fleet [--prometheus URL] [--job NAME] [--json]

	Every box whose camtop export Prometheus scrapes, one row each, worst
	first: status and why, cameras live/total, alerts firing, CPU, memory,
	disk, Redis, errors per minute and the time since its last scrape.
	Enter opens a box: its last hour from Prometheus, and its cameras,
	processes and last errors from its exporter's /snapshot.

	A box is down when Prometheus has not scraped it for --down-after
	seconds, stale before that (or when its exporter stopped collecting).

	Options
	  --prometheus URL   Prometheus' base URL (http://prometheus:9090)
	  --job NAME         The scrape job of the exporters  [camtop]
	  --down-after S     Down after S seconds without a scrape  [60]
	  --interval MS      Refresh the table this often  [5000]
	  --json             The table once as JSON, worst box first
	  --config FILE      as for camtop (camtop --help): its "fleet" object

	Environment
	  PROMETHEUS_URL            Same as --prometheus
	  PROMETHEUS_TOKEN          Bearer token for Prometheus (or
	  PROMETHEUS_TOKEN_FILE     a file holding it)
	  PROMETHEUS_USER           Basic auth user, with PROMETHEUS_PASSWORD or
	                            PROMETHEUS_PASSWORD_FILE
	  CAMTOP_EXPORT_TOKEN       The exporters' token, for a box's /snapshot
	                            (or CAMTOP_EXPORT_TOKEN_FILE)
	  Secrets are never taken from flags: other users see flags in ps.

	Exit codes (--json, or stdout not a terminal)
	  0 every box ok · 1 warning or stale · 2 critical or down
	  3 unknown, no box, or Prometheus down, slow or refusing us (one line
	  on stderr says which) · 2 also for a usage error

	Examples
	  $ camtop fleet --prometheus http://prometheus.lan:9090
	  $ PROMETHEUS_URL=http://localhost:9090 camtop fleet --json | jq '.boxes[] | select(.status != "ok")'
`;

const FLEET_FLAGS = {
	config: {type: 'string'},
	prometheus: {type: 'string'},
	job: {type: 'string'},
	downAfter: {type: 'string'},
	interval: {type: 'string'},
	json: {type: 'boolean', default: false},
} as const satisfies AnyFlags;

const EXPORT_FLAGS = {
	...COMMON_FLAGS,
	listen: {type: 'string'},
} as const satisfies AnyFlags;

const DEMO_HELP = `
	Usage
	  $ camtop demo [--logs DIR] [--redis URL] [--cameras N] [--chaos]

	A simulated camera box, built on camtop/monitoring: N cameras making
	frames at about 10 fps (served as MJPEG on a local port, and published to
	Redis channels camera:N:frames when Redis is reachable), every step timed
	into logs in the Python app's formats, worker processes named
	cam1_stream.py, start.py and client.py, and now and then an error. Watch
	it with camtop in another terminal (npm start does both). Stops on Ctrl-C
	or SIGTERM and prints what it wrote as JSON.

	Options
	  --cameras N        Cameras to simulate  [4]
	  --chaos            Scripted incidents every minute: Redis drops, a
	                     camera disconnects, slow writes, a queue overflow,
	                     and client.py crash-loops
	  --duration S       Stop after S seconds
	  --config-out FILE  Write a camtop config watching the demo's cameras
	  --logs, --redis, --config   as for camtop (camtop --help)

	Examples
	  $ camtop demo --logs /tmp/demo/logs --chaos
	  $ camtop --logs /tmp/demo/logs
`;

const DEMO_FLAGS = {
	...COMMON_FLAGS,
	cameras: {type: 'string'},
	chaos: {type: 'boolean', default: false},
	duration: {type: 'string'},
	configOut: {type: 'string'},
} as const satisfies AnyFlags;

/** A whole number in [min, max] from a flag, or `fallback` without it. */
function parseCount(flag: string, text: string | undefined, {min, max, fallback}: {min: number; max: number; fallback?: number}): number | undefined {
	if (text === undefined) {
		return fallback;
	}

	const value = Number(text);
	if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
		throw new UsageError(`--${flag} takes a whole number from ${min} to ${max}, got "${text}"`);
	}

	return value;
}

const ANALYZE_FLAGS = {
	...COMMON_FLAGS,
	json: {type: 'boolean', default: false},
	file: {type: 'string', isMultiple: true},
	hours: {type: 'string'},
	recentErrors: {type: 'boolean', default: false},
	ndjson: {type: 'boolean', default: false},
} as const satisfies AnyFlags;

/**
`--hours`: a positive number of hours, fractions allowed.
*/
function parseHours(text: string | undefined): number | undefined {
	if (text === undefined) {
		return undefined;
	}

	const hours = Number(text);
	if (text.trim() === '' || !Number.isFinite(hours) || hours <= 0) {
		throw new UsageError(`--hours takes a positive number of hours, got "${text}"`);
	}

	return hours;
}

/**
meow, with its complaints turned into one-line usage errors: flags it did not expect (it would print them on two
lines), a flag given twice (it would throw), and `--help` given after other flags (it would ignore it).
*/
function parse<Flags extends AnyFlags>(help: string, flags: Flags, argv?: readonly string[], commands?: string[]) {
	let cli;
	try {
		cli = meow(help, {
			importMeta: import.meta,
			...(PACKAGE === undefined ? {} : {pkg: PACKAGE}),
			flags,
			allowUnknownFlags: true,
			...(argv === undefined ? {} : {argv: [...argv]}),
			...(commands === undefined ? {} : {commands}),
		});
	} catch (error) {
		const message = (error as Error).message.replace(/\.$/, '');
		throw new UsageError(`${message.charAt(0).toLowerCase()}${message.slice(1)} (see camtop --help)`);
	}

	const given = cli.flags as Record<string, unknown>;
	if (given.help === true) {
		cli.showHelp(0);
	}

	const unknown = Object.keys(given).filter(key => !Object.hasOwn(flags, key) && key !== 'help' && key !== 'version');
	if (unknown.length > 0) {
		const names = unknown.map(key => (key.length === 1 ? `-${key}` : `--${key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`));
		throw new UsageError(`unknown flag${names.length > 1 ? 's' : ''} ${names.join(', ')} (see camtop --help)`);
	}

	return cli;
}

/** `camtop` with no command: the full-screen monitor. */
async function monitor(input: readonly string[], flags: Record<string, unknown>): Promise<number> {
	if (input.length > 0) {
		throw new UsageError(`unexpected argument "${input[0]}" (see camtop --help)`);
	}

	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw new UsageError('the monitor needs a terminal; for scripts and cron use `camtop health` (or `camtop health --json`) and `camtop analyze`');
	}

	const config = await loadConfig({flags: givenConfigFlags(flags), env: process.env, cwd: process.cwd()});
	prepareForInk();
	// Loaded only now: health and analyze never parse React and Ink.
	const {runTui} = await import('./ui/run.js');
	return runTui(config);
}

/** `camtop fleet`: the table once (--json, or a pipe), else full screen. */
async function fleet(input: readonly string[], flags: Record<string, unknown>): Promise<number> {
	const command = parse(FLEET_HELP, FLEET_FLAGS, input);
	if (command.input.length > 0) {
		throw new UsageError(`unexpected argument "${command.input[0]}" (see camtop fleet --help)`);
	}

	const config = await loadConfig({
		flags: givenConfigFlags({config: command.flags.config ?? flags.config, prometheus: command.flags.prometheus}), env: process.env, cwd: process.cwd(),
	});
	if (command.flags.job !== undefined) {
		if (command.flags.job === '') {
			throw new UsageError('--job needs a value');
		}

		config.fleet.job = command.flags.job;
	}

	config.fleet.downAfterSeconds = parseCount('down-after', command.flags.downAfter, {min: 1, max: 86_400, fallback: config.fleet.downAfterSeconds})!;
	if (command.flags.interval !== undefined) {
		config.fleet.refreshMs = parseInterval(command.flags.interval);
	}

	const {fleetOnce, fleetClient} = await import('./commands/fleet.js');
	if (command.flags.json || !process.stdout.isTTY || !process.stdin.isTTY) {
		return fleetOnce(config, {
			json: command.flags.json, columns: process.stdout.columns || 120, env: process.env, stdout: process.stdout, stderr: process.stderr,
		});
	}

	const client = fleetClient(config, process.env);
	prepareForInk();
	const {runFleetTui} = await import('./ui/fleet/run-fleet.js');
	return runFleetTui(config, client);
}

/** Settings read when React and Ink are first loaded: to be called just before. */
function prepareForInk(): void {
	// React's development build (chosen when NODE_ENV is unset) times and checks every render: several times the
	// CPU of the production build (measured with --cpu-prof). It is picked when React is first loaded.
	process.env.NODE_ENV ??= 'production';
	// Ink's colours come from chalk, which reads FORCE_COLOR but not NO_COLOR (https://no-color.org).
	if ((process.env.NO_COLOR ?? '') !== '') {
		process.env.FORCE_COLOR = '0';
	}
}

async function main(): Promise<number> {
	const cli = parse(HELP, COMMON_FLAGS, undefined, ['health', 'analyze', 'export', 'demo', 'fleet']);

	if (cli.command === undefined) {
		return monitor(cli.input, cli.flags);
	}

	const load = async (flags: Record<string, unknown>) => loadConfig({flags: {...givenConfigFlags(cli.flags), ...givenConfigFlags(flags)}, env: process.env, cwd: process.cwd()});
	const noArguments = (input: readonly string[]) => {
		if (input.length > 0) {
			throw new UsageError(`unexpected argument "${input[0]}" (see camtop ${cli.command} --help)`);
		}
	};

	if (cli.command === 'analyze') {
		const command = parse(ANALYZE_HELP, ANALYZE_FLAGS, cli.input);
		noArguments(command.input);
		const files = (command.flags.file ?? []).map(file => {
			if (file === '') {
				throw new UsageError('--file needs a value');
			}

			return file;
		});
		const hours = parseHours(command.flags.hours);
		if (command.flags.json && command.flags.ndjson) {
			throw new UsageError('--json and --ndjson are two output formats: choose one (see camtop analyze --help)');
		}

		const config = await load(command.flags);
		const {analyze} = await import('./commands/analyze.js');
		return analyze(config, {
			files, hours, recentErrors: command.flags.recentErrors, json: command.flags.json, ndjson: command.flags.ndjson,
		});
	}

	if (cli.command === 'export') {
		const command = parse(EXPORT_HELP, EXPORT_FLAGS, cli.input);
		noArguments(command.input);
		const {parseListen, DEFAULT_LISTEN} = await import('./export/server.js');
		if (command.flags.listen === '') {
			throw new UsageError('--listen needs a value');
		}

		const listen = parseListen(command.flags.listen ?? DEFAULT_LISTEN);
		const {runExport, EXPORT_INTERVAL_MS} = await import('./commands/export.js');
		// The config's intervalMs is the TUI's refresh (1 s); the exporter keeps its own unless --interval is given.
		const intervalMs = command.flags.interval === undefined ? EXPORT_INTERVAL_MS : parseInterval(command.flags.interval);
		const config = await load(command.flags);
		const token = process.env.CAMTOP_EXPORT_TOKEN;
		return runExport(config, {
			listen, token: token === undefined || token === '' ? undefined : token, intervalMs, version: cli.pkg.version ?? '0.0.0',
		});
	}

	if (cli.command === 'fleet') {
		return fleet(cli.input, cli.flags);
	}

	if (cli.command === 'demo') {
		const command = parse(DEMO_HELP, DEMO_FLAGS, cli.input);
		noArguments(command.input);
		const cameras = parseCount('cameras', command.flags.cameras, {min: 1, max: 64, fallback: 4})!;
		const durationSeconds = parseCount('duration', command.flags.duration, {min: 1, max: 31_536_000});
		if (command.flags.configOut === '') {
			throw new UsageError('--config-out needs a value');
		}

		const config = await load(command.flags);
		const {runDemo} = await import('./demo/demo.js');
		process.stderr.write(`camtop demo: writing ${config.logs} (Ctrl-C to stop)\n`);
		const wrote = await runDemo({
			logs: config.logs, redis: config.redis, cameras, chaos: command.flags.chaos, durationSeconds, configOut: command.flags.configOut,
		});
		process.stdout.write(`${JSON.stringify({wrote})}\n`);
		return 0;
	}

	const command = parse(HEALTH_HELP, HEALTH_FLAGS, cli.input);
	noArguments(command.input);
	const config = await load(command.flags);
	// Loaded only now, so `--help` and usage errors never pay for ioredis.
	const {health} = await import('./commands/health.js');
	return health(config, {json: command.flags.json});
}

/**
The config flags (--config, --logs, --redis, --interval, --prometheus) that were given, each checked to hold a value, and no others.
Meow leaves a flag that was not given undefined: left out here, it cannot hide the same flag given to camtop itself
when a command's flags are spread over camtop's.
*/
function givenConfigFlags(flags: Record<string, unknown>): ConfigFlags {
	const result: ConfigFlags = {};
	for (const key of ['config', 'logs', 'redis', 'interval', 'prometheus'] as const) {
		const value = flags[key];
		if (value !== undefined) {
			if (typeof value !== 'string' || value === '') {
				throw new UsageError(`--${key} needs a value`);
			}

			result[key] = value;
		}
	}

	return result;
}

// A library's promise rejected where nobody waits for it: one line, UNKNOWN, never a stack.
process.on('unhandledRejection', error => {
	process.stderr.write(`camtop: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(3);
});

try {
	process.exitCode = await main();
} catch (error) {
	if (error instanceof UsageError) {
		process.stderr.write(`camtop: ${error.message}\n`);
		process.exitCode = 2;
	} else {
		process.stderr.write(`camtop: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
		if (process.env.CAMTOP_DEBUG) {
			process.stderr.write(`${(error as Error).stack}\n`);
		}

		process.exitCode = 3;
	}
}

// A frozen Redis can hold a half-closed socket open for seconds after we are done: a one-shot command exits now,
// but only once stdout and stderr have handed everything to the OS (to a pipe they are written asynchronously, and an
// early exit cut `analyze --json | jq` at 64 KiB).
await Promise.all([process.stdout, process.stderr].map(async stream => new Promise(resolve => {
	stream.write('', resolve);
})));
process.exit();
