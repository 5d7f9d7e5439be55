import React from 'react';
import {Box, Text} from 'ink';

/**
One table cell of a fixed width, its last column a gap, cut at its edge (wide characters included: Ink measures
them), never wrapped into the next.
*/
export function Cell({width, color, right = false, bold = false, children}: {width: number; color?: string | undefined; right?: boolean; bold?: boolean; children: string}) {
	return (
		<Box width={Math.max(2, width)} flexShrink={0} justifyContent={right ? 'flex-end' : 'flex-start'} paddingRight={1}>
			<Text color={color} bold={bold} wrap='truncate-end'>{children}</Text>
		</Box>
	);
}
