import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {
	INITIAL_FLEET_STATE, reduceFleetKey, type FleetState,
} from '../../source/ui/fleet/fleet-state.js';
import {FLEET_KEYMAP, fleetCommandFor} from '../../source/ui/fleet/fleet-keymap.js';
import {COLUMNS, DEFAULT_SORT} from '../../source/fleet/fleet-columns.js';
import {FILTER_KEYMAP, footerText} from '../../source/ui/keymap.js';

/** The boxes on screen, by instance, in their order. */
const SHOWN = ['a:9464', 'b:9464', 'c:9464', 'd:9464', 'e:9464', 'f:9464', 'g:9464'];

type Press = {input?: string; ctrl?: boolean; shown?: readonly string[]; page?: number};

/** A key by the name keyName gives it (`up`, `enter`, `esc`, `s`, `ctrl-c`), on a screen of SHOWN three rows high. */
function press(state: FleetState, name: string, {
	input = name.length === 1 ? name : '', ctrl = name.startsWith('ctrl-'), shown = SHOWN, page = 3,
}: Press = {}): FleetState {
	return reduceFleetKey(state, {
		name, input, ctrl, meta: false, shown, page,
	});
}

/** The keys one after another. */
function presses(state: FleetState, names: string[], options: Press = {}): FleetState {
	let result = state;
	for (const name of names) {
		result = press(result, name, options);
	}

	return result;
}

/** A filter typed character by character, as Ink gives printable keys: the name is the text. */
function typed(state: FleetState, text: string): FleetState {
	return presses(state, [...text]);
}

