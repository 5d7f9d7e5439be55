import React, {type ReactNode} from 'react';
import {Box, Text} from 'ink';
import type {Status} from '../../checks.js';
import {stripControl} from '../../text/sanitize.js';

export type PaneVariant = 'full' | 'line';

export type PaneFrameProps = {
	index: number;
	title: string;
	width: number;
	height: number;
	focused: boolean;
	variant: PaneVariant;
	status?: Status | undefined;
	/** Failure or staleness, shown in the title: "redis: down 12 s", "errors.log: missing". */
	badge?: string | undefined;
	/** The pane in one line, for the line variant. */
	summary: string;
	children?: ReactNode;
};

export const STATUS_COLOR: Record<Status, string> = {ok: 'green', warning: 'yellow', critical: 'red', unknown: 'magenta'};
/** In narrow panes: still a word (or the badge saying what is wrong), so the state never rests on colour alone. */
const SHORT_STATUS: Record<Status, string> = {ok: 'OK', warning: 'WARN', critical: 'CRIT', unknown: 'UNKN'};

/**
Title, focus and badge around a pane; the line variant is the pane in one line. Panes only give content: the
frame owns borders and sizes, so nothing wraps into a neighbour.
*/
export function PaneFrame({index, title, width, height, focused, variant, status, badge, summary, children}: PaneFrameProps) {
	const heading = (
		<Text wrap='truncate-end'>
			<Text color={focused ? 'cyan' : 'gray'} bold={focused}>{focused ? '▶' : ' '}{index} </Text>
			<Text bold>{title}</Text>
			{status !== undefined && status !== 'ok' ? <Text color={STATUS_COLOR[status]}> ●{width >= 60 ? ` ${status.toUpperCase()}` : (badge === undefined ? ` ${SHORT_STATUS[status]}` : '')}</Text> : null}
			{badge === undefined ? null : <Text color='yellow'> [{stripControl(badge)}]</Text>}
			{variant === 'line' ? <Text color='gray'> {stripControl(summary)}</Text> : null}
		</Text>
	);

	if (variant === 'line') {
		return <Box width={width} height={1} flexShrink={0} overflow='hidden'>{heading}</Box>;
	}

	return (
		<Box width={width} height={height} flexShrink={0} flexDirection='column' borderStyle='round' borderColor={focused ? 'cyan' : 'gray'} overflow='hidden'>
			<Box height={1} overflow='hidden'>{heading}</Box>
			<Box flexDirection='column' height={Math.max(0, height - 3)} overflow='hidden'>
				{children}
			</Box>
		</Box>
	);
}

/** Rows of content a full frame of this height holds. */
export function contentRows(height: number): number {
	return Math.max(0, height - 3);
}

/** Columns of content a full frame of this width holds. */
export function contentColumns(width: number): number {
	return Math.max(0, width - 2);
}
