#!/usr/bin/env node
import process from 'node:process';
import meow, {type AnyFlags} from 'meow';
import {loadConfig, UsageError, type ConfigFlags} from './config.js';

const HELP = `
	Usage
	  $ camtop <command> [options]

	Commands
	  health       One-shot health report of the box (the seed's health_check.py)

	Options
	  --logs DIR       Directory of camera_system.log, errors.log, performance.log  [./logs]
	  --redis URL      Redis to watch, redis://[:password@]host[:port][/db]  [redis://127.0.0.1:6379]
	  --config FILE    Config file  [./camtop.config.json, else $XDG_CONFIG_HOME/camtop/config.json]
	  --interval MS    Refresh interval of live views, milliseconds  [1000]
	  --help           Show help (also after a command: camtop health --help)
	  --version        Show the version

	Environment
	  CAMTOP_LOGS      Same as --logs
	  REDIS_URL        Same as --redis
	  NO_COLOR         Set to anything to turn colour off

	Flags beat environment, which beats the config file, which beats the defaults.

	Examples
	  $ camtop health
	  $ camtop health --json | jq .system_resources.memory_percent
	  $ camtop health --logs /opt/camera/logs --redis redis://:secret@10.0.0.5:6379
`;

const HEALTH_HELP = `
	Usage
	  $ camtop health [--json] [options]

	One snapshot of the box: CPU, memory, disk, the camera processes, Redis, the log files and the last errors.

	Options
	  --json           The seed's health_check.py --json keys, plus status and checked_at
	  --logs DIR, --redis URL, --config FILE, --interval MS   as for camtop (see camtop --help)

	Exit codes (as monitoring plugins use them)
	  0 OK · 1 WARNING · 2 CRITICAL · 3 UNKNOWN · 2 also for a usage error, with one line on stderr

	Examples
	  $ camtop health --json | jq .redis_connection
	  $ camtop health || echo "box needs attention"
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

/**
Flags meow did not expect. It would print them on two lines; we want one, so meow lets them through and we check.
*/
function rejectUnknownFlags(flags: Record<string, unknown>, known: AnyFlags): void {
	const unknown = Object.keys(flags).filter(key => !Object.hasOwn(known, key) && key !== 'help' && key !== 'version');
	if (unknown.length > 0) {
		const names = unknown.map(key => (key.length === 1 ? `-${key}` : `--${key.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`));
		throw new UsageError(`unknown flag${names.length > 1 ? 's' : ''} ${names.join(', ')} (see camtop --help)`);
	}
}

async function main(): Promise<number> {
	const cli = meow(HELP, {
		importMeta: import.meta,
		commands: ['health'],
		flags: COMMON_FLAGS,
		allowUnknownFlags: true,
	});
	rejectUnknownFlags(cli.flags, COMMON_FLAGS);

	if (cli.command === undefined) {
		cli.showHelp(2);
	}

	const command = meow(HEALTH_HELP, {
		importMeta: import.meta,
		argv: cli.input,
		flags: HEALTH_FLAGS,
		allowUnknownFlags: true,
	});
	rejectUnknownFlags(command.flags, HEALTH_FLAGS);
	if (command.input.length > 0) {
		throw new UsageError(`unexpected argument "${command.input[0]}" (see camtop health --help)`);
	}

	const flags: ConfigFlags = {...definedOnly(cli.flags), ...definedOnly(command.flags)};
	const config = await loadConfig({flags, env: process.env, cwd: process.cwd()});
	// Loaded only now, so `--help` and usage errors never pay for ioredis and systeminformation.
	const {health} = await import('./commands/health.js');
	return health(config, {json: command.flags.json});
}

function definedOnly(flags: Record<string, unknown>): ConfigFlags {
	const result: ConfigFlags = {};
	for (const key of ['config', 'logs', 'redis', 'interval'] as const) {
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

try {
	process.exitCode = await main();
} catch (error) {
	if (error instanceof UsageError) {
		process.stderr.write(`camtop: ${error.message}\n`);
		process.exitCode = 2;
	} else {
		process.stderr.write(`camtop: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
		if (process.env['CAMTOP_DEBUG']) {
			process.stderr.write(`${(error as Error).stack}\n`);
		}

		process.exitCode = 3;
	}
}

// A frozen Redis can hold a half-closed socket open for seconds after we are done: a one-shot command exits now.
process.exit();