describe('reduceFleetKey in the table', () => {
	it('moves the selection down and up from the first box, and stops at either end', () => {
		expect(press(INITIAL_FLEET_STATE, 'down').selected).toBe('b:9464');
		expect(presses(INITIAL_FLEET_STATE, ['down', 'down', 'up']).selected).toBe('b:9464');
		expect(press(INITIAL_FLEET_STATE, 'up').selected).toBe('a:9464');
		expect(presses(INITIAL_FLEET_STATE, Array.from({length: 20}, () => 'down')).selected).toBe('g:9464');
		expect(presses(INITIAL_FLEET_STATE, ['j', 'j', 'k']).selected).toBe('b:9464');
	});

	it('keeps the selected box when a refresh reorders the table, and moves from where it now is', () => {
		const selected = presses(INITIAL_FLEET_STATE, ['down', 'down']);
		expect(selected.selected).toBe('c:9464');
		const reordered = ['c:9464', 'a:9464', 'b:9464'];
		expect(press(selected, 'down', {shown: reordered}).selected).toBe('a:9464');
		expect(press(selected, 'up', {shown: reordered}).selected).toBe('c:9464');
	});

	it('starts from the top when the selected box is gone, and selects nothing in an empty table', () => {
		expect(press({...INITIAL_FLEET_STATE, selected: 'gone:9464'}, 'down').selected).toBe('b:9464');
		expect(press(INITIAL_FLEET_STATE, 'down', {shown: []}).selected).toBeUndefined();
	});

	it('moves a page with PgDn and PgUp, clamped at the ends', () => {
		expect(press(INITIAL_FLEET_STATE, 'pagedown').selected).toBe('d:9464');
		expect(presses(INITIAL_FLEET_STATE, ['pagedown', 'pagedown']).selected).toBe('g:9464');
		expect(presses(INITIAL_FLEET_STATE, ['pagedown', 'pagedown', 'pagedown']).selected).toBe('g:9464');
		expect(presses(INITIAL_FLEET_STATE, ['pagedown', 'pagedown', 'pageup']).selected).toBe('d:9464');
		expect(presses(INITIAL_FLEET_STATE, ['down', 'pageup']).selected).toBe('a:9464');
	});

	it('opens the selected box with Enter, or the first when none is selected', () => {
		expect(press(INITIAL_FLEET_STATE, 'enter')).toMatchObject({opened: 'a:9464', selected: 'a:9464', boxScroll: 0});
		expect(presses(INITIAL_FLEET_STATE, ['down', 'down', 'enter']).opened).toBe('c:9464');
		expect(press(INITIAL_FLEET_STATE, 'enter', {shown: []}).opened).toBeUndefined();
	});

	it('closes the box with Esc, then clears the filter with the next Esc', () => {
		const filtered = press(typed(press(INITIAL_FLEET_STATE, '/'), 'gate'), 'enter');
		expect(filtered).toMatchObject({filter: 'gate', editingFilter: false});
		const opened = press(filtered, 'enter');
		expect(opened.opened).toBe('a:9464');
		const closed = press(opened, 'esc');
		expect(closed).toMatchObject({opened: undefined, filter: 'gate'});
		expect(press(closed, 'esc').filter).toBe('');
	});

	it('cycles the sort column with s and S, each ascending, and reverses it with o', () => {
		expect(INITIAL_FLEET_STATE.sort).toEqual(DEFAULT_SORT);
		expect(press(INITIAL_FLEET_STATE, 's').sort).toEqual({column: COLUMNS[1]!.id, descending: false});
		expect(press(INITIAL_FLEET_STATE, 'S').sort).toEqual({column: COLUMNS.at(-1)!.id, descending: false});
		const around = presses(INITIAL_FLEET_STATE, COLUMNS.map(() => 's'));
		expect(around.sort).toEqual(DEFAULT_SORT);
		expect(presses(INITIAL_FLEET_STATE, ['s', 'S']).sort).toEqual(DEFAULT_SORT);
		const reversed = press(INITIAL_FLEET_STATE, 'o');
		expect(reversed.sort).toEqual({column: 'status', descending: true});
		expect(press(reversed, 'o').sort).toEqual(DEFAULT_SORT);
		expect(press(reversed, 's').sort.descending).toBe(false);
	});

	it('asks for a refresh with r, each press a new token', () => {
		expect(presses(INITIAL_FLEET_STATE, ['r', 'r', 'r']).refreshToken).toBe(INITIAL_FLEET_STATE.refreshToken + 3);
	});

	it('toggles help with ?; Esc closes it; Enter opens nothing under it', () => {
		const help = press(INITIAL_FLEET_STATE, '?');
		expect(help.help).toBe(true);
		expect(press(help, '?').help).toBe(false);
		expect(press(help, 'esc').help).toBe(false);
		expect(press(help, 'enter').opened).toBeUndefined();
	});

	it('quits with q (exit 0) and Ctrl-C (exit 130)', () => {
		expect(press(INITIAL_FLEET_STATE, 'q').exitCode).toBe(0);
		expect(press(INITIAL_FLEET_STATE, 'ctrl-c', {input: 'c'}).exitCode).toBe(130);
	});

	it('ignores keys bound to nothing', () => {
		for (const name of ['x', 'tab', 'ctrl-b', '1']) {
			expect(press(INITIAL_FLEET_STATE, name)).toBe(INITIAL_FLEET_STATE);
		}
	});
});

describe('reduceFleetKey while a box is open', () => {
	const opened = press(press(INITIAL_FLEET_STATE, 'down'), 'enter');

	it('scrolls the box with ↑↓ and a page with PgUp/PgDn, never above its top, leaving the selection be', () => {
		expect(opened).toMatchObject({opened: 'b:9464', boxScroll: 0});
		const scrolled = presses(opened, ['down', 'down', 'pagedown']);
		expect(scrolled).toMatchObject({boxScroll: 5, selected: 'b:9464', opened: 'b:9464'});
		expect(press(scrolled, 'up').boxScroll).toBe(4);
		expect(presses(scrolled, ['pageup', 'pageup', 'pageup']).boxScroll).toBe(0);
	});

	it('starts each box at its top', () => {
		const again = press(press(presses(opened, ['down', 'down']), 'esc'), 'enter');
		expect(again.boxScroll).toBe(0);
	});

	it('types no filter over a box', () => {
		expect(press(opened, '/').editingFilter).toBe(false);
	});
});

