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
import {BINDINGS, keyName} from './keymap.js';
import {
	ERRORS_PANE, INITIAL_STATE, reduceKey, type ScrollLimits,
} from './app-state.js';
import {
	chooseLayout, columnHeights, summaryHeights, usableRows,
} from './layout.js';
import type {Sources} from './sources.js';
import {useTerminalSize, type TerminalSize} from './hooks/use-terminal-size.js';
import {useResources} from './hooks/use-resources.js';
import {useProcesses} from './hooks/use-processes.js';
import {useRedis} from './hooks/use-redis.js';
import {useCameras} from './hooks/use-cameras.js';
import {useErrorFeed} from './hooks/use-error-feed.js';
import {usePerformance} from './hooks/use-performance.js';
import {useIssues} from './hooks/use-issues.js';
import {useSelfUsage} from './hooks/use-self-usage.js';
import {useAlerts} from './hooks/use-alerts.js';
import {AlertList} from './components/alert-list.js';
import {Lines} from './components/lines.js';
import {createBatcher} from './hooks/batch.js';
import {
	STATUS_COLOR, type PaneVariant, contentColumns, contentRows,
} from './components/pane-frame.js';
import {ResourcesPane} from './panes/resources-pane.js';
import {ProcessesPane} from './panes/processes-pane.js';
import {ConnectionsPane} from './panes/connections-pane.js';
import {ErrorsPane, detailRows, filteredErrors} from './panes/errors-pane.js';
import {line, type Segment} from './components/styled.js';
import {PerformancePane} from './panes/performance-pane.js';
import {IssuesPane} from './panes/issues-pane.js';

export const PANES = ['Resources', 'Processes', 'Connections', 'Errors', 'Performance', 'Issues'] as const;
/** Control characters that stand for keys when several keys arrive in one read. */
const CHARACTER_KEYS: Record<string, string> = {
	'\r': 'enter', '\t': 'tab', '\u001B': 'esc', '\u007F': 'backspace',
};

/** Poll answers that arrive this close together are drawn in one render, milliseconds. */
const RENDER_BATCH_MS = 50;
/** Data redraws the screen at most this often, milliseconds (4 a second): keys redraw at once. */
const DATA_FRAME_MS = 250;

/** Log-derived panes change less often than gauges: they are read every few seconds, milliseconds. */
const LOG_INTERVAL_MS = 2000;

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

