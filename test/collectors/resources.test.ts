import {copyFileSync, mkdtempSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {
	cpuPercent, diskUsage, findTemperatureFile, parseMeminfo, parseProcStat, ResourcesCollector,
} from '../../source/collectors/resources.js';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures');

describe('parseProcStat and cpuPercent', () => {
	it('turns two /proc/stat samples into total and per-core busy percentages', () => {
		const before = parseProcStat(readFileSync(path.join(fixtures, 'proc', 'stat-1'), 'utf8'));
		const after = parseProcStat(readFileSync(path.join(fixtures, 'proc', 'stat-2'), 'utf8'));
		expect(before).toHaveLength(3);
		// Total: busy +200 jiffies out of +500 (iowait counts as idle).
		expect(cpuPercent(before[0]!, after[0]!)).toBeCloseTo(40);
		// cpu0 busy the whole time, cpu1 idle the whole time.
		expect(cpuPercent(before[1]!, after[1]!)).toBeCloseTo(100);
		expect(cpuPercent(before[2]!, after[2]!)).toBeCloseTo(0);
	});

	it('gives 0 when no time passed', () => {
		const [sample] = parseProcStat('cpu  1 2 3 4 5 6 7 8 0 0\n');
		expect(cpuPercent(sample!, sample!)).toBe(0);
	});
});

describe('diskUsage', () => {
	it('counts as df does: used / (used + available to users)', () => {
		// 100 blocks, 30 free of which 20 available to users (10 reserved for root): 70 / 90.
		expect(diskUsage({
			bsize: 4096, blocks: 100, bfree: 30, bavail: 20,
		})).toEqual({
			totalBytes: 409_600, usedBytes: 286_720, freeBytes: 81_920, percent: (70 / 90) * 100,
		});
	});
});

describe('findTemperatureFile', () => {
	it('finds a Raspberry Pi\'s cpu-thermal zone', async () => {
		expect(await findTemperatureFile(path.join(fixtures, 'thermal-pi'))).toBe(path.join(fixtures, 'thermal-pi', 'thermal_zone0', 'temp'));
	});

	it('picks the CPU zone of a Jetson over its other zones', async () => {
		expect(await findTemperatureFile(path.join(fixtures, 'thermal-jetson'))).toBe(path.join(fixtures, 'thermal-jetson', 'thermal_zone1', 'temp'));
	});

	it('gives null where the box has no sensor', async () => {
		expect(await findTemperatureFile(path.join(fixtures, 'no-such-dir'))).toBeNull();
	});
});

describe('ResourcesCollector on this machine', () => {
	it('reads CPU, memory, disk, load and uptime', async () => {
		const collector = new ResourcesCollector({logsDir: os.tmpdir()});
		const result = await collector.collect();
		expect(result.ok).toBe(true);
		if (!result.ok) {
			return;
		}

		const {data} = result;
		expect(data.host).toBe(os.hostname());
		expect(data.cpu.cores).toHaveLength(os.cpus().length);
		for (const value of [data.cpu.percent, ...data.cpu.cores, data.memory.percent, data.disk.percent]) {
			expect(value).toBeGreaterThanOrEqual(0);
			expect(value).toBeLessThanOrEqual(100);
		}

		expect(data.memory.totalBytes).toBe(os.totalmem());
		expect(data.disk.totalBytes).toBeGreaterThan(0);
		expect(data.uptimeSeconds).toBeGreaterThan(0);
		expect(data.load).toHaveLength(3);

		// The second call uses the first as its baseline.
		expect((await collector.collect()).ok).toBe(true);
	});

	it('measures the disk of the nearest existing parent when the logs directory does not exist yet', async () => {
		const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-res-'));
		const result = await new ResourcesCollector({logsDir: path.join(root, 'not', 'yet')}).collect();
		expect(result.ok && result.data.disk.path).toBe(root);
	});

	it('reports the temperature from the thermal zone it finds', async () => {
		const result = await new ResourcesCollector({logsDir: os.tmpdir(), thermalRoot: path.join(fixtures, 'thermal-pi')}).collect();
		expect(result.ok && result.data.temperatureCelsius).toBeCloseTo(48.312);
	});

	it('fails, without throwing, when /proc/stat cannot be read', async () => {
		const result = await new ResourcesCollector({logsDir: os.tmpdir(), procStatPath: '/nonexistent/stat'}).collect();
		expect(result).toEqual({ok: false, error: expect.stringContaining('ENOENT')});
	});
});

describe('parseMeminfo', () => {
	it('reads total, available and swap in bytes, as free and psutil count them', () => {
		const text = 'MemTotal:        8000000 kB\nMemFree:         1000000 kB\nMemAvailable:    6000000 kB\nBuffers:          100000 kB\nCached:          2000000 kB\nSwapTotal:       2000000 kB\nSwapFree:        1500000 kB\nActive(file):     500000 kB\n';
		expect(parseMeminfo(text)).toEqual({
			total: 8_192_000_000, available: 6_144_000_000, swapTotal: 2_048_000_000, swapUsed: 512_000_000,
		});
	});

	it('falls back to free + buffers + cached on kernels before 3.14, which have no MemAvailable', () => {
		const text = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n';
		expect(parseMeminfo(text)).toEqual({
			total: 1_024_000, available: 409_600, swapTotal: 0, swapUsed: 0,
		});
	});

	it('agrees with this machine\'s /proc/meminfo as the collector reports it', async () => {
		const result = await new ResourcesCollector({logsDir: os.tmpdir()}).collect();
		expect(result.ok).toBe(true);
		expect(result.ok && result.data.memory.totalBytes).toBe(os.totalmem());
		// libuv's free memory is MemAvailable too: the same within what moved between the two reads (≤ 2 % of total).
		const available = result.ok ? result.data.memory.availableBytes : 0;
		expect(Math.abs(available - os.freemem())).toBeLessThan(os.totalmem() * 0.02);
		// Swap against the file's own lines, read here independently.
		const meminfo = readFileSync('/proc/meminfo', 'utf8');
		const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(meminfo)![1]) * 1024;
		expect(result.ok && result.data.swap.totalBytes).toBe(kib('SwapTotal'));
	});
});
