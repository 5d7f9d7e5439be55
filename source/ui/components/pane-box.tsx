import React from 'react';
import {Box} from 'ink';
import {Lines} from './lines.js';

/** A round cyan frame around finished rows: help, the fleet's box view. */
export function PaneBox({lines, width, height}: {readonly lines: readonly string[]; readonly width: number; readonly height: number}) {
	return (
		<Box flexDirection='column' width={width} height={height} flexShrink={0} borderStyle='round' borderColor='cyan' overflow='hidden'>
			<Lines lines={lines.length > height - 2 ? lines.slice(0, Math.max(0, height - 2)) : lines}/>
		</Box>
	);
}
