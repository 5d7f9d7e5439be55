/*
npm run bench:tail [-- --cpu-prof DIR]

The live log tail layer: ErrorFeed (tail-file on fs.watch, records parsed into a ring of 200) following errors.log in a
Node process of its own, built from dist/, while this process appends the seed's ERROR lines to the file at 100 and then
1,000 lines/s, 10 s each. One write() per line on a file kept open with O_APPEND, as Python's logging FileHandler does.

Latency, per line, from just before its write() to:
  screen notified — the feed's subscribe listener ran (at most every 20 ms after a change: what wakes the screen) and
                    current() held the line; this is the figure the target is about;
  in the model    — the record was pushed into ErrorFeed's ring (RingBuffer.prototype.push wrapped in the child), i.e.
                    without the 20 ms coalescing;
  reference       — `tail -n 0 -F` (coreutils, inotify) following the same file in the same run: the line came out of
                    its stdout into this process.
Both processes read the same clock, CLOCK_MONOTONIC (process.hrtime).

CPU, as % of one core, over the steady part of each rate (from 1 s after its first line to its last line) and over
3 s before any line is written: the feed process by its own process.cpuUsage() (user + system, all its threads);
references from /proc/<pid>/stat utime + stime in clock ticks (getconf CLK_TCK): `tail -F` on the same file, and an
idle Node process (`setInterval(() => {}, 1000)`) as the floor. The feed's CPU includes the current() copy made on
each notification (what the screen does when woken) and this benchmark's bookkeeping in it (the wrapped push and the
listener's scan: about 1 % of its busy time in a --cpu-prof profile). errors.log starts with 1 MB of records with
tracebacks, back-filled before anything is measured.
*/
import {spawn, type ChildProcess} from 'node:child_process';
import {
	closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {errorLine, TRACEBACK} from '../test/helpers/seed-logs.js';
import {CLK_TCK, procCpuMs} from './proc-cpu.js';

const RATES = [100, 1000];
const SECONDS_PER_RATE = 10;
/** The CPU window of a rate starts this long after its first line. */
const WARMUP_SECONDS = 1;
const IDLE_SECONDS = 3;
/** After the last line of a rate, before the next one (lines still on their way arrive). */
const DRAIN_MS = 1500;
const TARGET_P99_MS = 250;
const TARGET_CPU_PERCENT = 2;
const TARGET_CPU_RATE = 1000;
const RING = 200;

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** Milliseconds on CLOCK_MONOTONIC: the same clock in every process of the machine. */
function now(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

// The feed's process: plain Node on the built code, no tsx in it. Arrival times stay in memory until the end.
const CHILD = `
import {ErrorFeed} from ${JSON.stringify(pathToFileURL(path.join(dist, 'feeds', 'error-feed.js')).href)};
import {RingBuffer} from ${JSON.stringify(pathToFileURL(path.join(dist, 'base', 'ring-buffer.js')).href)};
const now = () => Number(process.hrtime.bigint()) / 1e6;
const ID = /^message (\\d+)$/;
const ids = Number(process.env.BENCH_IDS);
const modelAt = new Float64Array(ids).fill(Number.NaN);
const screenAt = new Float64Array(ids).fill(Number.NaN);
const push = RingBuffer.prototype.push;
RingBuffer.prototype.push = function (item) {
	push.call(this, item);
	const match = ID.exec(item.message);
	if (match !== null && Number(match[1]) < ids) {
		modelAt[Number(match[1])] = now();
	}
};
const errors = new ErrorFeed(process.env.BENCH_FILE, ${RING});
let newest = -1;
let notifications = 0;
errors.feed.subscribe(() => {
	const at = now();
	notifications++;
	const result = errors.current();
	if (!result.ok) {
		return;
	}
	const {records} = result.data;
	let top = newest;
	for (let index = records.length - 1; index >= 0; index--) {
		const match = ID.exec(records[index].message);
		if (match === null) {
			continue;
		}
		const id = Number(match[1]);
		if (id <= newest) {
			break;
		}
		top = Math.max(top, id);
		if (id < ids) {
			screenAt[id] = at;
		}
	}
	newest = top;
});
errors.feed.start();
process.on('message', async message => {
	if (message === 'cpu') {
		const usage = process.cpuUsage();
		process.send({cpuMs: (usage.user + usage.system) / 1000, systemMs: usage.system / 1000});
	} else if (message === 'done') {
		const status = errors.feed.status;
		await errors.feed.close();
		process.send({modelAt: Array.from(modelAt), screenAt: Array.from(screenAt), notifications, status, records: errors.feed.records}, () => process.exit(0));
	}
});
const ready = setInterval(() => {
	if (errors.feed.status.state === 'following') {
		clearInterval(ready);
		process.send({ready: true});
	}
}, 5);
`;

type Final = {modelAt: number[]; screenAt: number[]; notifications: number; status: {state: string; detail: string | null}; records: number};

/** The next IPC message from the child that has `key`. */
async function reply<T>(child: ChildProcess, key: string, send?: string): Promise<T> {
	return new Promise((resolve, reject) => {
		const onMessage = (message: Record<string, unknown>) => {
			if (key in message) {
				child.off('message', onMessage);
				child.off('exit', onExit);
				resolve(message as T);
			}
		};

		const onExit = (code: number | null) => {
			reject(new Error(`the feed process exited (${code}) before answering ${key}`));
		};

		child.on('message', onMessage);
		child.once('exit', onExit);
		if (send !== undefined) {
			child.send(send);
		}
	});
}

const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-bench-tail-'));
const logs = path.join(root, 'logs');
mkdirSync(logs);
const file = path.join(logs, 'errors.log');
const base = new Date(2026, 10, 28, 12, 0, 0, 123);
// 1 MB already there, tracebacks included: the feed back-fills its last 200 records before following.
const old = `${[errorLine(base, 'fetch_image:123', 'Redis connection failed: Connection refused'), ...TRACEBACK].join('\n')}\n`;
writeFileSync(file, old.repeat(Math.ceil(1_000_000 / old.length)));

const totalLines = RATES.reduce((total, rate) => total + (rate * SECONDS_PER_RATE), 0);
const appendAt = new Float64Array(totalLines).fill(Number.NaN);
const tailAt = new Float64Array(totalLines).fill(Number.NaN);
const lineText = (id: number) => `${errorLine(new Date(base.getTime() + id), 'fetch_image:123', `message ${id}`)}\n`;

const {NODE_OPTIONS: _, ...cleanEnv} = process.env;
// `-- --cpu-prof DIR`: a V8 CPU profile of the feed process, for where its CPU goes.
const profileFlag = process.argv.indexOf('--cpu-prof');
const profile = profileFlag === -1 ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.argv[profileFlag + 1] ?? '.')}`];
const feed = spawn(process.execPath, [...profile, '--input-type=module', '-e', CHILD], {
	env: {...cleanEnv, BENCH_FILE: file, BENCH_IDS: String(totalLines)},
	stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const tail = spawn('tail', ['-n', '0', '-F', file], {stdio: ['ignore', 'pipe', 'ignore']});
const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {env: cleanEnv, stdio: 'ignore'});

let tailRest = '';
tail.stdout.setEncoding('utf8');
tail.stdout.on('data', (chunk: string) => {
	const at = now();
	const lines = (tailRest + chunk).split('\n');
	tailRest = lines.pop()!;
	for (const line of lines) {
		const match = / - message (\d+)$/.exec(line);
		if (match !== null) {
			tailAt[Number(match[1])] = at;
		}
	}
});

type Cpu = {feed: number; feedSystem: number; tail: number; idle: number; at: number};

async function cpu(): Promise<Cpu> {
	const {cpuMs, systemMs} = await reply<{cpuMs: number; systemMs: number}>(feed, 'cpuMs', 'cpu');
	return {
		feed: cpuMs, feedSystem: systemMs, tail: procCpuMs(tail.pid!), idle: procCpuMs(idle.pid!), at: now(),
	};
}

type Window = {label: string; feed: number; feedSystem: number; tail: number; idle: number; seconds: number};

function percent(before: Cpu, after: Cpu, label: string): Window {
	const wall = after.at - before.at;
	return {
		label,
		feed: 100 * (after.feed - before.feed) / wall,
		feedSystem: 100 * (after.feedSystem - before.feedSystem) / wall,
		tail: 100 * (after.tail - before.tail) / wall,
		idle: 100 * (after.idle - before.idle) / wall,
		seconds: wall / 1000,
	};
}

/** Writes `rate` lines a second for SECONDS_PER_RATE, ids from `first`; the CPU window of its steady part. */
async function write(fd: number, rate: number, first: number): Promise<Window> {
	const count = rate * SECONDS_PER_RATE;
	const start = now();
	let written = 0;
	let before: Cpu | undefined;
	let after: Cpu | undefined;
	let sampling = false;
	await new Promise<void>(resolve => {
		const timer = setInterval(() => {
			// Every line due by now: a late timer writes the ones it owes, each with its own time.
			const due = Math.min(count, Math.floor((now() - start) * rate / 1000) + 1);
			while (written < due) {
				const id = first + written;
				const text = lineText(id);
				appendAt[id] = now();
				writeSync(fd, text);
				written++;
			}

			if (before === undefined && !sampling && now() - start >= WARMUP_SECONDS * 1000) {
				sampling = true;
				void cpu().then(sample => {
					before = sample;
				});
			}

			if (written >= count) {
				clearInterval(timer);
				void cpu().then(sample => {
					after = sample;
					resolve();
				});
			}
		}, Math.max(1, Math.floor(1000 / rate)));
	});
	return percent(before!, after!, `${rate.toLocaleString('en-US')} lines/s`);
}

function quantile(sorted: number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

type Latency = {p50: number; p99: number; max: number; missed: number};

function latency(arrivals: ArrayLike<number>, first: number, count: number): Latency {
	const values: number[] = [];
	let missed = 0;
	for (let id = first; id < first + count; id++) {
		const value = arrivals[id]! - appendAt[id]!;
		if (Number.isNaN(value)) {
			missed++;
		} else {
			values.push(value);
		}
	}

	values.sort((a, b) => a - b);
	return values.length === 0
		? {
			p50: Number.NaN, p99: Number.NaN, max: Number.NaN, missed,
		}
		: {
			p50: quantile(values, 0.5), p99: quantile(values, 0.99), max: values.at(-1)!, missed,
		};
}

let exitCode = 0;
try {
	await reply(feed, 'ready');
	// tail -F has read to the end and set its watch once it is sleeping: give it a moment.
	await sleep(500);

	const fd = openSync(file, 'a');
	const windows: Window[] = [];
	const idleBefore = await cpu();
	await sleep(IDLE_SECONDS * 1000);
	windows.push(percent(idleBefore, await cpu(), 'no lines'));

	let first = 0;
	const ranges: Array<{rate: number; first: number; count: number}> = [];
	for (const rate of RATES) {
		windows.push(await write(fd, rate, first));
		ranges.push({rate, first, count: rate * SECONDS_PER_RATE});
		first += rate * SECONDS_PER_RATE;
		await sleep(DRAIN_MS);
	}

	closeSync(fd);
	const final = await reply<Final>(feed, 'modelAt', 'done');

	console.log(`\ncamtop live error tail — ErrorFeed(errors.log, ${RING}) in its own Node process (dist/), ${os.cpus().length} cores, Node ${process.version}`);
	console.log(`writer: seed ERROR lines, one write() each on an O_APPEND fd, ${SECONDS_PER_RATE} s per rate; feed ended '${final.status.state}', ${final.notifications} notifications`);
	console.log('\nlatency, append → …                        rate     lines   p50 ms   p99 ms   max ms  missed');
	const rows: Array<{name: string; arrivals: ArrayLike<number>}> = [
		{name: 'screen notified (subscribe + current())', arrivals: final.screenAt},
		{name: 'in the model (ring push, no 20 ms wait)', arrivals: final.modelAt},
		{name: 'reference: tail -F, out of its stdout', arrivals: tailAt},
	];
	const results = new Map<string, Latency>();
	for (const {rate, first, count} of ranges) {
		for (const {name, arrivals} of rows) {
			const figures = latency(arrivals, first, count);
			results.set(`${name} ${rate}`, figures);
			const cell = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(1)).padStart(9);
			console.log(`  ${name.padEnd(40)}${`${rate.toLocaleString('en-US')}/s`.padStart(8)}${String(count).padStart(10)}${cell(figures.p50)}${cell(figures.p99)}${cell(figures.max)}${String(figures.missed).padStart(8)}`);
		}
	}

	console.log('\nCPU, % of one core (steady part of each rate; a 3 s window before any line)');
	console.log(`  ${'what'.padEnd(40)}${windows.map(window => window.label.padStart(15)).join('')}`);
	const cpuRow = (name: string, pick: (window: Window) => number) => {
		console.log(`  ${name.padEnd(40)}${windows.map(window => `${pick(window).toFixed(2)} %`.padStart(15)).join('')}`);
	};

	cpuRow('ErrorFeed process (process.cpuUsage)', window => window.feed);
	cpuRow('  of which system (kernel)', window => window.feedSystem);
	cpuRow('reference: tail -F (/proc stat)', window => window.tail);
	cpuRow('floor: idle node (/proc stat)', window => window.idle);
	console.log(`  ${'window, s'.padEnd(40)}${windows.map(window => window.seconds.toFixed(1).padStart(15)).join('')}`);
	console.log(`  /proc figures count whole ticks of ${(1000 / CLK_TCK).toFixed(0)} ms: one tick is ${windows.map(window => `${(100 * 1000 / CLK_TCK / (window.seconds * 1000)).toFixed(2)} %`).join(', ')} of these windows`);

	const worstP99 = Math.max(...RATES.map(rate => results.get(`${rows[0]!.name} ${rate}`)!.p99));
	const missed = RATES.reduce((total, rate) => total + results.get(`${rows[0]!.name} ${rate}`)!.missed, 0);
	const cpuAtTarget = windows[1 + RATES.indexOf(TARGET_CPU_RATE)]!.feed;
	console.log(`\n  targets: p99 ≤ ${TARGET_P99_MS} ms to the screen notification at every rate (worst ${worstP99.toFixed(1)} ms) — ${worstP99 <= TARGET_P99_MS && missed === 0 ? 'met' : 'NOT MET'}${missed === 0 ? '' : ` (${missed} lines never seen)`}; `
		+ `≤ ${TARGET_CPU_PERCENT} % of a core at ${TARGET_CPU_RATE.toLocaleString('en-US')} lines/s (${cpuAtTarget.toFixed(2)} %) — ${cpuAtTarget <= TARGET_CPU_PERCENT ? 'met' : 'NOT MET'}`);
} catch (error) {
	console.error(error);
	exitCode = 1;
} finally {
	for (const child of [feed, tail, idle]) {
		child.kill();
	}

	rmSync(root, {recursive: true, force: true});
}

process.exit(exitCode);
