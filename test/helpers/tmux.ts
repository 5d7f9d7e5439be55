import {execFileSync} from 'node:child_process';
import {waitFor} from './wait-for.js';

/**
A real terminal: a private tmux server (its own socket) running one command in a window of a given size.
*/
export class TmuxSession {
	readonly socket = `camtop-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

	constructor(command: string, {columns = 120, rows = 40}: {columns?: number; rows?: number} = {}) {
		this.#tmux('new-session', '-d', '-s', 'camtop', '-x', String(columns), '-y', String(rows), command);
	}

	#tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** The visible screen, as text. */
	screen(): string {
		return this.#tmux('capture-pane', '-p', '-t', 'camtop');
	}

	/** Whether the alternate screen is on, and whether the cursor is visible. */
	modes(): {alternate: boolean; cursorVisible: boolean} {
		const [alternate, cursor] = this.#tmux('display-message', '-p', '-t', 'camtop', '#{alternate_on} #{cursor_flag}').trim().split(' ');
		return {alternate: alternate === '1', cursorVisible: cursor === '1'};
	}

	/** The pid of the program the pane's shell runs (the shell's first child). */
	programPid(): number | undefined {
		const shell = this.#tmux('display-message', '-p', '-t', 'camtop', '#{pane_pid}').trim();
		try {
			const children = execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n');
			return children[0] === undefined || children[0] === '' ? undefined : Number(children[0]);
		} catch {
			return undefined;
		}
	}

	/** tmux key names: `Tab`, `Enter`, `Escape`, `q`, `?`. */
	send(...keys: string[]): void {
		this.#tmux('send-keys', '-t', 'camtop', ...keys);
	}

	async waitForScreen(check: (screen: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
		try {
			return await waitFor(() => {
				const screen = this.screen();
				return check(screen) ? screen : undefined;
			}, what, timeoutMs, 100);
		} catch (error) {
			throw new Error(`${(error as Error).message}; the screen was:\n${this.screen()}`);
		}
	}

	kill(): void {
		try {
			this.#tmux('kill-server');
		} catch {}
	}
}
