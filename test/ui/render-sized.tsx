import type {ReactElement} from 'react';
import {render} from 'ink-testing-library';
import stringWidth from 'string-width';

/**
ink-testing-library's render at a chosen width: its fake stdout says 100 columns; we say what the test needs, then
render again, as Ink's own resize tests do.
*/
export function renderSized(tree: ReactElement, columns: number): ReturnType<typeof render> {
	const result = render(tree);
	Object.defineProperty(result.stdout, 'columns', {get: () => columns, configurable: true});
	result.rerender(tree);
	return result;
}

/** The frame's lines, and the widest of them in terminal columns (wide characters count two). */
export function frameLines(frame: string | undefined): {lines: string[]; widest: number} {
	const lines = (frame ?? '').split('\n');
	return {lines, widest: Math.max(0, ...lines.map(line => stringWidth(line)))};
}
