import React, {memo} from 'react';
import {Text} from 'ink';

/** One finished row (see styled.ts): unchanged rows cost React nothing on the next frame. */
const Row = memo(({text}: {text: string}) => <Text>{text}</Text>);

/** A pane's rows, each already cut to its width: one <Text> each, nothing for Ink to wrap or slice. */
export function Lines({lines}: {lines: readonly string[]}) {
	return (
		<>
			{lines.map((text, index) => <Row key={index} text={text}/>)}
		</>
	);
}
