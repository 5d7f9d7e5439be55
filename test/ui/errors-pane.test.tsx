import React from 'react';
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {ok} from '../../source/base/result.js';
import {formatConnection, formatIssue} from '../../source/logs/event-records.js';
import type {ErrorRecord, RecentErrors} from '../../source/logs/error-record.js';
import {ErrorsPane} from '../../source/ui/panes/errors-pane.js';
import {paneById} from '../../source/ui/panes/index.js';
import {frameLines, renderSized} from './render-sized.js';

const record = (minute: number, fields: Partial<ErrorRecord> & {message: string}): ErrorRecord => ({
	timestamp: `2024-01-15 10:${String(minute).padStart(2, '0')}:00,000`,
	time: new Date(2024, 0, 15, 10, minute).getTime(),
	level: 'ERROR',
	logger: 'camera_system',
	function: 'fetch_image',
	line: 123,
	traceback: [],
	file: 'logs/errors.log',
	...fields,
});

/** A plain ERROR with its traceback, a record of module-level code, an ISSUE and a CONNECTION, as errors.log has them. */
const errors: RecentErrors = {
	bytesRead: 0,
	records: [
		record(10, {
			message: 'Redis connection failed: Connection refused',
			traceback: ['Traceback (most recent call last):', '  File "cam1_stream.py", line 123, in fetch_image', 'redis.exceptions.ConnectionError: Connection refused'],
		}),
		record(20, {function: '<module>', line: 42, message: 'Config file missing: using defaults'}),
		record(25, {
			function: 'watch',
			line: 88,
			message: formatIssue({
				issueType: 'function_failure', message: 'Process client.py exited with code 1', severity: 'ERROR', count: 3, uptimeSeconds: 3725.5, context: {camera: 'camera_2', exit_code: 1},
			}),
		}),
		record(29, {
			level: 'CRITICAL',
			function: '<anonymous>',
			line: 0,
			message: formatConnection({
				service: 'camera_2', status: false, details: {failures: 4}, uptimeSeconds: 3800,
			}),
		}),
	],
};

const frame = (width: number, height: number, isFocused = false) => ({
	index: paneById('errors').key, title: paneById('errors').title, width, height, isFocused, variant: 'full' as const, ageMs: 500, staleAfterMs: 4000,
});
/** The record view of the list: no filter, nothing selected, no record shown whole. */
const list = {
	filter: '', editingFilter: false, selected: 0, detail: false, detailScroll: 0,
};

/** The pane's whole frame: its round border around `rows` (each padded to the width), blank rows to `height`. */
function box(width: number, height: number, rows: readonly string[]): string {
	const inner = width - 2;
	const padded = [...rows, ...Array.from({length: height - 2 - rows.length}, () => '')];
	return [`╭${'─'.repeat(inner)}╮`, ...padded.map(row => `│${row}${' '.repeat(inner - stringWidth(row))}│`), `╰${'─'.repeat(inner)}╯`].join('\n');
}

/** The rows of a list of the four records, by width: the function named when it names one, rows cut with `…`. */
const LIST_ROWS: Record<number, string[]> = {
	40: [
		' 4 Errors',
		'10:10:00 ERRO fetch_image Redis conne…',
		'10:20:00 ERRO Config file missing: us…',
		'10:25:00 ERRO watch ISSUE function_fa…',
		'10:29:00 CRIT CONNECTION camera_2 dow…',
	],
	80: [
		' 4 Errors',
		'10:10:00 ERRO fetch_image Redis connection failed: Connection refused ↳ redis…',
		'10:20:00 ERRO Config file missing: using defaults',
		'10:25:00 ERRO watch ISSUE function_failure — Process client.py exited with co…',
		'10:29:00 CRIT CONNECTION camera_2 down (failures 4)',
	],
	120: [
		' 4 Errors',
		'10:10:00 ERRO fetch_image Redis connection failed: Connection refused ↳ redis.exceptions.ConnectionError: Connection …',
		'10:20:00 ERRO Config file missing: using defaults',
		'10:25:00 ERRO watch ISSUE function_failure — Process client.py exited with code 1 (camera_2, exit_code 1)',
		'10:29:00 CRIT CONNECTION camera_2 down (failures 4)',
	],
	200: [
		' 4 Errors',
		'10:10:00 ERRO fetch_image Redis connection failed: Connection refused ↳ redis.exceptions.ConnectionError: Connection refused',
		'10:20:00 ERRO Config file missing: using defaults',
		'10:25:00 ERRO watch ISSUE function_failure — Process client.py exited with code 1 (camera_2, exit_code 1)',
		'10:29:00 CRIT CONNECTION camera_2 down (failures 4)',
	],
};

