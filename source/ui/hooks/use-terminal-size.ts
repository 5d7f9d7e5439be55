import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export type TerminalSize = {columns: number; rows: number};

/**
The terminal's size, updated on resize. Ink 6 has no useWindowSize (Ink 7 does, on Node 22): this is ours.
`override` fixes the size (tests: ink-testing-library's stdout is always 100 columns).
*/
export function useTerminalSize(override?: TerminalSize): TerminalSize {
	const {stdout} = useStdout();
	const read = () => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
	const [size, setSize] = useState<TerminalSize>(override ?? read());
	useEffect(() => {
		if (override !== undefined) {
			setSize(override);
			return;
		}

		const onResize = () => {
			setSize(read());
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, override?.columns, override?.rows]);

	return size;
}
