/*
npm run bench:fleet [-- --sizes 10,100,1000 --refreshes 20 --runs 5 --tui-refreshes 20]

What `camtop fleet` costs as the fleet grows, against a real Prometheus (Debian's, 2.42) holding 1 h of N boxes' camtop
metrics at a 15 s interval, for each N of --sizes, one fresh Prometheus per size, in one run:

1. bench/fleet-data.ts writes the fleet's hour as OpenMetrics text (one file per 2 h TSDB block), ending now;
   `promtool tsdb create-blocks-from openmetrics` turns each file into blocks (in parallel, one output directory each,
   then moved into one data directory); Prometheus starts on it with no scrape target, and is ready once a query counts
   N boxes in up{job="camtop"}.
2. Prometheus' time for the table (the reference: what any client pays): the queries of one refresh (fleet-queries.ts
   tableQueries, and the targets list readFleet asks for) fetched raw with fetch(), all at once as readFleet sends them,
   until every answer is read; median of --refreshes rounds. Also Prometheus' CPU per round (/proc/<pid>/stat) and
   the bytes of the answers.
3. camtop's refresh: readFleet() of dist/ called in this process --refreshes times in a row after 2 warm-up calls: wall
   time of each (median, max) and camtop's CPU per refresh (process.cpuUsage() over the calls ÷ calls; this process
   does nothing else meanwhile).
4. `camtop fleet --json` as a whole command (node dist/camtop.mjs), --runs times: wall time (median), exit code, and
   that it lists N boxes.
5. The full-screen view, `camtop fleet --prometheus URL --interval 1000`, in a real terminal (a private tmux server,
   120×40, the environment of bench:tui: env -i, no CI): time from launch to the first full frame (the header's
   `N boxes` and the table's first rows on screen, read with capture-pane), then --tui-refreshes refreshes (or 60 s,
   whichever comes first) counted by Prometheus itself (prometheus_http_requests_total of /api/v1/targets, which
   every refresh asks once): camtop's CPU per refresh (utime + stime of its node process, /proc/<pid>/stat, over
   those refreshes ÷ refreshes), the instant queries it sent per refresh (Prometheus' count of /api/v1/query; the
   issue's promise: a fixed handful, whatever the number of boxes), and its RSS (VmRSS, and the peak VmHWM) at their
   end. Measured first, right after loading (see below).
6. What each query costs Prometheus: each of the table's queries alone, with stats=all, 3 times; the median of
   Prometheus' own evaluation time (evalTotalTime), to say which query the table's time goes to.

Targets (issue 15), at 1,000 boxes: first table ≤ 2 s, a refresh ≤ 500 ms of wall time and ≤ 50 ms of camtop CPU,
RSS ≤ 150 MiB.

The data stops at the moment it was written (nothing scrapes afterwards), so it ages while a size is measured: the
boxes' last collection would pass camtop's staleCollectSeconds (120 s) within two minutes and every box turn stale.
camtop is therefore given `fleet.staleCollectSeconds: 900` in a config file, which keeps the generated mix of states
on screen and changes nothing of what a refresh does. Instant queries look back 5 minutes, so each size must be
measured within 5 minutes of its data's end; the bench says so if it was not.
*/
import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {
	mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import type * as ReadFleetModule from '../source/fleet/read-fleet.js';
import type * as PrometheusClientModule from '../source/fleet/prometheus-client.js';
import type * as FleetQueriesModule from '../source/fleet/fleet-queries.js';
import {freePort} from '../test/helpers/free-port.js';
import {stopChild} from '../test/helpers/redis-server.js';
import {waitFor} from '../test/helpers/wait-for.js';
import {procCpuMs} from './proc-cpu.js';
import {
	cleanUpAll, now, onCleanup, sleep, Terminal,
} from './tui-terminal.js';
import {JOB, writeFleetData, type FleetData} from './fleet-data.js';

const TARGET_FIRST_FRAME_MS = 2000;
const TARGET_REFRESH_WALL_MS = 500;
const TARGET_REFRESH_CPU_MS = 50;
const TARGET_RSS_MIB = 150;
/** Prometheus' default lookback: an instant query finds no sample older than this, ms. */
const LOOKBACK_MS = 5 * 60_000;
/** See the top: the data ages while it is measured. */
const STALE_COLLECT_SECONDS = 900;
const TUI_INTERVAL_MS = 1000;
const TUI_SIZE = {columns: 120, rows: 40};
/** The full screen's window ends after this long even when its refreshes are slower than --tui-refreshes need, ms. */
const TUI_WINDOW_MS = 60_000;

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const index = argv.indexOf(`--${name}`);
	return index === -1 || argv[index + 1] === undefined ? fallback : argv[index + 1]!;
};

