/*
npm run bench:tui [-- options]

What the full-screen monitor costs, next to htop and btop measured in the same run, each in a real terminal of its own
(a private tmux server per program, driven through a tmux control-mode client), at a 1 s refresh: camtop
`--interval 1000`, htop `-d 10`, btop with `update_ms = 1000` in a private config. Every program starts with the same
clean environment (`env -i`: PATH, HOME and XDG_CONFIG_HOME of a fresh directory per run, LANG=C.UTF-8,
TERM=xterm-256color; no CI or CONTINUOUS_INTEGRATION, with which Ink draws nothing until exit) and its stderr to a file.
htop and btop are installed with apt-get when missing.

Two boxes:
  quiet — a private redis-server and static logs in the seed's formats (30 minutes of history ending a minute before
          the start; nothing writes to them); camtop `--logs DIR --redis URL`.
  busy  — `camtop demo --chaos` with 4 cameras and a private redis-server, as `npm start` runs it; camtop watches its
          logs, Redis, processes and cameras through the config the demo writes (`--config-out`). The demo's own CPU
          (its Node process and its worker processes) is printed as the reference camtop must stay under.

For each box and size, rounds × programs runs, the programs' order rotated every round (so machine drift is spread
over all of them); before each run it waits until the rest of the machine is quiet (other people's builds and tests:
--max-rest, --max-wait), and it prints what the rest of the machine used during each window. One run:
  launch            respawn-pane of the program into the pane waiting for it;
  first full frame  the first capture showing the whole screen: camtop's six pane titles `1 Resources` … `6 Issues`
                    (the issue's definition: panes may still say `[waiting]`); htop's meters, column header, a process
                    row and function bar; btop's box titles and bottom border (its first frame is empty boxes);
  … with data       camtop: no pane says `[waiting]` any more (each source answered once); btop: its boxes filled
                    (CPU %, Total:, Byte/s, Pid:); htop: its first full frame already is;
  warm-up           --warmup s after the first full frame;
  CPU               utime + stime of the program and the children it waited for, /proc/<pid>/stat, over the window;
  bytes             what the program wrote to its terminal (tmux pipe-pane) over the first --bytes-seconds of it;
  RSS               VmRSS at the end of the window;
  key → frame       send-keys of a key that changes one thing on screen, then captures until the screen shows the
                    change: camtop Tab moves the focus, htop `t` toggles the tree, btop `n` the network interface;
                    keys spaced 300–700 ms apart;
  end               the tmux server is killed (SIGHUP), the program with it.
The busy box lets the demo run one --chaos cycle (--busy-warmup 60 s) before its first run.

Options:
  --camtop PATH        the camtop bin to measure (default: package.json's bin); run as `node [shebang's node flags] PATH`
  --demo PATH          the camtop bin that runs `demo --chaos` in the busy box (default: --camtop)
  --node-args "…"      extra Node flags for the measured camtop (for example "--max-semi-space-size=1")
  --sizes 120x40,40x30 --boxes quiet,busy --programs camtop,htop,btop
  --rounds 3 --seconds 30 (CPU window, quiet box) --busy-seconds 60 (busy box: one --chaos cycle; --seconds if given)
  --warmup 5 --bytes-seconds 20 --keys 30 (key samples per program and size, over all rounds) --busy-warmup 60
  --max-rest 50 --max-wait 5   wait before each run until the rest of the machine uses < 50 % of a core (at most 5 min)
  --screens            print each program's first full frame, first frame with data and screen after the window
Scenarios instead of the comparison:
  --huge-line [--huge-seconds 10]   quiet box, camtop: append one 1,000,000-character ERROR line to errors.log; CPU in
                                    2 s windows after it, then the time `q` takes to exit
  --idle-minutes N                  quiet box: the three programs side by side for N minutes; RSS every minute
  --soak MINUTES                    busy box, camtop under --inspect: once a minute CPU over the minute, RSS, and the
                                    heap after two forced full GCs (inspector protocol)
Sizes other than the first are used by the comparison only.
*/
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {
	appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startRedis, type RedisServer} from '../test/helpers/redis-server.js';
import {freePort} from '../test/helpers/free-port.js';
import {waitFor} from '../test/helpers/wait-for.js';
import {errorLine, stamp, TRACEBACK} from '../test/helpers/seed-logs.js';
import {CLK_TCK, procCpuMs} from './proc-cpu.js';
import {
	alive, cleanUpAll, descendants, killTree, now, onCleanup, sleep, Terminal,
} from './tui-terminal.js';
import {Inspector} from './tui-inspector.js';

// ---------------------------------------------------------------------------------------------------- options

const argv = process.argv.slice(2);
const VALUED = new Set(['camtop', 'demo', 'node-args', 'sizes', 'boxes', 'programs', 'rounds', 'seconds', 'busy-seconds', 'warmup', 'bytes-seconds', 'keys', 'huge-seconds', 'idle-minutes', 'soak', 'max-rest', 'max-wait', 'busy-warmup']);
const SWITCHES = new Set(['huge-line', 'screens']);
for (let index = 0; index < argv.length; index++) {
	const name = argv[index]!.replace(/^--/, '');
	if (VALUED.has(name) && argv[index + 1] !== undefined) {
		index++;
	} else if (!SWITCHES.has(name)) {
		console.error(`bench:tui: unknown option or missing value: ${argv[index]} (see the comment at the top of bench/tui.ts)`);
		process.exit(2);
	}
}

const option = (name: string): string | undefined => {
	const index = argv.indexOf(`--${name}`);
	return index === -1 ? undefined : argv[index + 1];
};

const numberOption = (name: string, fallback: number): number => {
	const value = option(name);
	if (value === undefined) {
		return fallback;
	}

	const number = Number(value);
	if (!Number.isFinite(number) || number < 0) {
		console.error(`bench:tui: --${name} needs a number, not ${value}`);
		process.exit(2);
	}

	return number;
};

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {bin: string | Record<string, string>};
const packageBin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.camtop!;
const CAMTOP = path.resolve(option('camtop') ?? path.join(repo, packageBin));
const DEMO = path.resolve(option('demo') ?? CAMTOP);
const NODE_ARGS = (option('node-args') ?? '').split(' ').filter(Boolean);
type Size = {columns: number; rows: number};
const SIZES: Size[] = (option('sizes') ?? '120x40,40x30').split(',').map(text => {
	const match = /^(\d+)x(\d+)$/.exec(text.trim());
	if (match === null) {
		console.error(`bench:tui: --sizes takes COLUMNSxROWS,…, not ${text}`);
		process.exit(2);
	}

	return {columns: Number(match[1]), rows: Number(match[2])};
});
const BOX_KINDS = ['quiet', 'busy'] as const;
type BoxKind = typeof BOX_KINDS[number];
const BOXES = (option('boxes') ?? 'quiet,busy').split(',') as BoxKind[];
const PROGRAM_NAMES = ['camtop', 'htop', 'btop'] as const;
type ProgramName = typeof PROGRAM_NAMES[number];
const PROGRAMS = (option('programs') ?? 'camtop,htop,btop').split(',') as ProgramName[];
for (const [list, allowed, name] of [[BOXES, BOX_KINDS, 'boxes'], [PROGRAMS, PROGRAM_NAMES, 'programs']] as const) {
	for (const item of list) {
		if (!(allowed as readonly string[]).includes(item)) {
			console.error(`bench:tui: --${name} takes ${allowed.join(',')}, not ${item}`);
			process.exit(2);
		}
	}
}