/** The ISSUE's fields after its message, short enough for any width. */
const ISSUE_FIELDS_AFTER_MESSAGE = ['severity: ERROR', 'count: 3', 'uptime: 1 h 2 m', 'context:', '  camera: camera_2', '  exit_code: 1'];

/** The ISSUE shown whole at 80 columns and wider: its header, then its payload's fields one per line. */
const ISSUE_DETAIL = [
	'▶4 Errors',
	'2024-01-15 10:25:00,000 ERROR camera_system watch:88 ISSUE',
	'issue_type: function_failure',
	'message: Process client.py exited with code 1',
	...ISSUE_FIELDS_AFTER_MESSAGE,
];

/** The same at 40 columns: long lines wrap at the pane's edge. */
const ISSUE_DETAIL_40 = [
	'▶4 Errors',
	'2024-01-15 10:25:00,000 ERROR camera_s',
	'ystem watch:88 ISSUE',
	'issue_type: function_failure',
	'message: Process client.py exited with',
	' code 1',
	...ISSUE_FIELDS_AFTER_MESSAGE,
];

const TRACEBACK_DETAIL = [
	'▶4 Errors',
	'2024-01-15 10:10:00,000 ERROR camera_system fetch_image:123',
	'Redis connection failed: Connection refused',
	'Traceback (most recent call last):',
	'  File "cam1_stream.py", line 123, in fetch_image',
	'redis.exceptions.ConnectionError: Connection refused',
];

const TRACEBACK_DETAIL_40 = [
	'▶4 Errors',
	'2024-01-15 10:10:00,000 ERROR camera_s',
	'ystem fetch_image:123',
	'Redis connection failed: Connection re',
	'fused',
	'Traceback (most recent call last):',
	'  File "cam1_stream.py", line 123, in',
	'fetch_image',
	'redis.exceptions.ConnectionError: Conn',
	'ection refused',
];

const LIST_HEIGHT = 7;
const DETAIL_HEIGHT = 14;

describe.each([40, 80, 120, 200])('the errors pane at %i columns', width => {
	const draw = (view: Partial<typeof list>, height: number) =>
		renderSized(<ErrorsPane {...frame(width, height, view.detail)} result={ok(errors)} {...list} {...view}/>, width).lastFrame();

	it('draws ISSUE and CONNECTION records in words, and no function for module-level or nameless code', () => {
		expect(draw({}, LIST_HEIGHT)).toBe(box(width, LIST_HEIGHT, LIST_ROWS[width]!));
	});

	it('shows an ISSUE whole as its payload\'s fields, one per line', () => {
		expect(draw({detail: true, selected: 1}, DETAIL_HEIGHT)).toBe(box(width, DETAIL_HEIGHT, width === 40 ? ISSUE_DETAIL_40 : ISSUE_DETAIL));
	});

	it('shows a CONNECTION whole, its status as up or down and no location when it has none', () => {
		expect(draw({detail: true, selected: 0}, DETAIL_HEIGHT)).toBe(box(width, DETAIL_HEIGHT, [
			'▶4 Errors',
			width === 40 ? '2024-01-15 10:29:00,000 CRITICAL camer' : '2024-01-15 10:29:00,000 CRITICAL camera_system CONNECTION',
			...(width === 40 ? ['a_system CONNECTION'] : []),
			'service: camera_2',
			'status: down',
			'details:',
			'  failures: 4',
			'uptime: 1 h 3 m',
		]));
	});

	it('shows a module-level record with its line but not `<module>`', () => {
		expect(draw({detail: true, selected: 2}, DETAIL_HEIGHT)).toBe(box(width, DETAIL_HEIGHT, [
			'▶4 Errors',
			...(width === 40 ? ['2024-01-15 10:20:00,000 ERROR camera_s', 'ystem line 42'] : ['2024-01-15 10:20:00,000 ERROR camera_system line 42']),
			'Config file missing: using defaults',
		]));
	});

	it('shows a plain ERROR whole, its message then its traceback', () => {
		expect(draw({detail: true, selected: 3}, DETAIL_HEIGHT)).toBe(box(width, DETAIL_HEIGHT, width === 40 ? TRACEBACK_DETAIL_40 : TRACEBACK_DETAIL));
	});

	it('pages through a record longer than the pane', () => {
		const rows = width === 40 ? ISSUE_DETAIL_40.slice(1) : ISSUE_DETAIL.slice(1);
		const height = 8;
		const pageRows = height - 4;
		expect(draw({detail: true, selected: 1, detailScroll: 0}, height)).toBe(box(width, height, [
			'▶4 Errors', ...rows.slice(0, pageRows), `rows 1–${pageRows} of ${rows.length} · PgUp PgDn`,
		]));
		expect(draw({detail: true, selected: 1, detailScroll: pageRows}, height)).toBe(box(width, height, [
			'▶4 Errors', ...rows.slice(pageRows, 2 * pageRows), `rows ${pageRows + 1}–${2 * pageRows} of ${rows.length} · PgUp PgDn`,
		]));
	});
});

