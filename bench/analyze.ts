/*
npm run bench:analyze [-- --mb 1024] [-- --runs 3]

Writes a deterministic corpus in the seed's formats (1 GiB by default; kept in the OS temp directory and reused while
its size and seed match), then times, in the same run and on the same warm page cache:
  wc -l on the files, grep -c ' - ERROR - ' on them, and camtop analyze --json —
wall seconds and CPU seconds (user + system; medians of the runs), MB/s and peak RSS (GNU time's maximum resident
set size).
*/
import {execFileSync, spawnSync} from 'node:child_process';
import {
	existsSync, readdirSync, readFileSync, statSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {writeCorpus} from '../test/helpers/corpus.js';

const TARGET_SECONDS_PER_GIB = 2;
const TARGET_RSS_MB = 100;
const SEED = 42;

function flag(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const megabytes = flag('mb', 1024);
const runs = flag('runs', 3);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
const directory = path.join(os.tmpdir(), `camtop-bench-corpus-${megabytes}-${SEED}`);
const logs = path.join(directory, 'logs');
const stampFile = path.join(directory, 'corpus.json');

if (!existsSync(stampFile)) {
	const started = performance.now();
	process.stdout.write(`writing a ${megabytes} MiB corpus to ${directory} … `);
	const expected = writeCorpus({directory: logs, bytes: megabytes * 1024 * 1024, seed: SEED});
	writeFileSync(stampFile, JSON.stringify(expected));
	console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const files = readdirSync(logs).map(name => path.join(logs, name));
const bytes = files.reduce((total, file) => total + statSync(file).size, 0);
const lines = Number(execFileSync('wc', ['-l', ...files], {encoding: 'utf8'}).trim().split('\n').at(-1)!.trim().split(/\s+/)[0]);

const hasGnuTime = existsSync('/usr/bin/time');

type Measure = {wallSeconds: number; cpuSeconds: number | undefined; peakRssMb: number | undefined; output: string};

function measure(command: string, args: string[]): Measure {
	const started = performance.now();
	const result = hasGnuTime
		? spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], {
			cwd: directory, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: {...process.env, NO_COLOR: '1'},
		})
		: spawnSync(command, args, {cwd: directory, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	const wallSeconds = (performance.now() - started) / 1000;
	if (result.status !== 0 && !(command === 'grep' && result.status === 1)) {
		throw new Error(`${command} failed: ${result.stderr}`);
	}

	const [rssKb = Number.NaN, user = Number.NaN, system = Number.NaN] = hasGnuTime ? result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) : [];
	return {
		wallSeconds,
		cpuSeconds: Number.isFinite(user + system) ? user + system : undefined,
		peakRssMb: Number.isFinite(rssKb) ? rssKb / 1024 : undefined,
		output: result.stdout,
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

function row(name: string, command: string, args: string[]): {name: string; seconds: number; cpu: number | undefined; rss: number | undefined; output: string} {
	const measures = Array.from({length: runs}, () => measure(command, args));
	return {
		name,
		seconds: median(measures.map(m => m.wallSeconds)),
		cpu: measures[0]!.cpuSeconds === undefined ? undefined : median(measures.map(m => m.cpuSeconds!)),
		rss: measures[0]!.peakRssMb === undefined ? undefined : Math.max(...measures.map(m => m.peakRssMb!)),
		output: measures[0]!.output,
	};
}

// Warm the page cache once, so that every command reads from memory alike.
execFileSync('cat', files, {stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1});

const relative = files.map(file => path.relative(directory, file));
const rows = [
	row('wc -l', 'wc', ['-l', ...relative]),
	row('grep -c \' - ERROR - \'', 'grep', ['-c', ' - ERROR - ', ...relative]),
	row('camtop analyze --json', process.execPath, [cli, 'analyze', '--json']),
];

const megabytesRead = bytes / 1e6;
console.log(`\ncorpus: ${(bytes / 1024 ** 3).toFixed(2)} GiB, ${(lines / 1e6).toFixed(2)} M lines, ${files.length} files (seed ${SEED}) in ${logs}`);
console.log(`${os.cpus().length} cores, Node ${process.version}; median of ${runs} runs on a warm page cache\n`);
console.log(`  ${'command'.padEnd(26)}${'wall s'.padStart(9)}${'CPU s'.padStart(8)}${'MB/s'.padStart(9)}${'peak RSS'.padStart(11)}`);
for (const {name, seconds, cpu, rss} of rows) {
	console.log(`  ${name.padEnd(26)}${seconds.toFixed(2).padStart(9)}${(cpu === undefined ? 'n/a' : cpu.toFixed(2)).padStart(8)}${(megabytesRead / seconds).toFixed(0).padStart(9)}${(rss === undefined ? 'n/a' : `${rss.toFixed(0)} MB`).padStart(11)}`);
}

const camtop = rows[2]!;
const targetSeconds = TARGET_SECONDS_PER_GIB * (bytes / 1024 ** 3);
console.log(`\n  targets: ≤ ${targetSeconds.toFixed(2)} s for this size (${TARGET_SECONDS_PER_GIB} s per GiB) — ${camtop.seconds <= targetSeconds ? 'met' : 'NOT MET'}; `
	+ `peak RSS ≤ ${TARGET_RSS_MB} MB — ${camtop.rss === undefined ? 'not measured (no /usr/bin/time)' : (camtop.rss <= TARGET_RSS_MB ? 'met' : 'NOT MET')}`);

// The answer must be right too: the record counts against what the generator wrote.
const expected = JSON.parse(readFileSync(stampFile, 'utf8')) as Record<string, {records: number}>;
const json = JSON.parse(camtop.output) as Record<string, {records: number}>;
const wrong = Object.entries(expected).filter(([name, want]) => json[`logs/${name}`]?.records !== want.records);
console.log(`  records counted: ${wrong.length === 0 ? 'all exact' : `WRONG for ${wrong.map(([name]) => name).join(', ')}`}`);
