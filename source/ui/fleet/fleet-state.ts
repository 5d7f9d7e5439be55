import {
	COLUMNS, DEFAULT_SORT, type SortOrder,
} from '../../fleet/fleet-columns.js';
import {filterCommandFor} from '../keymap.js';
import {fleetCommandFor} from './fleet-keymap.js';

export type FleetState = {
	readonly sort: SortOrder;
	readonly filter: string;
	readonly editingFilter: boolean;
	/** The selected box's instance: kept when a refresh reorders the table. */
	readonly selected: string | undefined;
	/** The box shown whole, by instance. */
	readonly opened: string | undefined;
	/** Rows scrolled in the opened box. */
	readonly boxScroll: number;
	readonly help: boolean;
	readonly refreshToken: number;
	readonly exitCode?: number;
};

export const INITIAL_FLEET_STATE: FleetState = {
	sort: DEFAULT_SORT, filter: '', editingFilter: false, selected: undefined, opened: undefined, boxScroll: 0, help: false, refreshToken: 0,
};

export type FleetKey = {
	readonly name: string;
	readonly input: string;
	readonly ctrl: boolean;
	readonly meta: boolean;
	/** The boxes on screen now, in order, by instance: where up and down go. */
	readonly shown: readonly string[];
	/** Rows of the table on screen: a page. */
	readonly page: number;
	/** How far an opened box's body can scroll now (BoxView says, at each render). */
	readonly boxScrollMax?: number;
};

/** The state after a key: every key's effect in one pure function, tested without a terminal. */
export function reduceFleetKey(state: FleetState, key: FleetKey): FleetState {
	if (state.editingFilter) {
		return reduceFilterKey(state, key);
	}

	switch (fleetCommandFor(key.name)) {
		case 'up': {
			return move(state, key, -1);
		}

		case 'down': {
			return move(state, key, 1);
		}

		case 'pageUp': {
			return move(state, key, -Math.max(1, key.page));
		}

		case 'pageDown': {
			return move(state, key, Math.max(1, key.page));
		}

		case 'open': {
			return open(state, key);
		}

		case 'back': {
			return back(state);
		}

		case 'filter': {
			return state.opened === undefined ? {...state, editingFilter: true, help: false} : state;
		}

		case 'sortNext': {
			return sortBy(state, 1);
		}

		case 'sortPrevious': {
			return sortBy(state, -1);
		}

		case 'reverse': {
			return {...state, sort: {...state.sort, descending: !state.sort.descending}};
		}

		case 'refresh': {
			return {...state, refreshToken: state.refreshToken + 1};
		}

		case 'help': {
			return {...state, help: !state.help};
		}

		case 'quit': {
			return {...state, exitCode: 0};
		}

		case 'interrupt': {
			return {...state, exitCode: 130};
		}

		case undefined: {
			return state;
		}
	}
}

/** While a filter is typed: printable keys are its text. */
function reduceFilterKey(state: FleetState, key: FleetKey): FleetState {
	switch (filterCommandFor(key.name)) {
		case 'keepFilter': {
			return {...state, editingFilter: false};
		}

		case 'clearFilter': {
			return {...state, editingFilter: false, filter: ''};
		}

		case 'deleteCharacter': {
			return {...state, filter: [...state.filter].slice(0, -1).join('')};
		}

		case 'interrupt': {
			return {...state, exitCode: 130};
		}

		default: {
			// Printable text only: a filter never holds a control character.
			return key.ctrl || key.meta || !/^[^\p{Cc}]+$/u.test(key.input) ? state : {...state, filter: state.filter + key.input, selected: undefined};
		}
	}
}

/** Up or down `by` rows: the selection in the table, the scroll in an opened box. */
function move(state: FleetState, key: FleetKey, by: number): FleetState {
	if (state.opened !== undefined) {
		return {...state, boxScroll: Math.min(key.boxScrollMax ?? Number.POSITIVE_INFINITY, Math.max(0, state.boxScroll + by))};
	}

	const index = state.selected === undefined ? 0 : Math.max(0, key.shown.indexOf(state.selected));
	const next = Math.min(Math.max(0, index + by), key.shown.length - 1);
	return {...state, selected: key.shown[next]};
}

/** Enter: the selected box (the first when none is) shown whole. */
function open(state: FleetState, key: FleetKey): FleetState {
	const instance = state.selected ?? key.shown[0];
	if (instance === undefined || state.help) {
		return state;
	}

	return {
		...state, opened: instance, selected: instance, boxScroll: 0,
	};
}

/** Esc: out of help, else out of the box, else the filter cleared. */
function back(state: FleetState): FleetState {
	if (state.help) {
		return {...state, help: false};
	}

	return state.opened === undefined ? {...state, filter: ''} : {...state, opened: undefined};
}

function sortBy(state: FleetState, by: number): FleetState {
	const index = COLUMNS.findIndex(column => column.id === state.sort.column);
	const next = COLUMNS[(index + by + COLUMNS.length) % COLUMNS.length]!;
	return {...state, sort: {column: next.id, descending: false}};
}