describe('reduceFleetKey while a filter is typed', () => {
	const editing = press(INITIAL_FLEET_STATE, '/');

	it('takes printable keys as the filter, bound ones too', () => {
		expect(editing.editingFilter).toBe(true);
		expect(typed(editing, 'gate-1 qs/?').filter).toBe('gate-1 qs/?');
		expect(typed(editing, 'qs').exitCode).toBeUndefined();
		expect(typed(editing, 'Ümlaut 监控').filter).toBe('Ümlaut 监控');
	});

	it('takes no control character, nor Ctrl or Alt keys', () => {
		for (const input of ['\u001B[2J', '\u0007', '\t']) {
			expect(press(editing, 'x', {input}).filter).toBe('');
		}

		expect(press(editing, 'ctrl-b', {input: 'b'}).filter).toBe('');
		expect(reduceFleetKey(editing, {
			name: 'meta-b', input: 'b', ctrl: false, meta: true, shown: SHOWN, page: 3,
		}).filter).toBe('');
	});

	it('deletes the last character with Backspace, a whole character however wide', () => {
		expect(press(typed(editing, 'gate监'), 'backspace').filter).toBe('gate');
		expect(press(editing, 'backspace').filter).toBe('');
	});

	it('keeps the filter with Enter and clears it with Esc', () => {
		const text = typed(editing, 'gate');
		expect(press(text, 'enter')).toMatchObject({filter: 'gate', editingFilter: false});
		expect(press(text, 'esc')).toMatchObject({filter: '', editingFilter: false});
	});

	it('selects from the top again once the filter changes', () => {
		const selected = press(presses(INITIAL_FLEET_STATE, ['down', 'down']), '/');
		expect(typed(selected, 'g').selected).toBeUndefined();
	});

	it('still quits with Ctrl-C', () => {
		expect(press(editing, 'ctrl-c', {input: 'c'}).exitCode).toBe(130);
	});
});

describe('FLEET_KEYMAP', () => {
	/** A state every command changes: a box selected mid-table, a filter kept. */
	const busy: FleetState = {...INITIAL_FLEET_STATE, selected: 'd:9464', filter: 'gate'};

	it('binds every key to a command that does something', () => {
		for (const binding of FLEET_KEYMAP.bindings) {
			for (const key of binding.keys) {
				expect(fleetCommandFor(key), key).toBe(binding.command);
				expect(press(busy, key, {input: key.length === 1 ? key : (key === 'ctrl-c' ? 'c' : '')}), `${key} (${binding.command})`).not.toEqual(busy);
			}
		}
	});

	it('binds no key twice', () => {
		const keys = FLEET_KEYMAP.bindings.flatMap(binding => binding.keys);
		expect(new Set(keys).size).toBe(keys.length);
	});

	it('offers only bound commands in the footer', () => {
		const bound = new Set(FLEET_KEYMAP.bindings.map(binding => binding.command));
		for (const entry of FLEET_KEYMAP.footer) {
			for (const command of entry.commands) {
				expect(bound.has(command), command).toBe(true);
			}
		}
	});

	it.each([40, 60, 80, 120])('writes a footer that fits %i columns and keeps help and quit', columns => {
		const footer = footerText(FLEET_KEYMAP, columns);
		expect(stringWidth(footer)).toBeLessThanOrEqual(columns);
		expect(footer).toContain('? help');
		expect(footer).toContain('q quit');
		expect(stringWidth(footerText(FILTER_KEYMAP, columns))).toBeLessThanOrEqual(columns);
	});

	it('writes the whole footer at 120 columns', () => {
		expect(footerText(FLEET_KEYMAP, 120)).toBe('↑↓ select · Enter open · Esc back · / filter · s sort · o reverse · r refresh · ? help · q quit');
	});
});