const SIZES = option('sizes', '10,100,1000').split(',').map(Number);
const REFRESHES = Number(option('refreshes', '20'));
const RUNS = Number(option('runs', '5'));
const TUI_REFRESHES = Number(option('tui-refreshes', '20'));
if ([...SIZES, REFRESHES, RUNS, TUI_REFRESHES].some(value => !Number.isInteger(value) || value < 1)) {
	console.error('usage: tsx bench/fleet.ts [--sizes 10,100,1000] [--refreshes 20] [--runs 5] [--tui-refreshes 20]');
	process.exit(2);
}

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const BIN = path.join(DIST, 'camtop.mjs');
const distModule = async <T>(file: string) => import(pathToFileURL(path.join(DIST, file)).href) as Promise<T>;
const {readFleet} = await distModule<typeof ReadFleetModule>('fleet/read-fleet.js');
const {PrometheusClient} = await distModule<typeof PrometheusClientModule>('fleet/prometheus-client.js');
const {tableQueries} = await distModule<typeof FleetQueriesModule>('fleet/fleet-queries.js');
const runExecFile = promisify(execFile);

const fixed = (value: number | undefined, digits = 0) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

function median(values: number[]): number {
	const sorted = values.toSorted((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** VmRSS (now) or VmHWM (the peak so far) of a process, MiB. */
function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
	return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

type Prometheus = {url: string; pid: number; child: ChildProcess; output: () => string};

/**
Prometheus 2.42 on blocks that reach now. What it needs, and does not:
- Overlapping blocks: nothing. Since 2.39 Prometheus reads and compacts overlapping blocks by default
  (--storage.tsdb.allow-overlapping-blocks is still accepted, hidden from --help, and does nothing), and promtool's
  blocks do not overlap anyway: each covers its own 2 h window, and the head is empty.
- The head: on start its lower bound becomes the newest block's end (the data's last sample), and an append older
  than that would be refused as out of bounds. Nothing appends here (no scrape target, no rule), so nothing is refused;
  a Prometheus that scraped would have to start after the data's end, as this one does.
- Retention: counted back from the newest block's end (15 d by default), so blocks of the last hour are kept.
- Lookback: instant queries see a series for 5 minutes after its last sample; the data ends when it was written, so
  each size is measured right after loading it (see LOOKBACK_MS).
*/
async function startPrometheus(dir: string, boxes: number): Promise<Prometheus> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const config = path.join(dir, 'prometheus.yml');
	writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
	const child = spawn('prometheus', [
		`--config.file=${config}`,
		`--storage.tsdb.path=${path.join(dir, 'data')}`,
		`--web.listen-address=127.0.0.1:${port}`,
	], {stdio: ['ignore', 'ignore', 'pipe']});
	const removeCleanup = onCleanup(() => child.kill('SIGKILL'));
	child.once('exit', removeCleanup);
	let output = '';
	child.stderr.on('data', (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-8192);
	});
	await waitFor(async () => {
		if (child.exitCode !== null) {
			throw new Error(`prometheus exited ${child.exitCode}: ${output}`);
		}

		const answer = await instant(url, `count(up{job="${JOB}"})`);
		return Number(answer[0]?.value[1]) === boxes;
	}, `prometheus ready and counting ${boxes} boxes`, 60_000, 100);
	return {
		url, pid: child.pid!, child, output: () => output,
	};
}

async function instant(url: string, promql: string): Promise<Array<{value: [number, string]}>> {
	const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
	const body = await response.json() as {data?: {result?: Array<{value: [number, string]}>}};
	return body.data?.result ?? [];
}

/** Requests Prometheus has answered on one API endpoint, from its own /metrics. */
async function requestsServed(url: string, handler: string): Promise<number> {
	const text = await (await fetch(`${url}/metrics`)).text();
	let total = 0;
	for (const line of text.split('\n')) {
		if (line.startsWith('prometheus_http_requests_total{') && line.includes(`handler="${handler}"`)) {
			total += Number(line.slice(line.lastIndexOf(' ') + 1));
		}
	}

	return total;
}

/** The fleet's data into `dir`/data: generated, then loaded by promtool (a process per block file, at once). */
async function load(dir: string, boxes: number): Promise<{data: FleetData; endMs: number; generateMs: number; loadMs: number}> {
	const endMs = Date.now();
	const started = now();
	const data = writeFleetData(path.join(dir, 'fleet'), {boxes, endMs});
	const generated = now();
	const dataDir = path.join(dir, 'data');
	mkdirSync(dataDir);
	await Promise.all(data.files.map(async (file, index) => {
		const out = path.join(dir, `blocks-${index}`);
		await runExecFile('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file.path, out], {maxBuffer: 16 * 1024 * 1024});
		for (const block of readdirSync(out)) {
			renameSync(path.join(out, block), path.join(dataDir, block));
		}

		// The text is read; a gigabyte of it need not stay on disk.
		rmSync(file.path);
	}));
	return {
		data, endMs, generateMs: generated - started, loadMs: now() - generated,
	};
}

type RawRound = {wallMs: number; bytes: number};

/** One refresh's queries (and the targets list) fetched raw, all at once, until every answer is read. */
async function rawRound(url: string): Promise<RawRound> {
	const queries = Object.values(tableQueries(JOB));
	const started = now();
	const bodies = await Promise.all([
		...queries.map(async query => fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`)),
		fetch(`${url}/api/v1/targets?state=active`),
	].map(async pending => {
		const response = await pending;
		const body = await response.arrayBuffer();
		if (!response.ok) {
			throw new Error(`${response.url}: HTTP ${response.status} ${Buffer.from(body).toString().slice(0, 200)}`);
		}

		return body.byteLength;
	}));
	return {wallMs: now() - started, bytes: bodies.reduce((sum, bytes) => sum + bytes, 0)};
}

type Size = {
	boxes: number;
	data: FleetData;
	generateMs: number;
	loadMs: number;
	readyMs: number;
	/** The reference; clientCpuMs: this process' CPU per round, fetch() and reading the answers as bytes. */
	raw: {medianMs: number; maxMs: number; bytes: number; prometheusCpuMs: number; clientCpuMs: number};
	readFleet: {medianMs: number; maxMs: number; cpuMs: number; slowestQueryMs: number};
	json: {medianMs: number; exitCodes: number[]; listed: number[]; summary: string};
	/** badge: the header's complaint about Prometheus at the window's end, if any. */
	tui: {firstFrameMs: number; rssMiB: number; peakRssMiB: number; cpuMs: number; refreshes: number; queriesPerRefresh: number; windowMs: number; badge: string | undefined} | {error: string};
	/** Prometheus' evaluation time of each table query alone, ms (median of 3). */
	queryEvalMs: Record<string, number>;
	/** How long after the data's end the last measurement ended, ms. */
	spanMs: number;
};

async function measureSize(boxes: number, scratch: string): Promise<Size> {
	const dir = path.join(scratch, `fleet-${boxes}`);
	mkdirSync(dir);
	process.stderr.write(`${boxes} boxes: generating and loading …`);
	const loaded = await load(dir, boxes);
	const readyStarted = now();
	const prometheus = await startPrometheus(dir, boxes);
	const readyMs = now() - readyStarted;
	process.stderr.write(` ${loaded.data.series} series, ${(loaded.data.samples / 1e6).toFixed(1)} M samples (${fixed(loaded.generateMs / 1000, 1)} s + ${fixed(loaded.loadMs / 1000, 1)} s + ready ${fixed(readyMs / 1000, 1)} s); measuring …`);
	const configFile = path.join(dir, 'camtop.config.json');
	writeFileSync(configFile, JSON.stringify({fleet: {staleCollectSeconds: STALE_COLLECT_SECONDS}}));
	try {
		// The full screen first: the data ages from here on (see LOOKBACK_MS), and it holds three of the four targets.
		let tui: Size['tui'];
		try {
			tui = await measureTui(prometheus, boxes, configFile, dir);
		} catch (error) {
			tui = {error: (error as Error).message.split('\n').slice(0, 3).join(' ')};
		}

		// The reference: the same queries, raw.
		await rawRound(prometheus.url);
		const rounds: RawRound[] = [];
		const promCpuBefore = procCpuMs(prometheus.pid);
		const rawCpuBefore = process.cpuUsage();
		for (let round = 0; round < REFRESHES; round++) {
			rounds.push(await rawRound(prometheus.url));
		}

		const rawCpu = process.cpuUsage(rawCpuBefore);
		const prometheusCpuMs = (procCpuMs(prometheus.pid) - promCpuBefore) / REFRESHES;

		// Each query alone, with Prometheus' own timings.
		const queryEvalMs: Record<string, number> = {};
		for (const [name, query] of Object.entries(tableQueries(JOB))) {
			const evals: number[] = [];
			for (let round = 0; round < 3; round++) {
				const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}&stats=all`);
				const body = await response.json() as {data?: {stats?: {timings?: {evalTotalTime?: number}}}};
				evals.push((body.data?.stats?.timings?.evalTotalTime ?? Number.NaN) * 1000);
			}

			queryEvalMs[name] = median(evals);
		}

		// readFleet in this process.
		const client = new PrometheusClient({url: prometheus.url, credentials: {kind: 'none'}, timeoutMs: 30_000});
		const options = {job: JOB, downAfterSeconds: 60, staleCollectSeconds: STALE_COLLECT_SECONDS};
		for (let warm = 0; warm < 2; warm++) {
			await readFleet(client, options);
		}

		const walls: number[] = [];
		const slowest: number[] = [];
		const cpuBefore = process.cpuUsage();
		for (let refresh = 0; refresh < REFRESHES; refresh++) {
			const started = now();
			const fleet = await readFleet(client, options);
			walls.push(now() - started);
			slowest.push(fleet.queryMs);
			if (fleet.boxes.length !== boxes) {
				throw new Error(`readFleet listed ${fleet.boxes.length} boxes, not ${boxes}`);
			}
		}

		const cpu = process.cpuUsage(cpuBefore);

		// camtop fleet --json, the whole command.
		const jsonWalls: number[] = [];
		const exitCodes: number[] = [];
		const listed: number[] = [];
		let summary = '';
		for (let run = 0; run < RUNS; run++) {
			const started = now();
			const {code, stdout} = await new Promise<{code: number; stdout: string}>((resolve, reject) => {
				const child = spawn(process.execPath, [BIN, 'fleet', '--prometheus', prometheus.url, '--json', '--config', configFile], {stdio: ['ignore', 'pipe', 'ignore']});
				const chunks: Buffer[] = [];
				child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
				child.once('error', reject);
				child.once('close', exitCode => {
					resolve({code: exitCode ?? -1, stdout: Buffer.concat(chunks).toString()});
				});
			});
			jsonWalls.push(now() - started);
			exitCodes.push(code);
			const answer = JSON.parse(stdout) as {boxes?: unknown[]; summary?: Record<string, number>};
			listed.push(answer.boxes?.length ?? 0);
			summary = Object.entries(answer.summary ?? {}).filter(([name, count]) => name !== 'total' && count > 0).map(([name, count]) => `${count} ${name}`).join(', ');
		}

		const spanMs = Date.now() - loaded.endMs;
		process.stderr.write(` done (${fixed(spanMs / 1000)} s after the data's end)\n`);
		return {
			boxes,
			data: loaded.data,
			generateMs: loaded.generateMs,
			loadMs: loaded.loadMs,
			readyMs,
			raw: {
				medianMs: median(rounds.map(round => round.wallMs)),
				maxMs: Math.max(...rounds.map(round => round.wallMs)),
				bytes: rounds[0]!.bytes,
				prometheusCpuMs,
				clientCpuMs: (rawCpu.user + rawCpu.system) / 1000 / REFRESHES,
			},
			readFleet: {
				medianMs: median(walls), maxMs: Math.max(...walls), cpuMs: (cpu.user + cpu.system) / 1000 / REFRESHES, slowestQueryMs: median(slowest),
			},
			json: {
				medianMs: median(jsonWalls), exitCodes, listed, summary,
			},
			tui,
			queryEvalMs,
			spanMs,
		};
	} finally {
		await stopChild(prometheus.child);
		rmSync(dir, {recursive: true, force: true});
	}
}

/** Whether the screen shows the first full frame: the header's `N boxes` and the table's first rows. */
function fullFrame(screen: string, boxes: number): boolean {
	const rows = screen.split('\n').filter(line => /box-\d{4}\.lan:9464/.test(line)).length;
	return new RegExp(`\\b${boxes} boxes\\b`).test(screen) && rows >= Math.min(boxes, 10);
}

async function measureTui(prometheus: Prometheus, boxes: number, configFile: string, dir: string): Promise<Size['tui']> {
	const home = path.join(dir, 'home');
	mkdirSync(home);
	const env = {
		PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', TERM: 'xterm-256color',
	};
	const quote = (word: string) => `'${word.replaceAll('\'', String.raw`'\''`)}'`;
	const script = path.join(dir, 'run.sh');
	// The script execs env, which execs node: the pane's pid is camtop's node process.
	writeFileSync(script, [
		`exec env -i ${Object.entries(env).map(([name, value]) => quote(`${name}=${value}`)).join(' ')} ${quote(process.execPath)} ${quote(BIN)} fleet --prometheus ${quote(prometheus.url)} --interval ${TUI_INTERVAL_MS} --config ${quote(configFile)} 2>> ${quote(path.join(dir, 'stderr'))}`,
		'',
	].join('\n'));
	const terminal = await Terminal.open({...TUI_SIZE, env: {...env, SHELL: '/bin/sh'}});
	try {
		const launchedAt = now();
		const pid = await terminal.launch(script);
		const first = await terminal.waitForScreen(screen => fullFrame(screen, boxes), `the first full frame (${boxes} boxes and the first rows)`, {timeoutMs: 60_000});
		// camtop names itself (process.title), so its cmdline says camtop; its executable is node.
		const executable = readlinkSync(`/proc/${pid}/exe`);
		if (executable !== realpathSync(process.execPath)) {
			throw new Error(`pid ${pid} is ${executable}, not node running camtop`);
		}

		// Two refreshes to settle, then the window: --tui-refreshes refreshes, or TUI_WINDOW_MS when they are slower.
		const settled = await refreshesWithin(prometheus.url, await requestsServed(prometheus.url, '/api/v1/targets'), 2, TUI_WINDOW_MS);
		const cpuBefore = procCpuMs(pid);
		const queriesBefore = await requestsServed(prometheus.url, '/api/v1/query');
		const windowStarted = now();
		const ended = await refreshesWithin(prometheus.url, settled, TUI_REFRESHES, TUI_WINDOW_MS);
		const cpuAfter = procCpuMs(pid);
		const queries = await requestsServed(prometheus.url, '/api/v1/query') - queriesBefore;
		const windowMs = now() - windowStarted;
		const rss = memoryMiB(pid, 'VmRSS');
		const peakRss = memoryMiB(pid, 'VmHWM');
		const refreshes = ended - settled;
		// A refresh that failed (Prometheus slower than camtop's timeout) leaves its badge in the header.
		const [headerLine] = (await terminal.screen()).split('\n');
		const badge = /\[([^\]]*)/.exec(headerLine ?? '')?.[1];
		return {
			firstFrameMs: first.at - launchedAt, rssMiB: rss, peakRssMiB: peakRss, cpuMs: refreshes > 0 ? (cpuAfter - cpuBefore) / refreshes : Number.NaN, refreshes, queriesPerRefresh: queries / refreshes, windowMs, badge,
		};
	} finally {
		await terminal.close();
	}
}

/**
Waits until Prometheus has answered `count` more targets requests than `from` (each refresh asks once), or `withinMs`
has passed: the count then.
*/
async function refreshesWithin(url: string, from: number, count: number, withinMs: number): Promise<number> {
	const deadline = now() + withinMs;
	for (;;) {
		const served = await requestsServed(url, '/api/v1/targets');
		if (served >= from + count || now() > deadline) {
			return served;
		}

		await sleep(50);
	}
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'camtop-bench-fleet-'));
onCleanup(() => {
	rmSync(scratch, {recursive: true, force: true});
});
const [prometheusVersion] = (await runExecFile('prometheus', ['--version'])).stdout.split('\n');
const results: Size[] = [];
try {
	for (const boxes of SIZES) {
		results.push(await measureSize(boxes, scratch));
	}
} finally {
	cleanUpAll();
}

