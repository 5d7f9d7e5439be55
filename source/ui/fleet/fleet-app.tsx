import React, {
	memo, useCallback, useEffect, useMemo, useReducer, useRef, useState,
} from 'react';
import {Box, Text, useInput} from 'ink';
import type {FleetConfig} from '../../config/types.js';
import type {PrometheusClient, Credentials} from '../../fleet/prometheus-client.js';
import {readFleet, type Fleet, type FleetBox} from '../../fleet/read-fleet.js';
import {readBoxDetail} from '../../fleet/box-detail.js';
import {
	FLEET_STATUS_ORDER, SHORT_STATUS, countByStatus,
} from '../../fleet/fleet-status.js';
import {
	cellText, matchesFilter, placeColumns, sortBoxes, type PlacedColumn, type SortOrder,
} from '../../fleet/fleet-columns.js';
import {formatDuration} from '../../text/format.js';
import {FILTER_KEYMAP, footerText, pressedKeys} from '../keymap.js';
import {useTerminalSize, type TerminalSize} from '../hooks/use-terminal-size.js';
import {useRefreshing} from '../hooks/use-refreshing.js';
import {Help} from '../components/help.js';
import {Lines} from '../components/lines.js';
import {
	line, padCell, paint, type Segment, type Style,
} from '../components/styled.js';
import {FLEET_KEYMAP} from './fleet-keymap.js';
import {INITIAL_FLEET_STATE, reduceFleetKey} from './fleet-state.js';
import {BoxView} from './box-view.js';
import {FLEET_STATUS_COLOR} from './fleet-colors.js';

/** The smallest terminal the fleet draws in: a status, a host and the reasons fit in 40 columns. */
const MIN_COLUMNS = 40;
const MIN_ROWS = 6;

export type FleetAppProps = {
	readonly client: PrometheusClient;
	readonly fleet: FleetConfig;
	/** The exporters' token, for a box's /snapshot. */
	readonly exporter: Credentials;
	/** Fixes the size (tests); else the terminal's, following resizes. */
	readonly size?: TerminalSize;
	readonly onExit: (code: number) => void;
};

/**
The time, moving on every `ms` while `isActive` (ages in a badge, a wait under way): the rest of the time it is the
time of the last render, and the screen is redrawn only when an answer comes.
*/
function useClock(ms: number, isActive: boolean): number {
	const [now, setNow] = useState(Date.now());
	useEffect(() => {
		if (!isActive) {
			return;
		}

		const timer = setInterval(() => {
			setNow(Date.now());
		}, ms);
		return () => {
			clearInterval(timer);
		};
	}, [ms, isActive]);
	return isActive ? now : Date.now();
}

