import type {Keymap} from '../keymap.js';

export type FleetCommand =
	| 'up' | 'down' | 'pageUp' | 'pageDown'
	| 'open' | 'back' | 'filter'
	| 'sortNext' | 'sortPrevious' | 'reverse'
	| 'refresh' | 'help' | 'quit' | 'interrupt';

/** Every key `camtop fleet` answers to, as data: help and the footer are generated from it, as for the monitor. */
export const FLEET_KEYMAP: Keymap<FleetCommand> = {
	bindings: [
		{command: 'up', keys: ['up', 'k'], description: 'select the box above; scroll up in a box'},
		{command: 'down', keys: ['down', 'j'], description: 'select the box below; scroll down in a box'},
		{command: 'pageUp', keys: ['pageup'], description: 'a page up'},
		{command: 'pageDown', keys: ['pagedown'], description: 'a page down'},
		{command: 'open', keys: ['enter'], description: 'open the selected box: its last hour, cameras, processes, errors'},
		{command: 'back', keys: ['esc'], description: 'back: close the box, clear the filter, close help'},
		{command: 'filter', keys: ['/'], description: 'filter the boxes by any column (case-insensitive; Enter keeps, Esc clears)'},
		{command: 'sortNext', keys: ['s'], description: 'sort by the next column (status: worst first)'},
		{command: 'sortPrevious', keys: ['S'], description: 'sort by the previous column'},
		{command: 'reverse', keys: ['o'], description: 'reverse the order'},
		{command: 'refresh', keys: ['r'], description: 'refresh now'},
		{command: 'help', keys: ['?'], description: 'show or hide this help'},
		{command: 'quit', keys: ['q'], description: 'quit'},
		{command: 'interrupt', keys: ['ctrl-c'], description: 'quit'},
	],
	footer: [
		{commands: ['up', 'down'], label: 'select', keep: 5},
		{commands: ['open'], label: 'open', keep: 3},
		{commands: ['back'], label: 'back', keep: 4},
		{commands: ['filter'], label: 'filter', keep: 6},
		{commands: ['sortNext'], label: 'sort', keep: 7},
		{commands: ['reverse'], label: 'reverse', keep: 9},
		{commands: ['refresh'], label: 'refresh', keep: 8},
		{commands: ['help'], label: 'help', keep: 1},
		{commands: ['quit'], label: 'quit', keep: 2},
	],
};

const COMMANDS = new Map<string, FleetCommand>(FLEET_KEYMAP.bindings.flatMap(binding => binding.keys.map(key => [key, binding.command] as const)));

export function fleetCommandFor(name: string): FleetCommand | undefined {
	return COMMANDS.get(name);
}
