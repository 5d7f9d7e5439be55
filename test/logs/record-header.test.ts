import {describe, expect, it} from 'vitest';
import {isRecordStart, parseRecordHeader, parseSourceLocation} from '../../source/logs/record-header.js';

describe('parseRecordHeader', () => {
	it('reads a main-log line: timestamp, logger, level, message', () => {
		const header = parseRecordHeader('2024-01-15 10:30:15,124 - camera_system - WARNING - ISSUE: {"issue_type": "thread_timeout"}');
		expect(header).toEqual({
			timestamp: '2024-01-15 10:30:15,124',
			time: new Date(2024, 0, 15, 10, 30, 15, 124).getTime(),
			logger: 'camera_system',
			level: 'WARNING',
			message: 'ISSUE: {"issue_type": "thread_timeout"}',
		});
	});

	it('reads a legacy greencam.log line without a logger name', () => {
		expect(parseRecordHeader('2024-01-15 10:30:15,123 - ERROR - Camera 2 disconnected')).toMatchObject({logger: null, level: 'ERROR', message: 'Camera 2 disconnected'});
	});

	it('reads a performance.log line, which has no level', () => {
		expect(parseRecordHeader('2024-01-15 10:30:15,123 - PERF: {"metric": "x"}')).toMatchObject({logger: null, level: null, message: 'PERF: {"metric": "x"}'});
	});

	it('keeps " - " inside the message', () => {
		expect(parseRecordHeader('2024-01-15 10:30:15,123 - camera_system - ERROR - main:456 - a - b')?.message).toBe('main:456 - a - b');
	});

	it('marks an impossible date with NaN rather than throwing', () => {
		expect(parseRecordHeader('2024-13-45 99:99:99,000 - x - ERROR - y')?.time).toBeNaN();
	});

	it('does not take traceback lines for records', () => {
		for (const line of ['Traceback (most recent call last):', '  File "cam1_stream.py", line 123, in fetch_image', 'redis.exceptions.ConnectionError: refused', '', '2024-01-15']) {
			expect(isRecordStart(line)).toBe(false);
			expect(parseRecordHeader(line)).toBeUndefined();
		}
	});
});

describe('parseSourceLocation', () => {
	it('splits errors.log\'s function:line off the message', () => {
		expect(parseSourceLocation('fetch_image:123 - Redis connection failed: Connection refused')).toEqual({function: 'fetch_image', line: 123, message: 'Redis connection failed: Connection refused'});
	});

	it('leaves a message without a location alone', () => {
		expect(parseSourceLocation('Redis says: no - really')).toEqual({function: null, line: null, message: 'Redis says: no - really'});
	});
});
