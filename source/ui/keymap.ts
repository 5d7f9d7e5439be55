import type {Key} from 'ink';
import stringWidth from 'string-width';
import {PANES} from './panes/index.js';

export type Command =
	| 'focusNext' | 'focusPrevious' | 'focusPane'
	| 'scrollUp' | 'scrollDown' | 'pageUp' | 'pageDown'
	| 'zoom' | 'back'
	| 'filter' | 'pause' | 'refresh'
	| 'previousMetric' | 'nextMetric'
	| 'alerts' | 'help' | 'quit' | 'interrupt';

/** While a filter is typed, every printable key is text: only these keys do something else. */
export type FilterCommand = 'keepFilter' | 'clearFilter' | 'deleteCharacter' | 'interrupt';

export type Binding<C extends string = Command> = {readonly command: C; readonly keys: readonly string[]; readonly description: string};

/** One entry of the key footer: the keys of its commands' bindings, then its label ("Tab/1-6 focus"). */
export type FooterEntry<C extends string = Command> = {
	readonly commands: readonly C[];
	readonly label: string;
	/** When the terminal is too narrow for every entry, entries are kept by this rank (1 first) while they fit. */
	readonly keep: number;
};

/** The keys of a mode, as data: help is generated from `bindings`, the key footer from `footer`. */
export type Keymap<C extends string> = {
	readonly bindings: ReadonlyArray<Binding<C>>;
	/** What the footer offers, in its order. */
	readonly footer: ReadonlyArray<FooterEntry<C>>;
	/** The footer's first words, before its keys: what the mode takes that no binding names. */
	readonly hint?: string;
};

const paneKeys = PANES.map(pane => String(pane.key));

/**
Every key camtop answers to, as data: the help screen and the key footer are generated from it. No Ctrl-letter is
bound but Ctrl-C: tmux and screen take Ctrl-B and Ctrl-A, shells Ctrl-Z.
*/
export const PANE_KEYMAP: Keymap<Command> = {
	bindings: [
		{command: 'focusNext', keys: ['tab'], description: 'focus the next pane'},
		{command: 'focusPrevious', keys: ['shift-tab'], description: 'focus the previous pane'},
		{command: 'focusPane', keys: paneKeys, description: `focus pane ${paneKeys[0]}–${paneKeys.at(-1)}`},
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
	],
	// Narrow, the footer keeps what leads to the rest (help, which lists every key) and the ways in and out.
	footer: [
		{commands: ['focusNext', 'focusPane'], label: 'focus', keep: 3},
		{commands: ['scrollUp', 'scrollDown'], label: 'scroll', keep: 6},
		{commands: ['zoom'], label: 'zoom', keep: 4},
		{commands: ['back'], label: 'back', keep: 5},
		{commands: ['filter'], label: 'filter', keep: 7},
		{commands: ['alerts'], label: 'alerts', keep: 8},
		{commands: ['pause'], label: 'pause', keep: 9},
		{commands: ['refresh'], label: 'refresh', keep: 10},
		{commands: ['help'], label: 'help', keep: 1},
		{commands: ['quit'], label: 'quit', keep: 2},
	],
};

/** The keys bound while a filter is typed (after `/`). */
export const FILTER_KEYMAP: Keymap<FilterCommand> = {
	bindings: [
		{command: 'keepFilter', keys: ['enter'], description: 'keep the filter'},
		{command: 'clearFilter', keys: ['esc'], description: 'clear the filter'},
		{command: 'deleteCharacter', keys: ['backspace'], description: 'delete the last character'},
		{command: 'interrupt', keys: ['ctrl-c'], description: 'quit'},
	],
	footer: [
		{commands: ['keepFilter'], label: 'keep', keep: 1},
		{commands: ['clearFilter'], label: 'clear', keep: 2},
	],
	hint: 'type to filter',
};

/** The bindings help lists. */
export const BINDINGS = PANE_KEYMAP.bindings;

