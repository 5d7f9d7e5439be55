/*
npm run bench:collect [-- --calls N]

CPU milliseconds one collection costs, per collector, measured with process.cpuUsage() (user + system, all of this
process's threads, libuv's file-system pool included) plus the CPU of the child processes it spawned, over N calls, next to references measured in the same run:
what the same facts cost through systeminformation's convenience calls and through `ps`.
Runs against a real redis-server and real watched processes that it starts and stops itself.
*/
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {readFile, statfs} from 'node:fs/promises';
import si from 'systeminformation';
import psList from 'ps-list';
import {ResourcesCollector} from '../source/collectors/resources.js';
import {listFromProc, ProcessCollector} from '../source/collectors/processes.js';
import {RedisCollector} from '../source/collectors/redis.js';
import {collectLogFiles} from '../source/collectors/log-files.js';
import {collectRecentErrors} from '../source/collectors/recent-errors.js';
import {SnapshotCollector} from '../source/snapshot/snapshot.js';
import {LiveObserver} from '../source/snapshot/observer.js';
import {loadConfig} from '../source/config/load.js';
import {startRedis} from '../test/helpers/redis-server.js';
import {spawnWatched} from '../test/helpers/watched-process.js';
import {errorLine, TRACEBACK} from '../test/helpers/seed-logs.js';
import {waitFor} from '../test/helpers/wait-for.js';
import {procCpuMs} from './proc-cpu.js';

const TARGET_MS = 3;
const callsFlag = process.argv.indexOf('--calls');
const CALLS = callsFlag === -1 ? 200 : Number(process.argv[callsFlag + 1]);
const WARMUP_CALLS = 20;
// Collections are spaced like a live view's ticks would be, compressed: a gap lets CPU deltas be non-zero.
const GAP_MS = 5;

type Row = {name: string; cpuMs: number; wallMs: number; note: string};

async function measure(name: string, note: string, calls: number, run: () => Promise<unknown>, gapMs = GAP_MS): Promise<Row> {
	for (let index = 0; index < Math.min(WARMUP_CALLS, calls); index++) {
		await run();
	}

	let cpuMicros = 0;
	let wallMs = 0;
	// The children's CPU (`ps`, `df`, `sh` spawned by ps-list and systeminformation): process.cpuUsage() does not see it.
	const childrenBefore = procCpuMs('self', {own: false, children: true});
	for (let index = 0; index < calls; index++) {
		await new Promise(resolve => {
			setTimeout(resolve, gapMs);
		});
		const cpuBefore = process.cpuUsage();
		const wallBefore = performance.now();
		await run();
		wallMs += performance.now() - wallBefore;
		const cpu = process.cpuUsage(cpuBefore);
		cpuMicros += cpu.user + cpu.system;
	}

	const childrenMs = procCpuMs('self', {own: false, children: true}) - childrenBefore;
	return {
		name, cpuMs: ((cpuMicros / 1000) + childrenMs) / calls, wallMs: wallMs / calls, note,
	};
}

function table(title: string, rows: Row[]): void {
	console.log(`\n${title}`);
	console.log(`  ${'what'.padEnd(44)}${'CPU ms/call'.padStart(12)}${'wall ms'.padStart(10)}  note`);
	for (const row of rows) {
		console.log(`  ${row.name.padEnd(44)}${row.cpuMs.toFixed(3).padStart(12)}${row.wallMs.toFixed(3).padStart(10)}  ${row.note}`);
	}
}

const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-bench-'));
const logs = path.join(root, 'logs');
mkdirSync(logs);
const now = new Date();
writeFileSync(path.join(logs, 'camera_system.log'), `${errorLine(now, 'main:1', 'started', 'INFO')}\n`.repeat(10_000));
writeFileSync(path.join(logs, 'performance.log'), '');
// 10 MB of errors.log (the seed's rotation size), tracebacks included.
const errorRecord = `${[errorLine(now, 'fetch_image:123', 'Redis connection failed: Connection refused'), ...TRACEBACK].join('\n')}\n`;
writeFileSync(path.join(logs, 'errors.log'), errorRecord.repeat(Math.ceil(10_000_000 / errorRecord.length)));
writeFileSync(path.join(logs, 'errors.log.1'), '');

const redis = await startRedis();
const names = ['cam1_stream.py', 'start.py', 'client.py'];
const children = names.map(name => spawnWatched(name));
const processCount = (await psList()).length;