/**
`camtop fleet`: one row per box Prometheus scrapes, worst first; Enter opens one. What Prometheus last answered stays
on screen while it is slow or down, with a badge that says so; keys answer all the while.
*/
export function FleetApp({
	client, fleet: settings, exporter, size: fixedSize, onExit,
}: FleetAppProps) {
	const size = useTerminalSize(fixedSize);
	const [state, dispatch] = useReducer(reduceFleetKey, INITIAL_FLEET_STATE);
	const read = useCallback(async () => readFleet(client, {...settings, resolutionSeconds: settings.scrapeIntervalSeconds}), [client, settings]);
	const table = useRefreshing<Fleet>(read, {intervalMs: settings.refreshMs, refreshToken: state.refreshToken});

	const boxes = useMemo(() => sortBoxes((table.data?.boxes ?? []).filter(box => matchesFilter(box, state.filter)), state.sort), [table.data, state.filter, state.sort]);
	const shown = useMemo(() => boxes.map(box => box.instance), [boxes]);
	const opened = state.opened === undefined ? undefined : table.data?.boxes.find(box => box.instance === state.opened);
	const readDetail = useCallback(async () => readBoxDetail(client, {
		job: settings.job, instance: state.opened ?? '', scrapeUrl: opened?.scrapeUrl, exporter, timeoutMs: settings.timeoutMs,
	}), [client, settings, exporter, state.opened, opened?.scrapeUrl]);
	const detail = useRefreshing(readDetail, {
		intervalMs: Math.max(settings.refreshMs, 5000), refreshToken: state.refreshToken, key: state.opened ?? '', isActive: state.opened !== undefined,
	});

	// The clock moves while something on screen counts seconds: a badge's ages, a box being read.
	const now = useClock(1000, table.error !== undefined || table.pendingSince !== undefined || detail.pendingSince !== undefined || detail.error !== undefined);
	const body = Math.max(0, size.rows - 2);
	const boxScrollLimit = useRef(0);
	// The table's rows: the body less the column titles, and the filter line when there is one.
	const page = Math.max(1, body - 1 - (state.filter === '' && !state.editingFilter ? 0 : 1));
	useInput((input, key) => {
		for (const press of pressedKeys(input, key, state.editingFilter)) {
			dispatch({
				...press, shown, page, boxScrollMax: boxScrollLimit.current,
			});
		}
	});

	useEffect(() => {
		if (state.exitCode !== undefined) {
			onExit(state.exitCode);
		}
	}, [state.exitCode, onExit]);

	if (size.columns < MIN_COLUMNS || size.rows < MIN_ROWS) {
		return <Text>terminal too small ({size.columns}×{size.rows}; camtop fleet needs {MIN_COLUMNS}×{MIN_ROWS})</Text>;
	}

	const selectedIndex = Math.max(0, state.selected === undefined ? 0 : shown.indexOf(state.selected));
	let content;
	if (state.help) {
		content = <Help bindings={FLEET_KEYMAP.bindings} width={size.columns} height={body}/>;
	} else if (state.opened === undefined) {
		content = (
			<Table
				boxes={boxes} selectedIndex={selectedIndex} sort={state.sort}
				page={page} width={size.columns} height={body}
				filter={state.filter} isEditingFilter={state.editingFilter}
				empty={emptyTableText(table, state.filter, client.shownUrl, settings.job)}/>
		);
	} else {
		content = <BoxView box={opened} instance={state.opened} detail={detail} scroll={state.boxScroll} now={now} width={size.columns} height={body} scrollLimit={boxScrollLimit}/>;
	}

	return (
		<Box flexDirection='column' width={size.columns} height={size.rows} overflow='hidden'>
			<Box height={1} overflow='hidden'>
				<Text>{line(size.columns, header({
					fleet: table.data, error: table.error, pendingSince: table.pendingSince, updatedAt: table.updatedAt, url: client.shownUrl, now,
				}))}
				</Text>
			</Box>
			<Box height={body} overflow='hidden'>{content}</Box>
			<Box height={1} overflow='hidden'>
				<Text>{line(size.columns, [[footerText(state.editingFilter ? FILTER_KEYMAP : FLEET_KEYMAP, size.columns), {color: 'gray'}]])}</Text>
			</Box>
		</Box>
	);
}

/** What the table says where no row is: why there is no table yet, or why it is empty. */
function emptyTableText(table: {data: Fleet | undefined; error: string | undefined}, filter: string, url: string, job: string): string {
	if (table.data === undefined) {
		return table.error ?? `asking ${url}…`;
	}

	return filter === '' ? `Prometheus knows no box of job "${job}"` : 'no box matches the filter';
}

/** The client's one line as a badge: the URL is at the header's end already, and the hints in parentheses are --help's. */
function badgeText(message: string, url: string): string {
	const short = message.replace(/ \([^)]*\)$/, '');
	return short.startsWith(`${url}: `) ? `Prometheus: ${short.slice(url.length + 2)}` : short;
}

