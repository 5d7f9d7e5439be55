import type {PaneVariant} from '../components/pane-frame.js';
import {formatDuration} from '../../text/format.js';
import {stripControl} from '../../text/sanitize.js';

export type PaneProps = {
	/** The digit that focuses the pane, shown before its title. */
	index: number;
	title: string;
	width: number;
	height: number;
	isFocused: boolean;
	variant: PaneVariant;
	/** How old the data is, ms; undefined before the first answer. */
	ageMs: number | undefined;
	/** Data older than this is stale, ms. */
	staleAfterMs: number;
};

/** "stale 12 s" once the data is older than it should be; "waiting" before the first answer. */
export function staleness({ageMs, staleAfterMs}: Pick<PaneProps, 'ageMs' | 'staleAfterMs'>): string | undefined {
	if (ageMs === undefined) {
		return 'waiting';
	}

	return ageMs > staleAfterMs ? `stale ${formatDuration(ageMs / 1000)}` : undefined;
}

/** Untrusted text, safe to draw: no control characters or escape sequences. */
export const clean = (text: string) => stripControl(text);

export function clock(time: number): string {
	return Number.isFinite(time) ? new Date(time).toTimeString().slice(0, 8) : '--:--:--';
}

export function ago(time: number, now: number): string {
	return Number.isFinite(time) ? `${formatDuration(Math.max(0, now - time) / 1000)} ago` : '—';
}
