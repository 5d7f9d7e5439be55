import React, {memo} from 'react';
import {type WatchedProcess, processTotals} from '../../collectors/processes.js';
import type {Result} from '../../base/result.js';
import type {CrashLoop} from '../../config/types.js';
import {isCrashLooping, checkProcesses} from '../../snapshot/checks.js';
import {formatBytes, formatDuration} from '../../text/format.js';
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

/** A header and one row per watched process; columns as the width allows: name, pid, cpu, then rss, threads, up, restarts. */
export function processesLines(watchedProcesses: readonly WatchedProcess[], crashLoop: CrashLoop, now: number, width: number): string[] {
	const wide = width >= 70;
	const medium = width >= 50;
	const nameWidth = width - (wide ? 54 : (medium ? 34 : 16));
	const header: Segment[] = [cell('name', nameWidth, {color: 'gray'}), cell('pid', 8, {color: 'gray'}), cell('cpu', 8, {color: 'gray', right: true})];
	if (medium) {
		header.push(cell('rss', 10, {color: 'gray', right: true}), cell('thr', 5, {color: 'gray', right: true}));
	}

	if (wide) {
		header.push(cell('up', 10, {color: 'gray', right: true}), cell('restarts', 10, {color: 'gray', right: true}));
	}

	return [line(width, header), ...watchedProcesses.map(watched => {
		const totals = processTotals(watched);
		const loop = isCrashLooping(watched, crashLoop, now);
		const segments: Segment[] = [
			cell(loop ? `${watched.name} CRASH-LOOP` : watched.name, nameWidth, {color: watched.running && !loop ? undefined : 'red', bold: loop}),
			cell(watched.running ? String(watched.instances[0]!.pid) + (watched.instances.length > 1 ? '+' : '') : 'DOWN', 8, {color: watched.running ? undefined : 'red'}),
			cell(totals.cpuPercent === null ? '—' : `${totals.cpuPercent.toFixed(1)}%`, 8, {right: true}),
		];
		if (medium) {
			segments.push(cell(watched.running ? formatBytes(totals.rssBytes) : '—', 10, {right: true}), cell(watched.running ? String(totals.threads) : '—', 5, {right: true}));
		}

		if (wide) {
			segments.push(
				cell(totals.uptimeSeconds === null ? '—' : formatDuration(totals.uptimeSeconds), 10, {right: true}),
				cell(String(watched.restarts), 10, {right: true, color: watched.restarts > 0 ? 'yellow' : undefined}),
			);
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
