import React from 'react';
import {Box} from 'ink';
import type {WatchedProcess} from '../../collectors/processes.js';
import {processTotals} from '../../collectors/processes.js';
import type {Result} from '../../collectors/result.js';
import type {CrashLoop} from '../../config.js';
import {isCrashLooping} from '../../checks.js';
import {checkProcesses} from '../../checks.js';
import {formatBytes, formatDuration} from '../../text/format.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {Cell} from '../components/cell.js';
import {clean, staleness, type PaneProps} from './common.js';

export type ProcessesPaneProps = PaneProps & {result: Result<WatchedProcess[]> | undefined; crashLoop: CrashLoop; now: number; scroll: number};


export function processesSummary(result: Result<WatchedProcess[]> | undefined): string {
	if (result === undefined || !result.ok) {
		return '';
	}

	const running = result.data.filter(watched => watched.running).length;
	return `${running}/${result.data.length} running`;
}

export function ProcessesPane({result, crashLoop, now, scroll, ...frame}: ProcessesPaneProps) {
	const badge = result !== undefined && !result.ok ? `processes: ${result.error}` : staleness(frame);
	const looping = result?.ok ? result.data.filter(watched => isCrashLooping(watched, crashLoop, now)) : [];
	const status = result?.ok ? (looping.length > 0 ? 'critical' : checkProcesses(result.data).status) : (result === undefined ? undefined : 'unknown');
	const width = contentColumns(frame.width);
	// Columns that fit: name, state, then cpu, rss, threads, up, restarts as the width allows.
	const wide = width >= 70;
	const medium = width >= 50;
	const rows = result?.ok ? result.data.slice(scroll, scroll + contentRows(frame.height) - 1) : [];
	return (
		<PaneFrame {...frame} title='Processes' status={status} badge={badge} summary={processesSummary(result)}>
			{result?.ok ? (
				<>
					<Box height={1} flexShrink={0}>
						<Cell width={width - (wide ? 54 : (medium ? 34 : 16))} color='gray'>name</Cell>
						<Cell width={8} color='gray'>pid</Cell>
						<Cell width={8} color='gray' right>cpu</Cell>
						{medium ? <><Cell width={10} color='gray' right>rss</Cell><Cell width={5} color='gray' right>thr</Cell></> : null}
						{wide ? <><Cell width={10} color='gray' right>up</Cell><Cell width={10} color='gray' right>restarts</Cell></> : null}
					</Box>
					{rows.map(watched => {
						const totals = processTotals(watched);
						const loop = isCrashLooping(watched, crashLoop, now);
						return (
							<Box key={watched.name} height={1} flexShrink={0}>
								<Cell width={width - (wide ? 54 : (medium ? 34 : 16))} color={watched.running && !loop ? undefined : 'red'} bold={loop}>{loop ? `${clean(watched.name)} CRASH-LOOP` : clean(watched.name)}</Cell>
								<Cell width={8} color={watched.running ? undefined : 'red'}>{watched.running ? String(watched.instances[0]!.pid) + (watched.instances.length > 1 ? '+' : '') : 'DOWN'}</Cell>
								<Cell width={8} right>{totals.cpuPercent === null ? '—' : `${totals.cpuPercent.toFixed(1)}%`}</Cell>
								{medium ? <><Cell width={10} right>{watched.running ? formatBytes(totals.rssBytes) : '—'}</Cell><Cell width={5} right>{watched.running ? String(totals.threads) : '—'}</Cell></> : null}
								{wide ? <><Cell width={10} right>{totals.uptimeSeconds === null ? '—' : formatDuration(totals.uptimeSeconds)}</Cell><Cell width={10} right color={watched.restarts > 0 ? 'yellow' : undefined}>{String(watched.restarts)}</Cell></> : null}
							</Box>
						);
					})}
				</>
			) : null}
		</PaneFrame>
	);
}
