import React from 'react';
import {
	afterEach, describe, expect, it, vi,
} from 'vitest';
import {render, cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.js';
import {DEFAULTS} from '../../source/config/types.js';
import {type Config} from '../../source/config/load.js';
import {chooseLayout, columnHeights, summaryHeights} from '../../source/ui/layout.js';
import {BINDINGS} from '../../source/ui/keymap.js';
import {waitFor} from '../helpers/wait-for.js';
import {ok} from '../../source/base/result.js';
import {errors, fixtureSources} from './fixtures.js';
import {frameLines} from './render-sized.js';

const config: Config = {
	logs: '/nonexistent/logs', legacyLog: '/nonexistent/greencam.log', redis: 'redis://127.0.0.1:6379', intervalMs: 100,
	processes: ['cam1_stream.py', 'start.py', 'client.py'], thresholds: structuredClone(DEFAULTS.thresholds), recentErrors: 10,
	cameras: [], crashLoop: {restarts: 3, minutes: 10}, fleet: {...DEFAULTS.fleet}, alerts: [], file: undefined,
};

const KEYS = {
	tab: '\t', shiftTab: '\u001B[Z', enter: '\r', escape: '\u001B', up: '\u001B[A', down: '\u001B[B', pageUp: '\u001B[5~', pageDown: '\u001B[6~',
};

afterEach(() => {
	cleanup();
});

/** The terminal the tests draw in unless they say otherwise. */
const SIZE = {columns: 120, rows: 40};

function start(size = SIZE, overrides: Parameters<typeof fixtureSources>[0] = {}) {
	const sources = fixtureSources(overrides);
	const onExit = vi.fn();
	const tree = <App sources={sources} config={config} size={size} onExit={onExit}/>;
	const app = render(tree);
	// The stdout of ink-testing-library is 100 columns wide; Ink lays the root out at stdout.columns.
	Object.defineProperty(app.stdout, 'columns', {get: () => size.columns, configurable: true});
	app.rerender(tree);
	const frame = () => app.lastFrame() ?? '';
	const until = async (what: string | RegExp, negate = false) => waitFor(() => {
		const text = frame();
		const found = typeof what === 'string' ? text.includes(what) : what.test(text);
		return found === negate ? undefined : text;
	}, `${negate ? 'no ' : ''}${String(what)} on screen in\n${frame()}`, 5000);
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			// Ink reads a key as it is written, if it listens (one written before would be lost: say so) …
			await waitFor(() => app.stdin.data === null, `Ink to read ${JSON.stringify(key)}`);
			// … and what Ink and React queue for it runs in setImmediate callbacks (a lone Escape is held in case a sequence
			// follows; effects run after the paint): ours, queued after theirs, runs after them.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
		}
	};

	return {
		app, sources, onExit, frame, until, press,
	};
}