const ROUNDS = Math.max(1, Math.round(numberOption('rounds', 3)));
const SECONDS = numberOption('seconds', 30);
/** The busy box's window covers one whole --chaos cycle (60 s) by default, so every window sees every incident once. */
const BUSY_SECONDS = numberOption('busy-seconds', option('seconds') === undefined ? 60 : SECONDS);
const WARMUP_SECONDS = numberOption('warmup', 5);
const BYTES_SECONDS = numberOption('bytes-seconds', 20);
const KEYS = Math.round(numberOption('keys', 30));
const HUGE_LINE = argv.includes('--huge-line');
const HUGE_SECONDS = Math.max(2, 2 * Math.round(numberOption('huge-seconds', 10) / 2));
const IDLE_MINUTES = numberOption('idle-minutes', 0);
const SOAK_MINUTES = Math.round(numberOption('soak', 0));
/** Before each run, wait (up to --max-wait minutes) until the rest of the machine uses less than this % of a core. */
const MAX_REST_PERCENT = numberOption('max-rest', 50);
const MAX_WAIT_MINUTES = numberOption('max-wait', 5);
const SCREENS = argv.includes('--screens');
const REFRESH_MS = 1000;
/** The demo's --chaos script repeats every 60 s. */
const BUSY_WARMUP_SECONDS = numberOption('busy-warmup', 60);
const HUGE_LENGTH = 1_000_000;
const KEY_TIMEOUT_MS = 5000;

/** Targets of issue 12, checked where they apply. */
const TARGETS = {
	idleCpu: 1, idleCpuVsBtop: 2, busyCpu: 3, firstFrameMs: 400, bytesPerSecond: 2000, keyP99Ms: 50, idleRssMiB: 110, hugeCpuAfter2s: 2, quitMs: 200, heapFlatMiB: 2,
};

// ---------------------------------------------------------------------------------------------------- the machine

const q = (text: string) => `'${text.replaceAll('\'', String.raw`'\''`)}'`;
const mib = (bytes: number) => bytes / 1024 / 1024;
const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const quantile = (values: number[], fraction: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
};

function rssMiB(pid: number): number {
	return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** CPU time of the whole machine that was not idle, ms (all cores). */
function machineBusyMs(): number {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
	// user nice system idle iowait irq softirq steal (guest time is already inside user)
	const busy = fields[0]! + fields[1]! + fields[2]! + fields[5]! + fields[6]! + fields[7]!;
	return busy * 1000 / CLK_TCK;
}

/** CPU of a process tree (the demo and its workers), ms, as a sample to subtract from a later one. */
type TreeSample = {root: number; rootWithChildren: number; live: Map<number, number>};

function treeSample(pid: number): TreeSample {
	const live = new Map<number, number>();
	for (const child of descendants(pid)) {
		try {
			live.set(child, procCpuMs(child, {children: true}));
		} catch {}
	}

	return {root: procCpuMs(pid), rootWithChildren: procCpuMs(pid, {children: true}), live};
}

/** Between two samples: the root's own CPU, and the whole tree's (workers that ended inside the window included). */
function treeDelta(before: TreeSample, after: TreeSample): {root: number; tree: number} {
	let tree = after.rootWithChildren - before.rootWithChildren;
	for (const [pid, cpu] of after.live) {
		tree += cpu - (before.live.get(pid) ?? 0);
	}

	for (const [pid, cpu] of before.live) {
		// Ended inside the window: its whole life is now in the root's children time; the part before the window is not ours.
		if (!after.live.has(pid)) {
			tree -= cpu;
		}
	}

	return {root: after.root - before.root, tree};
}

function ensureInstalled(...programs: string[]): void {
	const missing = programs.filter(program => {
		try {
			execFileSync('sh', ['-c', `command -v ${program}`], {stdio: 'ignore'});
			return false;
		} catch {
			return true;
		}
	});
	if (missing.length === 0) {
		return;
	}

	console.error(`installing ${missing.join(' and ')} (the references) with apt-get`);
	const install = () => execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {stdio: 'inherit', env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}});
	try {
		install();
	} catch {
		execFileSync('apt-get', ['update', '-qq'], {stdio: 'inherit'});
		install();
	}
}

function version(command: string, args: string[], pattern: RegExp): string {
	try {
		return pattern.exec(execFileSync(command, args, {encoding: 'utf8'}))?.[1] ?? '?';
	} catch {
		return '?';
	}
}