/** Keys as the footer writes them; other keys as they are named (`/`, `q`). */
const KEY_LABELS: Record<string, string> = {
	tab: 'Tab', 'shift-tab': 'Shift-Tab', enter: 'Enter', esc: 'Esc', up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn', backspace: 'Backspace', 'ctrl-c': 'Ctrl-C',
};

/** A binding's keys in the footer: its first key, or a run of digits as a range (`1-6`). */
function keysLabel(keys: readonly string[]): string {
	const digits = keys.length > 1 && keys.every((key, index) => /^\d$/.test(key) && (index === 0 || Number(key) === Number(keys[index - 1]) + 1));
	return digits ? `${keys[0]}-${keys.at(-1)}` : (KEY_LABELS[keys[0]!] ?? keys[0]!);
}

/** An entry as the footer writes it: its bindings' keys (one-character keys side by side, `↑↓`, others with a slash, `Tab/1-6`), then its label. */
export function footerEntryText<C extends string>(keymap: Keymap<C>, entry: FooterEntry<C>): string {
	const labels = entry.commands.map(command => keysLabel(keymap.bindings.find(binding => binding.command === command)?.keys ?? []));
	const keys = labels.every(label => [...label].length === 1) ? labels.join('') : labels.join('/');
	return `${keys} ${entry.label}`;
}

const SEPARATOR = ' · ';

/**
The key footer at `columns`: the hint, then every entry when they fit; else the entries of the best `keep` ranks that
fit, in the footer's order. Whole entries only: a key is never cut from its label.
*/
export function footerText<C extends string>(keymap: Keymap<C>, columns: number): string {
	const entries = keymap.footer.map(entry => ({entry, text: footerEntryText(keymap, entry)}));
	let width = keymap.hint === undefined ? -SEPARATOR.length : stringWidth(keymap.hint);
	const kept = new Set<FooterEntry<C>>();
	for (const {entry, text} of entries.toSorted((a, b) => a.entry.keep - b.entry.keep)) {
		width += SEPARATOR.length + stringWidth(text);
		if (width > columns) {
			break;
		}

		kept.add(entry);
	}

	return [...(keymap.hint === undefined ? [] : [keymap.hint]), ...entries.filter(({entry}) => kept.has(entry)).map(({text}) => text)].join(SEPARATOR);
}

const byKey = <C extends string>(keymap: Keymap<C>) => new Map<string, C>(keymap.bindings.flatMap(binding => binding.keys.map(key => [key, binding.command] as const)));
const PANE_COMMANDS = byKey(PANE_KEYMAP);
const FILTER_COMMANDS = byKey(FILTER_KEYMAP);

/** Control characters that stand for keys when several keys arrive in one read. */
const CHARACTER_KEYS: Record<string, string> = {
	'\r': 'enter', '\t': 'tab', '\u001B': 'esc', '\u007F': 'backspace',
};

export type Press = {readonly name: string; readonly input: string; readonly ctrl: boolean; readonly meta: boolean};

/**
The key presses of one read of stdin, named as BINDINGS writes them. Keys typed faster than stdin is read (or sent by
tmux send-keys) arrive together: `2\r` is 2, then Enter. While text is typed (a filter) a read is text as it is.
*/
export function pressedKeys(input: string, key: Key, isTyping: boolean): Press[] {
	if (input.length > 1 && !key.ctrl && !key.meta && !isTyping) {
		return [...input].map(character => ({
			name: CHARACTER_KEYS[character] ?? character, input: character, ctrl: false, meta: false,
		}));
	}

	return [{
		name: keyName(input, key), input, ctrl: key.ctrl, meta: key.meta,
	}];
}

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
	return PANE_COMMANDS.get(name);
}

/** What a key does while a filter is typed; undefined: it is text. */
export function filterCommandFor(name: string): FilterCommand | undefined {
	return FILTER_COMMANDS.get(name);
}
