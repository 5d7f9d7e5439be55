import type {Levels} from '../../config/types.js';
import type {Segment} from './styled.js';

/** A percentage as a bar of `width` cells, coloured by the thresholds. */
export function bar(percent: number, width: number, levels?: Levels): Segment[] {
	const cells = Math.max(0, width);
	const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * cells);
	const color = levels === undefined ? 'green' : (percent >= levels.critical ? 'red' : (percent >= levels.warning ? 'yellow' : 'green'));
	return [['█'.repeat(filled), {color}], ['░'.repeat(cells - filled), {color: 'gray'}]];
}
