import React, {memo} from 'react';
import {Text} from 'ink';

/**
One finished row (see styled.ts): unchanged rows cost React nothing on the next frame. Rows are cut to their width
already; truncate-end is only the safety net for a character whose width the terminal and string-width see otherwise
(Ink truncates only a row wider than its box), so that a row never wraps onto the next.
*/
const Row = memo(({text}: {readonly text: string}) => <Text wrap='truncate-end'>{text}</Text>);

/** A pane's rows, each already cut to its width: one <Text> each, nothing for Ink to wrap or slice. */
export function Lines({lines}: {readonly lines: readonly string[]}) {
	return (
		<>
			{/* A row's place is its identity: row 3 stays row 3 when its text changes, so Ink redraws it in place. */}
			{/* eslint-disable-next-line react/no-array-index-key */}
			{lines.map((text, index) => <Row key={index} text={text}/>)}
		</>
	);
}
