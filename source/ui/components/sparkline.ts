const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The last `width` values as block characters, scaled from their minimum (or `min`) to their maximum (or `max`). */
export function sparkline(values: readonly number[], width: number, {min, max}: {min?: number; max?: number} = {}): string {
	const shown = values.slice(-width).filter(value => Number.isFinite(value));
	if (shown.length === 0 || width <= 0) {
		return '';
	}

	const low = min ?? Math.min(...shown);
	const high = max ?? Math.max(...shown);
	const span = high - low;
	return shown.map(value => BLOCKS[span <= 0 ? 0 : Math.min(7, Math.max(0, Math.floor(((value - low) / span) * 7.999)))]).join('');
}
