import {createElement, type ComponentType, type ReactElement} from 'react';
import type {Config} from '../../config/load.js';
import type {Sources} from '../sources.js';
import type {PollOptions} from '../hooks/use-poll.js';
import {useResources} from '../hooks/use-resources.js';
import {useProcesses} from '../hooks/use-processes.js';
import {useConnections} from '../hooks/use-connections.js';
import {useErrorFeed} from '../hooks/use-error-feed.js';
import {usePerformance} from '../hooks/use-performance.js';
import {useIssues} from '../hooks/use-issues.js';
import type {PaneProps} from './common.js';
import {ResourcesPane} from './resources-pane.js';
import {ProcessesPane} from './processes-pane.js';
import {ConnectionsPane} from './connections-pane.js';
import {
	ErrorsPane, detailRows, filteredErrors, selectedRecord, type RecordView,
} from './errors-pane.js';
import {PerformancePane} from './performance-pane.js';
import {IssuesPane} from './issues-pane.js';

/*
The panes, each once: what it is called, its key, what draws it, where its data comes from and how often, what ↑↓ and
Enter do in it. Focus, zoom, scroll, polling and the layouts are driven from PANES; adding a pane is one entry in it
(and its hook's type in PaneFeeds).
*/

/** What each pane's hook gives. A pane draws its own; the header judges Resources, Processes and Connections. */
export type PaneFeeds = {
	resources: ReturnType<typeof useResources>;
	processes: ReturnType<typeof useProcesses>;
	connections: ReturnType<typeof useConnections>;
	errors: ReturnType<typeof useErrorFeed>;
	performance: ReturnType<typeof usePerformance>;
	issues: ReturnType<typeof useIssues>;
};

export type PaneId = keyof PaneFeeds;

/** How a pane's data is read. */
export type Poll = {
	/** Milliseconds between reads, from the configured interval (`--interval`). */
	readonly intervalMs: (configuredMs: number) => number;
	/** Read only while the pane is on screen; else whenever the screen shows anything (the header's status needs it). */
	readonly onlyWhenShown: boolean;
};

/** What ↑↓ and PgUp PgDn do in a pane, when they do anything. */
export type Scroll = RowScroll | RecordScroll;

/** Move its rows: as many as it has now. */
type RowScroll = {readonly by: 'rows'; readonly rows: (feeds: PaneFeeds) => number};

/**
Select one of its records, which `/` filters: how many the filter keeps, and how many rows the selected one takes
shown whole at `width` (PgUp PgDn page through it then).
*/
export type RecordScroll = {
	readonly by: 'records';
	readonly count: (feeds: PaneFeeds, filter: string) => number;
	readonly recordRows: (feeds: PaneFeeds, filter: string, selected: number, width: number) => number;
};

/** What Enter does: zoom the pane to the whole screen; `record`: once zoomed, show the selected record whole. */
export type Zoom = 'enlarge' | 'record';

/** What a pane is drawn with, besides its frame. */
export type PaneContext = {
	/** Every pane's data as on screen (a pane may draw another's: Performance draws Resources' history). */
	readonly feeds: PaneFeeds;
	readonly config: Config;
	readonly now: number;
	/** The pane's first row shown, within the rows it has. */
	readonly scroll: number;
	/** The state of the pane whose scroll is by records. */
	readonly records: RecordView;
	/** The performance metric shown; any integer (it wraps). */
	readonly metricIndex: number;
};

export type Pane<Id extends PaneId = PaneId> = {
	readonly id: Id;
	readonly title: string;
	/** The digit that focuses it; its number in its title. */
	readonly key: number;
	readonly poll: Poll;
	/** Reads the pane's data with `poll`'s options (a hook: called at every render, in table order). */
	readonly useFeed: (sources: Sources, options: PollOptions) => PaneFeeds[Id];
	readonly scroll?: Scroll;
	readonly zoom: Zoom;
	readonly render: (frame: PaneProps, context: PaneContext) => ReactElement;
};

type PaneSpec<Id extends PaneId, Own extends object> = Omit<Pane<Id>, 'render'> & {
	/** Draws the pane: props in, rows out. */
	readonly component: ComponentType<PaneProps & Own>;
	/** Its props beyond the frame's. */
	readonly props: (context: PaneContext) => Own;
};

function definePane<Id extends PaneId, Own extends object>({component, props, ...pane}: PaneSpec<Id, Own>): Pane<Id> {
	return {
		...pane,
		render: (frame, context) => createElement(component, {key: pane.id, ...frame, ...props(context)}),
	};
}

/** Summaries of a log change less often than gauges: they are read every few seconds at most, milliseconds. */
const LOG_INTERVAL_MS = 2000;
const everyInterval = (configuredMs: number) => configuredMs;
const everyLogInterval = (configuredMs: number) => Math.max(configuredMs, LOG_INTERVAL_MS);
const NO_HISTORY: readonly number[] = [];
const count = (result: {ok: boolean; data?: unknown[]} | undefined) => (result?.ok ? (result.data?.length ?? 0) : 0);