/** `node [the shebang's node flags] [--node-args] BIN`: the bin as npm would run it, with this Node. */
function nodeCommand(bin: string, extra: string[] = []): string[] {
	const firstLine = readFileSync(bin, 'utf8').slice(0, 500).split('\n', 1)[0]!;
	const shebangFlags = /^#!.*?\bnode\b(.*)$/.exec(firstLine)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
	return [process.execPath, ...shebangFlags, ...extra, bin];
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'camtop-bench-tui-'));
onCleanup(() => {
	rmSync(scratch, {recursive: true, force: true});
});
let runs = 0;
const PATH = `${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;

// ---------------------------------------------------------------------------------------------------- the boxes

type Box = {kind: BoxKind; root: string; camtopArgs: string[]; demoPid?: number; stop: () => Promise<void>};

/**
30 minutes of a calm camera app's logs in the seed's formats, the newest record a minute old: a frame published every
2 s, PERF records every 5 s (and system_health every minute), an ERROR every 30 s (every other one with a traceback),
an ISSUE every 150 s, the services' CONNECTION records at the start, a legacy greencam.log line a minute.
*/
function writeQuietLogs(directory: string): void {
	mkdirSync(directory, {recursive: true});
	const end = Date.now() - 60_000;
	const start = end - (30 * 60_000);
	const main: string[] = [];
	const errors: string[] = [];
	const perf: string[] = [];
	const legacy: string[] = [];
	const issues = ['redis_connection_failed', 'camera_connection_failed', 'function_failure', 'thread_timeout', 'pickle_error'];
	const failures = [
		{location: 'fetch_image:123', message: (n: number) => `Redis connection failed: Error 111 connecting to 10.0.0.${n % 250}:6379. Connection refused.`},
		{location: 'main:456', message: () => 'Function fetch_image failed'},
		{location: 'save_frame:88', message: (n: number) => `Could not write /var/cam/frames/${n}.jpg: disk full`},
		{location: 'decode:31', message: (n: number) => `Bad frame 0x${((n * 2_654_435_761) % 0x1_00_00_00_00).toString(16)} from camera ${(n % 4) + 1}`},
	];
	for (const [index, service] of ['redis', 'camera_1', 'camera_2', 'camera_3', 'camera_4'].entries()) {
		main.push(`${stamp(new Date(start + index))} - camera_system - INFO - CONNECTION: {"service": "${service}", "status": true, "details": {"failures": 0}, "uptime": 0.0}`);
	}

	for (let second = 1; second <= 30 * 60; second++) {
		const date = new Date(start + (second * 1000));
		const when = stamp(date);
		const uptime = `${second}.0`;
		if (second % 2 === 0) {
			const camera = ((second / 2) % 4) + 1;
			main.push(`${when} - camera_system - INFO - Frame ${second / 2} from camera ${camera} published to camera:${camera}:frames in ${(second * 7) % 90} ms`);
		}

		if (second % 5 === 0) {
			for (const [metric, value] of [['fetch_image_duration', 0.02 + ((second % 13) / 1000)], ['redis_publish_duration', 0.001 + ((second % 7) / 10_000)], ['process_frame_duration', 0.05 + ((second % 11) / 1000)]] as const) {
				perf.push(`${when} - PERF: {"metric": "${metric}", "value": ${value.toFixed(4)}, "unit": "seconds", "timestamp": ${(date.getTime() / 1000).toFixed(3)}, "uptime": ${uptime}}`);
			}

			perf.push(`${when} - PERF: {"metric": "queue_depth", "value": ${second % 6}, "unit": "frames", "timestamp": ${(date.getTime() / 1000).toFixed(3)}, "uptime": ${uptime}}`);
		}

		if (second % 60 === 0) {
			perf.push(`${when} - PERF: {"metric": "system_health", "value": {"cpu_percent": ${20 + (second % 17)}.5, "memory_percent": 41.2, "disk_percent": 22.0, "threads": 12}, "unit": null, "timestamp": ${(date.getTime() / 1000).toFixed(3)}, "uptime": ${uptime}}`);
			legacy.push(`${when} - greencam - INFO - Streaming camera ${(second / 60) % 4} at 10 fps`);
		}

		if (second % 30 === 0) {
			const failure = failures[(second / 30) % failures.length]!;
			const message = failure.message(second);
			errors.push(errorLine(date, failure.location, message));
			if ((second / 30) % 2 === 0) {
				errors.push(...TRACEBACK);
			}

			main.push(`${when} - camera_system - ERROR - ${message}`);
		}

		if (second % 150 === 0) {
			const issue = issues[(second / 150) % issues.length]!;
			main.push(`${when} - camera_system - WARNING - ISSUE: {"issue_type": "${issue}", "message": "${issue.replaceAll('_', ' ')}", "severity": "WARNING", "count": ${second / 150}, "uptime": ${uptime}, "context": {}}`);
		}
	}

	for (const [file, lines] of [['camera_system.log', main], ['errors.log', errors], ['performance.log', perf], ['greencam.log', legacy]] as const) {
		writeFileSync(path.join(directory, file), `${lines.join('\n')}\n`);
	}
}

async function startRedisTracked(): Promise<RedisServer> {
	const redis = await startRedis();
	const remove = onCleanup(() => {
		killTree(redis.pid);
	});
	return {
		...redis, async stop() {
			remove();
			await redis.stop();
		},
	};
}

async function quietBox(): Promise<Box> {
	const root = mkdtempSync(path.join(scratch, 'quiet-'));
	const logs = path.join(root, 'logs');
	writeQuietLogs(logs);
	const redis = await startRedisTracked();
	return {
		kind: 'quiet', root, camtopArgs: ['--logs', logs, '--redis', redis.url, '--interval', String(REFRESH_MS)], stop: redis.stop,
	};
}

/** `camtop demo --chaos` (4 cameras) with a private Redis, as scripts/start.mjs starts it; camtop uses the config it writes. */
async function busyBox(): Promise<Box> {
	const root = mkdtempSync(path.join(scratch, 'busy-'));
	const redis = await startRedisTracked();
	const config = path.join(root, 'camtop.config.json');
	const log = path.join(root, 'demo.log');
	const demo: ChildProcess = spawn(nodeCommand(DEMO)[0]!, [...nodeCommand(DEMO).slice(1), 'demo', '--logs', path.join(root, 'logs'), '--redis', redis.url, '--chaos', '--cameras', '4', '--config-out', config], {
		cwd: root,
		env: {PATH, HOME: root, LANG: 'C.UTF-8'},
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	demo.stderr!.on('data', (chunk: Buffer) => {
		appendFileSync(log, chunk);
	});
	const removeDemo = onCleanup(() => {
		killTree(demo.pid!);
	});
	const exited = new Promise(resolve => {
		demo.once('exit', resolve);
	});
	await waitFor(() => {
		if (demo.exitCode !== null) {
			throw new Error(`the demo exited (${demo.exitCode}): ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
		}

		return existsSync(config) && existsSync(path.join(root, 'logs', 'errors.log'));
	}, 'the demo to write its config and logs', 20_000, 50);
	return {
		kind: 'busy',
		root,
		camtopArgs: ['--config', config, '--interval', String(REFRESH_MS)],
		demoPid: demo.pid!,
		async stop() {
			// SIGTERM: the demo stops its workers itself; anything left after 10 s is killed.
			demo.kill('SIGTERM');
			await Promise.race([exited, sleep(10_000)]);
			killTree(demo.pid!);
			removeDemo();
			await redis.stop();
		},
	};
}

async function openBox(kind: BoxKind): Promise<Box> {
	return kind === 'quiet' ? quietBox() : busyBox();
}

// ---------------------------------------------------------------------------------------------------- the programs

type Program = {
	name: ProgramName;
	/** The command, without the environment. */
	command: (box: Box) => string[];
	/** Writes what the program reads from $XDG_CONFIG_HOME. */
	configure?: (configHome: string, size: Size) => void;
	/** The whole screen is drawn. */
	fullFrame: (screen: string, size: Size) => boolean;
	/** The whole screen is drawn and every part of it shows data (not only its frame). */
	dataFrame: (screen: string, size: Size) => boolean;
	/** A key that changes one thing on screen, and that thing read off a capture. */
	key: {name: string; label: string; state: (screen: string) => string | undefined};
	/** Said in the table's header. */
	note: (size: Size) => string;
};

