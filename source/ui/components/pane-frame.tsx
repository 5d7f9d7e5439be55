import React from 'react';
import {Box, Text} from 'ink';
import type {Status} from '../../base/status.js';
import {
	line, type Color, type Segment, type Style,
} from './styled.js';
import {Lines} from './lines.js';

export type PaneVariant = 'full' | 'line';

export type PaneFrameProps = {
	readonly index: number;
	readonly title: string;
	readonly width: number;
	readonly height: number;
	readonly isFocused: boolean;
	readonly variant: PaneVariant;
	readonly status?: Status | undefined;
	/** Failure or staleness, shown in the title: "redis: down 12 s", "errors.log: missing". */
	readonly badge?: string | undefined;
	/** The pane in one line, for the line variant. */
	readonly summary: string;
	/** The content's rows, each cut to the content's width (styled.ts `line`); those past the bottom border are left out. */
	readonly lines?: readonly string[] | undefined;
};

export const STATUS_COLOR: Record<Status, Color> = {
	ok: 'green', warning: 'yellow', critical: 'red', unknown: 'magenta',
};
/** In narrow panes: still a word (or the badge saying what is wrong), so the state never rests on colour alone. */
const SHORT_STATUS: Record<Status, string> = {
	ok: 'OK', warning: 'WARN', critical: 'CRIT', unknown: 'UNKN',
};

/**
Title, focus and badge around a pane; the line variant is the pane in one line. Panes only give content: the
frame owns borders and sizes, so nothing wraps into a neighbour.
*/
const NO_LINES: readonly string[] = [];

export function PaneFrame({index, title, width, height, isFocused, variant, status, badge, summary, lines = NO_LINES}: PaneFrameProps) {
	// Inside the borders, or the whole width for the line variant.
	const columns = variant === 'line' ? width : Math.max(0, width - 2);
	const segments: Segment[] = [[`${isFocused ? '▶' : ' '}${index} `, {color: isFocused ? 'cyan' : 'gray', bold: isFocused} satisfies Style], [title, {bold: true} satisfies Style]];
	if (status !== undefined && status !== 'ok') {
		segments.push([` ●${width >= 60 ? ` ${status.toUpperCase()}` : (badge === undefined ? ` ${SHORT_STATUS[status]}` : '')}`, {color: STATUS_COLOR[status]}]);
	}

	if (badge !== undefined) {
		segments.push([` [${badge}]`, {color: 'yellow'}]);
	}

	if (variant === 'line') {
		segments.push([` ${summary}`, {color: 'gray'}]);
	}

	const heading = <Text>{line(columns, segments)}</Text>;

	if (variant === 'line') {
		return <Box width={width} height={1} flexShrink={0} overflow='hidden'>{heading}</Box>;
	}

	return (
		<Box width={width} height={height} flexShrink={0} flexDirection='column' borderStyle='round' borderColor={isFocused ? 'cyan' : 'gray'} overflow='hidden'>
			<Box height={1} overflow='hidden'>{heading}</Box>
			<Box flexDirection='column' height={Math.max(0, height - 3)} overflow='hidden'>
				<Lines lines={lines.length > contentRows(height) ? lines.slice(0, contentRows(height)) : lines}/>
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