export function App({sources, config, size: fixedSize, onExit}: AppProps) {
	const size = useTerminalSize(fixedSize);
	const [state, dispatch] = useReducer(reduceKey, INITIAL_STATE);
	const {focus, zoomed, detail, help, alerts: alertList, paused, filter, editingFilter, scroll, metricIndex, refreshToken} = state;

	const layout = chooseLayout(size);
	const shown = (pane: number) => !help && !alertList && layout !== 'too-small' && (!zoomed || focus === pane);
	const interval = config.intervalMs;
	const batch = useMemo(() => createBatcher(RENDER_BATCH_MS, DATA_FRAME_MS), []);
	const logInterval = Math.max(interval, LOG_INTERVAL_MS);
	// The header's status needs resources, processes, Redis and cameras: they are read whenever the screen shows anything.
	const live = layout !== 'too-small';
	const resources = useResources(sources, {
		intervalMs: interval, isActive: live, refreshToken, batch,
	});
	const processes = useProcesses(sources, {
		intervalMs: interval, isActive: live, refreshToken, batch,
	});
	const redis = useRedis(sources, {
		intervalMs: interval, isActive: live, refreshToken, batch,
	});
	// Cameras count in the header's status too; their probes run in the background whatever is shown.
	const cameras = useCameras(sources, {
		intervalMs: interval, isActive: live, refreshToken, batch,
	});
	const errors = useErrorFeed(sources, {
		intervalMs: interval, isActive: shown(ERRORS_PANE), refreshToken, batch,
	});
	const metrics = usePerformance(sources, {
		intervalMs: logInterval, isActive: shown(4), refreshToken, batch,
	});
	const issues = useIssues(sources, {
		intervalMs: logInterval, isActive: shown(5), refreshToken, batch,
	});
	const self = useSelfUsage({intervalMs: Math.max(interval, 1000), isActive: live, batch});
	// Firing alerts count in the header whatever is shown.
	const alerts = useAlerts(sources, {
		intervalMs: interval, isActive: live, refreshToken, batch,
	});

	// New arrays only when a new sample came: the panes that draw them are memoised on their props.
	const cpuHistory = useMemo(() => resources.history.cpu.toArray(), [resources.updatedAt]);
	const memoryHistory = useMemo(() => resources.history.memory.toArray(), [resources.updatedAt]);
	const latency = useMemo(() => redis.latency.toArray(), [redis.updatedAt]);
	const view = useFrozen({
		resources: resources.data, resourcesAt: resources.updatedAt, cpuHistory, memoryHistory,
		processes: processes.data, processesAt: processes.updatedAt,
		redis: redis.data, redisAt: redis.updatedAt, latency,
		cameras: cameras.data, camerasAt: cameras.updatedAt,
		errors: errors.data, errorsAt: errors.updatedAt,
		metrics: metrics.data, metricsAt: metrics.updatedAt,
		issues: issues.data, issuesAt: issues.updatedAt,
		self: self.data,
		alerts: alerts.data,
		// Frozen with the data: a paused screen must not age into "stale" and "down 9 s" while nothing is redrawn.
		now: Date.now(),
	}, paused);
	const {now} = view;

	// Filled in below at each render: how far each pane can scroll with the data now on screen.
	const limits = useRef<ScrollLimits>({scroll: [0, 0, 0, 0, 0, 0], selected: 0});
	useInput((input, key) => {
		// Keys typed faster than stdin is read (or sent by tmux send-keys) arrive together: `2\r` is 2, then Enter.
		if (input.length > 1 && !key.ctrl && !key.meta && !editingFilter) {
			for (const character of input) {
				dispatch({
					name: CHARACTER_KEYS[character] ?? character, input: character, ctrl: false, meta: false, limits: limits.current,
				});
			}

			return;
		}

		dispatch({
			name: keyName(input, key), input, ctrl: key.ctrl, meta: key.meta, limits: limits.current,
		});
	});

	useEffect(() => {
		if (state.exitCode !== undefined) {
			onExit(state.exitCode);
		}
	}, [state.exitCode]);

	// The selection never points past the oldest record the filter keeps.
	const errorCount = filteredErrors(view.errors, filter).length;
	const selected = Math.min(state.selected, Math.max(0, errorCount - 1));
	const count = (result: {ok: boolean; data?: unknown[]} | undefined) => (result?.ok ? (result.data?.length ?? 0) : 0);
	// The record shown whole scrolls by rows; how many it has depends on the zoomed pane's width.
	const detailRecord = detail ? filteredErrors(view.errors, filter)[Math.max(0, errorCount - 1 - selected)] : undefined;
	// As the pane pages it: a record longer than the pane's rows gives up its last row to say where the page is.
	const detailSpace = Math.max(1, contentRows(usableRows(size.rows) - 2) - (filter === '' && !editingFilter ? 0 : 1));
	const detailTotal = detailRecord === undefined ? 0 : detailRows(detailRecord, contentColumns(size.columns));
	limits.current = {
		detail: detailTotal > detailSpace ? detailTotal - Math.max(1, detailSpace - 1) : 0,
		selected: Math.max(0, errorCount - 1),
		scroll: [0, count(view.processes), count(view.cameras), 0, 0, view.issues?.ok ? view.issues.data.issues.length : 0].map(items => Math.max(0, items - 1)),
	};

	if (layout === 'too-small') {
		return <Text>terminal too small ({size.columns}×{size.rows})</Text>;
	}

	const rows = usableRows(size.rows);
	const status = worst([
		view.resources?.ok ? checkResources(view.resources.data, config.thresholds).status : 'unknown',
		view.processes?.ok ? checkProcesses(view.processes.data).status : 'unknown',
		view.redis === undefined ? 'unknown' : checkRedis(view.redis, config.thresholds, now).status,
		view.cameras?.ok ? checkCameras(view.cameras.data).status : 'ok',
	]);
	const staleAfterMs = (ms: number) => (3 * ms) + 1000;
	// Fresh data reads as age 0: a pane shows its age only once it is stale, so its props (memoised) change only then.
	const ageOf = (at: number | undefined, intervalMs = interval) => (at === undefined ? undefined : (now - at > staleAfterMs(intervalMs) ? now - at : 0));

	const renderPane = (pane: number, width: number, height: number, variant: PaneVariant) => {
		const frame = {
			index: pane + 1, width, height, focused: pane === focus, variant,
		};
		switch (pane) {
			case 0: {
				return <ResourcesPane key={pane} {...frame} ageMs={ageOf(view.resourcesAt)} staleAfterMs={staleAfterMs(interval)} result={view.resources} thresholds={config.thresholds}/>;
			}

			case 1: {
				return <ProcessesPane key={pane} {...frame} ageMs={ageOf(view.processesAt)} staleAfterMs={staleAfterMs(interval)} result={view.processes} crashLoop={config.crashLoop} now={now} scroll={Math.min(scroll[1]!, limits.current.scroll[1]!)}/>;
			}

			case 2: {
				return <ConnectionsPane key={pane} {...frame} ageMs={ageOf(view.redisAt)} staleAfterMs={staleAfterMs(interval)} redis={view.redis} latency={view.latency} cameras={view.cameras} thresholds={config.thresholds} now={now} scroll={Math.min(scroll[2]!, limits.current.scroll[2]!)}/>;
			}

			case 3: {
				return <ErrorsPane key={pane} {...frame} ageMs={ageOf(view.errorsAt)} staleAfterMs={staleAfterMs(interval)} result={view.errors} filter={filter} editingFilter={editingFilter} selected={selected} detail={detail} detailScroll={Math.min(state.detailScroll, limits.current.detail ?? 0)}/>;
			}

			case 4: {
				return <PerformancePane key={pane} {...frame} ageMs={ageOf(view.metricsAt, logInterval)} staleAfterMs={staleAfterMs(logInterval)} result={view.metrics} metricIndex={metricIndex} cpuHistory={view.cpuHistory} memoryHistory={view.memoryHistory}/>;
			}

			default: {
				return <IssuesPane key={pane} {...frame} ageMs={ageOf(view.issuesAt, logInterval)} staleAfterMs={staleAfterMs(logInterval)} result={view.issues} now={now} scroll={Math.min(scroll[5]!, limits.current.scroll[5]!)}/>;
			}
		}
	};

	const body = rows - 2;
	let panes: React.ReactNode;
	if (help) {
		panes = <Help width={size.columns} height={body}/>;
	} else if (alertList) {
		panes = <AlertList view={view.alerts} now={now} width={size.columns} height={body}/>;
	} else if (zoomed) {
		panes = renderPane(focus, size.columns, body, 'full');
	} else if (layout === 'grid') {
		const top = Math.floor(body / 2);
		const widths = [Math.floor(size.columns / 3), Math.floor(size.columns / 3), size.columns - (2 * Math.floor(size.columns / 3))];
		panes = (
			<Box flexDirection='column'>
				{[0, 1].map(row => (
					<Box key={row} flexDirection='row' height={row === 0 ? top : body - top}>
						{[0, 1, 2].map(column => renderPane((row * 3) + column, widths[column]!, row === 0 ? top : body - top, 'full'))}
					</Box>
				))}
			</Box>
		);
	} else {
		// Column (tmux side pane) and summary (short terminal): one line for each pane but the focused one in summary.
		const heights = layout === 'summary' ? summaryHeights(body, PANES.length, focus) : columnHeights(body, PANES.length, focus);
		panes = <Box flexDirection='column'>{PANES.map((_, pane) => (heights[pane]! === 0 ? null : renderPane(pane, size.columns, heights[pane]!, heights[pane]! <= 2 ? 'line' : 'full')))}</Box>;
	}

	return (
		<Box flexDirection='column' width={size.columns} height={rows} overflow='hidden'>
			<Header status={status} alerts={view.alerts} paused={paused} host={view.resources?.ok ? view.resources.data.host : ''} self={view.self} now={now} width={size.columns}/>
			<Box height={body} overflow='hidden'>{panes}</Box>
			<Box height={1} overflow='hidden'>
				<Text>{line(size.columns, [[editingFilter ? 'type to filter · Enter keep · Esc clear' : 'Tab/1-6 focus · ↑↓ scroll · Enter zoom · Esc back · / filter · a alerts · p pause · r refresh · ? help · q quit', {color: 'gray'}]])}</Text>
			</Box>
		</Box>
	);
}