const CAMTOP_TITLES = ['1 Resources', '2 Processes', '3 Connections', '4 Errors', '5 Performance', '6 Issues'];

/** btop draws nothing but "Terminal size too small" below its boxes' minimum sizes: it shows what fits. */
function btopBoxes({columns, rows}: Size): string | undefined {
	if (columns >= 80 && rows >= 24) {
		return undefined;
	}

	return columns >= 44 && rows >= 16 ? 'proc' : 'mem net';
}

const PROGRAM_SPECS: Record<ProgramName, Program> = {
	camtop: {
		name: 'camtop',
		command: box => [...nodeCommand(CAMTOP, NODE_ARGS), ...box.camtopArgs],
		fullFrame: screen => CAMTOP_TITLES.every(title => screen.includes(title)),
		// A pane with nothing yet says `[waiting]` in its title.
		dataFrame: screen => CAMTOP_TITLES.every(title => screen.includes(title)) && !screen.includes('[waiting]'),
		key: {name: 'Tab', label: 'Tab', state: screen => /▶(\d) /.exec(screen)?.[1]},
		note: () => `camtop ${CAMTOP} --interval ${REFRESH_MS}`,
	},
	htop: {
		name: 'htop',
		command: () => ['htop', '-d', String(REFRESH_MS / 100)],
		fullFrame(screen) {
			const lines = screen.split('\n');
			const last = lines.findLast(line => line.trim() !== '') ?? '';
			return screen.includes('Mem[') && screen.includes('PID USER') && last.startsWith('F1Help') && lines.some(line => /^\s*\d+ \S+\s+\d+/.test(line));
		},
		// Its first frame already lists processes.
		dataFrame: (screen, size) => PROGRAM_SPECS.htop.fullFrame(screen, size),
		key: {name: 't', label: 't', state: screen => /F5(Tree|List)/.exec(screen)?.[1]},
		note: () => `htop ${version('htop', ['--version'], /htop (\S+)/)} -d ${REFRESH_MS / 100}`,
	},
	btop: {
		name: 'btop',
		command: () => ['btop'],
		configure(configHome, size) {
			mkdirSync(path.join(configHome, 'btop'), {recursive: true});
			const boxes = btopBoxes(size);
			writeFileSync(path.join(configHome, 'btop', 'btop.conf'), `update_ms = ${REFRESH_MS}\n${boxes === undefined ? '' : `shown_boxes = "${boxes}"\n`}`);
		},
		fullFrame(screen, size) {
			const lines = screen.split('\n');
			const titles = (btopBoxes(size) ?? 'cpu mem net proc').split(' ').map(box => ({
				cpu: '¹cpu', mem: '²mem', net: '³net', proc: '⁴proc',
			})[box]!);
			return titles.every(title => screen.includes(title)) && (lines[size.rows - 1] ?? '').includes('╰');
		},
		// Its first frame is the boxes alone; the next one fills them.
		dataFrame(screen, size) {
			const content = (btopBoxes(size) ?? 'cpu mem net proc').split(' ').map(box => ({
				cpu: /CPU .*%/, mem: /Total:/, net: /Byte\/s/, proc: /Pid:/,
			})[box]!);
			return PROGRAM_SPECS.btop.fullFrame(screen, size) && content.every(pattern => pattern.test(screen));
		},
		key: {name: 'n', label: 'n', state: screen => /<b (\S+) n>/.exec(screen)?.[1]},
		note: size => `btop ${version('btop', ['--version'], /version: (\S+)/)} update_ms = ${REFRESH_MS}${btopBoxes(size) === undefined ? '' : `, shown_boxes = "${btopBoxes(size)}" (what fits ${size.columns}×${size.rows})`}`,
	},
};

// ---------------------------------------------------------------------------------------------------- one run

type Running = {terminal: Terminal; pid: number; dir: string; launchedAt: number; firstFrameMs: number; firstFrameAt: number; dataFrameMs: number};

/**
Waits until everything on the machine but the box's demo (other people's builds and tests) has used less than
MAX_REST_PERCENT of a core over 2 s, for at most MAX_WAIT_MINUTES; says so on stderr when it waited.
*/
async function quietMachine(box: Box): Promise<void> {
	const started = now();
	let said = false;
	for (;;) {
		const before = {at: now(), machine: machineBusyMs(), demo: box.demoPid === undefined ? undefined : treeSample(box.demoPid)};
		await sleep(2000);
		const demo = box.demoPid === undefined || before.demo === undefined ? 0 : treeDelta(before.demo, treeSample(box.demoPid)).tree;
		const rest = percent(machineBusyMs() - before.machine - demo, now() - before.at);
		if (rest < MAX_REST_PERCENT) {
			if (said) {
				process.stderr.write(`    the rest of the machine is down to ${fixed(rest, 0)} % of a core after ${fixed((now() - started) / 1000, 0)} s\n`);
			}

			return;
		}

		if (now() - started > MAX_WAIT_MINUTES * 60_000) {
			process.stderr.write(`    the rest of the machine still uses ${fixed(rest, 0)} % of a core after ${MAX_WAIT_MINUTES} min: measuring anyway (see "rest of the box")\n`);
			return;
		}

		if (!said) {
			process.stderr.write(`    the rest of the machine uses ${fixed(rest, 0)} % of a core (other work on it): waiting until it is under ${MAX_REST_PERCENT} % …\n`);
			said = true;
		}
	}
}

/** Starts a program in a fresh terminal of `size` on `box`, and waits for its first full frame. */
async function start(program: Program, box: Box, size: Size, {nodeOptions}: {nodeOptions?: string} = {}): Promise<Running> {
	const dir = path.join(scratch, `run-${++runs}-${program.name}`);
	const home = path.join(dir, 'home');
	const configHome = path.join(home, '.config');
	mkdirSync(configHome, {recursive: true});
	program.configure?.(configHome, size);
	const env = {
		PATH, HOME: home, XDG_CONFIG_HOME: configHome, LANG: 'C.UTF-8', TERM: 'xterm-256color', ...(nodeOptions === undefined ? {} : {NODE_OPTIONS: nodeOptions}),
	};
	const script = path.join(dir, 'run.sh');
	// The script's pid is the program's: each step execs the next.
	writeFileSync(script, [
		`echo $$ > ${q(path.join(dir, 'pid'))}`,
		`cd ${q(box.root)}`,
		`exec env -i ${Object.entries(env).map(([name, value]) => q(`${name}=${value}`)).join(' ')} ${program.command(box).map(word => q(word)).join(' ')} 2>> ${q(path.join(dir, 'stderr'))}`,
		'',
	].join('\n'));
	const terminal = await Terminal.open({
		...size, env: {
			PATH, HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color', SHELL: '/bin/sh',
		},
	});
	try {
		const launchedAt = now();
		await terminal.launch(script);
		const full = await terminal.waitForScreen(screen => program.fullFrame(screen, size), `${program.name}'s first full frame`, {timeoutMs: 60_000});
		const data = await terminal.waitForScreen(screen => program.dataFrame(screen, size), `${program.name}'s first frame with data`, {timeoutMs: 60_000});
		const pid = Number(readFileSync(path.join(dir, 'pid'), 'utf8'));
		if (SCREENS) {
			process.stderr.write(`${program.name}, ${size.columns}×${size.rows}, ${box.kind} box: the first full frame, then the first with data\n${full.screen}\n${data.screen}\n`);
		}

		return {
			terminal, pid, dir, launchedAt, firstFrameAt: full.at, firstFrameMs: full.at - launchedAt, dataFrameMs: data.at - launchedAt,
		};
	} catch (error) {
		await terminal.close();
		throw new Error(`${(error as Error).message}\n${program.name}'s stderr: ${stderrOf(dir)}`);
	}
}

