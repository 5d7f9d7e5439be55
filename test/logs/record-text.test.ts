import {describe, expect, it} from 'vitest';
import {formatConnection, formatIssue, type IssueFields} from '../../source/logs/event-records.js';
import {describeMessage, usefulFunction, wordsText} from '../../source/logs/record-text.js';

const issue = (fields: Partial<IssueFields>) => formatIssue({
	issueType: 'function_failure', message: 'Process client.py exited', severity: 'ERROR', count: 1, uptimeSeconds: 60, context: {}, ...fields,
});

describe('usefulFunction', () => {
	it.each(['<module>', '<lambda>', '<listcomp>', '<anonymous>', '', '   ', null])('names nothing for %j', name => {
		expect(usefulFunction(name)).toBeNull();
	});

	it('keeps a real name', () => {
		expect(usefulFunction('fetch_image')).toBe('fetch_image');
	});
});

describe('describeMessage', () => {
	it('tells an ISSUE by its type, message and context', () => {
		const words = describeMessage(issue({context: {camera: 'camera_2'}}));
		expect(words).toMatchObject({
			kind: 'ISSUE', head: 'ISSUE function_failure', message: 'Process client.py exited', context: 'camera_2',
		});
		expect(wordsText(words)).toBe('ISSUE function_failure — Process client.py exited (camera_2)');
	});

	it('tells a CONNECTION by its service and state', () => {
		expect(wordsText(describeMessage(formatConnection({
			service: 'redis', status: true, details: {}, uptimeSeconds: 5,
		})))).toBe('CONNECTION redis up');
		expect(wordsText(describeMessage(formatConnection({
			service: 'camera_2', status: false, details: {failures: 3}, uptimeSeconds: 5,
		})))).toBe('CONNECTION camera_2 down (failures 3)');
	});

	it('keeps the context short: names alone, values in their unit, what the message says left out, three at most', () => {
		expect(describeMessage(issue({
			context: {
				process: 'client.py', simulated: true, quiet: false, missing: null, duration_seconds: 0.0035, memory_percent: 91, depth: 128,
			},
		})).context).toBe('simulated, duration 3.5 ms, memory 91.0 %');
		expect(describeMessage(issue({context: {url: `http://camera/${'x'.repeat(100)}`}})).context).toBe(`http://camera/${'x'.repeat(26)}`);
		expect(describeMessage(issue({context: {nested: {camera: 'camera_2'}}})).context).toBe('');
	});

	it('lists the payload\'s fields one per line: a value of several lines indented under its key, deeper objects as JSON', () => {
		expect(describeMessage(issue({message: 'first\nsecond', uptimeSeconds: 3725, context: {camera: 'camera_2', frames: {lost: 3}}})).fields).toEqual([
			'issue_type: function_failure',
			'message: first',
			'  second',
			'severity: ERROR',
			'count: 1',
			'uptime: 1 h 2 m',
			'context:',
			'  camera: camera_2',
			'  frames: {"lost":3}',
		]);
		expect(describeMessage(issue({})).fields).toContain('context: none');
	});

	it('lists at most 200 field lines, and says how many more', () => {
		const context = Object.fromEntries(Array.from({length: 500}, (_, index) => [`key_${index}`, index]));
		const {fields} = describeMessage(issue({context}));
		expect(fields).toHaveLength(201);
		expect(fields.at(-1)).toBe('… 306 more lines');
	});

	it('leaves a plain message, a cut payload or one of the wrong shape as it is', () => {
		for (const message of ['Redis connection failed', issue({}).slice(0, 40), 'ISSUE: {"message": "no type"}', 'CONNECTION: {"service": "redis"}']) {
			expect(describeMessage(message)).toEqual({
				kind: '', head: '', message, context: '', fields: [],
			});
		}
	});
});
