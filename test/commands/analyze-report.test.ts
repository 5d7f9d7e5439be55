import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {analyzeLogs} from '../../source/logs/analyze.js';
import {analyzeReport} from '../../source/commands/analyze-report.js';
import {createPaint} from '../../source/text/colors.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'python-app', 'logs');

async function report(file: string): Promise<string[]> {
	const result = await analyzeLogs({sources: [{key: path.basename(file), files: [file]}], workers: 0});
	return analyzeReport(result, createPaint(false)).split('\n');
}

/** The Performance section: its title row to the row before the next section. */
function performanceTable(lines: string[]): string[] {
	const start = lines.findIndex(line => line.startsWith('  Performance'));
	const end = lines.findIndex((line, index) => index > start && /^ {2}\S/.test(line));
	return lines.slice(start, end);
}

describe('analyze report', () => {
	it('prints each metric\'s percentiles in the unit a person reads, in aligned columns', async () => {
		expect(performanceTable(await report(path.join(FIXTURE, 'performance.log')))).toEqual([
			'  Performance                          count      p50      p95      p99      max',
			'    fetch_image_duration               1,056  29.9 ms  84.6 ms   121 ms   176 ms',
			'    frame_bytes                          352  215 KiB  250 KiB  253 KiB  254 KiB',
			'    redis_publish_duration               352  61.1 µs   114 µs   119 µs   120 µs',
			'    save_frame_duration                  352  14.8 ms  17.9 ms    1.2 s    1.2 s',
			'    system_health.active_threads          23       11       14       14       14',
			'    system_health.cpu_percent             23   33.6 %   57.7 %   58.4 %   58.5 %',
			'    system_health.disk_percent            23   71.3 %   71.3 %   71.3 %   71.3 %',
			'    system_health.memory_percent          23   46.9 %   54.0 %   54.2 %   54.2 %',
		]);
	});

	it('keeps the columns aligned and within 80 columns whatever the units and names', async () => {
		const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-analyze-report-'));
		const perf = (metric: string, value: number, unit: string | null) => `2024-01-15 10:30:15,123 - PERF: {"metric": "${metric}", "value": ${value}, "unit": ${JSON.stringify(unit)}, "timestamp": 1.0, "uptime": 1.0}`;
		writeFileSync(path.join(directory, 'performance.log'), `${[
			perf('stream_fps', 10.14, 'fps'),
			perf('queue_depth', 1_234_567, null),
			perf('upload_bytes', 5_000_000_000, 'bytes'),
			perf('a_metric_with_a_name_far_too_long_for_its_column', 0.000_002, 'seconds'),
			perf('latency_ms', 3.5, 'ms'),
			perf('wide_unit', 7, '帧每秒'),
			perf('a_long_unit', 7, 'frames_per_second_per_camera'),
		].join('\n')}\n`);
		const table = performanceTable(await report(path.join(directory, 'performance.log')));
		const widths = new Set(table.map(line => stringWidth(line)));
		expect(widths.size, table.join('\n')).toBe(1);
		expect([...widths][0]).toBeLessThanOrEqual(80);
		expect(table.join('\n')).toMatch(/stream_fps .* 10\.1 fps$/m);
		expect(table.join('\n')).toMatch(/upload_bytes .* 4\.7 GiB$/m);
		expect(table.join('\n')).toMatch(/^ {4}a_metric_with_\S*… .* 2 µs$/m);
		expect(table.join('\n')).toMatch(/latency_ms .* 3\.5 ms$/m);
		expect(table.join('\n')).toMatch(/queue_depth .* 1,230,000$/m);
	});
});
