import type React from 'react';
import {render} from 'ink';
import type {Config} from '../config/load.js';
import {App} from './app.js';
import {createSources} from './sources.js';
import {enterFullScreen, restoreTerminal} from './terminal.js';

/** Ink redraws at most this often: only keys come this fast (data redraws at most 4 a second, app.tsx), and a key
should be on screen within a frame or two, not wait out a 50 ms throttle. */
const MAX_FPS = 60;

/** The full-screen monitor of this box. */
export async function runTui(config: Config): Promise<number> {
	const sources = createSources(config);
	return runFullScreen(onExit => <App sources={sources} config={config} onExit={onExit}/>, async () => sources.close());
}

/**
A full-screen app (the monitor, the fleet). Enters the alternate screen and leaves it, with the cursor shown and raw mode off, however
camtop ends: q (exit 0), Ctrl-C (130), SIGTERM (0: asked to stop, stopped cleanly), SIGHUP (129: the terminal went
away; handled so Node does not abort in ResetStdio), an uncaught error (1, one line on stderr).
*/
export async function runFullScreen(app: (onExit: (code: number) => void) => React.ReactElement, close: () => Promise<void>): Promise<number> {
	const terminal = {stdout: process.stdout, stdin: process.stdin};
	let finished = false;
	let resolveExit: (code: number) => void = () => undefined;
	const exited = new Promise<number>(resolve => {
		resolveExit = resolve;
	});

	enterFullScreen(terminal);
	const instance = render(app(code => {
		finish(code);
	}), {
		exitOnCtrlC: false,
		patchConsole: true,
		maxFps: MAX_FPS,
		incrementalRendering: true,
	});

	// Ink unmounts itself when a component throws while rendering: that must end camtop too, terminal restored.
	instance.waitUntilExit().then(() => {
		finish(1, 'the screen stopped drawing');
	}, (error: unknown) => {
		finish(1, `internal error: ${error instanceof Error ? error.message : String(error)}`);
	});

	function finish(code: number, message?: string): void {
		if (finished) {
			return;
		}

		finished = true;
		try {
			instance.unmount();
		} catch {}

		restoreTerminal(terminal);
		if (message !== undefined) {
			process.stderr.write(`camtop: ${message}\n`);
		}

		void close().finally(() => {
			resolveExit(code);
		});
	}

	const onSignal = (code: number) => () => {
		finish(code);
	};

	const onTerm = onSignal(0);
	const onHup = onSignal(129);
	const onInt = onSignal(130);
	const onError = (error: unknown) => {
		finish(1, `internal error: ${error instanceof Error ? error.message : String(error)}`);
	};

	// The CLI's last-resort handlers exit at once; here an error must first give the terminal back.
	process.removeAllListeners('unhandledRejection');
	process.on('SIGTERM', onTerm);
	process.on('SIGHUP', onHup);
	process.on('SIGINT', onInt);
	process.on('uncaughtException', onError);
	process.on('unhandledRejection', onError);
	const code = await exited;
	process.off('SIGTERM', onTerm);
	process.off('SIGHUP', onHup);
	process.off('SIGINT', onInt);
	return code;
}
