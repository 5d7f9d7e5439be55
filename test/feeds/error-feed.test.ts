import {execFileSync} from 'node:child_process';
import {
	appendFileSync, mkdtempSync, rmSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import {ErrorFeed, MAX_FEED_CHARACTERS} from '../../source/feeds/error-feed.js';
import {recordWords, usefulFunction, wordsText} from '../../source/logs/record-text.js';
import {realPython} from '../helpers/python-shim.js';
import {errorLine} from '../helpers/seed-logs.js';
import {waitFor} from '../helpers/wait-for.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(async close => close()));
});

function feedOn(content: string): {errors: ErrorFeed; file: string} {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-error-feed-'));
	const file = path.join(directory, 'errors.log');
	writeFileSync(file, content);
	const errors = new ErrorFeed(file, 200);
	errors.feed.start();
	closers.push(async () => {
		await errors.feed.close();
		rmSync(directory, {recursive: true, force: true});
	});
	return {errors, file};
}

const held = (errors: ErrorFeed) => {
	const current = errors.current();
	return current.ok ? current.data.records : [];
};

const characters = (errors: ErrorFeed) => held(errors).reduce((sum, record) => sum + record.message.length + record.traceback.reduce((lines, line) => lines + line.length, 0), 0);

describe('the error feed stays bounded in bytes, not only in records', () => {
	it('drops the oldest records when 60 KiB messages would pass its characters, keeping the newest', async () => {
		const now = new Date();
		const huge = (index: number) => errorLine(now, `huge:${index}`, `record ${index} ${'x'.repeat(60_000)}`);
		const {errors, file} = feedOn(`${Array.from({length: 40}, (_, index) => huge(index)).join('\n')}\n`);
		await waitFor(() => held(errors).at(-1)?.message.startsWith('record 39 '), 'the back-fill');
		appendFileSync(file, `${Array.from({length: 40}, (_, index) => huge(40 + index)).join('\n')}\n`);
		await waitFor(() => held(errors).at(-1)?.message.startsWith('record 79 '), 'the records written live');
		expect(characters(errors)).toBeLessThanOrEqual(MAX_FEED_CHARACTERS);
		// Not more dropped than the bound asks: as many of these records as fit.
		expect(held(errors).length).toBe(Math.floor(MAX_FEED_CHARACTERS / held(errors)[0]!.message.length));
	});

	it('keeps a traceback line of a 64 KiB line to its first 4,096 characters', async () => {
		const {errors, file} = feedOn(`${errorLine(new Date(), 'main:1', 'crashed')}\n`);
		await waitFor(() => held(errors).length === 1, 'the record');
		appendFileSync(file, `Traceback (most recent call last):\n${'y'.repeat(65_000)}\n`);
		const record = await waitFor(() => (held(errors)[0]?.traceback.length === 2 ? held(errors)[0] : undefined), 'the traceback');
		expect(record.traceback[1]).toBe('y'.repeat(4096));
	});
});

/**
A camera app's errors.log as Python's own logging writes it, in the seed's format: an error from module-level code,
an ISSUE from a function, logger.exception() with its traceback, and a CONNECTION from a lambda.
*/
const PYTHON_APP = String.raw`
import json, logging, sys

handler = logging.FileHandler(sys.argv[1])
handler.setFormatter(logging.Formatter('%(asctime)s - %(name)s - %(levelname)s - %(funcName)s:%(lineno)d - %(message)s'))
logger = logging.getLogger('camera_system')
logger.addHandler(handler)

logger.error('Config file missing: using defaults')

def watch():
    issue = {'issue_type': 'function_failure', 'message': 'Process client.py exited with code 1', 'severity': 'ERROR',
             'count': 1, 'uptime': 12.5, 'context': {'camera': 'camera_2', 'exit_code': 1}}
    logger.error('ISSUE: ' + json.dumps(issue))

watch()

def fetch_image():
    try:
        raise ConnectionError('Connection refused')
    except ConnectionError:
        logger.exception('Redis connection failed')

fetch_image()
report = lambda: logger.critical('CONNECTION: ' + json.dumps({'service': 'redis', 'status': False, 'details': {'failures': 2}, 'uptime': 13.0}))
report()
`;

describe('the error feed\'s records in the operator\'s words', () => {
	it('reads what Python\'s logging wrote: ISSUE and CONNECTION by their payload, no `<module>` or `<lambda>`', async () => {
		const {errors, file} = feedOn('');
		execFileSync(realPython(), ['-c', PYTHON_APP, file]);
		const records = await waitFor(() => {
			const all = held(errors);
			return all.length === 4 && all[2]!.traceback.length > 0 ? all : undefined;
		}, 'the four records and the traceback');
		expect(records.map(record => usefulFunction(record.function))).toEqual([null, 'watch', 'fetch_image', null]);
		expect(records.map(record => wordsText(recordWords(record)))).toEqual([
			'Config file missing: using defaults',
			'ISSUE function_failure — Process client.py exited with code 1 (camera_2, exit_code 1)',
			'Redis connection failed',
			'CONNECTION redis down (failures 2)',
		]);
		expect(recordWords(records[1]!).fields).toEqual([
			'issue_type: function_failure',
			'message: Process client.py exited with code 1',
			'severity: ERROR',
			'count: 1',
			'uptime: 13 s',
			'context:',
			'  camera: camera_2',
			'  exit_code: 1',
		]);
		expect(records[2]!.traceback.at(-1)).toBe('ConnectionError: Connection refused');
	});
});