export const PANES = [
	definePane({
		id: 'resources',
		title: 'Resources',
		key: 1,
		// The header's status needs the gauges whatever is shown.
		poll: {intervalMs: everyInterval, onlyWhenShown: false},
		useFeed: useResources,
		zoom: 'enlarge',
		component: ResourcesPane,
		props: ({feeds, config}) => ({result: feeds.resources.data?.result, thresholds: config.thresholds, cpuHistory: feeds.resources.data?.cpuHistory ?? NO_HISTORY}),
	}),
	definePane({
		id: 'processes',
		title: 'Processes',
		key: 2,
		poll: {intervalMs: everyInterval, onlyWhenShown: false},
		useFeed: useProcesses,
		scroll: {by: 'rows', rows: ({processes}) => count(processes.data)},
		zoom: 'enlarge',
		component: ProcessesPane,
		props: ({feeds, config, now, scroll}) => ({
			result: feeds.processes.data, crashLoop: config.crashLoop, now, scroll,
		}),
	}),
	definePane({
		id: 'connections',
		title: 'Connections',
		key: 3,
		// Redis and the cameras count in the header's status too; the camera probes run in the background whatever is shown.
		poll: {intervalMs: everyInterval, onlyWhenShown: false},
		useFeed: useConnections,
		scroll: {by: 'rows', rows: ({connections}) => count(connections.cameras)},
		zoom: 'enlarge',
		component: ConnectionsPane,
		props: ({feeds: {connections}, config, now, scroll}) => ({
			redis: connections.redis?.info, latency: connections.redis?.latency ?? NO_HISTORY, cameras: connections.cameras, thresholds: config.thresholds, now, scroll,
		}),
	}),
	definePane({
		id: 'errors',
		title: 'Errors',
		key: 4,
		// Also read at once when errors.log changes (useLogFeed).
		poll: {intervalMs: everyInterval, onlyWhenShown: true},
		useFeed: useErrorFeed,
		scroll: {
			by: 'records',
			count: ({errors}, filter) => filteredErrors(errors.data, filter).length,
			recordRows(feeds, filter, selected, width) {
				const record = selectedRecord(filteredErrors(feeds.errors.data, filter), selected);
				return record === undefined ? 0 : detailRows(record, width);
			},
		},
		zoom: 'record',
		component: ErrorsPane,
		props: ({feeds, records}) => ({result: feeds.errors.data, ...records}),
	}),
	definePane({
		id: 'performance',
		title: 'Performance',
		key: 5,
		poll: {intervalMs: everyLogInterval, onlyWhenShown: true},
		useFeed: usePerformance,
		zoom: 'enlarge',
		component: PerformancePane,
		props: ({feeds, metricIndex}) => ({
			result: feeds.performance.data, metricIndex, cpuHistory: feeds.resources.data?.cpuHistory ?? NO_HISTORY, memoryHistory: feeds.resources.data?.memoryHistory ?? NO_HISTORY,
		}),
	}),
	definePane({
		id: 'issues',
		title: 'Issues',
		key: 6,
		poll: {intervalMs: everyLogInterval, onlyWhenShown: true},
		useFeed: useIssues,
		scroll: {by: 'rows', rows: ({issues}) => (issues.data?.ok ? issues.data.data.issues.length : 0)},
		zoom: 'enlarge',
		component: IssuesPane,
		props: ({feeds, now, scroll}) => ({result: feeds.issues.data, now, scroll}),
	}),
] as const;

export function paneById(id: PaneId): Pane {
	return PANES.find(pane => pane.id === id)!;
}

const selectsRecords = (pane: Pane): pane is Pane & {scroll: RecordScroll} => pane.scroll?.by === 'records';

/** The pane whose records ↑↓ select and `/` filters (the error feed). */
export const RECORDS_PANE = PANES.find(pane => selectsRecords(pane));

/** Every pane's data, each read by its hook with the options `optionsOf` gives that pane. */
export function usePaneFeeds(sources: Sources, optionsOf: (pane: Pane) => PollOptions): PaneFeeds {
	const feeds: Partial<Record<PaneId, PaneFeeds[PaneId]>> = {};
	for (const pane of PANES) {
		// PANES never changes: its hooks run in the same order at every render, as React asks.
		feeds[pane.id] = pane.useFeed(sources, optionsOf(pane));
	}

	// Every PaneId has its entry in PANES: test/ui/pane-table.test.ts checks it, on the types.
	return feeds as PaneFeeds;
}

/** How far each pane that scrolls by rows can scroll with this data (its rows − 1). */
export function scrollLimits(feeds: PaneFeeds): Partial<Record<PaneId, number>> {
	const limits: Partial<Record<PaneId, number>> = {};
	for (const pane of PANES) {
		if (pane.scroll?.by === 'rows') {
			limits[pane.id] = Math.max(0, pane.scroll.rows(feeds) - 1);
		}
	}

	return limits;
}
