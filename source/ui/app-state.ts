import {
	commandFor, filterCommandFor, type Command, type FilterCommand,
} from './keymap.js';
import {
	PANES, RECORDS_PANE, paneById, type PaneId,
} from './panes/index.js';
import type {RecordView} from './panes/errors-pane.js';

export type AppState = RecordView & {
	focus: PaneId;
	zoomed: boolean;
	help: boolean;
	/** The alert list instead of the panes. */
	alerts: boolean;
	paused: boolean;
	/** Rows scrolled in each pane that scrolls by rows. */
	scroll: Partial<Record<PaneId, number>>;
	metricIndex: number;
	refreshToken: number;
	/** Set when a key asked to quit: the exit code. */
	exitCode: number | undefined;
};

export const INITIAL_STATE: AppState = {
	focus: PANES[0].id, zoomed: false, detail: false, detailScroll: 0, help: false, alerts: false, paused: false, filter: '', editingFilter: false,
	selected: 0, scroll: {}, metricIndex: 0, refreshToken: 0, exitCode: undefined,
};

/**
How far each pane can scroll now (its rows − 1), the oldest record the records pane can select, and the last first
row of the record shown whole.
*/
export type ScrollLimits = {scroll: Partial<Record<PaneId, number>>; selected: number; detail?: number};

/** Rows a page key moves. */
const PAGE_ROWS = 10;

export type KeyAction = {name: string; input: string; ctrl: boolean; meta: boolean; limits?: ScrollLimits};

const MAX_FILTER_LENGTH = 80;

/** What a command does to the state. */
type Step = (state: AppState, action: KeyAction) => AppState;

/** Clamped to what there is, so that scrolling back always moves at once. */
const clamp = (value: number, max: number | undefined) => Math.max(0, Math.min(value, max ?? Number.POSITIVE_INFINITY));

function focusBy(state: AppState, offset: number): AppState {
	const index = PANES.findIndex(pane => pane.id === state.focus);
	return {...state, focus: PANES[(index + offset + PANES.length) % PANES.length]!.id, detail: false};
}

/** ↑↓ and PgUp PgDn in the focused pane, as its entry in PANES says it scrolls. */
function scrollBy(state: AppState, limits: ScrollLimits | undefined, delta: number, page = false): AppState {
	const pane = paneById(state.focus);
	switch (pane.scroll?.by) {
		case 'records': {
			// ↑↓ select a record (shown whole or not); PgUp PgDn page through a record shown whole when it is longer
			// than the pane, and select records otherwise.
			return page && pane.zoom === 'record' && state.detail && (limits?.detail ?? 0) > 0
				? {...state, detailScroll: clamp(clamp(state.detailScroll, limits?.detail) + delta, limits?.detail)}
				: {...state, selected: clamp(state.selected - delta, limits?.selected), detailScroll: 0};
		}

		case 'rows': {
			return {...state, scroll: {...state.scroll, [pane.id]: clamp((state.scroll[pane.id] ?? 0) + delta, limits?.scroll[pane.id])}};
		}

		case undefined: {
			return state;
		}
	}
}

function back(state: AppState): AppState {
	if (state.help || state.alerts) {
		return {...state, help: false, alerts: false};
	}

	if (state.detail) {
		return {...state, detail: false};
	}

	return state.filter === '' ? {...state, zoomed: false} : {...state, filter: ''};
}

const STEPS: Record<Command, Step> = {
	quit: state => ({...state, exitCode: 0}),
	interrupt: state => ({...state, exitCode: 130}),
	focusNext: state => focusBy(state, 1),
	focusPrevious: state => focusBy(state, -1),
	focusPane(state, {name}) {
		const pane = PANES.find(pane => String(pane.key) === name);
		return pane === undefined ? state : {...state, focus: pane.id, detail: false};
	},
	scrollUp: (state, {limits}) => scrollBy(state, limits, -1),
	scrollDown: (state, {limits}) => scrollBy(state, limits, 1),
	pageUp: (state, {limits}) => scrollBy(state, limits, -PAGE_ROWS, true),
	pageDown: (state, {limits}) => scrollBy(state, limits, PAGE_ROWS, true),
	zoom: state => (state.zoomed && paneById(state.focus).zoom === 'record' ? {...state, detail: !state.detail, detailScroll: 0} : {...state, zoomed: true}),
	back,
	filter(state) {
		if (RECORDS_PANE === undefined) {
			return state;
		}

		return {
			...state, focus: RECORDS_PANE.id, editingFilter: true, help: false, alerts: false, detail: false,
		};
	},
	pause: state => ({...state, paused: !state.paused}),
	refresh: state => ({...state, refreshToken: state.refreshToken + 1}),
	previousMetric: state => ({...state, metricIndex: state.metricIndex - 1}),
	nextMetric: state => ({...state, metricIndex: state.metricIndex + 1}),
	help: state => ({...state, help: !state.help, alerts: false}),
	alerts: state => ({...state, alerts: !state.alerts, help: false}),
};

const FILTER_STEPS: Record<FilterCommand, Step> = {
	keepFilter: state => ({...state, editingFilter: false}),
	clearFilter: state => ({...state, filter: '', editingFilter: false}),
	deleteCharacter: state => ({...state, filter: state.filter.slice(0, -1)}),
	interrupt: state => ({...state, exitCode: 130}),
};

/** A key that is no filter command, typed into the filter: printable characters only, so control characters and escape sequences never reach it. */
function typeFilter(state: AppState, {input, ctrl, meta}: KeyAction): AppState {
	const printable = [...input].filter(character => character >= ' ' && character !== '\u007F').join('');
	return printable === '' || ctrl || meta ? state : {...state, filter: (state.filter + printable).slice(0, MAX_FILTER_LENGTH), selected: 0};
}

/**
What a key does, from the state as it is when the key is read: a reducer, so that keys typed faster than the screen
redraws (a pasted filter) each see the state the previous one left.
*/
export function reduceKey(state: AppState, action: KeyAction): AppState {
	if (state.editingFilter) {
		const command = filterCommandFor(action.name);
		return command === undefined ? typeFilter(state, action) : FILTER_STEPS[command](state, action);
	}

	const command = commandFor(action.name);
	return command === undefined ? state : STEPS[command](state, action);
}
