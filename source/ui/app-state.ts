import {commandFor} from './keymap.js';

export const PANE_COUNT = 6;
export const ERRORS_PANE = 3;

export type AppState = {
	focus: number;
	zoomed: boolean;
	/** The selected error record shown whole. */
	detail: boolean;
	/** The first row shown of the record shown whole: PgUp/PgDn page through a long one. */
	detailScroll: number;
	help: boolean;
	/** The alert list instead of the panes. */
	alerts: boolean;
	paused: boolean;
	filter: string;
	editingFilter: boolean;
	/** Selected error record, counted from the newest (0). */
	selected: number;
	/** Scroll offset per pane. */
	scroll: number[];
	metricIndex: number;
	refreshToken: number;
	/** Set when a key asked to quit: the exit code. */
	exitCode: number | undefined;
};

export const INITIAL_STATE: AppState = {
	focus: 0, zoomed: false, detail: false, detailScroll: 0, help: false, alerts: false, paused: false, filter: '', editingFilter: false,
	selected: 0, scroll: [0, 0, 0, 0, 0, 0], metricIndex: 0, refreshToken: 0, exitCode: undefined,
};

/** How far each pane can scroll now (items − 1), the oldest error record that can be selected, and the last first row of the record shown whole. */
export type ScrollLimits = {scroll: number[]; selected: number; detail?: number};

/** Rows a page key moves. */
const PAGE_ROWS = 10;

export type KeyAction = {name: string; input: string; ctrl: boolean; meta: boolean; limits?: ScrollLimits};

const MAX_FILTER_LENGTH = 80;

/**
What a key does, from the state as it is when the key is read: a reducer, so that keys typed faster than the screen
redraws (a pasted filter) each see the state the previous one left.
*/
export function reduceKey(state: AppState, {name, input, ctrl, meta, limits}: KeyAction): AppState {
	if (state.editingFilter) {
		switch (name) {
			case 'esc': {
				return {...state, filter: '', editingFilter: false};
			}

			case 'enter': {
				return {...state, editingFilter: false};
			}

			case 'backspace': {
				return {...state, filter: state.filter.slice(0, -1)};
			}

			case 'ctrl-c': {
				return {...state, exitCode: 130};
			}

			default: {
				// Printable characters only: control characters and escape sequences never reach the filter.
				const printable = [...input].filter(character => character >= ' ' && character !== '\u007F').join('');
				return printable === '' || ctrl || meta ? state : {...state, filter: (state.filter + printable).slice(0, MAX_FILTER_LENGTH), selected: 0};
			}
		}
	}

	// Clamped to what there is, so that scrolling back always moves at once.
	const clamp = (value: number, max: number | undefined) => Math.max(0, Math.min(value, max ?? Number.POSITIVE_INFINITY));
	// In the error feed ↑↓ select a record (shown whole or not, as before); PgUp PgDn page through a record shown
	// whole when it is longer than the pane, and select records otherwise.
	const pagesRecord = state.focus === ERRORS_PANE && state.detail && (limits?.detail ?? 0) > 0;
	const scrollBy = (delta: number, page = false): AppState => (state.focus === ERRORS_PANE
		? (page && pagesRecord
			? {...state, detailScroll: clamp(clamp(state.detailScroll, limits?.detail) + delta, limits?.detail)}
			: {...state, selected: clamp(state.selected - delta, limits?.selected), detailScroll: 0})
		: {...state, scroll: state.scroll.map((offset, pane) => (pane === state.focus ? clamp(offset + delta, limits?.scroll[pane]) : offset))});

	switch (commandFor(name)) {
		case 'quit': {
			return {...state, exitCode: 0};
		}

		case 'interrupt': {
			return {...state, exitCode: 130};
		}

		case 'focusNext': {
			return {...state, focus: (state.focus + 1) % PANE_COUNT, detail: false};
		}

		case 'focusPrevious': {
			return {...state, focus: (state.focus + PANE_COUNT - 1) % PANE_COUNT, detail: false};
		}

		case 'focusPane': {
			return {...state, focus: Number(name) - 1, detail: false};
		}

		case 'scrollUp': {
			return scrollBy(-1);
		}

		case 'scrollDown': {
			return scrollBy(1);
		}

		case 'pageUp': {
			return scrollBy(-PAGE_ROWS, true);
		}

		case 'pageDown': {
			return scrollBy(PAGE_ROWS, true);
		}

		case 'zoom': {
			return state.zoomed && state.focus === ERRORS_PANE ? {...state, detail: !state.detail, detailScroll: 0} : {...state, zoomed: true};
		}

		case 'back': {
			if (state.help || state.alerts) {
				return {...state, help: false, alerts: false};
			}

			if (state.detail) {
				return {...state, detail: false};
			}

			return state.filter === '' ? {...state, zoomed: false} : {...state, filter: ''};
		}

		case 'filter': {
			return {
				...state, focus: ERRORS_PANE, editingFilter: true, help: false, alerts: false, detail: false,
			};
		}

		case 'pause': {
			return {...state, paused: !state.paused};
		}

		case 'refresh': {
			return {...state, refreshToken: state.refreshToken + 1};
		}

		case 'previousMetric': {
			return {...state, metricIndex: state.metricIndex - 1};
		}

		case 'nextMetric': {
			return {...state, metricIndex: state.metricIndex + 1};
		}

		case 'help': {
			return {...state, help: !state.help, alerts: false};
		}

		case 'alerts': {
			return {...state, alerts: !state.alerts, help: false};
		}

		default: {
			return state;
		}
	}
}
