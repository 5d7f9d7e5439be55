import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {BoundedCounts, MAX_KEYS, OTHER_KEY} from '../../source/monitoring/counters.js';
import {createMonitor} from '../../source/monitoring/index.js';
import {readRecords, temporaryDirectory} from './read-back.js';

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, count) => total + count, 0);

describe('BoundedCounts', () => {
	it('counts the first MAX_KEYS keys each on its own and every later one under OTHER_KEY', () => {
		const counts = new BoundedCounts();
		for (let index = 0; index < MAX_KEYS + 100; index++) {
			counts.add(`type_${index}`);
		}

		// A key counted before the bound keeps its own count after it.
		expect(counts.add('type_0')).toBe(2);
		expect(counts.get(`type_${MAX_KEYS + 5}`)).toBe(100);
		const object = counts.toObject();
		expect(Object.keys(object)).toHaveLength(MAX_KEYS + 1);
		expect(object[OTHER_KEY]).toBe(100);
		expect(sum(object)).toBe(MAX_KEYS + 101);
	});
});

describe('a monitor given a new issue type and service with every call', () => {
	it('keeps MAX_KEYS + 1 keys in stats(), which still add up to the records in the log', async () => {
		const directory = temporaryDirectory();
		const monitor = createMonitor({logsDir: directory, legacyLog: null, handleSignals: false});
		const calls = (MAX_KEYS * 4) + 7;
		for (let index = 0; index < calls; index++) {
			monitor.issue(`timeout_camera_${index}`, 'Thread timeout');
			monitor.connection(`camera_${index}`, false);
		}

		await monitor.shutdown();
		const stats = monitor.stats();
		expect(Object.keys(stats.issues)).toHaveLength(MAX_KEYS + 1);
		expect(Object.keys(stats.connectionFailures)).toHaveLength(MAX_KEYS + 1);
		expect(stats.issues[OTHER_KEY]).toBe(calls - MAX_KEYS);
		const messages = readRecords(path.join(directory, 'camera_system.log')).map(record => record.header.message);
		const issues = messages.filter(message => message.startsWith('ISSUE: '));
		expect(issues).toHaveLength(sum(stats.issues));
		expect(messages.filter(message => message.startsWith('CONNECTION: '))).toHaveLength(sum(stats.connectionFailures));
		// Each record still names its own type; a type past the bound carries the overflow's count.
		expect(issues.at(-1)).toMatch(new RegExp(`^ISSUE: \\{"issue_type": "timeout_camera_${calls - 1}", .*"count": ${calls - MAX_KEYS}, `));
	});
});
