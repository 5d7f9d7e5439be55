import type {Key} from 'ink';

export type Command =
	| 'focusNext' | 'focusPrevious' | 'focusPane'
	| 'scrollUp' | 'scrollDown' | 'pageUp' | 'pageDown'
	| 'zoom' | 'back'
	| 'filter' | 'pause' | 'refresh'
	| 'previousMetric' | 'nextMetric'
	| 'alerts' | 'help' | 'quit' | 'interrupt';

export type Binding = {command: Command; keys: string[]; description: string};

/**
Every key camtop answers to, as data: the help screen is generated from this list. No Ctrl-letter is bound but
Ctrl-C: tmux and screen take Ctrl-B and Ctrl-A, shells Ctrl-Z.
*/
export const BINDINGS: readonly Binding[] = [
	{command: 'focusNext', keys: ['tab'], description: 'focus the next pane'},
	{command: 'focusPrevious', keys: ['shift-tab'], description: 'focus the previous pane'},
	{command: 'focusPane', keys: ['1', '2', '3', '4', '5', '6'], description: 'focus pane 1–6'},
	{command: 'scrollUp', keys: ['up', 'k'], description: 'scroll up / select the record above'},
	{command: 'scrollDown', keys: ['down', 'j'], description: 'scroll down / select the record below'},
	{command: 'pageUp', keys: ['pageup'], description: 'scroll a page up; page up through a long record shown whole'},
	{command: 'pageDown', keys: ['pagedown'], description: 'scroll a page down; page down through a long record shown whole'},
	{command: 'zoom', keys: ['enter'], description: 'zoom the focused pane; on a zoomed error feed, show the record whole'},
	{command: 'back', keys: ['esc'], description: 'back: close the record, unzoom, clear the filter, close help'},
	{command: 'filter', keys: ['/'], description: 'filter the error feed (case-insensitive; Enter keeps, Esc clears)'},
	{command: 'previousMetric', keys: ['['], description: 'previous performance metric'},
	{command: 'nextMetric', keys: [']'], description: 'next performance metric'},
	{command: 'pause', keys: ['p'], description: 'pause the display (collection goes on)'},
	{command: 'refresh', keys: ['r'], description: 'refresh now'},
	{command: 'alerts', keys: ['a'], description: 'show or hide the alerts: firing, then pending'},
	{command: 'help', keys: ['?'], description: 'show or hide this help'},
	{command: 'quit', keys: ['q'], description: 'quit'},
	{command: 'interrupt', keys: ['ctrl-c'], description: 'quit'},
];

const BY_KEY = new Map<string, Command>(BINDINGS.flatMap(binding => binding.keys.map(key => [key, binding.command] as const)));

/** The name of a key press as BINDINGS writes it: `tab`, `shift-tab`, `enter`, `up`, `ctrl-c`, `q`. */
export function keyName(input: string, key: Key): string {
	// Ctrl- and Alt- letters are keys of their own (bound to nothing but Ctrl-C), never the plain letter.
	if (key.ctrl && input.length === 1) {
		return `ctrl-${input}`;
	}

	if (key.meta && input.length === 1) {
		return `meta-${input}`;
	}

	if (key.tab) {
		return key.shift ? 'shift-tab' : 'tab';
	}

	if (key.return) {
		return 'enter';
	}

	if (key.escape) {
		return 'esc';
	}

	if (key.upArrow) {
		return 'up';
	}

	if (key.downArrow) {
		return 'down';
	}

	if (key.pageUp) {
		return 'pageup';
	}

	if (key.pageDown) {
		return 'pagedown';
	}

	if (key.backspace || key.delete) {
		return 'backspace';
	}

	return input;
}

export function commandFor(name: string): Command | undefined {
	return BY_KEY.get(name);
}
