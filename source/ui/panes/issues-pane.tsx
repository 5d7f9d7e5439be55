import React, {memo} from 'react';
import type {RecentEvents} from '../../feeds/event-feed.js';
import type {Result} from '../../base/result.js';
import {PaneFrame, contentColumns, contentRows} from '../components/pane-frame.js';
import {cell, line} from '../components/styled.js';
import {
	ago, clean, staleness, type PaneProps,
} from './common.js';

export type IssuesPaneProps = PaneProps & {readonly result: Result<RecentEvents> | undefined; readonly now: number; readonly scroll: number};

/** Issues per hour over the span the counts cover (at least one minute, so a burst does not read as thousands an hour). */
export function ratePerHour(count: number, span: [number, number] | undefined): number {
	if (span === undefined) {
		return 0;
	}

	const hours = Math.max(60_000, span[1] - span[0]) / 3_600_000;
	return count / hours;
}

export function issuesSummary(result: Result<RecentEvents> | undefined): string {
	if (!result?.ok) {
		return '';
	}

	const total = result.data.issues.reduce((sum, issue) => sum + issue.count, 0);
	const top = result.data.issues[0];
	return total === 0 ? 'none' : `${total} · most ${clean(top!.issueType)} ${top!.count}`;
}

export const IssuesPane = memo(({result, now, scroll, ...frame}: IssuesPaneProps) => {
	const badge = result !== undefined && !result.ok ? `camera_system.log: ${result.error}` : staleness(frame);
	const width = contentColumns(frame.width);
	// Under 50 columns the last-seen column goes: the type's name matters more.
	const showLast = width >= 50;
	const nameWidth = Math.max(8, width - (showLast ? 26 : 14));
	const lines: string[] = [];
	if (result?.ok) {
		lines.push(line(width, [
			cell(result.data.issues.length === 0 ? 'no ISSUE records' : 'type', nameWidth, {color: 'gray'}),
			cell('count', 7, {color: 'gray', right: true}),
			cell('/h', 7, {color: 'gray', right: true}),
			...(showLast ? [cell('last', 12, {color: 'gray'})] : []),
		]));
		for (const issue of result.data.issues.slice(scroll, scroll + contentRows(frame.height) - 1)) {
			lines.push(line(width, [
				cell(issue.issueType, nameWidth),
				cell(String(issue.count), 7, {right: true}),
				cell(ratePerHour(issue.count, result.data.span).toFixed(1), 7, {right: true}),
				...(showLast ? [cell(ago(issue.last, now), 12, {color: 'gray'})] : []),
			]));
		}
	}

	return (
		<PaneFrame {...frame} badge={badge} summary={issuesSummary(result)} lines={lines}/>
	);
});
