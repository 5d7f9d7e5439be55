import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createMonitor} from '../../source/monitoring/index.js';
import {parseSourceLocation} from '../../source/logs/record-header.js';
import {waitFor} from '../helpers/wait-for.js';
import {readRecords, temporaryDirectory} from './read-back.js';

describe('start(): system_health and the health check on their intervals', () => {
	it('writes system_health at once and on its interval; a failing check is an ISSUE system_health_check_failed', async () => {
		const logsDir = temporaryDirectory();
		let checks = 0;
		const monitor = createMonitor({
			logsDir,
			legacyLog: null,
			handleSignals: false,
			performanceLogIntervalMs: 20,
			healthCheckIntervalMs: 20,
			async healthCheck() {
				checks++;
				if (checks === 2) {
					throw new Error('camera 2 frozen');
				}
			},
		});
		monitor.start();
		expect(monitor.stats().perf).toBe(1);
		await waitFor(() => monitor.stats().perf >= 3 && checks >= 3, 'three system_health records and three checks');
		await monitor.shutdown();

		const perf = readRecords(path.join(logsDir, 'performance.log')).map(record => JSON.parse(record.header.message.slice('PERF: '.length)) as {metric: string; value: Record<string, number>});
		expect(perf.length).toBe(monitor.stats().perf);
		expect(new Set(perf.map(record => record.metric))).toEqual(new Set(['system_health']));
		expect(Object.keys(perf[0]!.value)).toEqual(['cpu_percent', 'memory_percent', 'disk_percent', 'threads']);

		const issues = readRecords(path.join(logsDir, 'camera_system.log')).filter(record => record.header.message.startsWith('ISSUE: '));
		expect(issues.map(record => [record.header.level, JSON.parse(record.header.message.slice('ISSUE: '.length))])).toEqual([
			['ERROR', expect.objectContaining({
				issue_type: 'system_health_check_failed', message: 'Health check failed: camera 2 frozen', severity: 'ERROR', count: 1, context: {error: 'camera 2 frozen'},
			})],
		]);
		expect(readRecords(path.join(logsDir, 'errors.log')).map(record => parseSourceLocation(record.header.message).message)).toEqual([issues[0]!.header.message]);
	});
});
