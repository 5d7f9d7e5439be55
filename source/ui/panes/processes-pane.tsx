import React, {memo} from 'react';
import {type WatchedProcess, processTotals} from '../../collectors/processes.js';
import type {Result} from '../../base/result.js';
import type {CrashLoop} from '../../config/types.js';
import {isCrashLooping, checkProcesses} from '../../snapshot/checks.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {formatGrowth} from '../../alerts/rules.js';
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

/**
A header and one row per watched process; columns as the width allows: name, pid, cpu; from 48 columns of content rss;
from 58 (a 60-column pane) threads, uptime and restarts; from 74 the RSS growth (`+38.0 MiB/h`, once 30 min of history
exist). The name keeps room for `start.py CRASH-LOOP` at 40 and 80 columns.
*/
export function processesLines(watchedProcesses: readonly WatchedProcess[], crashLoop: CrashLoop, now: number, width: number): string[] {
	const small = width >= 48;
	const medium = width >= 58;
	const wide = width >= 74;
	const nameWidth = width - 15 - (small ? 9 : 0) - (medium ? 18 : 0) - (wide ? 12 : 0);
	const gray = {color: 'gray'} as const;
	const header: Segment[] = [cell('name', nameWidth, gray), cell('pid', 8, gray), cell('cpu', 7, {...gray, right: true})];
	if (small) {
		header.push(cell('rss', 9, {...gray, right: true}));
	}

	if (medium) {
		header.push(
			cell('thr', 4, {...gray, right: true}),
			cell('up', 10, {...gray, right: true}),
			cell('rst', 4, {...gray, right: true}),
		);
	}

	if (wide) {
		header.push(cell('growth', 12, {...gray, right: true}));
	}

	return [line(width, header), ...watchedProcesses.map(watched => {
		const totals = processTotals(watched);
		const loop = isCrashLooping(watched, crashLoop, now);
		const segments: Segment[] = [
			cell(loop ? `${watched.name} CRASH-LOOP` : watched.name, nameWidth, {color: watched.running && !loop ? undefined : 'red', bold: loop}),
			cell(watched.running ? String(watched.instances[0]!.pid) + (watched.instances.length > 1 ? '+' : '') : 'DOWN', 8, {color: watched.running ? undefined : 'red'}),
			cell(totals.cpuPercent === null ? '—' : `${totals.cpuPercent.toFixed(1)}%`, 7, {right: true}),
		];
		if (small) {
			segments.push(cell(watched.running ? formatBytes(totals.rssBytes) : '—', 9, {right: true}));
		}

		if (medium) {
			segments.push(
				cell(watched.running ? String(totals.threads) : '—', 4, {right: true}),
				cell(totals.uptimeSeconds === null ? '—' : formatDuration(totals.uptimeSeconds), 10, {right: true}),
				cell(String(watched.restarts), 4, {right: true, color: watched.restarts > 0 ? 'yellow' : undefined}),
			);
		}

		if (wide) {
			const growth = totals.rssGrowthBytesPerHour;
			segments.push(cell(growth === null ? '—' : formatGrowth(growth), 12, {right: true}));
		}

		return line(width, segments);
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
