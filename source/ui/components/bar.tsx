import React from 'react';
import {Text} from 'ink';
import type {Levels} from '../../config.js';

/** A percentage as a bar of `width` cells, coloured by the thresholds. */
export function Bar({percent, width, levels}: {percent: number; width: number; levels?: Levels | undefined}) {
	const cells = Math.max(0, width);
	const filled = Math.round((Math.min(100, Math.max(0, percent)) / 100) * cells);
	const color = levels === undefined ? 'green' : (percent >= levels.critical ? 'red' : (percent >= levels.warning ? 'yellow' : 'green'));
	return (
		<Text>
			<Text color={color}>{'█'.repeat(filled)}</Text>
			<Text color='gray'>{'░'.repeat(cells - filled)}</Text>
		</Text>
	);
}