/** The top line: camtop fleet, where, how many boxes in each state (worst first), the time, and any trouble with Prometheus. */
function header({
	fleet, error, pendingSince, updatedAt, url, now,
}: {fleet: Fleet | undefined; error: string | undefined; pendingSince: number | undefined; updatedAt: number | undefined; url: string; now: number}): Segment[] {
	const dot: Segment = [' · ', {color: 'gray'}];
	const segments: Segment[] = [['camtop fleet', {bold: true} satisfies Style], dot];
	if (fleet !== undefined) {
		segments.push(`${fleet.boxes.length} box${fleet.boxes.length === 1 ? '' : 'es'}`);
		const counts = countByStatus(fleet.boxes);
		for (const status of FLEET_STATUS_ORDER) {
			const count = counts[status];
			if (count > 0) {
				segments.push(' ', [`${count} ${SHORT_STATUS[status].toLowerCase()}`, {color: FLEET_STATUS_COLOR[status], bold: status !== 'ok'} satisfies Style]);
			}
		}

		segments.push(dot);
	}

	// One badge, before the clock so that it is seen first: what is wrong with Prometheus, and how old the table is.
	const age = updatedAt === undefined ? '' : `; table ${formatDuration((now - updatedAt) / 1000)} old`;
	if (error !== undefined) {
		segments.push([`[${badgeText(error, url)}${age}]`, {color: 'black', background: 'yellow'}], ' ');
	} else if (pendingSince !== undefined) {
		segments.push([`[Prometheus slow: waiting ${formatDuration((now - pendingSince) / 1000)}${age}]`, {color: 'black', background: 'yellow'}], ' ');
	}

	// The time of the table on screen: when Prometheus answered, which is what the rows are as of.
	segments.push(new Date(updatedAt ?? now).toTimeString().slice(0, 8), dot, [url, {color: 'gray'}]);
	return segments;
}

type TableProps = {
	readonly boxes: readonly FleetBox[];
	readonly selectedIndex: number;
	readonly sort: SortOrder;
	readonly page: number;
	readonly width: number;
	readonly height: number;
	readonly filter: string;
	readonly isEditingFilter: boolean;
	/** What to say where no row is. */
	readonly empty: string;
};

/**
The table: column titles (the sorted one marked), then one finished line per box on this page. Memoised: the clock's
tick and a read starting redraw the header only, so a refresh builds the page's rows once.
*/
const Table = memo(({
	boxes, selectedIndex, sort, page, width, height, filter, isEditingFilter, empty,
}: TableProps) => {
	const columns = useMemo(() => placeColumns(width), [width]);
	const top = Math.floor(selectedIndex / page) * page;
	const lines = [
		line(width, [[columns.map(column => cellText(column, column.id === sort.column ? `${column.title}${sort.descending ? '▲' : '▼'}` : column.title)).join(' '), {bold: true} satisfies Style]]),
		...(boxes.length === 0
			? [line(width, [[empty, {color: 'gray'}]])]
			: boxes.slice(top, top + page).map((box, index) => boxLine(box, columns, top + index === selectedIndex))),
	];
	if (filter !== '' || isEditingFilter) {
		lines.push(line(width, [['/', {color: 'cyan'}], filter, isEditingFilter ? ['▏', {color: 'cyan'}] : '', [`  ${boxes.length} shown`, {color: 'gray'}]]));
	}

	return (
		<Box flexDirection='column' width={width} height={height} overflow='hidden'>
			<Lines lines={lines}/>
		</Box>
	);
});

function boxLine(box: FleetBox, columns: readonly PlacedColumn[], selected: boolean): string {
	// styled.ts's cell: cut and padded without string-width for ASCII, the fast path a page of rows needs. Each cell is
	// its width already (placeColumns made them fit the row), so they are only painted and joined.
	let row = '';
	for (const [index, column] of columns.entries()) {
		const style = column.id === 'status'
			? {color: FLEET_STATUS_COLOR[box.status], bold: box.status !== 'ok', inverse: selected}
			: {inverse: selected, color: column.id === 'why' && box.status !== 'ok' ? FLEET_STATUS_COLOR[box.status] : undefined};
		// The gap after a cell takes its style, so a selected row is one bar.
		row += paint(padCell(column.text(box), column.cells, column.align === 'right') + (index < columns.length - 1 ? ' ' : ''), style);
	}

	return row;
}