function Header({status, alerts, paused, host, self, now, width}: {readonly status: Status; readonly alerts: AlertsView | undefined; readonly paused: boolean; readonly host: string; readonly self: {cpuPercent: number; rssBytes: number} | undefined; readonly now: number; readonly width: number}) {
	const firing = alerts?.states.filter(state => state.state === 'firing').length ?? 0;
	const pending = (alerts?.states.length ?? 0) - firing;
	const dot: Segment = [' · ', {color: 'gray'}];
	const segments: Segment[] = [['camtop', {bold: true}], dot, host, dot, [`● ${status.toUpperCase()}`, {color: STATUS_COLOR[status], bold: true}]];
	if (firing > 0) {
		segments.push(dot, [`▲ ${firing} ALERT${firing === 1 ? '' : 'S'}`, {color: 'red', bold: true}]);
	}

	if (pending > 0) {
		segments.push(dot, [`${pending} pending`, {color: 'yellow'}]);
	}

	segments.push(dot, new Date(now).toTimeString().slice(0, 8), [` · self ${self === undefined ? '—' : `${self.cpuPercent.toFixed(1)}% ${formatBytes(self.rssBytes)}`}`, {color: 'gray'}]);
	if (paused) {
		segments.push([' PAUSED ', {color: 'black', background: 'yellow', bold: true}]);
	}

	return (
		<Box height={1} width={width} overflow='hidden'>
			<Text>{line(width, segments)}</Text>
		</Box>
	);
}

function Help({width, height}: {readonly width: number; readonly height: number}) {
	// Inside the frame: a title line, then as many keys as fit; the last line says how many did not.
	const columns = Math.max(0, width - 2);
	const room = Math.max(0, height - 3);
	const shown = BINDINGS.length <= room ? BINDINGS : BINDINGS.slice(0, Math.max(0, room - 1));
	const keysWidth = Math.min(18, Math.floor(width / 3));
	const lines = [
		line(columns, [['Keys', {bold: true}]]),
		...shown.map(binding => line(columns, [[binding.keys.join(' ').padEnd(keysWidth).slice(0, keysWidth), {color: 'cyan'}], binding.description])),
	];
	if (shown.length < BINDINGS.length) {
		lines.push(line(columns, [[`… ${BINDINGS.length - shown.length} more: make the terminal taller`, {color: 'gray'}]]));
	}

	return (
		<Box flexDirection='column' width={width} height={height} flexShrink={0} borderStyle='round' borderColor='cyan' overflow='hidden'>
			<Lines lines={lines}/>
		</Box>
	);
}