describe('the app and its keymap', () => {
	it('shows all six panes in a grid at 120 × 40, with a header and key hints', async () => {
		const {until, frame} = start();
		await until('camera-box-07');
		await until('thread_timeout');
		for (const title of ['1 Resources', '2 Processes', '3 Connections', '4 Errors', '5 Performance', '6 Issues']) {
			expect(frame()).toContain(title);
		}

		expect(frame()).toMatch(/camtop · camera-box-07 · ● CRITICAL · \d\d:\d\d:\d\d · self/);
		expect(frame()).toContain('? help · q quit');
		const {lines, widest} = frameLines(frame());
		// At most rows − 1 lines: a full-height frame makes Ink 6 clear the screen on every render.
		expect(lines.length).toBeLessThanOrEqual(39);
		expect(widest).toBeLessThanOrEqual(120);
	});

	it('moves the focus with Tab, Shift-Tab and the digits', async () => {
		const {until, press} = start();
		await until('▶1 Resources');
		await press(KEYS.tab);
		await until('▶2 Processes');
		await press(KEYS.shiftTab, KEYS.shiftTab);
		await until('▶6 Issues');
		await press('4');
		await until('▶4 Errors');
	});

	it('zooms the focused pane with Enter and goes back with Esc, polling only what is shown', async () => {
		const {until, press, frame, sources} = start();
		await until('thread_timeout');
		await press('2', KEYS.enter);
		await until('Resources', true);
		expect(frame()).toContain('▶2 Processes');
		expect(frame()).not.toContain('6 Issues');
		// A poll already under way when the zoom was drawn may still land (effects are cleaned up after the paint): counted
		// from once the processes pane, still shown, has been polled again.
		const polls = (name: string) => sources.calls[name] ?? 0;
		const zoomedAt = polls('processes');
		await waitFor(() => polls('processes') > zoomedAt, 'a poll of the processes after the zoom');
		const errorsPolls = polls('errors');
		const processesPolls = polls('processes');
		// The error feed is not on screen: it is not read while the interval (the same for both) ticks four times.
		await waitFor(() => polls('processes') >= processesPolls + 4, 'four more polls of the processes');
		expect(polls('errors')).toBe(errorsPolls);
		await press(KEYS.escape);
		await until('6 Issues');
	});

	it('filters the error feed, case-insensitive, and Esc clears the filter', async () => {
		const {until, press, frame} = start();
		await until('10:29:00');
		await press('/', 'C', 'A', 'M', 'E', 'R', 'A', KEYS.enter);
		await until('/CAMERA');
		expect(frame()).toContain('2 matches');
		expect(frame()).not.toContain('10:10:00');
		await press(KEYS.escape);
		await until('/CAMERA', true);
		expect(frame()).toContain('10:10:00');
	});

	it('shows an error record whole on Enter in the zoomed feed', async () => {
		const {until, press} = start();
		await until('10:29:00');
		await press('4', KEYS.enter, KEYS.up, KEYS.up, KEYS.up, KEYS.enter);
		await until('2024-01-15 10:10:00,000 ERROR camera_system fetch_image:123');
		await until('Traceback (most recent call last):');
		await press(KEYS.escape);
		await until('Traceback (most recent call last):', true);
	});

	it('pages a record longer than the pane with PgUp and PgDn, and ↑ still selects the record above', async () => {
		const huge = {...errors.records[3]!, message: Array.from({length: 1000}, (_, index) => `part${String(index).padStart(3, '0')}`).join(' ')};
		const {until, press, frame} = start({columns: 120, rows: 40}, {errors: async () => ok({...errors, records: [...errors.records.slice(0, 3), huge]})});
		await until('part000');
		await press('4', KEYS.enter, KEYS.enter);
		await until(/rows 1–\d+ of \d+ · PgUp PgDn/);
		expect(frame()).not.toContain('part999');
		await press(KEYS.pageDown, KEYS.pageDown, KEYS.pageDown, KEYS.pageDown, KEYS.pageDown);
		await until('part999');
		expect(frame()).not.toContain('part000');
		// The last page ends with the record: no blank rows after it, its position said.
		await until(/rows \d+–(\d+) of \1 · PgUp PgDn/);
		await press(KEYS.pageUp, KEYS.pageUp, KEYS.pageUp, KEYS.pageUp, KEYS.pageUp);
		await until('part000');
		await press(KEYS.up);
		await until('Camera 摄像头 📷 timeout');
	});

	it('pauses the display with p and shows a PAUSED badge', async () => {
		const {until, press} = start();
		await until('camera-box-07');
		await press('p');
		await until('PAUSED');
		await press('p');
		await until('PAUSED', true);
	});

	it('shows help generated from the keymap with ?, and closes it with Esc', async () => {
		const {until, press, frame} = start();
		await until('camera-box-07');
		await press('?');
		await until('Keys');
		for (const binding of BINDINGS) {
			expect(frame()).toContain(binding.description);
		}

		await press(KEYS.escape);
		await until('1 Resources');
	});

	it('cycles the performance metric with [ and ]', async () => {
		const {until, press} = start();
		await until('fetch_image_duration 1/2');
		await press(']');
		await until('queue_depth 2/2');
		await press('[');
		await until('fetch_image_duration 1/2');
	});

	it('binds no Ctrl or Alt letter but Ctrl-C: Ctrl-Q, Alt-q and Ctrl-P do nothing', async () => {
		const {until, press, onExit, frame} = start();
		await until('camera-box-07');
		await press('\u0011', '\u001Bq', '\u0010');
		// Then a key that does something: once its change is on screen, the three before it were handled (in order).
		await press(']');
		await until('queue_depth 2/2');
		expect(onExit).not.toHaveBeenCalled();
		expect(frame()).not.toContain('PAUSED');
	});

	it('scrolls back at once after scrolling past the end', async () => {
		const {until, press, frame} = start();
		await until('cam1_stream.py');
		await press('2', ...Array.from({length: 10}, () => 'j'));
		await until('cam1_stream.py', true);
		await press('k', 'k');
		await until('cam1_stream.py');
		expect(frame()).toContain('start.py');
	});

	it('closes help when / starts a filter, so the keys that follow are seen', async () => {
		const {until, press} = start();
		await until('camera-box-07');
		await press('?');
		await until('Keys');
		await press('/', 'x', 'y');
		await until('/xy');
		await until('show or hide this help', true);
	});

	it('freezes the clock with the data while paused', async () => {
		const {app, until, press, frame} = start();
		await until('camera-box-07');
		await press('p');
		await until('PAUSED');
		const paused = frame().split('\n')[0];
		// The clock shows seconds: time passing is the subject. Once the wall clock is in a later second and the app has
		// drawn again (the data is still polled while paused), a clock that was not frozen would show it.
		const nextSecond = (Math.floor(Date.now() / 1000) + 1) * 1000;
		await waitFor(() => Date.now() >= nextSecond, 'the next second');
		const frames = app.frames.length;
		await waitFor(() => app.frames.length > frames, 'a frame drawn in it');
		expect(frame().split('\n')[0]).toBe(paused);
	});

	it('quits with q (0) and with Ctrl-C (130)', async () => {
		const first = start();
		await first.until('camera-box-07');
		await first.press('q');
		await waitFor(() => first.onExit.mock.calls.length > 0, 'q to quit');
		expect(first.onExit).toHaveBeenCalledWith(0);
		cleanup();
		const second = start();
		await second.until('camera-box-07');
		await second.press('\u0003');
		await waitFor(() => second.onExit.mock.calls.length > 0, 'Ctrl-C to quit');
		expect(second.onExit).toHaveBeenCalledWith(130);
	});
});

