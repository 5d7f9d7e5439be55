import {
	describe, expect, expectTypeOf, it,
} from 'vitest';
import {
	PANES, RECORDS_PANE, paneById, scrollLimits, type PaneFeeds, type PaneId,
} from '../../source/ui/panes/index.js';
import {PANE_KEYMAP} from '../../source/ui/keymap.js';
import {
	INITIAL_STATE, reduceKey, type AppState, type ScrollLimits,
} from '../../source/ui/app-state.js';
import {ok} from '../../source/base/result.js';
import {events, processes} from './fixtures.js';

const NO_LIMITS: ScrollLimits = {scroll: {}, selected: 0};

/** The state after these keys, with these limits. */
function press(keys: string[], limits = NO_LIMITS, state = INITIAL_STATE): AppState {
	let current = state;
	for (const name of keys) {
		current = reduceKey(current, {
			name, input: name, ctrl: false, meta: false, limits,
		});
	}

	return current;
}

describe('the pane table', () => {
	it('lists every pane once, by id', () => {
		// Every id PaneFeeds declares has its entry, and none other (checked by the compiler: test/tsconfig.json).
		expectTypeOf<(typeof PANES)[number]['id']>().toEqualTypeOf<PaneId>();
		const ids = PANES.map(pane => pane.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ids) {
			expect(paneById(id).id).toBe(id);
		}
	});

	it('gives the panes the keys 1 to n in order, and the keymap binds exactly those', () => {
		expect(PANES.map(pane => pane.key)).toEqual(PANES.map((_, index) => index + 1));
		expect(PANE_KEYMAP.bindings.find(binding => binding.command === 'focusPane')?.keys).toEqual(PANES.map(pane => String(pane.key)));
	});

	it('has one pane whose records ↑↓ select, `/` filters and Enter opens; the others zoom only', () => {
		expect(PANES.filter(pane => pane.scroll?.by === 'records')).toEqual([RECORDS_PANE]);
		expect(PANES.filter(pane => pane.zoom === 'record')).toEqual([RECORDS_PANE]);
		const filtering = press(['1', '/']);
		expect(filtering.focus).toBe(RECORDS_PANE!.id);
		expect(filtering.editingFilter).toBe(true);
		const opened = press(['enter', 'enter'], NO_LIMITS, {...INITIAL_STATE, focus: RECORDS_PANE!.id});
		expect(opened.detail).toBe(true);
		const zoomed = press(['enter', 'enter'], NO_LIMITS, {...INITIAL_STATE, focus: 'processes'});
		expect(zoomed).toMatchObject({zoomed: true, detail: false});
	});

	it('moves the focus through the table\'s order by id', () => {
		// Tab after Tab, from the first pane round to it again.
		const visited = PANES.map((_, tabs) => press(Array.from({length: tabs + 1}, () => 'tab')).focus);
		expect([INITIAL_STATE.focus, ...visited]).toEqual([...PANES.map(pane => pane.id), PANES[0].id]);
		expect(press(['shift-tab']).focus).toBe(PANES.at(-1)!.id);
		for (const pane of PANES) {
			expect(press([String(pane.key)]).focus).toBe(pane.id);
		}
	});

	it('scrolls the focused pane by its id, within the rows its data has', () => {
		const feeds = {
			processes: {data: ok(processes), updatedAt: 1},
			connections: {redis: undefined, cameras: undefined, updatedAt: undefined},
			issues: {data: ok(events), updatedAt: 1},
		} as unknown as PaneFeeds;
		const limits = {scroll: scrollLimits(feeds), selected: 0};
		expect(limits.scroll).toEqual({processes: processes.length - 1, connections: 0, issues: events.issues.length - 1});
		const scrolled = press(['2', 'j', 'j', 'j', 'j', 'j', '6', 'j'], limits);
		expect(scrolled.scroll).toEqual({processes: processes.length - 1, issues: 1});
		// A pane that does not scroll keeps no offset.
		expect(press(['1', 'j'], limits).scroll).toEqual({});
	});
});