const cpus = os.cpus();
console.log(`camtop fleet against ${prometheusVersion!.trim()}: 1 h of N boxes at 15 s, ${cpus.length} cores (${cpus[0]?.model ?? '?'}), Node ${process.version}, load average ${os.loadavg().map(load => load.toFixed(1)).join(' ')}`);
console.log(`medians of ${REFRESHES} refreshes (in-process) and of ${RUNS} runs of fleet --json; the full screen at ${TUI_SIZE.columns}×${TUI_SIZE.rows}, --interval ${TUI_INTERVAL_MS}, over ${TUI_REFRESHES} refreshes\n`);
const header = ['boxes', 'prometheus query ms', 'readFleet wall ms (median/max)', 'camtop CPU ms/refresh', 'fleet --json wall ms', 'first frame ms', 'TUI RSS MiB', 'TUI CPU ms/refresh'];
const rows = results.map(size => [
	String(size.boxes),
	fixed(size.raw.medianMs, 1),
	`${fixed(size.readFleet.medianMs, 1)} / ${fixed(size.readFleet.maxMs, 1)}`,
	fixed(size.readFleet.cpuMs, 1),
	fixed(size.json.medianMs),
	'error' in size.tui ? 'failed' : fixed(size.tui.firstFrameMs),
	'error' in size.tui ? 'failed' : fixed(size.tui.rssMiB, 1),
	'error' in size.tui ? 'failed' : fixed(size.tui.cpuMs, 1),
]);
const targetRow = ['target', '', `≤ ${TARGET_REFRESH_WALL_MS}`, `≤ ${TARGET_REFRESH_CPU_MS}`, '', `≤ ${TARGET_FIRST_FRAME_MS}`, `≤ ${TARGET_RSS_MIB}`, `≤ ${TARGET_REFRESH_CPU_MS}`];
const widths = header.map((title, column) => Math.max(title.length, ...[...rows, targetRow].map(row => row[column]!.length)));
const line = (cells: string[]) => `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}`;
console.log(line(header));
for (const row of rows) {
	console.log(line(row));
}