describe('the errors pane keeps untrusted payloads harmless and cut to the screen', () => {
	const hostile = record(30, {
		message: formatIssue({
			issueType: 'bad\u001B[2Jtype', message: `x\u001B]0;pwned\u0007 \u001B[31mred\u001B[0m\nsecond line ${'y'.repeat(65_000)}`, severity: 'ERROR', count: 1, uptimeSeconds: 1, context: {camera: 'cam\u001B[Hera_9'},
		}),
	});
	const result = ok({bytesRead: 0, records: [...errors.records, hostile]});

	it.each([40, 80, 120, 200])('in the list at %i columns', width => {
		const output = renderSized(<ErrorsPane {...frame(width, LIST_HEIGHT)} result={result} {...list}/>, width).lastFrame();
		const {lines, widest} = frameLines(output);
		expect(output).not.toContain('\u001B');
		expect(widest).toBe(width);
		expect(lines).toHaveLength(LIST_HEIGHT);
		expect(lines.at(-2)).toContain(width >= 80 ? 'ISSUE badtype — x red�second line yyy' : 'fetch_image ISSUE ba');
	});

	it('in the record shown whole: a message of two lines is listed as two, the 64 KiB one paged', () => {
		const width = 80;
		const output = renderSized(<ErrorsPane {...frame(width, DETAIL_HEIGHT, true)} result={result} {...list} detail selected={0}/>, width).lastFrame();
		const {lines, widest} = frameLines(output);
		expect(output).not.toContain('\u001B');
		expect(widest).toBe(width);
		expect(lines.slice(3, 6).map(row => row.slice(1, -1).trimEnd())).toEqual([
			'issue_type: badtype',
			'message: x red',
			`  second line ${'y'.repeat(width - 2 - '  second line '.length)}`,
		]);
		expect(lines.at(-2)).toMatch(/rows 1–10 of \d+ · PgUp PgDn/);
	});
});

describe('the errors pane finds and sums up records by their words', () => {
	it('filters by the words a record is drawn with', () => {
		const output = renderSized(<ErrorsPane {...frame(80, LIST_HEIGHT)} result={ok(errors)} {...list} filter='camera_2 down'/>, 80).lastFrame();
		expect(output).toBe(box(80, LIST_HEIGHT, [
			' 4 Errors',
			'/camera_2 down  1 match',
			'10:29:00 CRIT CONNECTION camera_2 down (failures 4)',
		]));
	});

	it('sums the newest record up in words on its one line', () => {
		const output = renderSized(<ErrorsPane {...frame(80, 1)} variant='line' result={ok(errors)} {...list}/>, 80).lastFrame();
		expect(output).toBe(' 4 Errors 4 · 10:29:00 CONNECTION camera_2 down (failures 4)');
	});
});
