import type {TerminalSize} from './hooks/use-terminal-size.js';

export type LayoutKind = 'grid' | 'column' | 'summary' | 'too-small';

/** Breakpoints, columns × rows. */
export const GRID = {columns: 100, rows: 30} as const;
/** Panes side by side in a row of the grid. */
export const GRID_COLUMNS = 3;
export const SUMMARY_BELOW_ROWS = 20;
export const TOO_SMALL = {columns: 30, rows: 8} as const;

/**
Which layout a terminal of this size gets: a grid (rows of GRID_COLUMNS panes) from 100 × 30; one column of panes (the focused one taller)
from 30 columns (a tmux side pane is about 40); one line per pane plus the focused pane under 20 rows; a single
line below 30 × 8.
*/
export function chooseLayout({columns, rows}: TerminalSize): LayoutKind {
	if (columns < TOO_SMALL.columns || rows < TOO_SMALL.rows) {
		return 'too-small';
	}

	if (rows < SUMMARY_BELOW_ROWS) {
		return 'summary';
	}

	if (columns >= GRID.columns && rows >= GRID.rows) {
		return 'grid';
	}

	return 'column';
}

/** Rows the app may use: Ink 6 clears the whole screen on every frame when the output is as tall as the terminal. */
export function usableRows(rows: number): number {
	return Math.max(1, rows - 1);
}

/**
Heights in the column layout: the panes that are not focused get `compact` rows each (a frame and two lines) when
the terminal allows, else one line; the focused pane gets the rest.
*/
export function columnHeights(available: number, panes: number, focused: number): number[] {
	const compact = 4;
	const others = panes - 1;
	const compactFits = available - (others * compact) >= 8;
	const otherHeight = compactFits ? compact : 1;
	return Array.from({length: panes}, (_, index) => (index === focused ? available - (others * otherHeight) : otherHeight));
}

/**
Heights in the summary layout: the focused pane gets at least a frame and two lines; the others one line each, as
many as fit, nearest the focused pane first.
*/
export function summaryHeights(available: number, panes: number, focused: number): number[] {
	const focusedHeight = Math.min(available, Math.max(4, available - (panes - 1)));
	let left = available - focusedHeight;
	const heights = Array.from({length: panes}, (_, index) => (index === focused ? focusedHeight : 0));
	const byDistance = heights.map((_, index) => index).filter(index => index !== focused).sort((a, b) => Math.abs(a - focused) - Math.abs(b - focused));
	for (const index of byDistance) {
		if (left > 0) {
			heights[index] = 1;
			left--;
		}
	}

	return heights;
}

/** `total` cells (columns or rows) shared by `parts` side by side: equal shares, the last takes what is left. */
export function shares(total: number, parts: number): number[] {
	const share = Math.floor(total / parts);
	return Array.from({length: parts}, (_, index) => (index === parts - 1 ? total - (share * (parts - 1)) : share));
}

/** Items in rows of `columns`, in order: the grid's rows of panes. */
export function gridRows<T>(items: readonly T[], columns: number): T[][] {
	return Array.from({length: Math.ceil(items.length / columns)}, (_, row) => items.slice(row * columns, (row + 1) * columns));
}
