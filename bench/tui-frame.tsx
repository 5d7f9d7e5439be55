/*
npm run bench:tui-frame

What one frame of the full-screen monitor costs in camtop's own process, away from the terminal and the machine's
noise: the App (production React, the patched Ink) renders into an in-memory terminal of 120×40 while fixture sources
change what three panes show on every poll (CPU, processes, Redis PING), polls every 100 ms so that the 4-a-second
frame budget is what paces it. It prints CPU milliseconds per frame and bytes per frame, alternating rounds of the
shipped configuration and of a reference measured in the same run: Ink laying out every changed row cell by cell
(the patch's row copy off), as it did before.
*/
import {Readable, Writable} from 'node:stream';
import React from 'react';
import {render} from 'ink';
import {App} from '../source/ui/app.js';
import {DEFAULTS} from '../source/config/types.js';
import {type Config} from '../source/config/load.js';
import {ok} from '../source/base/result.js';
import {
	fixtureSources, processes, redis, resources,
} from '../test/ui/fixtures.js';

/** `--name N`, or `fallback` when the flag is not given (indexOf's -1 would read node's own path as the value). */
const numberFlag = (name: string, fallback: number): number => {
	const at = process.argv.indexOf(`--${name}`);
	return at === -1 ? fallback : Number(process.argv[at + 1]);
};

const SECONDS = numberFlag('seconds', 10);
const ROUNDS = numberFlag('rounds', 3);
/* Ink's internals have no types: its Output is imported by path (package exports hide it). */
const {default: Output} = await import(new URL('../node_modules/ink/build/output.js', import.meta.url).href) as {default: {copyRows: boolean}};

const config = {
	logs: '/nonexistent/logs', legacyLog: '/nonexistent/greencam.log', redis: 'redis://127.0.0.1:6379', intervalMs: 100,
	processes: ['cam1_stream.py', 'start.py', 'client.py'], thresholds: structuredClone(DEFAULTS.thresholds), recentErrors: 10,
	cameras: [], crashLoop: {restarts: 3, minutes: 10}, alerts: [], file: undefined,
} as unknown as Config;

type Measure = {msPerFrame: number; bytesPerFrame: number; frames: number};

async function measure(copyRows: boolean): Promise<Measure> {
	Output.copyRows = copyRows;
	let bytes = 0;
	const stdout = Object.assign(new Writable({
		write(chunk: Buffer, _encoding, done) {
			bytes += chunk.length;
			done();
		},
	}), {isTTY: true, columns: 120, rows: 40});
	// A terminal's stdin that never types: Ink only needs the calls to exist.
	const nothing = () => undefined;
	const stdin = Object.assign(new Readable({read: nothing}), {
		isTTY: true, setRawMode: nothing, ref: nothing, unref: nothing,
	});
	let tick = 0;
	const sources = fixtureSources({
		resources: async () => ok({...resources, cpu: {...resources.cpu, percent: 40 + (tick++ % 10)}, uptimeSeconds: resources.uptimeSeconds + tick}),
		processes: async () => ok(processes.map(watched => ({...watched}))),
		redis: async () => ({...redis, pingMs: 0.5 + ((tick % 7) / 10)}),
	});
	let frames = 0;
	const instance = render(<App sources={sources} config={config} onExit={() => undefined}/>, {
		stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
		exitOnCtrlC: false, patchConsole: false, maxFps: 20, incrementalRendering: true, onRender() {
			frames++;
		},
	});
	// Warm-up: the first frames, JIT and caches.
	await new Promise(resolve => {
		setTimeout(resolve, 2000);
	});
	const cpu = process.cpuUsage();
	const [frames0, bytes0] = [frames, bytes];
	await new Promise(resolve => {
		setTimeout(resolve, SECONDS * 1000);
	});
	const used = process.cpuUsage(cpu);
	instance.unmount();
	const counted = frames - frames0;
	return {msPerFrame: (used.user + used.system) / 1000 / counted, bytesPerFrame: (bytes - bytes0) / counted, frames: counted};
}

const results: Record<'shipped' | 'reference', Measure[]> = {shipped: [], reference: []};
for (let round = 0; round < ROUNDS; round++) {
	results.shipped.push(await measure(true));
	results.reference.push(await measure(false));
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`camtop frame cost — 120×40, three panes changing each frame, ${ROUNDS} alternating rounds of ${SECONDS} s, Node ${process.version}, NODE_ENV=${process.env.NODE_ENV ?? ''}`);
console.log(`  ${'what'.padEnd(50)}CPU ms/frame   bytes/frame   frames/round`);
for (const [label, key] of [['shipped: rows copied when writes do not overlap', 'shipped'], ['reference: every changed row laid out by cell', 'reference']] as const) {
	const runs = results[key];
	console.log(`  ${label.padEnd(50)}${median(runs.map(run => run.msPerFrame)).toFixed(2).padStart(12)}${median(runs.map(run => run.bytesPerFrame)).toFixed(0).padStart(14)}${median(runs.map(run => run.frames)).toFixed(0).padStart(15)}`);
}

process.exit(0);