console.log(line(targetRow));

console.log('\n  boxes   series   samples   OpenMetrics  generate s  promtool s  ready s  answers KiB  prometheus CPU ms/refresh  raw fetch CPU ms/refresh  readFleet slowest query ms  fleet --json exits  boxes listed  TUI peak RSS MiB  TUI refreshes  queries/refresh  states');
for (const size of results) {
	console.log(`  ${String(size.boxes).padEnd(5)}  ${String(size.data.series).padStart(7)}  ${`${fixed(size.data.samples / 1e6, 2)} M`.padStart(8)}  ${`${fixed(size.data.bytes / 1024 / 1024)} MiB`.padStart(11)}  ${fixed(size.generateMs / 1000, 1).padStart(10)}  ${fixed(size.loadMs / 1000, 1).padStart(10)}  ${fixed(size.readyMs / 1000, 1).padStart(7)}  ${fixed(size.raw.bytes / 1024).padStart(11)}  ${fixed(size.raw.prometheusCpuMs, 1).padStart(25)}  ${fixed(size.raw.clientCpuMs, 1).padStart(24)}  ${fixed(size.readFleet.slowestQueryMs, 1).padStart(26)}  ${[...new Set(size.json.exitCodes)].join(',').padStart(18)}  ${[...new Set(size.json.listed)].join(',').padStart(12)}  ${('error' in size.tui ? '—' : fixed(size.tui.peakRssMiB, 1)).padStart(16)}  ${('error' in size.tui ? '—' : `${size.tui.refreshes} in ${fixed(size.tui.windowMs / 1000)} s`).padStart(13)}  ${('error' in size.tui ? '—' : fixed(size.tui.queriesPerRefresh, 1)).padStart(15)}  ${size.json.summary}`);
}