function stderrOf(dir: string): string {
	const file = path.join(dir, 'stderr');
	return existsSync(file) ? readFileSync(file, 'utf8').slice(-2000) : '(none)';
}

type Sample = {at: number; cpu: number; machine: number; demo?: TreeSample};

function sample(pid: number, box: Box): Sample {
	return {
		at: now(), cpu: procCpuMs(pid, {children: true}), machine: machineBusyMs(), ...(box.demoPid === undefined ? {} : {demo: treeSample(box.demoPid)}),
	};
}

type Window = {wallMs: number; cpuMs: number; restMs: number; demoMs?: number; demoTreeMs?: number};

function windowBetween(before: Sample, after: Sample): Window {
	const cpuMs = after.cpu - before.cpu;
	const demo = before.demo !== undefined && after.demo !== undefined ? treeDelta(before.demo, after.demo) : undefined;
	return {
		wallMs: after.at - before.at,
		cpuMs,
		restMs: after.machine - before.machine - cpuMs - (demo?.tree ?? 0),
		...(demo === undefined ? {} : {demoMs: demo.root, demoTreeMs: demo.tree}),
	};
}

const percent = (ms: number, wallMs: number) => 100 * ms / wallMs;

async function sleepUntil(at: number): Promise<void> {
	const left = at - now();
	if (left > 0) {
		await sleep(left);
	}
}

/** `count` key presses, each spaced 300–700 ms after the previous frame; latencies in ms and how many got no frame. */
async function keyLatencies(program: Program, running: Running, count: number): Promise<{latencies: number[]; timeouts: number}> {
	const latencies: number[] = [];
	let timeouts = 0;
	for (let index = 0; index < count; index++) {
		const before = program.key.state(await running.terminal.screen());
		const sent = now();
		await running.terminal.send(program.key.name);
		try {
			const {at} = await running.terminal.waitForScreen(screen => {
				const state = program.key.state(screen);
				return state !== undefined && state !== before;
			}, `${program.name}'s answer to ${program.key.label}`, {timeoutMs: KEY_TIMEOUT_MS});
			latencies.push(at - sent);
		} catch {
			timeouts++;
		}

		await sleep(300 + (Math.random() * 400));
	}

	return {latencies, timeouts};
}

type RunResult = {program: ProgramName; round: number; firstFrameMs: number; dataFrameMs: number; window: Window; bytes: number; bytesMs: number; rssMiB: number; latencies: number[]; keyTimeouts: number};

async function measure(program: Program, box: Box, size: Size, round: number, seconds: number, keys: number): Promise<RunResult> {
	await quietMachine(box);
	const running = await start(program, box, size);
	try {
		const tty = path.join(running.dir, 'tty');
		writeFileSync(tty, '');
		await running.terminal.pipeTo(tty);
		await sleepUntil(running.firstFrameAt + (WARMUP_SECONDS * 1000));
		const before = sample(running.pid, box);
		const bytesBefore = statSync(tty).size;
		const bytesSeconds = Math.min(BYTES_SECONDS, seconds);
		await sleepUntil(before.at + (bytesSeconds * 1000));
		const bytesAt = now();
		const bytes = statSync(tty).size - bytesBefore;
		await sleepUntil(before.at + (seconds * 1000));
		const window = windowBetween(before, sample(running.pid, box));
		const rss = rssMiB(running.pid);
		if (SCREENS) {
			process.stderr.write(`${program.name}, ${size.columns}×${size.rows}, ${box.kind} box: the screen at the end of the CPU window\n${await running.terminal.screen()}\n`);
		}

		const {latencies, timeouts} = await keyLatencies(program, running, keys);
		if (!alive(running.pid)) {
			throw new Error(`${program.name} exited during the run; its stderr: ${stderrOf(running.dir)}`);
		}

		return {
			program: program.name, round, firstFrameMs: running.firstFrameMs, dataFrameMs: running.dataFrameMs, window, bytes, bytesMs: bytesAt - before.at, rssMiB: rss, latencies, keyTimeouts: timeouts,
		};
	} finally {
		await running.terminal.close();
	}
}

// ---------------------------------------------------------------------------------------------------- printing

const pad = (text: string, width: number) => text.padStart(width);
const fixed = (value: number | undefined, digits: number) => (value === undefined || !Number.isFinite(value) ? '—' : value.toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits}));
const kb = (bytesPerSecond: number) => `${fixed(bytesPerSecond / 1000, 1)} KB`;
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '—' : `${fixed(a / b, a / b >= 10 ? 0 : (a / b >= 1 ? 1 : 2))}×`);
const met = (ok: boolean) => (ok ? 'met' : 'NOT MET');

type Summary = {cpu: number; cpuRounds: number[]; rss: number; rssRounds: number[]; firstFrame: number; firstFrameRounds: number[]; dataFrame: number; dataFrameRounds: number[]; bytesPerSecond: number; p50: number | undefined; p99: number | undefined; keys: number; keyTimeouts: number; restRounds: number[]};

function summarize(results: RunResult[]): Summary {
	const wall = results.reduce((sum, result) => sum + result.window.wallMs, 0);
	const latencies = results.flatMap(result => result.latencies);
	return {
		cpu: percent(results.reduce((sum, result) => sum + result.window.cpuMs, 0), wall),
		cpuRounds: results.map(result => percent(result.window.cpuMs, result.window.wallMs)),
		rss: median(results.map(result => result.rssMiB)),
		rssRounds: results.map(result => result.rssMiB),
		firstFrame: median(results.map(result => result.firstFrameMs)),
		firstFrameRounds: results.map(result => result.firstFrameMs),
		dataFrame: median(results.map(result => result.dataFrameMs)),
		dataFrameRounds: results.map(result => result.dataFrameMs),
		bytesPerSecond: 1000 * results.reduce((sum, result) => sum + result.bytes, 0) / results.reduce((sum, result) => sum + result.bytesMs, 0),
		p50: latencies.length === 0 ? undefined : quantile(latencies, 0.5),
		p99: latencies.length === 0 ? undefined : quantile(latencies, 0.99),
		keys: latencies.length,
		keyTimeouts: results.reduce((sum, result) => sum + result.keyTimeouts, 0),
		restRounds: results.map(result => percent(result.window.restMs, result.window.wallMs)),
	};
}

