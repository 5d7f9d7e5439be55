import type React from 'react';
import {
	useEffect, useMemo, useReducer, useRef,
} from 'react';
import {Box, Text, useInput} from 'ink';
import type {Config} from '../config/load.js';
import {
	checkCameras, checkProcesses, checkRedis, checkResources,
} from '../snapshot/checks.js';
import {worst, type Status} from '../base/status.js';
import {formatBytes} from '../text/format.js';
import type {AlertsView} from '../alerts/runner.js';
import {
	BINDINGS, FILTER_KEYMAP, PANE_KEYMAP, footerText, pressedKeys,
} from './keymap.js';
import {INITIAL_STATE, reduceKey, type ScrollLimits} from './app-state.js';
import {
	GRID_COLUMNS, chooseLayout, columnHeights, gridRows, shares, summaryHeights, usableRows,
} from './layout.js';
import type {Sources} from './sources.js';
import {useTerminalSize, type TerminalSize} from './hooks/use-terminal-size.js';
import {useSelfUsage, type SelfUsage} from './hooks/use-self-usage.js';
import {useAlerts} from './hooks/use-alerts.js';
import {createBatcher} from './hooks/batch.js';
import {AlertList} from './components/alert-list.js';
import {Help} from './components/help.js';
import {
	STATUS_COLOR, type PaneVariant, contentColumns, contentRows,
} from './components/pane-frame.js';
import {line, type Segment, type Style} from './components/styled.js';
import {
	PANES, RECORDS_PANE, paneById, scrollLimits, usePaneFeeds, type Pane, type PaneContext, type PaneFeeds,
} from './panes/index.js';

/** Poll answers that arrive this close together are drawn in one render, milliseconds. */
/** The panes in the grid's rows: the table does not change, so neither does its grid. */
const PANE_GRID = gridRows(PANES, GRID_COLUMNS);

const RENDER_BATCH_MS = 50;
/** Data redraws the screen at most this often, milliseconds (4 a second): keys redraw at once. */
const DATA_FRAME_MS = 250;

export type AppProps = {
	readonly sources: Sources;
	readonly config: Config;
	/** Fixes the size (tests); else the terminal's, following resizes. */
	readonly size?: TerminalSize;
	readonly onExit: (code: number) => void;
};

/** While paused, the value as it was when the pause began: collection goes on underneath. */
function useFrozen<T>(value: T, paused: boolean): T {
	const frozen = useRef(value);
	if (!paused) {
		frozen.current = value;
	}

	return frozen.current;
}

/** The box's status in the header, from the panes that judge it. */
function boxStatus({resources, processes, connections}: PaneFeeds, config: Config, now: number): Status {
	return worst([
		resources.data?.result.ok ? checkResources(resources.data.result.data, config.thresholds).status : 'unknown',
		processes.data?.ok ? checkProcesses(processes.data.data).status : 'unknown',
		connections.redis === undefined ? 'unknown' : checkRedis(connections.redis.info, config.thresholds, now).status,
		connections.cameras?.ok ? checkCameras(connections.cameras.data).status : 'ok',
	]);
}

const staleAfterMs = (intervalMs: number) => (3 * intervalMs) + 1000;

