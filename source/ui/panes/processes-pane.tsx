import React, {memo} from 'react';
import {type WatchedProcess, processTotals} from '../../collectors/processes.js';
import type {Result} from '../../base/result.js';
import type {CrashLoop} from '../../config/types.js';
import {isCrashLooping, checkProcesses} from '../../snapshot/checks.js';
import {formatBytes, formatDuration, formatGrowth} from '../../text/format.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {cell, line, type Segment} from '../components/styled.js';
import {staleness, type PaneProps} from './common.js';

export type ProcessesPaneProps = PaneProps & {readonly result: Result<WatchedProcess[]> | undefined; readonly crashLoop: CrashLoop; readonly now: number; readonly scroll: number};

export function processesSummary(result: Result<WatchedProcess[]> | undefined): string {
	if (!result?.ok) {
		return '';
	}

	const running = result.data.filter(watched => watched.running).length;
	return `${running}/${result.data.length} running`;
}

type Totals = ReturnType<typeof processTotals>;
type Column = {header: string; width: number; right?: boolean; value: (watched: WatchedProcess, totals: Totals) => Segment};

const COLUMNS = {
	pid: {
		header: 'pid',
		width: 8,
		value: watched => watched.running
			? `${watched.instances[0]!.pid}${watched.instances.length > 1 ? '+' : ''}`
			: ['DOWN', {color: 'red'}],
	},
	cpu: {
		header: 'cpu', width: 7, right: true, value: (_, {cpuPercent}) => cpuPercent === null ? '—' : `${cpuPercent.toFixed(1)}%`,
	},
	rss: {
		header: 'rss', width: 9, right: true, value: (watched, {rssBytes}) => watched.running ? formatBytes(rssBytes) : '—',
	},
	growth: {
		header: 'growth', width: 12, right: true, value: (_, {rssGrowthBytesPerHour: growth}) => growth === null ? '—' : formatGrowth(growth),
	},
	thr: {
		header: 'thr', width: 4, right: true, value: (watched, {threads}) => watched.running ? String(threads) : '—',
	},
	up: {
		header: 'up', width: 10, right: true, value: (_, {uptimeSeconds}) => uptimeSeconds === null ? '—' : formatDuration(uptimeSeconds),
	},
	rst: {
		header: 'rst', width: 4, right: true, value: ({restarts}) => [String(restarts), {color: restarts > 0 ? 'yellow' : undefined}],
	},
} as const satisfies Record<string, Column>;

/**
The columns beside the name, by columns of content: pid and cpu; rss from 48; threads, uptime and restarts from 58 (a
60-column pane); from 64 (the grid's third of 200 columns) the RSS growth (`+38.0 MiB/h`, once 30 min of history
exist) in place of the pid, which comes back from 74. The name keeps room for `start.py CRASH-LOOP` at 40 and 80.
*/
function columnsFor(width: number): Column[] {
	const {pid, cpu, rss, growth, thr, up, rst} = COLUMNS;
	if (width < 48) {
		return [pid, cpu];
	}

	if (width < 58) {
		return [pid, cpu, rss];
	}

	if (width < 64) {
		return [pid, cpu, rss, thr, up, rst];
	}

	return width < 74 ? [cpu, rss, growth, thr, up, rst] : [pid, cpu, rss, growth, thr, up, rst];
}

/** A header and one row per watched process, with the columns the width allows (columnsFor). */
export function processesLines(watchedProcesses: readonly WatchedProcess[], crashLoop: CrashLoop, now: number, width: number): string[] {
	const columns = columnsFor(width);
	const nameWidth = width - columns.reduce((sum, column) => sum + column.width, 0);
	const withPid = columns.includes(COLUMNS.pid);
	const segment = (column: Column, value: Segment): Segment => {
		const [text, style] = typeof value === 'string' ? [value, {}] : value;
		return cell(text, column.width, {...style, right: column.right});
	};

	const header = [cell('name', nameWidth, {color: 'gray'}), ...columns.map(column => segment(column, [column.header, {color: 'gray'}]))];
	return [line(width, header), ...watchedProcesses.map(watched => {
		const totals = processTotals(watched);
		const loop = isCrashLooping(watched, crashLoop, now);
		// Without the pid column, DOWN goes with the name: it is said in words, not in red alone.
		const badge = loop ? ' CRASH-LOOP' : (watched.running || withPid ? '' : ' DOWN');
		return line(width, [
			cell(`${watched.name}${badge}`, nameWidth, {color: watched.running && !loop ? undefined : 'red', bold: loop}),
			...columns.map(column => segment(column, column.value(watched, totals))),
		]);
	})];
}

export const ProcessesPane = memo(({result, crashLoop, now, scroll, ...frame}: ProcessesPaneProps) => {
	const badge = result !== undefined && !result.ok ? `processes: ${result.error}` : staleness(frame);
	const looping = result?.ok ? result.data.filter(watched => isCrashLooping(watched, crashLoop, now)) : [];
	const status = result?.ok ? (looping.length > 0 ? 'critical' : checkProcesses(result.data).status) : (result === undefined ? undefined : 'unknown');
	const rows = result?.ok ? result.data.slice(scroll, scroll + contentRows(frame.height) - 1) : [];
	return (
		<PaneFrame {...frame} status={status} badge={badge} summary={processesSummary(result)} lines={result?.ok ? processesLines(rows, crashLoop, now, contentColumns(frame.width)) : undefined}/>
	);
});
