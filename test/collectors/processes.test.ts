import {execFileSync} from 'node:child_process';
import {
	existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import {
	commandRuns, leastSquaresSlope, listFromProc, parseProcPidStat, ProcessCollector, processTotals, type WatchedProcess,
} from '../../source/collectors/processes.js';
import {spawnWatched} from '../helpers/watched-process.js';
import {waitFor} from '../helpers/wait-for.js';

describe('commandRuns', () => {
	it.each([
		['python3 /opt/cam/cam1_stream.py --camera 1', 'cam1_stream.py'],
		['/usr/bin/python3.11 -u start.py', 'start.py'],
		['client.py --verbose', 'client.py'],
		['/opt/cam/client.py', 'client.py'],
		['ffmpeg -i rtsp://cam/1 -f mpjpeg -', 'ffmpeg'],
	])('%s runs %s', (command, name) => {
		expect(commandRuns(command, name)).toBe(true);
	});

	it.each([
		['grep start.py', 'start.py'],
		['vim /opt/cam/client.py', 'client.py'],
		['python3 restart.py', 'start.py'],
		['python3 /opt/cam/start.py.bak', 'start.py'],
		['tail -f logs/cam1_stream.py.log', 'cam1_stream.py'],
	])('%s does not run %s', (command, name) => {
		expect(commandRuns(command, name)).toBe(false);
	});
});

describe('parseProcPidStat', () => {
	it('counts fields from the last parenthesis, whatever the command name holds', () => {
		const line = '4242 (cam (1) stream) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 7 0 123456 1000000 2560 18446744073709551615';
		expect(parseProcPidStat(line)).toEqual({
			cpuTicks: 300, threads: 7, startTicks: 123_456, rssPages: 2560,
		});
	});

	it('gives undefined for a truncated line', () => {
		expect(parseProcPidStat('4242 (x) S 1 2')).toBeUndefined();
	});
});

describe('leastSquaresSlope', () => {
	it('is the slope of the best line, whatever the offset of x', () => {
		expect(leastSquaresSlope([[0, 1], [1, 3], [2, 5]])).toBe(2);
		// Epoch hours: the centred sums keep the digits.
		expect(leastSquaresSlope([[491_000, 10], [491_000.5, 9], [491_001, 11], [491_001.5, 10]])).toBeCloseTo(0.4, 10);
		expect(leastSquaresSlope([[5, 1], [5, 2]])).toBe(0);
		expect(leastSquaresSlope([[5, 1]])).toBe(0);
	});
});

describe('the RSS history of a watched process (a /proc of our own, a clock of our own)', () => {
	const MIB = 1024 * 1024;
	const PAGES_PER_MIB = MIB / 4096;

	/** A /proc with one process, pid 4242, whose RSS is set by `rss(mib)`; the collector's clock is `clock.now`. */
	function box({sampleIntervalMs = 60_000, samples = 5, minSpanMs = 120_000} = {}) {
		const procRoot = mkdtempSync(path.join(os.tmpdir(), 'camtop-proc-root-'));
		mkdirSync(path.join(procRoot, '4242'));
		const rss = (mib: number) => {
			const pages = Math.round(mib * PAGES_PER_MIB);
			writeFileSync(path.join(procRoot, '4242', 'stat'), `4242 (python3) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 7 0 123456 1000000 ${pages} 18446744073709551615\n`);
		};

		const clock = {now: Date.UTC(2026, 11, 5, 6, 0, 0)};
		const collector = new ProcessCollector({
			names: ['leak.py'],
			procRoot,
			now: () => clock.now,
			listProcesses: async () => [{pid: 4242, cmd: 'python3 /opt/cam/leak.py'}],
			rssHistory: {sampleIntervalMs, samples, minSpanMs},
		});
		const growth = async () => {
			const result = await collector.collect();
			if (!result.ok) {
				throw new Error(result.error);
			}

			return processTotals(result.data[0]!).rssGrowthBytesPerHour;
		};

		return {rss, clock, growth};
	}

	it('gives no slope until the history spans minSpanMs, then the least-squares slope in bytes per hour', async () => {
		const {rss, clock, growth} = box();
		// 100 MiB growing 1 MiB a minute, looked at every 20 s.
		for (let second = 0; second < 120; second += 20) {
			rss(100 + (second / 60));
			clock.now += second === 0 ? 0 : 20_000;
			expect(await growth()).toBeNull();
		}

		rss(102);
		clock.now += 20_000;
		expect((await growth())! / MIB).toBeCloseTo(60, 6);
	});

	it('keeps one sample per interval, and only `samples` of them: a leak that stopped leaves the window', async () => {
		const {rss, clock, growth} = box();
		// Sampled every call, five samples of 20 s would never span the 2 minutes a slope needs: one a minute do.
		for (let minute = 0; minute <= 10; minute++) {
			for (const second of [0, 20, 40]) {
				rss(100 + minute);
				clock.now = Date.UTC(2026, 11, 5, 6, minute, second);
				const slope = await growth();
				expect(slope === null ? null : slope / MIB).toEqual(minute >= 2 ? expect.closeTo(60, 6) as number : null);
			}
		}

		// Flat from minute 11: once the five kept samples are all flat, so is the slope.
		for (let minute = 11; minute <= 15; minute++) {
			rss(110);
			clock.now = Date.UTC(2026, 11, 5, 6, minute, 0);
			await growth();
		}

		expect(await growth()).toBe(0);
	});
});

describe('ProcessCollector against real processes', () => {
	const children: Array<ReturnType<typeof spawnWatched>> = [];
	afterEach(async () => {
		await Promise.all(children.splice(0).map(async child => child.stop()));
	});

	/** A watched process, once Python itself runs it (not a pyenv shim before it). */
	async function spawn(name: string, options?: Parameters<typeof spawnWatched>[1]) {
		const child = spawnWatched(name, options);
		children.push(child);
		await child.running();
		return child;
	}

	async function collect(collector: ProcessCollector): Promise<WatchedProcess[]> {
		const result = await collector.collect();
		if (!result.ok) {
			throw new Error(result.error);
		}

		return result.data;
	}

	it('finds a watched script by its full command line, with CPU, RSS, threads and uptime', async () => {
		// Longer than the 15-character comm, which would read "python3" anyway.
		const name = `cam1_stream_${process.pid}.py`;
		const busy = await spawn(name, {busy: true});
		const collector = new ProcessCollector({names: [name, `absent_${process.pid}.py`], discoveryIntervalMs: 0});
		// The CPU it got, read from the same counter as the collector, around each of the collector's two samples: the
		// collector's figure lies between what these bound, however little of a core a loaded machine gives the loop.
		const ticks = () => parseProcPidStat(readFileSync(`/proc/${busy.pid}/stat`, 'utf8'))!.cpuTicks;
		const [beforeFirst, beforeFirstAt] = [ticks(), performance.now()];
		await waitFor(async () => (await collect(collector))[0]!.running, 'the busy process found');
		const [afterFirst, afterFirstAt] = [ticks(), performance.now()];
		// A fact rather than a time: 200 ms of CPU (20 ticks of 10 ms) since.
		await waitFor(() => ticks() >= afterFirst + 20, 'the busy process to get 200 ms of CPU');
		const [beforeSecond, beforeSecondAt] = [ticks(), performance.now()];
		const [found, absent] = await collect(collector);
		const [afterSecond, afterSecondAt] = [ticks(), performance.now()];

		expect(found!.instances.map(instance => instance.pid)).toEqual([busy.pid]);
		const [instance] = found!.instances;
		const percent = (ticksCounted: number, ms: number) => ticksCounted / 100 / (ms / 1000) * 100;
		expect(instance!.cpuPercent).toBeGreaterThanOrEqual(percent(beforeSecond - afterFirst, afterSecondAt - beforeFirstAt));
		expect(instance!.cpuPercent).toBeLessThanOrEqual(percent(afterSecond - beforeFirst, beforeSecondAt - afterFirstAt));
		expect(instance!.rssBytes).toBeGreaterThan(1024 * 1024);
		expect(instance!.threads).toBeGreaterThanOrEqual(1);
		expect(instance!.uptimeSeconds).toBeGreaterThanOrEqual(0);
		expect(instance!.command).toContain(name);
		expect(absent).toMatchObject({running: false, instances: [], restarts: 0});
	});

	it('reports CPU over the last interval, not the lifetime average', async () => {
		const name = `burst_${process.pid}.py`;
		const burst = await spawn(name, {burst: true});
		const collector = new ProcessCollector({names: [name], discoveryIntervalMs: 0});
		await waitFor(() => existsSync(`${burst.script}.idle`), 'the process to go idle after its burst', 15_000);
		// Two looks after it went idle: the second's CPU is over an interval that was all idle, while the lifetime average
		// holds the second of CPU.
		await collect(collector);
		const [idle] = await collect(collector);
		expect(idle!.instances[0]!.cpuPercent).not.toBeNull();
		expect(idle!.instances[0]!.cpuPercent).toBeLessThan(20);
	});

	it('counts a restart when the process is killed and started again', async () => {
		const name = `start_${process.pid}.py`;
		const first = await spawn(name);
		const collector = new ProcessCollector({names: [name], discoveryIntervalMs: 0});
		await waitFor(async () => (await collect(collector))[0]!.running, 'the first process');

		await first.stop();
		await waitFor(async () => !(await collect(collector))[0]!.running, 'the process to be seen gone');
		const second = await spawn(name);
		const [restarted] = await waitFor(async () => {
			const data = await collect(collector);
			return data[0]!.running ? data : undefined;
		}, 'the second process');

		expect(restarted!.instances.map(instance => instance.pid)).toEqual([second.pid]);
		expect(restarted!.restarts).toBe(1);
		expect(restarted!.restartTimes).toHaveLength(1);
	});

	it('counts a restart that happens between two looks', async () => {
		const name = `client_${process.pid}.py`;
		const first = await spawn(name);
		const collector = new ProcessCollector({names: [name], discoveryIntervalMs: 0});
		await waitFor(async () => (await collect(collector))[0]!.running, 'the first process');

		await first.stop();
		const second = await spawn(name);
		const [restarted] = await waitFor(async () => {
			const data = await collect(collector);
			return data[0]!.instances.some(instance => instance.pid === second.pid) ? data : undefined;
		}, 'the replacement');
		expect(restarted!.restarts).toBe(1);
	});

	it('does not count a second instance that joins a running one as a restart', async () => {
		const name = `worker_${process.pid}.py`;
		await spawn(name);
		const collector = new ProcessCollector({names: [name], discoveryIntervalMs: 0});
		await waitFor(async () => (await collect(collector))[0]!.running, 'the first worker');
		await spawn(name);
		const [both] = await waitFor(async () => {
			const data = await collect(collector);
			return data[0]!.instances.length === 2 ? data : undefined;
		}, 'both workers');
		expect(both!.restarts).toBe(0);
	});

	it('fails, without throwing, when ps cannot be run', async () => {
		const collector = new ProcessCollector({
			names: ['x.py'], async listProcesses() {
				throw new Error('spawn ps ENOENT');
			},
		});
		expect(await collector.collect()).toEqual({ok: false, error: 'spawn ps ENOENT'});
	});
});

describe('listFromProc', () => {
	it('lists a real process with its whole command line, as ps -o args shows it, and no kernel threads', async () => {
		const name = `listed_${process.pid}.py`;
		const child = spawnWatched(name, {args: ['--camera', '3']});
		try {
			// Read once Python runs it (a pyenv shim is a shell first): the same text as ps gives.
			await child.running();
			const listed = listFromProc().find(candidate => candidate.pid === child.pid);
			expect(listed?.cmd).toBe(execFileSync('ps', ['-o', 'args=', '-p', String(child.pid)], {encoding: 'utf8'}).trim());
			expect(listed?.cmd).toMatch(new RegExp(`python[\\d.]* -u /\\S+/${name.replace('.', String.raw`\.`)} --camera 3$`));
			expect(listFromProc().some(entry => entry.pid === 2 && entry.cmd === '')).toBe(false);
		} finally {
			await child.stop();
		}
	});
});