try {
	const config = await loadConfig({flags: {logs, redis: redis.url}, env: {XDG_CONFIG_HOME: path.join(root, 'none')}, cwd: root});
	const resources = new ResourcesCollector({logsDir: logs});
	// Discovery once, then only the per-tick /proc reads: discovery is measured on its own below.
	const processes = new ProcessCollector({names, discoveryIntervalMs: Number.POSITIVE_INFINITY});
	const redisCollector = new RedisCollector(redis.url);
	const snapshot = new SnapshotCollector(config, {discoveryIntervalMs: Number.POSITIVE_INFINITY});
	// What the long-running views (camtop export, the TUI's alerts) collect: the feeds follow the logs in between.
	const observer = new LiveObserver(config, {discoveryIntervalMs: Number.POSITIVE_INFINITY});
	observer.start();
	await Promise.all(Object.values(observer.feeds).map(async feed => feed.ready));
	const probe = new ProcessCollector({names, discoveryIntervalMs: 0});
	await waitFor(async () => {
		const found = await probe.collect();
		return found.ok && found.data.every(watched => watched.running);
	}, 'the watched processes to start');
	await processes.collect();

	const rows = [
		await measure('resources', '/proc/stat deltas, /proc/meminfo, statfs, thermal', CALLS, async () => resources.collect()),
		await measure('processes (per tick, 3 watched)', '/proc/<pid>/stat of each watched pid', CALLS, async () => processes.collect()),
		await measure('redis', 'PING, INFO, PUBSUB CHANNELS, PUBSUB NUMPAT', CALLS, async () => redisCollector.collect()),
		await measure('log files (4 + rotated siblings)', 'readdir + stat', CALLS, async () => collectLogFiles({logsDir: logs, legacyLog: path.join(root, 'greencam.log'), staleLogSeconds: 600})),
		await measure('recent errors (last 10 of 10 MB errors.log)', 'read backwards from the end', CALLS, async () => collectRecentErrors([path.join(logs, 'errors.log')], 10)),
	];
	const full = await measure('full Observation, excluding discovery', 'live views: the above, errors from the feed, checks', CALLS, async () => observer.observe());
	const oneShot = await measure('one-shot health Snapshot', 'back-fills camera_system.log for the cameras', Math.max(5, Math.round(CALLS / 10)), async () => snapshot.collect());
	table(`camtop collectors — ${CALLS} calls each, ${os.cpus().length} cores, ${processCount} processes on the box`, [...rows, full, oneShot]);
	const sum = rows.reduce((total, row) => total + row.cpuMs, 0);
	console.log(`  ${'sum of the five'.padEnd(44)}${sum.toFixed(3).padStart(12)}`);
	console.log(`  target: ≤ ${TARGET_MS} ms CPU per full collection of a live view, excluding process discovery — ${full.cpuMs <= TARGET_MS ? 'met' : 'NOT MET'}`);

	const discoveryCalls = Math.max(5, Math.round(CALLS / 10));
	const discovering = new ProcessCollector({names, discoveryIntervalMs: 0});
	table('process discovery (runs every 5 s, not every tick)', [
		await measure('processes with discovery (/proc scan)', `every /proc/<pid>/cmdline; ${processCount} processes`, discoveryCalls, async () => discovering.collect()),
		await measure('reference: ps-list 9', 'spawns two ps: the fallback where there is no /proc', discoveryCalls, async () => psList()),
		await measure('reference: read every /proc/<pid>/cmdline', 'the scan alone', discoveryCalls, async () => listFromProc()),
	]);

	table('references, same run: the same facts the costly way', [
		// currentLoad answers from a cache for 200 ms: space its calls past that, as a 1 s refresh would.
		await measure('si.currentLoad()', 'CPU % via systeminformation (execSync cat|grep)', discoveryCalls, async () => si.currentLoad(), 210),
		await measure('si.fsSize()', 'disk via systeminformation (spawns df)', discoveryCalls, async () => si.fsSize()),
		await measure('si.cpuTemperature()', 'temperature via systeminformation', discoveryCalls, async () => si.cpuTemperature()),
		await measure('readFile /proc/stat + statfs', 'the floor: two syscalls\' worth', CALLS, async () => Promise.all([readFile('/proc/stat', 'utf8'), statfs(logs)])),
	]);

	await Promise.all([redisCollector.close(), snapshot.close(), observer.close()]);
} finally {
	await Promise.all(children.map(async child => child.stop()));
	await redis.stop();
}

process.exit(0);
