import type {Status} from '../base/status.js';

type Stream = {isTTY?: boolean};

/**
Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org) or TERM is dumb; FORCE_COLOR wins.
*/
export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
	if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') {
		return true;
	}

	if ((env.NO_COLOR ?? '') !== '' || env.TERM === 'dumb') {
		return false;
	}

	return stream.isTTY === true;
}

export type Paint = {
	bold: (text: string) => string;
	dim: (text: string) => string;
	status: (status: Status, text: string) => string;
};

const SGR = {
	bold: [1, 22], dim: [2, 22], red: [31, 39], yellow: [33, 39], green: [32, 39], magenta: [35, 39],
} as const;

function sgr(enabled: boolean, [open, close]: readonly [number, number]) {
	return (text: string) => enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text;
}

export function createPaint(enabled: boolean): Paint {
	const byStatus = {
		ok: sgr(enabled, SGR.green), warning: sgr(enabled, SGR.yellow), critical: sgr(enabled, SGR.red), unknown: sgr(enabled, SGR.magenta),
	};
	return {
		bold: sgr(enabled, SGR.bold),
		dim: sgr(enabled, SGR.dim),
		status: (status, text) => byStatus[status](text),
	};
}
