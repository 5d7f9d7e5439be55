import {
	existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {CLI} from './run-cli.js';
import {TmuxSession} from './tmux.js';
import {freePort} from './free-port.js';
import {waitFor} from './wait-for.js';
import {errorLine, TRACEBACK} from './seed-logs.js';

/** Printed on the main screen before camtop starts: seen again once camtop has given the terminal back. */
export const MARKER = 'MAIN-SCREEN-MARKER';

export type LaunchedTui = {
	session: TmuxSession;
	/** The directory camtop runs in: its logs in `logs/`, its stderr in `stderr`. */
	root: string;
	/** The file the shell writes camtop's exit code to once it has exited. */
	exitFile: string;
	/** Waits for camtop to exit, and gives its exit code. */
	exitCode: () => Promise<number>;
};

/**
The built camtop in a real terminal (tmux, 120×40 unless told), on a logs directory with an errors.log (one ERROR record
and its traceback) and a camera_system.log, with a Redis URL nothing listens on.
It starts with a clean environment: no CI or CONTINUOUS_INTEGRATION (with them Ink draws nothing until exit), and
none of the test runner's variables (NODE_OPTIONS among them).
*/
export async function launchTui(extraEnv = '', setup?: (root: string) => void): Promise<LaunchedTui> {
	const root = mkdtempSync(path.join(os.tmpdir(), 'camtop-tty-'));
	mkdirSync(path.join(root, 'logs'));
	setup?.(root);
	const now = new Date();
	writeFileSync(path.join(root, 'logs', 'errors.log'), `${[errorLine(now, 'fetch_image:123', 'Redis down'), ...TRACEBACK].join('\n')}\n`);
	writeFileSync(path.join(root, 'logs', 'camera_system.log'), `${errorLine(now, 'main:1', 'CONNECTION: {"service": "camera_1", "status": true}', 'INFO')}\n`);
	const port = await freePort();
	const exitFile = path.join(root, 'exit');
	const command = [
		`printf '${MARKER}\\n'`,
		`cd ${root}`,
		`env -i PATH=${process.env.PATH} HOME=${os.homedir()} LANG=C.UTF-8 TERM=xterm-256color ${extraEnv} ${process.execPath} ${CLI} --logs logs --redis redis://127.0.0.1:${port} --interval 500 2> ${root}/stderr`,
		`echo \\$? > ${exitFile}`,
		'sleep 600',
	].join('; ');
	const session = new TmuxSession(`bash -c "${command}"`);
	// The shell creates the file before it writes the code: a code is there once its newline is.
	const exitCode = async () => Number((await waitFor(() => (existsSync(exitFile) ? /^\d+\n/.exec(readFileSync(exitFile, 'utf8'))?.[0] : undefined), 'camtop to exit')).trim());
	return {
		session, root, exitFile, exitCode,
	};
}

export const PANE_TITLES = ['1 Resources', '2 Processes', '3 Connections', '4 Errors', '5 Performance', '6 Issues'];

/** All six panes on screen, and the errors.log record launchTui wrote. */
export const fullFrame = (screen: string) => PANE_TITLES.every(title => screen.includes(title)) && screen.includes('Redis down');
