import type {Levels} from '../../config/types.js';
import type {Segment} from './styled.js';

/** A percentage as a bar of `width` cells, coloured by the thresholds. */
export function bar(percent: number, width: number, levels?: Levels): Segment[] {
	const cells = Math.max(0, width);
	const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * cells);
	const color = levelColor(percent, levels);
	return [['█'.repeat(filled), {color}], ['░'.repeat(cells - filled), {color: 'gray'}]];
}

function levelColor(percent: number, levels: Levels | undefined): 'green' | 'yellow' | 'red' {
	if (levels === undefined || percent < levels.warning) {
		return 'green';
	}

	return percent >= levels.critical ? 'red' : 'yellow';
}
