/*
Ink 6 has no alternate-screen option (Ink 7 does, on Node 22): camtop enters and leaves it itself, and puts the
terminal back however it exits.
*/

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';
const HIDE_CURSOR = '\u001B[?25l';

export type Terminal = {stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream};

export function enterFullScreen({stdout}: Terminal): void {
	stdout.write(ENTER_ALTERNATE_SCREEN + HIDE_CURSOR);
}

/**
Main screen back, cursor visible, raw mode off. Safe to call twice and on a terminal that has gone away.
*/
export function restoreTerminal({stdout, stdin}: Terminal): void {
	try {
		if (stdin.isTTY && stdin.isRaw) {
			stdin.setRawMode(false);
		}
	} catch {}

	try {
		if (stdout.writable) {
			stdout.write(SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN);
		}
	} catch {}
}