function printComparison(box: Box, size: Size, seconds: number, results: RunResult[], order: ProgramName[][]): void {
	const programs = PROGRAMS;
	const summaries = new Map(programs.map(name => [name, summarize(results.filter(result => result.program === name))]));
	const camtop = summaries.get('camtop');
	const references = (['htop', 'btop'] as const).filter(name => summaries.has(name));
	const width = 12;
	const header = `  ${'what'.padEnd(38)}${programs.map(name => pad(name, width)).join('')}${camtop === undefined ? '' : references.map(name => pad(`camtop/${name}`, 14)).join('')}`;
	const row = (label: string, pick: (summary: Summary) => number | undefined, format: (value: number | undefined) => string, ratios = true) => {
		const cells = programs.map(name => pad(format(pick(summaries.get(name)!)), width)).join('');
		const ratioCells = camtop === undefined || !ratios ? '' : references.map(name => pad(ratio(pick(camtop), pick(summaries.get(name)!)), 14)).join('');
		console.log(`  ${label.padEnd(38)}${cells}${ratioCells}`);
	};

	const title = box.kind === 'quiet' ? 'quiet box (Redis up, static logs)' : 'busy box (`camtop demo --chaos`, 4 cameras)';
	console.log(`\n${title}, ${size.columns}×${size.rows}, ${REFRESH_MS / 1000} s refresh — ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of ${seconds} s CPU windows after a ${WARMUP_SECONDS} s warm-up, programs alternated (${order.map(names => names.join(' ')).join(' | ')})`);
	for (const name of programs) {
		console.log(`  ${PROGRAM_SPECS[name].note(size)}`);
	}

	console.log(header);
	row('CPU, % of one core', summary => summary.cpu, value => fixed(value, 2));
	row('RSS at the end of a run, MiB (median)', summary => summary.rss, value => fixed(value, 1));
	row('first full frame, ms (median)', summary => summary.firstFrame, value => fixed(value, 0));
	row('  first frame with data, ms (median)', summary => summary.dataFrame, value => fixed(value, 0));
	row(`bytes to the terminal per second (${Math.min(BYTES_SECONDS, seconds)} s)`, summary => summary.bytesPerSecond, value => (value === undefined ? '—' : kb(value)));
	const keyLabel = programs.map(name => `${name} ${PROGRAM_SPECS[name].key.label}`).join(', ');
	row('key → frame p50, ms', summary => summary.p50, value => fixed(value, 1));
	row('key → frame p99, ms', summary => summary.p99, value => fixed(value, 1));
	row('  key samples answered', summary => summary.keys, value => fixed(value, 0), false);
	console.log(`  keys: ${keyLabel}; 1 KB = 1000 bytes`);
	const roundWidth = Math.max(width, (ROUNDS * 7) + 2);
	const rounds = (pick: (summary: Summary) => number[], digits: number) => programs.map(name => pick(summaries.get(name)!).map(value => fixed(value, digits)).join(' ').padStart(roundWidth)).join('');
	console.log(`  ${'per round, in round order'.padEnd(38)}${programs.map(name => pad(name, roundWidth)).join('')}`);
	console.log(`    ${'CPU %'.padEnd(36)}${rounds(summary => summary.cpuRounds, 2)}`);
	console.log(`    ${'RSS MiB'.padEnd(36)}${rounds(summary => summary.rssRounds, 1)}`);
	console.log(`    ${'first full frame ms'.padEnd(36)}${rounds(summary => summary.firstFrameRounds, 0)}`);
	console.log(`    ${'first frame with data ms'.padEnd(36)}${rounds(summary => summary.dataFrameRounds, 0)}`);
	console.log(`    ${'rest of the box, % of one core'.padEnd(36)}${rounds(summary => summary.restRounds, 1)}`);
	console.log(`    (rest of the box: CPU of everything else on this ${os.cpus().length}-core machine during the window${box.kind === 'busy' ? ', the demo excluded' : ''}; a high figure means a disturbed window)`);
	const timeouts = programs.filter(name => summaries.get(name)!.keyTimeouts > 0);
	if (timeouts.length > 0) {
		console.log(`  keys with no frame within ${KEY_TIMEOUT_MS / 1000} s: ${timeouts.map(name => `${name} ${summaries.get(name)!.keyTimeouts}`).join(', ')}`);
	}

	let demoCpu: number | undefined;
	if (box.kind === 'busy') {
		const wall = results.reduce((sum, result) => sum + result.window.wallMs, 0);
		demoCpu = percent(results.reduce((sum, result) => sum + (result.window.demoTreeMs ?? 0), 0), wall);
		const demoRoot = percent(results.reduce((sum, result) => sum + (result.window.demoMs ?? 0), 0), wall);
		const demoRounds = results.filter(result => result.program === 'camtop').map(result => fixed(percent(result.window.demoTreeMs ?? 0, result.window.wallMs), 2)).join(' ');
		console.log(`  the demo it watches (reference): ${fixed(demoCpu, 2)} % of one core over all the windows — its Node process ${fixed(demoRoot, 2)} %, its worker processes ${fixed(demoCpu - demoRoot, 2)} %${demoRounds === '' ? '' : `; in camtop's windows ${demoRounds}`}`);
	}

	if (camtop === undefined) {
		return;
	}

	const btop = summaries.get('btop');
	const targets: string[] = [];
	if (box.kind === 'quiet') {
		targets.push(`idle CPU ≤ ${TARGETS.idleCpu} % (${fixed(camtop.cpu, 2)} %) — ${met(camtop.cpu <= TARGETS.idleCpu)}`);
		if (btop !== undefined) {
			targets.push(`≤ ${TARGETS.idleCpuVsBtop}× btop's (${ratio(camtop.cpu, btop.cpu)}) — ${met(camtop.cpu <= TARGETS.idleCpuVsBtop * btop.cpu)}`);
		}

		targets.push(`bytes ≤ ${TARGETS.bytesPerSecond / 1000} KB/s (${kb(camtop.bytesPerSecond)}) — ${met(camtop.bytesPerSecond <= TARGETS.bytesPerSecond)}`);
	} else {
		targets.push(`busy CPU ≤ ${TARGETS.busyCpu} % (${fixed(camtop.cpu, 2)} %) — ${met(camtop.cpu <= TARGETS.busyCpu)}`);
		if (demoCpu !== undefined) {
			targets.push(`less than the demo's ${fixed(demoCpu, 2)} % — ${met(camtop.cpu < demoCpu)}`);
		}
	}

	targets.push(
		`first full frame ≤ ${TARGETS.firstFrameMs} ms (${fixed(camtop.firstFrame, 0)} ms) — ${met(camtop.firstFrame <= TARGETS.firstFrameMs)}`,
		`key → frame p99 ≤ ${TARGETS.keyP99Ms} ms (${fixed(camtop.p99, 1)} ms) — ${met(camtop.p99 !== undefined && camtop.p99 <= TARGETS.keyP99Ms && camtop.keyTimeouts === 0)}`,
	);
	console.log(`  targets (issue 12): ${targets.join('; ')}`);
}

function printHeader(what: string): void {
	console.log(`\ncamtop full-screen monitor — ${what}; ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`);
	console.log(`camtop: ${nodeCommand(CAMTOP, NODE_ARGS).join(' ')}${DEMO === CAMTOP ? '' : `; demo: ${DEMO}`}`);
}

// ---------------------------------------------------------------------------------------------------- scenarios

async function comparison(): Promise<void> {
	const perRunKeys = Math.ceil(KEYS / ROUNDS);
	const runSeconds = (seconds: number) => seconds + WARMUP_SECONDS + 3 + (perRunKeys * 0.55);
	const estimate = BOXES.reduce((sum, kind) => sum + (SIZES.length * ROUNDS * PROGRAMS.length * runSeconds(kind === 'quiet' ? SECONDS : BUSY_SECONDS)), 0);
	printHeader(`camtop, htop and btop side by side in tmux (about ${Math.ceil(estimate / 60)} min)`);
	for (const kind of BOXES) {
		const box = await openBox(kind);
		try {
			if (kind === 'busy') {
				// The box's own warm-up: one --chaos cycle, so the first run sees the demo's logs as full as the last one does.
				process.stderr.write(`  letting the demo run one --chaos cycle (${BUSY_WARMUP_SECONDS} s) before the first run …\n`);
				await sleep(BUSY_WARMUP_SECONDS * 1000);
			}

			const seconds = kind === 'quiet' ? SECONDS : BUSY_SECONDS;
			for (const size of SIZES) {
				const results: RunResult[] = [];
				const order: ProgramName[][] = [];
				// Each round starts with the next program, so none is always measured first.
				const rounds = Array.from({length: ROUNDS}, (_, round) => PROGRAMS.map((_, index) => PROGRAMS[(index + round) % PROGRAMS.length]!));
				for (const [round, programs] of rounds.entries()) {
					order.push(programs);
					for (const name of programs) {
						process.stderr.write(`  ${kind} ${size.columns}×${size.rows} round ${round + 1}/${ROUNDS}: ${name} …\n`);
						results.push(await measure(PROGRAM_SPECS[name], box, size, round, seconds, perRunKeys));
					}
				}

				printComparison(box, size, seconds, results, order);
			}
		} finally {
			await box.stop();
		}
	}
}

async function hugeLine(): Promise<void> {
	const size = SIZES[0]!;
	printHeader(`one ${HUGE_LENGTH.toLocaleString('en-US')}-character ERROR line appended to errors.log, quiet box, ${size.columns}×${size.rows}`);
	const box = await quietBox();
	await quietMachine(box);
	const running = await start(PROGRAM_SPECS.camtop, box, size);
	try {
		await sleepUntil(running.firstFrameAt + (WARMUP_SECONDS * 1000));
		const idleBefore = sample(running.pid, box);
		await sleep(2000);
		const idle = windowBetween(idleBefore, sample(running.pid, box));
		const date = new Date();
		const prefix = errorLine(date, 'func:12', '');
		const line = errorLine(date, 'func:12', 'x'.repeat(HUGE_LENGTH - prefix.length));
		const first = sample(running.pid, box);
		appendFileSync(path.join(box.root, 'logs', 'errors.log'), `${line}\n`);
		const appendedAt = now();
		// Whether (and when) the record shows: captures at most every 100 ms, not to load the machine while camtop spins.
		const shown = running.terminal.waitForScreen(screen => screen.includes('x'.repeat(8)), 'the huge record on screen', {timeoutMs: HUGE_SECONDS * 1000, minGapMs: 100, fallbackMs: 100})
			.then(({at}) => at - appendedAt, () => undefined);
		const windows: Array<{from: number; to: number; cpu: number}> = [];
		let previous = first;
		for (let end = 2; end <= HUGE_SECONDS; end += 2) {
			await sleepUntil(first.at + (end * 1000));
			const next = sample(running.pid, box);
			windows.push({from: end - 2, to: end, cpu: percent(next.cpu - previous.cpu, next.at - previous.at)});
			previous = next;
		}

		const after = windowBetween(first, previous);

		const shownMs = await shown;
		if (SCREENS) {
			process.stderr.write(`camtop ${HUGE_SECONDS} s after the append:\n${await running.terminal.screen()}\n`);
		}

		const quitSent = now();
		await running.terminal.send('q');
		let exitMs: number | undefined;
		const deadline = quitSent + 60_000;
		while (now() < deadline) {
			if (!alive(running.pid)) {
				exitMs = now() - quitSent;
				break;
			}

			await sleep(2);
		}

		const status = exitMs === undefined ? undefined : await waitFor(async () => running.terminal.deadStatus(), 'the exit status', 5000, 10).catch(() => undefined);
		console.log(`  ${PROGRAM_SPECS.camtop.note(size)}; the line: ${line.slice(0, 60)}… (${line.length.toLocaleString('en-US')} characters)`);
		console.log(`  first full frame ${fixed(running.firstFrameMs, 0)} ms; CPU in the 2 s before the append: ${fixed(percent(idle.cpuMs, idle.wallMs), 2)} % of one core`);
		console.log(`  CPU after the append, % of one core: ${windows.map(window => `${window.from}–${window.to} s ${fixed(window.cpu, 1)}`).join(', ')} (the rest of the machine meanwhile: ${fixed(percent(after.restMs, after.wallMs), 1)} %)`);
		console.log(`  the record on screen: ${shownMs === undefined ? `not within ${HUGE_SECONDS} s` : `${fixed(shownMs, 0)} ms after the append`}`);
		console.log(`  q → exit: ${exitMs === undefined ? 'did not exit within 60 s (killed)' : `${fixed(exitMs, 0)} ms, exit status ${status ?? '?'}`}`);
		const after2s = windows[1]?.cpu;
		console.log(`  targets (issue 12): back under ${TARGETS.hugeCpuAfter2s} % within 2 s (2–4 s: ${fixed(after2s, 1)} %) — ${met(after2s !== undefined && after2s < TARGETS.hugeCpuAfter2s)}; q exits within ${TARGETS.quitMs} ms — ${met(exitMs !== undefined && exitMs <= TARGETS.quitMs)}`);
	} finally {
		await running.terminal.close();
		await box.stop();
	}
}

async function idleRss(): Promise<void> {
	const size = SIZES[0]!;
	printHeader(`idle, quiet box, ${size.columns}×${size.rows}: ${PROGRAMS.join(', ')} side by side (each in its own tmux) for ${IDLE_MINUTES} min`);
	const box = await quietBox();
	const running: Array<{name: ProgramName; run: Running; first: Sample}> = [];
	try {
		await quietMachine(box);
		for (const name of PROGRAMS) {
			const run = await start(PROGRAM_SPECS[name], box, size);
			running.push({name, run, first: sample(run.pid, box)});
		}

		for (const {name} of running) {
			console.log(`  ${PROGRAM_SPECS[name].note(size)}`);
		}

		console.log(`  ${'minute'.padEnd(8)}${running.map(({name}) => pad(`${name} MiB`, 14)).join('')}`);
		const startedAt = now();
		for (let minute = 1; minute <= IDLE_MINUTES; minute++) {
			await sleepUntil(startedAt + (minute * 60_000));
			console.log(`  ${String(minute).padEnd(8)}${running.map(({run}) => pad(fixed(rssMiB(run.pid), 1), 14)).join('')}`);
		}

		const cpu = running.map(({run, first}) => windowBetween(first, sample(run.pid, box)));
		console.log(`  ${'CPU %'.padEnd(8)}${cpu.map(window => pad(fixed(percent(window.cpuMs, window.wallMs), 2), 14)).join('')}   (over the whole run, of one core)`);
		const camtop = running.find(({name}) => name === 'camtop');
		if (camtop !== undefined) {
			const rss = rssMiB(camtop.run.pid);
			console.log(`  target (issue 12): camtop's RSS after ${IDLE_MINUTES} min idle ≤ ${TARGETS.idleRssMiB} MiB (${fixed(rss, 1)} MiB) — ${met(rss <= TARGETS.idleRssMiB)}${IDLE_MINUTES === 10 ? '' : ' (the target is stated for 10 min)'}`);
		}
	} finally {
		for (const {run} of running) {
			await run.terminal.close();
		}

		await box.stop();
	}
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
	const n = points.length;
	const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
	const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
	const covariance = points.reduce((sum, [x, y]) => sum + ((x - meanX) * (y - meanY)), 0);
	const variance = points.reduce((sum, [x]) => sum + ((x - meanX) ** 2), 0);
	return variance === 0 ? 0 : covariance / variance;
}

async function soak(): Promise<void> {
	const size = SIZES[0]!;
	printHeader(`soak: camtop watching \`camtop demo --chaos\` (4 cameras), ${size.columns}×${size.rows}, ${SOAK_MINUTES} min; heap after two forced full GCs through the inspector`);
	const box = await busyBox();
	const port = await freePort();
	await quietMachine(box);
	const running = await start(PROGRAM_SPECS.camtop, box, size, {nodeOptions: `--inspect=127.0.0.1:${port}`});
	let inspector: Inspector | undefined;
	try {
		inspector = await Inspector.connect(port);
		console.log(`  ${PROGRAM_SPECS.camtop.note(size)}, NODE_OPTIONS=--inspect=127.0.0.1:${port}; first full frame ${fixed(running.firstFrameMs, 0)} ms`);
		console.log('  each minute: CPU over the minute (the GCs after it not included), RSS at its end, then two HeapProfiler.collectGarbage and process.memoryUsage()');
		console.log(`  ${'minute'.padEnd(8)}${['camtop CPU %', 'demo CPU %', 'RSS MiB', 'heap after GC', 'RSS after GC'].map(label => pad(label, 15)).join('')}`);
		const rows: Array<{minute: number; cpu: number; heap: number}> = [];
		for (let minute = 1; minute <= SOAK_MINUTES; minute++) {
			const before = sample(running.pid, box);
			await sleepUntil(before.at + 60_000);
			const window = windowBetween(before, sample(running.pid, box));
			const rss = rssMiB(running.pid);
			const memory = await inspector.memoryAfterGc();
			const cpu = percent(window.cpuMs, window.wallMs);
			rows.push({minute, cpu, heap: mib(memory.heapUsed)});
			console.log(`  ${String(minute).padEnd(8)}${[fixed(cpu, 2), fixed(percent(window.demoTreeMs ?? 0, window.wallMs), 2), fixed(rss, 1), fixed(mib(memory.heapUsed), 1), fixed(rssMiB(running.pid), 1)].map(cell => pad(cell, 15)).join('')}`);
		}

		const from = SOAK_MINUTES >= 20 ? 10 : Math.max(1, Math.ceil(SOAK_MINUTES / 2));
		const steady = rows.filter(row => row.minute >= from);
		if (steady.length >= 2) {
			const heaps = steady.map(row => row.heap);
			const base = steady[0]!.heap;
			const spread = Math.max(...heaps.map(heap => Math.abs(heap - base)));
			console.log(`  from minute ${from} to ${SOAK_MINUTES}: heap after GC ${fixed(base, 1)} → ${fixed(steady.at(-1)!.heap, 1)} MiB (largest distance from minute ${from}: ${fixed(spread, 1)} MiB), trend ${fixed(60 * slope(steady.map(row => [row.minute, row.heap])), 1)} MiB/h; CPU trend ${fixed(60 * slope(steady.map(row => [row.minute, row.cpu])), 2)} %/h`);
			console.log(`  target (issue 12): heap after GC flat (± ${TARGETS.heapFlatMiB} MiB) from minute 10 to 60 — ${met(spread <= TARGETS.heapFlatMiB)}${SOAK_MINUTES >= 60 ? '' : ` (over minutes ${from}–${SOAK_MINUTES} only)`}`);
		}
	} finally {
		inspector?.close();
		await running.terminal.close();
		await box.stop();
	}
}

// ---------------------------------------------------------------------------------------------------- main

let exitCode = 0;
try {
	if (!existsSync(CAMTOP)) {
		throw new Error(`no camtop bin at ${CAMTOP} (npm run build first, or --camtop PATH)`);
	}

	ensureInstalled('tmux', 'redis-server', ...PROGRAMS.filter(name => name !== 'camtop'));
	if (HUGE_LINE) {
		await hugeLine();
	} else if (IDLE_MINUTES > 0) {
		await idleRss();
	} else if (SOAK_MINUTES > 0) {
		await soak();
	} else {
		await comparison();
	}
} catch (error) {
	console.error(error);
	exitCode = 1;
} finally {
	cleanUpAll();
}

process.exit(exitCode);
