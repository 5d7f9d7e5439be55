import {describe, expect, it} from 'vitest';
import {
	checkLevel, checkLogFiles, checkProcesses, checkRecentErrors, checkRedis, EXIT_CODES,
} from '../../source/snapshot/checks.js';
import {worst} from '../../source/base/status.js';
import {DEFAULTS} from '../../source/config/types.js';
import type {LogFileInfo} from '../../source/collectors/log-files.js';
import type {RedisInfo} from '../../source/collectors/redis.js';

const thresholds = structuredClone(DEFAULTS.thresholds);

describe('worst', () => {
	it('ranks critical over warning over unknown over ok', () => {
		expect(worst([])).toBe('ok');
		expect(worst(['ok', 'unknown'])).toBe('unknown');
		expect(worst(['unknown', 'warning', 'ok'])).toBe('warning');
		expect(worst(['warning', 'critical', 'unknown'])).toBe('critical');
	});

	it('maps to the monitoring-plugin exit codes', () => {
		expect(EXIT_CODES).toEqual({
			ok: 0, warning: 1, critical: 2, unknown: 3,
		});
	});
});

describe('checkLevel', () => {
	it('is ok below warning, warning from it, critical from critical, with the reason', () => {
		expect(checkLevel('cpu', 79.9, {warning: 80, critical: 95}, ' %')).toEqual({status: 'ok', reasons: []});
		expect(checkLevel('cpu', 80, {warning: 80, critical: 95}, ' %')).toEqual({status: 'warning', reasons: ['cpu 80.0 % ≥ 80 %']});
		expect(checkLevel('disk', 97.25, {warning: 80, critical: 95}, ' %')).toEqual({status: 'critical', reasons: ['disk 97.3 % ≥ 95 %']});
	});
});

describe('checkRedis', () => {
	const down: RedisInfo = {
		url: 'redis://127.0.0.1:6379', state: 'down', pingMs: null, version: null, role: null, connectedClients: null, usedMemoryBytes: null,
		maxMemoryBytes: null, opsPerSecond: null, pubsubChannels: null, pubsubPatterns: null, channelNames: [], lastError: 'connect ECONNREFUSED 127.0.0.1:6379', downSince: 1000,
	};

	it('is critical while down, saying for how long and why', () => {
		expect(checkRedis(down, thresholds, 13_000)).toEqual({status: 'critical', reasons: ['redis: down 12 s (connect ECONNREFUSED 127.0.0.1:6379)']});
		expect(checkRedis({...down, state: 'not_responding'}, thresholds, 1000).reasons[0]).toMatch(/^redis: not responding/);
	});

	it('warns on a slow PING', () => {
		expect(checkRedis({
			...down, state: 'up', pingMs: 250, lastError: null, downSince: null,
		}, thresholds, 0)).toEqual({status: 'warning', reasons: ['redis ping 250.0 ms ≥ 100 ms']});
	});
});

describe('checkProcesses', () => {
	it('is critical for each watched process not running', () => {
		const running = {
			name: 'start.py', running: true, instances: [], restarts: 0, restartTimes: [],
		};
		expect(checkProcesses([running, {...running, name: 'client.py', running: false}])).toEqual({status: 'critical', reasons: ['client.py: not running']});
	});
});

describe('checkLogFiles', () => {
	const file: LogFileInfo = {
		name: 'camera_system.log', path: '/x', exists: true, sizeBytes: 1, modifiedAt: 0, secondsSinceWrite: 5, stale: false, expectsWrites: true, rotated: [], error: null,
	};

	it('warns on a missing, stale or unreadable log; a missing legacy greencam.log is fine', () => {
		expect(checkLogFiles([file])).toEqual({status: 'ok', reasons: []});
		expect(checkLogFiles([{...file, exists: false}]).reasons).toEqual(['camera_system.log: missing']);
		expect(checkLogFiles([{...file, stale: true, secondsSinceWrite: 900}]).reasons).toEqual(['camera_system.log: no write for 15 m 0 s']);
		expect(checkLogFiles([{...file, error: 'permission denied'}]).reasons).toEqual(['camera_system.log: permission denied']);
		expect(checkLogFiles([{...file, name: 'greencam.log', exists: false}]).status).toBe('ok');
	});
});

describe('checkRecentErrors', () => {
	const record = {
		timestamp: '', time: 100_000, level: 'ERROR' as const, logger: null, function: null, line: null, message: 'x', traceback: [], file: '',
	};

	it('warns while the newest error is recent', () => {
		expect(checkRecentErrors({records: [record], bytesRead: 0}, thresholds, 100_000 + 60_000).status).toBe('warning');
		expect(checkRecentErrors({records: [record], bytesRead: 0}, thresholds, 100_000 + 3_600_000).status).toBe('ok');
		expect(checkRecentErrors({records: [], bytesRead: 0}, thresholds, 0).status).toBe('ok');
	});
});
