/*
npm run bench:export [-- --seconds N --scrapes N]

What `camtop export` costs the box, next to Prometheus' own node exporter (Debian's prometheus-node-exporter, the
reference every fleet already runs) measured in the same run:

1. CPU % of one core while Prometheus would scrape every 15 s, over N seconds after a warm-up: utime + stime of the
   process and of the children it waited for (ps), from /proc/<pid>/stat. Target ≤ 0.2 %.
2. Scrape latency of /metrics with Redis frozen (SIGSTOP: connections accepted, nothing answered), N scrapes in a row:
   p50, p99, max. Target p99 ≤ 50 ms. The same with Redis up, and the node exporter's, for reference.

The box it watches is real and quiet: redis-server, the three camera processes (idle Python), and logs written at a
camera app's calm pace (one PERF and one INFO record a second; --lines N for N a second, 0 for none). No cameras are
configured: subscribing to frame channels costs per frame, whatever the exporter (see BENCHMARKS.md). --interval MS
sets the exporter's collection interval (its default otherwise).
*/
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {
	appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {startRedis, stopChild} from '../test/helpers/redis-server.js';
import {spawnWatched} from '../test/helpers/watched-process.js';
import {freePort} from '../test/helpers/free-port.js';
import {waitFor} from '../test/helpers/wait-for.js';
import {stamp} from '../test/helpers/seed-logs.js';
import {procCpuMs} from './proc-cpu.js';

const TARGET_CPU_PERCENT = 0.2;
const TARGET_P99_MS = 50;
const SCRAPE_INTERVAL_MS = 15_000;
const WARMUP_MS = 20_000;

const flag = (name: string, fallback: number) => {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
};

const SECONDS = flag('seconds', 180);
const SCRAPES = flag('scrapes', 500);
/** Log lines written per second to each of performance.log and camera_system.log (0: quiet logs). */
const LINES_PER_SECOND = flag('lines', 1);
/** The exporter's collection interval, ms (its default when unset). */
const INTERVAL_MS = flag('interval', 0);
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

function rssMiB(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

async function scrape(url: string): Promise<number> {
	const started = performance.now();
	const response = await fetch(url);
	await response.text();
	if (!response.ok) {
		throw new Error(`${url}: HTTP ${response.status}`);
	}

	return performance.now() - started;
}

function nodeExporterBinary(): string {
	try {
		return execFileSync('sh', ['-c', 'command -v prometheus-node-exporter'], {encoding: 'utf8'}).trim();
	} catch {
		console.error('installing prometheus-node-exporter (the reference) with apt-get');
		execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus-node-exporter'], {stdio: 'inherit', env: {...process.env, DEBIAN_FRONTEND: 'noninteractive'}});
		return 'prometheus-node-exporter';
	}
}

function quantiles(values: number[]): {p50: number; p99: number; max: number} {
	const sorted = [...values].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
	return {p50: at(0.5), p99: at(0.99), max: sorted.at(-1)!};
}

async function latencies(url: string, count: number): Promise<number[]> {
	const values: number[] = [];
	for (let index = 0; index < count; index++) {
		values.push(await scrape(url));
		await sleep(20);
	}

	return values;
}

const redis = await startRedis();
const processes = ['cam1_stream.py', 'start.py', 'client.py'].map(name => spawnWatched(name));
const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-bench-export-'));
const logs = path.join(root, 'logs');
mkdirSync(logs);
for (const file of ['camera_system.log', 'errors.log', 'performance.log']) {
	writeFileSync(path.join(logs, file), '');
}

writeFileSync(path.join(root, 'camtop.config.json'), JSON.stringify({logs: 'logs'}));
let sequence = 0;
const writer = setInterval(() => {
	if (LINES_PER_SECOND === 0) {
		return;
	}

	const now = new Date();
	sequence++;
	appendFileSync(path.join(logs, 'performance.log'), `${stamp(now)} - PERF: {"metric": "save_frame_duration", "value": 0.0${(sequence % 9) + 1}, "unit": "seconds", "timestamp": ${now.getTime() / 1000}, "uptime": ${sequence}}\n`);
	appendFileSync(path.join(logs, 'camera_system.log'), `${stamp(now)} - camera_system - INFO - frame ${sequence} saved\n`);
}, 1000 / Math.max(1, LINES_PER_SECOND));

const children: ChildProcess[] = [];
const camtopPort = await freePort();
// CAMTOP_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the exporter (written when it stops).
const nodeArgs = (process.env.CAMTOP_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const camtop = spawn(process.execPath, [...nodeArgs, CLI, 'export', '--listen', `127.0.0.1:${camtopPort}`, ...(INTERVAL_MS > 0 ? ['--interval', String(INTERVAL_MS)] : [])], {
	cwd: root,
	env: {PATH: process.env.PATH, HOME: root, REDIS_URL: redis.url},
	stdio: ['ignore', 'ignore', 'inherit'],
});
const camtopExited = new Promise(resolve => {
	camtop.once('exit', resolve);
});
const nodePort = await freePort();
const nodeExporter = spawn(nodeExporterBinary(), [`--web.listen-address=127.0.0.1:${nodePort}`], {stdio: 'ignore'});
children.push(nodeExporter);

const camtopUrl = `http://127.0.0.1:${camtopPort}/metrics`;
const nodeUrl = `http://127.0.0.1:${nodePort}/metrics`;

try {
	await waitFor(async () => scrape(camtopUrl).then(() => true, () => false), 'camtop export listening', 15_000, 100);
	await waitFor(async () => scrape(nodeUrl).then(() => true, () => false), 'node exporter listening', 15_000, 100);
	console.error(`warming up ${WARMUP_MS / 1000} s, then ${SECONDS} s scraped every ${SCRAPE_INTERVAL_MS / 1000} s …`);
	await sleep(WARMUP_MS);

	const before = {camtop: procCpuMs(camtop.pid!, {children: true}), node: procCpuMs(nodeExporter.pid!, {children: true}), at: performance.now()};
	const end = before.at + (SECONDS * 1000);
	while (performance.now() < end) {
		await Promise.all([scrape(camtopUrl), scrape(nodeUrl)]);
		await sleep(Math.min(SCRAPE_INTERVAL_MS, Math.max(0, end - performance.now())));
	}

	const elapsed = performance.now() - before.at;
	const percent = (pid: number, start: number) => (procCpuMs(pid, {children: true}) - start) / elapsed * 100;
	const cpu = {camtop: percent(camtop.pid!, before.camtop), node: percent(nodeExporter.pid!, before.node)};
	const rss = {camtop: rssMiB(camtop.pid!), node: rssMiB(nodeExporter.pid!)};

	console.error(`scraping ${SCRAPES}× each: camtop with Redis up, node exporter, camtop with Redis frozen …`);
	const up = quantiles(await latencies(camtopUrl, SCRAPES));
	const node = quantiles(await latencies(nodeUrl, SCRAPES));
	redis.freeze();
	await sleep(2000);
	const frozen = quantiles(await latencies(camtopUrl, SCRAPES));
	redis.thaw();
	const frozenSeen = (await (await fetch(camtopUrl)).text()).includes('camtop_redis_up 0');

	const fixed = (value: number, digits = 2) => value.toFixed(digits);
	console.log(`camtop export, ${SECONDS} s scraped every ${SCRAPE_INTERVAL_MS / 1000} s (collecting every ${INTERVAL_MS > 0 ? INTERVAL_MS / 1000 : 15} s, ${LINES_PER_SECOND} log lines/s to each of 2 logs), ${os.cpus().length} cores, Node ${process.version}\n`);
	console.log('| process | CPU % of a core | RSS MiB |');
	console.log('| --- | ---: | ---: |');
	console.log(`| camtop export (target ≤ ${TARGET_CPU_PERCENT} %) | ${fixed(cpu.camtop, 3)} | ${fixed(rss.camtop, 1)} |`);
	console.log(`| reference: prometheus-node-exporter | ${fixed(cpu.node, 3)} | ${fixed(rss.node, 1)} |`);
	console.log('');
	console.log(`| /metrics, ${SCRAPES} scrapes in a row | p50 ms | p99 ms | max ms |`);
	console.log('| --- | ---: | ---: | ---: |');
	console.log(`| camtop export, Redis frozen (target p99 ≤ ${TARGET_P99_MS} ms) | ${fixed(frozen.p50)} | ${fixed(frozen.p99)} | ${fixed(frozen.max)} |`);
	console.log(`| camtop export, Redis up | ${fixed(up.p50)} | ${fixed(up.p99)} | ${fixed(up.max)} |`);
	console.log(`| reference: prometheus-node-exporter | ${fixed(node.p50)} | ${fixed(node.p99)} | ${fixed(node.max)} |`);
	console.log('');
	console.log(`Redis frozen seen by the exporter (camtop_redis_up 0 after the frozen scrapes): ${frozenSeen ? 'yes' : 'NO'}`);
	console.log(`CPU ${cpu.camtop <= TARGET_CPU_PERCENT ? 'meets' : 'misses'} the ${TARGET_CPU_PERCENT} % target; scrape p99 with Redis frozen ${frozen.p99 <= TARGET_P99_MS ? 'meets' : 'misses'} the ${TARGET_P99_MS} ms target.`);
} finally {
	clearInterval(writer);
	// SIGTERM, as systemd stops it: a profile is written on the way out.
	camtop.kill('SIGTERM');
	await camtopExited;
	await Promise.all([...children, ...processes].map(async child => stopChild(child)));
	await redis.stop();
}
