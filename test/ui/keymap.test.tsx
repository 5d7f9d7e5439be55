import React from 'react';
import {
	afterEach, describe, expect, it, vi,
} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {App} from '../../source/ui/app.js';
import {DEFAULTS} from '../../source/config/types.js';
import type {Config} from '../../source/config/load.js';
import {
	FILTER_KEYMAP, PANE_KEYMAP, commandFor, filterCommandFor, footerEntryText, footerText, type Keymap,
} from '../../source/ui/keymap.js';
import {waitFor} from '../helpers/wait-for.js';
import {fixtureSources} from './fixtures.js';
import {renderSized} from './render-sized.js';

const config: Config = {
	logs: '/nonexistent/logs', legacyLog: '/nonexistent/greencam.log', redis: 'redis://127.0.0.1:6379', intervalMs: 100, processes: ['cam1_stream.py'],
	thresholds: structuredClone(DEFAULTS.thresholds), recentErrors: 10, cameras: [], crashLoop: {restarts: 3, minutes: 10}, fleet: {...DEFAULTS.fleet}, alerts: [], file: undefined,
};

/** How a terminal's keys are written on screen, read back into the names the keymap binds; other keys are their own names. */
const WRITTEN_KEYS: Record<string, string> = {
	Tab: 'tab', Enter: 'enter', Esc: 'esc', '↑': 'up', '↓': 'down',
};

/** The key names a footer entry's keys stand for: `Tab/1-6` is tab and 1 to 6, `↑↓` up and down, `/` itself. */
function keysOf(written: string): string[] {
	const parts = written.length > 1 && written.includes('/') ? written.split('/') : (/^[↑↓]+$/.test(written) ? [...written] : [written]);
	return parts.flatMap(part => {
		const range = /^(\d)-(\d)$/.exec(part);
		return range === null
			? [WRITTEN_KEYS[part] ?? part]
			: Array.from({length: Number(range[2]) - Number(range[1]) + 1}, (_, index) => String(Number(range[1]) + index));
	});
}

/** The footer on screen: the frame's last line, cut into its entries. */
function footerOf(frame: string | undefined): string[] {
	return (frame ?? '').split('\n').at(-1)!.trim().split(' · ');
}

/** Every entry of the footer is written from real bindings, and every entry the keymap marks for the footer is there. */
function expectFooterOf<C extends string>(keymap: Keymap<C>, shown: string[], lookUp: (name: string) => C | undefined): void {
	const entries = keymap.hint === undefined ? shown : shown.slice(1);
	expect(entries).toEqual(keymap.footer.map(entry => footerEntryText(keymap, entry)));
	for (const [index, text] of entries.entries()) {
		const [written, ...label] = text.split(' ');
		const entry = keymap.footer[index]!;
		expect(label.join(' ')).toBe(entry.label);
		const keys = keysOf(written!);
		expect(keys.length, text).toBeGreaterThan(0);
		for (const key of keys) {
			// The key does what the entry says: it is bound to one of the entry's commands.
			expect(entry.commands, `${key} in "${text}"`).toContain(lookUp(key));
		}
	}
}

afterEach(() => {
	cleanup();
});

describe('the key footer, generated from the keymap', () => {
	it('offers only bound commands', () => {
		for (const keymap of [PANE_KEYMAP, FILTER_KEYMAP] as Array<Keymap<string>>) {
			for (const entry of keymap.footer) {
				for (const command of entry.commands) {
					expect(keymap.bindings.find(binding => binding.command === command)?.keys.length, command).toBeGreaterThan(0);
				}
			}
		}
	});

	it('shows every entry at 120 columns, each a real binding, `a alerts` included', async () => {
		const app = renderSized(<App sources={fixtureSources()} config={config} size={{columns: 120, rows: 40}} onExit={vi.fn()}/>, 120);
		const frame = await waitFor(() => (app.lastFrame()?.includes('q quit') ? app.lastFrame() : undefined), 'the footer');
		const footer = footerOf(frame);
		expect(footer.join(' · ')).toBe('Tab/1-6 focus · ↑↓ scroll · Enter zoom · Esc back · / filter · a alerts · p pause · r refresh · ? help · q quit');
		expectFooterOf(PANE_KEYMAP, footer, commandFor);
	});

	it('shows the filter\'s keys while a filter is typed', async () => {
		const app = renderSized(<App sources={fixtureSources()} config={config} size={{columns: 120, rows: 40}} onExit={vi.fn()}/>, 120);
		await waitFor(() => app.lastFrame()?.includes('q quit'), 'the footer');
		app.stdin.write('/');
		const frame = await waitFor(() => (app.lastFrame()?.includes('Esc clear') ? app.lastFrame() : undefined), 'the filter\'s footer');
		const footer = footerOf(frame);
		expect(footer.join(' · ')).toBe('type to filter · Enter keep · Esc clear');
		expectFooterOf(FILTER_KEYMAP, footer, filterCommandFor);
	});

	it('keeps whole entries when narrow, help and quit last of all', () => {
		const all = PANE_KEYMAP.footer.map(entry => footerEntryText(PANE_KEYMAP, entry));
		let previous = all.length;
		for (const columns of [120, 100, 80, 60, 40, 30, 20, 14]) {
			const footer = footerText(PANE_KEYMAP, columns);
			expect(footer.length, footer).toBeLessThanOrEqual(columns);
			const entries = footer.split(' · ');
			// Entries in the footer's order, none cut, fewer as the terminal narrows.
			expect(entries).toEqual(all.filter(text => entries.includes(text)));
			expect(entries.length).toBeLessThanOrEqual(previous);
			expect(entries).toContain('? help');
			previous = entries.length;
		}

		expect(footerText(PANE_KEYMAP, 40)).toBe('Tab/1-6 focus · ? help · q quit');
		expect(footerText(PANE_KEYMAP, 80)).toBe('Tab/1-6 focus · ↑↓ scroll · Enter zoom · Esc back · / filter · ? help · q quit');
	});

	it('draws the narrow footer in a tmux side pane', async () => {
		const app = renderSized(<App sources={fixtureSources()} config={config} size={{columns: 40, rows: 50}} onExit={vi.fn()}/>, 40);
		const frame = await waitFor(() => (app.lastFrame()?.includes('q quit') ? app.lastFrame() : undefined), 'the footer');
		expect(footerOf(frame).join(' · ')).toBe('Tab/1-6 focus · ? help · q quit');
	});
});