describe('layouts', () => {
	it('picks a grid, a column, a summary or a single line by size', () => {
		expect(chooseLayout({columns: 120, rows: 40})).toBe('grid');
		expect(chooseLayout({columns: 100, rows: 30})).toBe('grid');
		expect(chooseLayout({columns: 120, rows: 25})).toBe('column');
		expect(chooseLayout({columns: 40, rows: 50})).toBe('column');
		expect(chooseLayout({columns: 80, rows: 15})).toBe('summary');
		expect(chooseLayout({columns: 29, rows: 40})).toBe('too-small');
		expect(chooseLayout({columns: 80, rows: 7})).toBe('too-small');
		expect(columnHeights(40, 6, 2)).toEqual([4, 4, 20, 4, 4, 4]);
		expect(columnHeights(20, 6, 0)).toEqual([15, 1, 1, 1, 1, 1]);
		// Short: the focused pane keeps a frame and two lines; the panes nearest it get the lines that are left.
		expect(summaryHeights(12, 6, 2)).toEqual([1, 1, 7, 1, 1, 1]);
		expect(summaryHeights(5, 6, 5)).toEqual([0, 0, 0, 0, 1, 4]);
	});

	it('gives the focused pane most rows in a tmux side pane (40 columns)', async () => {
		const {until, frame, press} = start({columns: 40, rows: 50});
		await until('camera-box-07');
		await press('4');
		await until('10:29:00');
		const {lines, widest} = frameLines(frame());
		expect(widest).toBeLessThanOrEqual(40);
		expect(lines.length).toBeLessThanOrEqual(49);
		expect(frame()).toContain('▶4 Errors');
	});

	it('keeps every pane inside its own frame in a tmux side pane', async () => {
		const {until, frame, press} = start({columns: 40, rows: 50});
		await until('camera-box-07');
		await press('2');
		await until('▶2 Processes');
		await until('6 Issues');
		await until('cam1_stream.py');
		const lines = frame().split('\n');
		const top = lines.findIndex(line => line.includes('▶2 Processes')) - 1;
		const bottom = lines.findIndex((line, index) => index > top && line.startsWith('╰'));
		expect(lines[top]).toMatch(/^╭─+╮$/);
		expect(lines[bottom]).toMatch(/^╰─+╯$/);
		for (const line of lines.slice(top + 1, bottom)) {
			// Resources' lines would show here if they spilled out of their frame.
			expect(line).toMatch(/^│.*│$/);
			expect(line).not.toMatch(/memory|disk|uptime/);
		}
	});

	it('shows one line per pane and the focused pane when short', async () => {
		const {until, frame} = start({columns: 80, rows: 15});
		await until('2/3 running');
		const {lines, widest} = frameLines(frame());
		expect(widest).toBeLessThanOrEqual(80);
		expect(lines.length).toBeLessThanOrEqual(14);
		expect(frame()).toContain('redis up 0.8 ms · cameras 1/3 live');
		// The focused pane, framed, its lines clipped at its bottom border rather than drawn over it.
		const frameRows = frame().split('\n');
		const bottom = frameRows.findIndex(line => line.startsWith('╰'));
		expect(frameRows[bottom]).toMatch(/^╰─+╯$/);
		expect(frame()).toContain('CPU');
	});

	it('lays out again at once when the terminal is resized', async () => {
		const sources = fixtureSources();
		const tree = <App sources={sources} config={config} onExit={vi.fn()}/>;
		const app = render(tree);
		let columns = 120;
		Object.defineProperty(app.stdout, 'columns', {get: () => columns, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {get: () => 40, configurable: true});
		app.stdout.emit('resize');
		await waitFor(() => app.lastFrame()?.includes('6 Issues') && frameLines(app.lastFrame()).widest > 100, 'the grid at 120 columns');
		columns = 40;
		app.stdout.emit('resize');
		await waitFor(() => frameLines(app.lastFrame()).widest <= 40 && app.lastFrame()?.includes('▶1 Resources'), 'one column at 40 columns');
	});

	it('says the terminal is too small below 30 × 8', async () => {
		const {until, frame} = start({columns: 25, rows: 6});
		await until('terminal too small (25×6)');
		expect(frame().split('\n')).toHaveLength(1);
	});
});

describe('alerts on screen', () => {
	const firing = {
		rule: 'camera_down', metric: 'camera_state' as const, instance: 'yard', severity: 'critical' as const, state: 'firing' as const,
		value: 1, since: Date.now() - 200_000, firedAt: Date.now() - 170_000, summary: 'camera yard STALLED',
	};
	const pending = {
		...firing, rule: 'cpu_high', metric: 'cpu_percent' as const, instance: '', severity: 'warning' as const, state: 'pending' as const, value: 97, since: Date.now() - 5000, firedAt: null, summary: 'cpu 97.0 % ≥ 95 %',
	};
	const alerts = async () => ({
		states: [firing, pending], rules: 12, notifies: true, notifyError: 'webhook hooks.example.com: HTTP 500',
	});

	it('counts firing and pending alerts in the header', async () => {
		const {until} = start(undefined, {alerts});
		await until(/● CRITICAL · ▲ 1 ALERT · 1 pending · \d\d:/);
	});

	it('lists them on `a`, firing first, and closes the list with Esc', async () => {
		const {until, press, frame} = start(undefined, {alerts});
		await until('▲ 1 ALERT');
		await press('a');
		await until('Alerts 12 rules');
		const lines = frame().split('\n');
		const yard = lines.findIndex(line => /FIRING +critical +camera_down yard +3 m 2\d s +camera yard STALLED/.test(line));
		const cpu = lines.findIndex(line => /PENDING +warning +cpu_high +\d+ s +cpu 97\.0 % ≥ 95 %/.test(line));
		expect(yard, frame()).toBeGreaterThan(0);
		expect(cpu).toBeGreaterThan(yard);
		expect(frame()).toContain('notifications failing: webhook hooks.example.com: HTTP 500');
		expect(frame()).not.toContain('1 Resources');
		await press(KEYS.escape);
		await until('1 Resources');
		await press('a', 'a');
		await until('1 Resources');
	});

	it('says when nothing is firing, and shows no count in the header', async () => {
		const {until, press, frame} = start(undefined, {
			alerts: async () => ({
				states: [], rules: 12, notifies: false, notifyError: null,
			}),
		});
		await until('camera-box-07');
		expect(frame()).not.toContain('ALERT');
		await press('a');
		await until('Nothing firing or pending.');
		expect(frame()).toContain('shown here; camtop export notifies');
	});
});
