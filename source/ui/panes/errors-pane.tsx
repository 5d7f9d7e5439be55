import React from 'react';
import {Box, Text} from 'ink';
import type {ErrorRecord, RecentErrors} from '../../collectors/recent-errors.js';
import type {Result} from '../../collectors/result.js';
import {PaneFrame, contentRows} from '../components/pane-frame.js';
import {clean, clock, staleness, type PaneProps} from './common.js';

export type ErrorsPaneProps = PaneProps & {
	result: Result<RecentErrors> | undefined;
	/** Case-insensitive substring; empty for none. */
	filter: string;
	/** The filter being typed, shown with a cursor. */
	editingFilter: boolean;
	/** Selected record, counted from the newest (0). */
	selected: number;
	/** Show the selected record whole. */
	detail: boolean;
};

export function matchesFilter(record: ErrorRecord, filter: string): boolean {
	if (filter === '') {
		return true;
	}

	const needle = filter.toLowerCase();
	return [record.message, record.function ?? '', ...record.traceback].some(text => text.toLowerCase().includes(needle));
}

export function filteredErrors(result: Result<RecentErrors> | undefined, filter: string): ErrorRecord[] {
	return result?.ok ? result.data.records.filter(record => matchesFilter(record, filter)) : [];
}

export function errorsSummary(result: Result<RecentErrors> | undefined): string {
	if (result === undefined || !result.ok) {
		return '';
	}

	const newest = result.data.records.at(-1);
	return newest === undefined ? 'no errors' : `${result.data.records.length} · ${clock(newest.time)} ${clean(newest.message)}`;
}

const LEVEL_COLOR: Record<string, string> = {ERROR: 'red', CRITICAL: 'magenta'};

export function ErrorsPane({result, filter, editingFilter, selected, detail, ...frame}: ErrorsPaneProps) {
	const badge = result !== undefined && !result.ok ? `errors.log: ${result.error}` : staleness(frame);
	const records = filteredErrors(result, filter);
	const rows = Math.max(0, contentRows(frame.height) - (filter === '' && !editingFilter ? 0 : 1));
	const end = Math.max(0, records.length - selected);
	const shown = records.slice(Math.max(0, end - rows), end);
	const chosen = records[end - 1];
	return (
		<PaneFrame {...frame} title='Errors' badge={badge} summary={errorsSummary(result)}>
			{filter === '' && !editingFilter ? null : (
				<Box height={1} flexShrink={0}><Text color='cyan'>/{clean(filter)}{editingFilter ? '▏' : ''}</Text><Text color='gray'>  {records.length} match{records.length === 1 ? '' : 'es'}</Text></Box>
			)}
			{detail && chosen !== undefined ? <Detail record={chosen} rows={rows}/> : shown.map((record, index) => {
				const last = record.traceback.at(-1)?.trim();
				const isChosen = frame.focused && index === shown.length - 1 && selected > 0;
				return (
					<Box key={`${record.file}:${record.timestamp}:${index}`} height={1} flexShrink={0}>
						<Text wrap='truncate-end' inverse={isChosen}>
							<Text color='gray'>{clock(record.time)} </Text>
							<Text color={LEVEL_COLOR[record.level] ?? 'red'}>{record.level.slice(0, 4)} </Text>
							{record.function === null ? '' : <Text color='gray'>{clean(record.function)} </Text>}
							{clean(record.message)}
							{last === undefined ? '' : <Text color='gray'> ↳ {clean(last)}</Text>}
						</Text>
					</Box>
				);
			})}
			{result?.ok && records.length === 0 ? <Text color='gray'>{filter === '' ? 'no errors in errors.log' : 'no error matches the filter'}</Text> : null}
		</PaneFrame>
	);
}

function Detail({record, rows}: {record: ErrorRecord; rows: number}) {
	const lines = [
		`${record.timestamp} ${record.level}${record.logger === null ? '' : ` ${record.logger}`}${record.function === null ? '' : ` ${record.function}:${record.line ?? '?'}`}`,
		record.message,
		...record.traceback,
	].map(line => clean(line));
	return (
		<Box flexDirection='column' height={rows} overflow='hidden'>
			{lines.slice(0, rows).map((line, index) => (
				<Text key={index} wrap='truncate-end' color={index === 0 ? 'gray' : undefined}>{line}</Text>
			))}
		</Box>
	);
}