const queryNames = Object.keys(results[0]?.queryEvalMs ?? {});
console.log(`\n  Prometheus' evaluation time of each query alone, ms (stats=all, median of 3)\n  boxes  ${queryNames.map(name => name.padStart(9)).join('  ')}`);
for (const size of results) {
	console.log(`  ${String(size.boxes).padEnd(5)}  ${queryNames.map(name => fixed(size.queryEvalMs[name], 1).padStart(9)).join('  ')}`);
}

const problems: string[] = [];
for (const size of results) {
	if (size.json.listed.some(count => count !== size.boxes)) {
		problems.push(`${size.boxes} boxes: fleet --json listed ${[...new Set(size.json.listed)].join(', ')}`);
	}

	if ('error' in size.tui) {
		problems.push(`${size.boxes} boxes: the full screen: ${size.tui.error}`);
	} else if (size.tui.refreshes < TUI_REFRESHES) {
		problems.push(`${size.boxes} boxes: the full screen refreshed ${size.tui.refreshes} times in ${fixed(size.tui.windowMs / 1000)} s${size.tui.badge === undefined ? '' : `; its header said [${size.tui.badge}`}`);
	}

	if (size.spanMs > LOOKBACK_MS) {
		problems.push(`${size.boxes} boxes: measured until ${fixed(size.spanMs / 1000)} s after the data's end, past Prometheus' 5 min lookback: the last figures saw boxes vanish`);
	}
}

const largest = results.at(-1)!;
if (largest !== undefined) {
	const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
	const tui = 'error' in largest.tui ? undefined : largest.tui;
	console.log(`\n  targets at ${largest.boxes} boxes:`);
	console.log(`    first table ≤ ${TARGET_FIRST_FRAME_MS} ms: ${tui === undefined ? 'not measured' : `${fixed(tui.firstFrameMs)} ms, ${verdict(tui.firstFrameMs <= TARGET_FIRST_FRAME_MS)}`}`);
	console.log(`    refresh ≤ ${TARGET_REFRESH_WALL_MS} ms wall: median ${fixed(largest.readFleet.medianMs)} ms, max ${fixed(largest.readFleet.maxMs)} ms, ${verdict(largest.readFleet.medianMs <= TARGET_REFRESH_WALL_MS)} (median), ${verdict(largest.readFleet.maxMs <= TARGET_REFRESH_WALL_MS)} (max)`);
	console.log(`    refresh ≤ ${TARGET_REFRESH_CPU_MS} ms camtop CPU: readFleet ${fixed(largest.readFleet.cpuMs, 1)} ms, ${verdict(largest.readFleet.cpuMs <= TARGET_REFRESH_CPU_MS)}; full screen ${tui === undefined ? 'not measured' : `${fixed(tui.cpuMs, 1)} ms, ${verdict(tui.cpuMs <= TARGET_REFRESH_CPU_MS)}`}`);
	console.log(`    RSS ≤ ${TARGET_RSS_MIB} MiB: ${tui === undefined ? 'not measured' : `${fixed(tui.rssMiB, 1)} MiB, ${verdict(tui.rssMiB <= TARGET_RSS_MIB)}`}`);
}

for (const problem of problems) {
	console.log(`  problem: ${problem}`);
}

process.exit(problems.length > 0 ? 1 : 0);
