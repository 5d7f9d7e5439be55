import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export type TerminalSize = {columns: number; rows: number};

/**
The terminal's size, updated on resize. Ink 6 has no useWindowSize (Ink 7 does, on Node 22): this is ours.
`override` fixes the size (tests: ink-testing-library's stdout is always 100 columns).
*/
export function useTerminalSize(override?: TerminalSize): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState<TerminalSize>(override ?? sizeOf(stdout));
	// By value: a caller that passes a new object of the same size each render must not re-run the effect.
	const overrideColumns = override?.columns;
	const overrideRows = override?.rows;
	useEffect(() => {
		if (overrideColumns !== undefined && overrideRows !== undefined) {
			setSize({columns: overrideColumns, rows: overrideRows});
			return;
		}

		const onResize = () => {
			setSize(sizeOf(stdout));
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, overrideColumns, overrideRows]);

	return size;
}

/** A terminal that does not say its size is taken as 80×24, as terminals have long defaulted to. */
function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}
