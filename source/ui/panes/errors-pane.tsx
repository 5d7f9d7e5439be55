import React, {memo} from 'react';
import type {ErrorRecord, RecentErrors} from '../../logs/error-record.js';
import {recordWords, usefulFunction, wordsText} from '../../logs/record-text.js';
import type {Result} from '../../base/result.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {
	line, type Color, type Segment, type Style,
} from '../components/styled.js';
import {cleanLines, wrappedPage, wrappedRowCount} from '../components/wrap.js';
import {
	clean, clock, staleness, type PaneProps,
} from './common.js';

/** Where the reader is in the error feed: the app keeps it, keys change it (app-state.ts). */
export type RecordView = {
	/** Case-insensitive substring; empty for none. */
	readonly filter: string;
	/** The filter being typed, shown with a cursor. */
	readonly editingFilter: boolean;
	/** Selected record, counted from the newest (0). */
	readonly selected: number;
	/** Show the selected record whole. */
	readonly detail: boolean;
	/** The first row of the record shown whole, when it is longer than the pane. */
	readonly detailScroll: number;
};

export type ErrorsPaneProps = PaneProps & RecordView & {readonly result: Result<RecentErrors> | undefined};

/** The filter is matched against this much of a record's text, characters: a 64 KiB line is not lowercased whole each frame. */
const FILTER_SCAN_CHARACTERS = 4096;

export function matchesFilter(record: ErrorRecord, filter: string): boolean {
	if (filter === '') {
		return true;
	}

	const needle = filter.toLowerCase();
	return [recordWords(record).head, record.message, record.function ?? '', ...record.traceback].some(text => text.slice(0, FILTER_SCAN_CHARACTERS).toLowerCase().includes(needle));
}

export function filteredErrors(result: Result<RecentErrors> | undefined, filter: string): ErrorRecord[] {
	return result?.ok ? result.data.records.filter(record => matchesFilter(record, filter)) : [];
}

/** The record `selected` counts to from the newest (0); undefined when there are none. */
export function selectedRecord(records: readonly ErrorRecord[], selected: number): ErrorRecord | undefined {
	return records[Math.max(0, records.length - selected) - 1];
}

export function errorsSummary(result: Result<RecentErrors> | undefined): string {
	if (!result?.ok) {
		return '';
	}

	const newest = result.data.records.at(-1);
	return newest === undefined ? 'no errors' : `${result.data.records.length} · ${clock(newest.time)} ${wordsText(recordWords(newest)).slice(0, FILTER_SCAN_CHARACTERS)}`;
}

const LEVEL_COLOR: Record<string, Color> = {ERROR: 'red', CRITICAL: 'magenta'};

/**
A record in one row: time, level, function (when it names one), the message in words
(`ISSUE <type> — <message> (<context>)`, `CONNECTION <service> up|down`) and the traceback's last line, cut to the pane.
*/
function recordLine(record: ErrorRecord, width: number, chosen: boolean): string {
	const last = record.traceback.at(-1)?.trim();
	const name = usefulFunction(record.function);
	const words = recordWords(record);
	const segments: Segment[] = [
		[`${clock(record.time)} `, {color: 'gray', inverse: chosen}],
		[`${record.level.slice(0, 4)} `, {color: LEVEL_COLOR[record.level] ?? 'red', inverse: chosen}],
	];
	if (name !== null) {
		segments.push([`${name} `, {color: 'gray', inverse: chosen}]);
	}

	if (words.kind === '') {
		segments.push([words.message, {inverse: chosen}]);
	} else {
		segments.push([words.head, {bold: true, inverse: chosen} satisfies Style]);
		if (words.message !== '') {
			segments.push([` — ${words.message}`, {inverse: chosen}]);
		}
	}

	if (words.context !== '') {
		segments.push([` (${words.context})`, {color: 'gray', inverse: chosen}]);
	}

	if (last !== undefined) {
		segments.push([` ↳ ${last}`, {color: 'gray', inverse: chosen}]);
	}

	return line(width, segments);
}

const detailCache = new WeakMap<ErrorRecord, {lines: string[]; rows: Map<number, number>}>();

/** Where the record was logged from: `fetch_image:123`, `line 42` when the function names nothing, '' when unknown. */
function location(record: ErrorRecord): string {
	const name = usefulFunction(record.function);
	if (name !== null) {
		return `${name}:${record.line ?? '?'}`;
	}

	// The JavaScript library writes `<module>:0` when it found no caller.
	return record.line !== null && record.line > 0 ? `line ${record.line}` : '';
}

/**
The record whole, as lines safe to draw, cleaned once per record: its header, then an ISSUE's or CONNECTION's fields
one per line (or a plain record's message), then its traceback.
*/
function detail(record: ErrorRecord) {
	let cached = detailCache.get(record);
	if (cached === undefined) {
		const words = recordWords(record);
		const header = [record.timestamp, record.level, record.logger ?? '', location(record), words.kind];
		cached = {
			lines: cleanLines([
				header.filter(part => part !== '').join(' '),
				...(words.kind === '' ? [record.message] : words.fields),
				...record.traceback,
			]),
			rows: new Map(),
		};
		detailCache.set(record, cached);
	}

	return cached;
}

/** Rows the record takes shown whole at `width` columns: how far its detail view scrolls. */
export function detailRows(record: ErrorRecord, width: number): number {
	const cached = detail(record);
	let rows = cached.rows.get(width);
	if (rows === undefined) {
		rows = wrappedRowCount(cached.lines, width);
		cached.rows.set(width, rows);
	}

	return rows;
}

export const ErrorsPane = memo(({result, filter, editingFilter, selected, detail: showDetail, detailScroll, ...frame}: ErrorsPaneProps) => {
	const badge = result !== undefined && !result.ok ? `errors.log: ${result.error}` : staleness(frame);
	const records = filteredErrors(result, filter);
	const width = contentColumns(frame.width);
	const filtering = filter !== '' || editingFilter;
	const rows = Math.max(0, contentRows(frame.height) - (filtering ? 1 : 0));
	const end = Math.max(0, records.length - selected);
	const chosen = selectedRecord(records, selected);
	const lines: string[] = [];
	if (filtering) {
		lines.push(line(width, [[`/${clean(filter)}${editingFilter ? '▏' : ''}`, {color: 'cyan'}], [`  ${records.length} match${records.length === 1 ? '' : 'es'}`, {color: 'gray'}]]));
	}

	if (showDetail && chosen !== undefined) {
		// A page of the record, its first line grey: only the rows shown are cut out of it. A record longer than the
		// pane says where the page is, on its last row.
		const total = detailRows(chosen, width);
		const pageRows = total > rows ? Math.max(1, rows - 1) : rows;
		const page = wrappedPage(detail(chosen).lines, width, detailScroll, pageRows);
		lines.push(...page.map((text, index) => line(width, [[text, {color: index === 0 && detailScroll === 0 ? 'gray' : undefined}]])));
		if (total > rows) {
			lines.push(line(width, [[`rows ${detailScroll + 1}–${detailScroll + page.length} of ${total} · PgUp PgDn`, {color: 'cyan'}]]));
		}
	} else {
		const shown = records.slice(Math.max(0, end - rows), end);
		lines.push(...shown.map((record, index) => recordLine(record, width, frame.isFocused && index === shown.length - 1 && selected > 0)));
	}

	if (result?.ok && records.length === 0) {
		lines.push(line(width, [[filter === '' ? 'no errors in errors.log' : 'no error matches the filter', {color: 'gray'}]]));
	}

	return (
		<PaneFrame {...frame} badge={badge} summary={errorsSummary(result)} lines={lines}/>
	);
});