export function App({
	sources, config, size: fixedSize, onExit,
}: AppProps) {
	const size = useTerminalSize(fixedSize);
	const [state, dispatch] = useReducer(reduceKey, INITIAL_STATE);
	const {focus, zoomed, detail, help, alerts: alertList, paused, filter, editingFilter, refreshToken} = state;

	const layout = chooseLayout(size);
	// Something is on screen: the header's status needs the gauges then, whatever pane is shown.
	const live = layout !== 'too-small';
	const interval = config.intervalMs;
	const batch = useMemo(() => createBatcher(RENDER_BATCH_MS, DATA_FRAME_MS), []);
	const shown = (pane: Pane) => live && !help && !alertList && (!zoomed || focus === pane.id);
	const feeds = usePaneFeeds(sources, pane => ({
		intervalMs: pane.poll.intervalMs(interval), isActive: pane.poll.onlyWhenShown ? shown(pane) : live, refreshToken, batch,
	}));
	const self = useSelfUsage({intervalMs: Math.max(interval, 1000), isActive: live, batch});
	// Firing alerts count in the header whatever is shown.
	const alerts = useAlerts(sources, {
		intervalMs: interval, isActive: live, refreshToken, batch,
	});
	// Frozen with the data: a paused screen must not age into "stale" and "down 9 s" while nothing is redrawn.
	const view = useFrozen({
		feeds, self: self.data, alerts: alerts.data, now: Date.now(),
	}, paused);
	const {now} = view;

	// Filled in below at each render: how far each pane can scroll with the data now on screen.
	const limits = useRef<ScrollLimits>({scroll: {}, selected: 0});
	useInput((input, key) => {
		for (const press of pressedKeys(input, key, editingFilter)) {
			dispatch({...press, limits: limits.current});
		}
	});

	useEffect(() => {
		if (state.exitCode !== undefined) {
			onExit(state.exitCode);
		}
	}, [state.exitCode, onExit]);

	// The selection never points past the oldest record the filter keeps. The record shown whole scrolls by rows: as
	// many as it takes at the zoomed pane's width, less the page the pane holds, which gives up its last row to say
	// where the page is when the record is longer.
	const records = RECORDS_PANE?.scroll;
	const recordCount = records?.count(view.feeds, filter) ?? 0;
	const selected = Math.min(state.selected, Math.max(0, recordCount - 1));
	const detailSpace = Math.max(1, contentRows(usableRows(size.rows) - 2) - (filter === '' && !editingFilter ? 0 : 1));
	const detailTotal = detail && records !== undefined ? records.recordRows(view.feeds, filter, selected, contentColumns(size.columns)) : 0;
	limits.current = {
		detail: detailTotal > detailSpace ? detailTotal - Math.max(1, detailSpace - 1) : 0,
		selected: Math.max(0, recordCount - 1),
		scroll: scrollLimits(view.feeds),
	};
	const footer = useMemo(() => (editingFilter ? footerText(FILTER_KEYMAP, size.columns) : footerText(PANE_KEYMAP, size.columns)), [editingFilter, size.columns]);

	if (layout === 'too-small') {
		return <Text>terminal too small ({size.columns}×{size.rows})</Text>;
	}

	const rows = usableRows(size.rows);
	const context: Omit<PaneContext, 'scroll'> = {
		feeds: view.feeds,
		config,
		now,
		records: {
			filter, editingFilter, selected, detail, detailScroll: Math.min(state.detailScroll, limits.current.detail ?? 0),
		},
		metricIndex: state.metricIndex,
	};
	const renderPane = (pane: Pane, width: number, height: number, variant: PaneVariant) => {
		const intervalMs = pane.poll.intervalMs(interval);
		const at = view.feeds[pane.id].updatedAt;
		// Fresh data reads as age 0: a pane shows its age only once it is stale, so its props (memoised) change only then.
		const ageMs = at === undefined ? undefined : (now - at > staleAfterMs(intervalMs) ? now - at : 0);
		return pane.render({
			index: pane.key, title: pane.title, width, height, isFocused: pane.id === focus, variant, ageMs, staleAfterMs: staleAfterMs(intervalMs),
		}, {...context, scroll: Math.min(state.scroll[pane.id] ?? 0, limits.current.scroll[pane.id] ?? 0)});
	};

	const body = rows - 2;
	let panes: React.ReactNode;
	if (help) {
		panes = <Help bindings={BINDINGS} width={size.columns} height={body}/>;
	} else if (alertList) {
		panes = <AlertList view={view.alerts} now={now} width={size.columns} height={body}/>;
	} else if (zoomed) {
		panes = renderPane(paneById(focus), size.columns, body, 'full');
	} else if (layout === 'grid') {
		const heights = shares(body, PANE_GRID.length);
		panes = (
			<Box flexDirection='column'>
				{PANE_GRID.map((row, index) => {
					const widths = shares(size.columns, row.length);
					return (
						<Box key={row[0]!.id} flexDirection='row' height={heights[index]}>
							{row.map((pane, column) => renderPane(pane, widths[column]!, heights[index]!, 'full'))}
						</Box>
					);
				})}
			</Box>
		);
	} else {
		// Column (tmux side pane) and summary (short terminal): one line for each pane but the focused one in summary.
		const focused = PANES.findIndex(pane => pane.id === focus);
		const heights = layout === 'summary' ? summaryHeights(body, PANES.length, focused) : columnHeights(body, PANES.length, focused);
		panes = (
			<Box flexDirection='column'>
				{PANES.map((pane, index) => (heights[index]! === 0 ? null : renderPane(pane, size.columns, heights[index]!, heights[index]! <= 2 ? 'line' : 'full')))}
			</Box>
		);
	}

	return (
		<Box flexDirection='column' width={size.columns} height={rows} overflow='hidden'>
			<Header
				status={boxStatus(view.feeds, config, now)}
				alerts={view.alerts}
				isPaused={paused}
				host={view.feeds.resources.data?.result.ok ? view.feeds.resources.data.result.data.host : ''}
				self={view.self}
				now={now}
				width={size.columns}/>
			<Box height={body} overflow='hidden'>{panes}</Box>
			<Box height={1} overflow='hidden'>
				<Text>{line(size.columns, [[footer, {color: 'gray'}]])}</Text>
			</Box>
		</Box>
	);
}

type HeaderProps = {
	readonly status: Status;
	readonly alerts: AlertsView | undefined;
	readonly isPaused: boolean;
	readonly host: string;
	readonly self: SelfUsage | undefined;
	readonly now: number;
	readonly width: number;
};

function Header({
	status, alerts, isPaused, host, self, now, width,
}: HeaderProps) {
	const firing = alerts?.states.filter(state => state.state === 'firing').length ?? 0;
	const pending = (alerts?.states.length ?? 0) - firing;
	const dot: Segment = [' · ', {color: 'gray'}];
	const segments: Segment[] = [['camtop', {bold: true} satisfies Style], dot, host, dot, [`● ${status.toUpperCase()}`, {color: STATUS_COLOR[status], bold: true} satisfies Style]];
	if (firing > 0) {
		segments.push(dot, [`▲ ${firing} ALERT${firing === 1 ? '' : 'S'}`, {color: 'red', bold: true} satisfies Style]);
	}

	if (pending > 0) {
		segments.push(dot, [`${pending} pending`, {color: 'yellow'}]);
	}

	segments.push(dot, new Date(now).toTimeString().slice(0, 8), [` · self ${self === undefined ? '—' : `${self.cpuPercent.toFixed(1)}% ${formatBytes(self.rssBytes)}`}`, {color: 'gray'}]);
	if (isPaused) {
		segments.push([' PAUSED ', {color: 'black', background: 'yellow', bold: true} satisfies Style]);
	}

	return (
		<Box height={1} width={width} overflow='hidden'>
			<Text>{line(width, segments)}</Text>
		</Box>
	);
}
