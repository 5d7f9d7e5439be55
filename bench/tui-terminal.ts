/*
A real terminal for bench:tui: a private tmux server (its own socket, no config file) holding one pane of a fixed size,
driven through one tmux control-mode client (`tmux -C`), so that capture-pane and send-keys cost a round trip on a pipe
(≈ 0.2 ms) instead of a tmux process each (≈ 5–15 ms). Control mode also says when the pane wrote something (%output):
a wait for the screen captures again as soon as the program wrote, instead of polling blind.

The program is started by respawn-pane (the tmux server and its pane already exist), so "launch" is the moment the
respawn is sent, for every program alike.
*/
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {
	existsSync, readdirSync, readFileSync, rmSync,
} from 'node:fs';
import path from 'node:path';

/** Milliseconds on a monotonic clock. */
export function now(): number {
	return performance.now();
}

export async function sleep(ms: number): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Synchronous clean-ups run on every way out (normal end, error, Ctrl-C, SIGTERM): each is run once. */
const cleanups = new Set<() => void>();

export function onCleanup(cleanup: () => void): () => void {
	cleanups.add(cleanup);
	return () => {
		cleanups.delete(cleanup);
	};
}

export function cleanUpAll(): void {
	for (const cleanup of [...cleanups].reverse()) {
		cleanups.delete(cleanup);
		try {
			cleanup();
		} catch {}
	}
}

process.on('exit', cleanUpAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		process.stderr.write(`\nbench:tui: ${signal}, stopping every program it started\n`);
		cleanUpAll();
		process.exit(130);
	});
}

/** Whether a process is still running (a zombie, dead but not yet reaped by tmux, counts as gone). */
export function alive(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return false;
	}
}

/** Every descendant of `pid` (children, their children, …), from /proc. */
export function descendants(pid: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirProc()) {
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(parent, [...(children.get(parent) ?? []), entry]);
		} catch {}
	}

	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of children.get(queue.shift()!) ?? []) {
			found.push(child);
			queue.push(child);
		}
	}

	return found;
}

function readdirProc(): number[] {
	return readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number);
}

/** SIGKILL a process and everything under it, now. */
export function killTree(pid: number): void {
	for (const victim of [pid, ...descendants(pid)]) {
		try {
			process.kill(victim, 'SIGKILL');
		} catch {}
	}
}

let terminals = 0;

type Pending = {resolve: (lines: string[]) => void; reject: (error: Error) => void; command: string};

export type TerminalOptions = {columns: number; rows: number; env: Record<string, string>};

export class Terminal {
	readonly socket = `camtop-bench-tui-${process.pid}-${++terminals}`;
	readonly columns: number;
	readonly rows: number;
	readonly #control: ChildProcess;
	readonly #pending: Pending[] = [];
	#block: string[] | undefined;
	#ours = false;
	#rest = '';
	#outputs = 0;
	#onOutput: Array<() => void> = [];
	#programPid: number | undefined;
	readonly #removeCleanup: () => void;
	readonly #env: Record<string, string>;

	private constructor({columns, rows, env}: TerminalOptions) {
		this.#env = env;
		this.columns = columns;
		this.rows = rows;
		// The server's own environment is the clean one given: no TMUX, no CI, nothing of this process's.
		execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'bench', '-x', String(columns), '-y', String(rows), 'sleep 2147483647'], {env, stdio: 'ignore'});
		this.#removeCleanup = onCleanup(() => {
			this.#killNow();
		});
		this.#control = spawn('tmux', ['-L', this.socket, '-f', '/dev/null', '-C', 'attach-session', '-t', 'bench'], {env, stdio: ['pipe', 'pipe', 'ignore']});
		this.#control.stdout!.setEncoding('utf8');
		this.#control.stdout!.on('data', (chunk: string) => {
			this.#read(chunk);
		});
		this.#control.on('exit', () => {
			for (const pending of this.#pending.splice(0)) {
				pending.reject(new Error(`tmux control client gone before answering ${pending.command}`));
			}
		});
	}

	/** A new private tmux server with one pane of columns × rows running a placeholder, and its control client. */
	static async open(options: TerminalOptions): Promise<Terminal> {
		const terminal = new Terminal(options);
		// remain-on-exit: the pane (and the server) outlive the program, so its exit can be timed and its status read.
		await terminal.command('set-option -g remain-on-exit on');
		await terminal.command('set-option -g status off');
		const [size] = await terminal.command('display-message -p -t bench "#{pane_width}x#{pane_height}"');
		if (size !== `${options.columns}x${options.rows}`) {
			throw new Error(`tmux pane is ${size}, not ${options.columns}x${options.rows}`);
		}

		return terminal;
	}

	#read(chunk: string): void {
		this.#rest += chunk;
		let newline: number;
		while ((newline = this.#rest.indexOf('\n')) !== -1) {
			const line = this.#rest.slice(0, newline);
			this.#rest = this.#rest.slice(newline + 1);
			if (this.#block !== undefined) {
				// %end/%error close the block; flags 1 marks a command of this client (the attach's own block has 0).
				const end = /^%(end|error) \d+ \d+ (\d+)$/.exec(line);
				if (end === null) {
					this.#block.push(line);
					continue;
				}

				const lines = this.#block;
				this.#block = undefined;
				if (this.#ours) {
					const pending = this.#pending.shift();
					if (end[1] === 'error') {
						pending?.reject(new Error(`tmux: ${pending.command}: ${lines.join(' ')}`));
					} else {
						pending?.resolve(lines);
					}
				}
			} else if (line.startsWith('%begin ')) {
				this.#block = [];
				this.#ours = line.split(' ')[3] === '1';
			} else if (line.startsWith('%output ')) {
				this.#outputs++;
				for (const wake of this.#onOutput.splice(0)) {
					wake();
				}
			}
		}
	}

	/** One tmux command (tmux's own syntax), its output lines. */
	async command(command: string): Promise<string[]> {
		return new Promise((resolve, reject) => {
			this.#pending.push({resolve, reject, command});
			this.#control.stdin!.write(`${command}\n`);
		});
	}

	/** The visible screen, as text. */
	async screen(): Promise<string> {
		return (await this.command('capture-pane -p -t bench')).join('\n');
	}

	/** tmux key names: `Tab`, `Enter`, `q`. Resolves once tmux has written them to the program. */
	async send(...keys: string[]): Promise<void> {
		await this.command(`send-keys -t bench ${keys.join(' ')}`);
	}

	/** Starts `script` (a shell script that execs the program) in the pane, replacing the placeholder; its pid. */
	async launch(script: string): Promise<number> {
		await this.command(`respawn-pane -k -t bench 'exec sh ${script}'`);
		const pid = Number((await this.command('display-message -p -t bench "#{pane_pid}"'))[0]);
		this.#programPid = pid;
		return pid;
	}

	/** Everything the program writes to its terminal from now on is appended to `file` (tmux pipe-pane). */
	async pipeTo(file: string): Promise<void> {
		await this.command(`pipe-pane -o -t bench 'cat >> ${file}'`);
	}

	/** The exit status of the program once it is dead, else undefined. */
	async deadStatus(): Promise<number | undefined> {
		const [dead, status] = (await this.command('display-message -p -t bench "#{pane_dead} #{pane_dead_status}"'))[0]!.split(' ');
		return dead === '1' ? Number(status) : undefined;
	}

	/**
	Captures the screen until `check` accepts it: again as soon as the program has written something (or every
	`fallbackMs` without output), at most every `minGapMs`. Returns the accepted screen and when its capture came back.
	*/
	async waitForScreen(check: (screen: string) => boolean, what: string, {timeoutMs = 30_000, minGapMs = 0, fallbackMs = 20}: {timeoutMs?: number; minGapMs?: number; fallbackMs?: number} = {}): Promise<{screen: string; at: number}> {
		const deadline = now() + timeoutMs;
		for (;;) {
			const outputsBefore = this.#outputs;
			const asked = now();
			const screen = await this.screen();
			const at = now();
			if (check(screen)) {
				return {screen, at};
			}

			if (at > deadline) {
				throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${screen}`);
			}

			if (this.#outputs === outputsBefore) {
				await new Promise<void>(resolve => {
					const wake = () => {
						clearTimeout(timer);
						resolve();
					};

					const timer = setTimeout(() => {
						this.#onOutput = this.#onOutput.filter(waiting => waiting !== wake);
						resolve();
					}, fallbackMs);
					this.#onOutput.push(wake);
				});
			}

			const gap = minGapMs - (now() - asked);
			if (gap > 0) {
				await sleep(gap);
			}
		}
	}

	/** Kills the tmux server (SIGHUP to the program), then the program itself if it outlives that by `graceMs`. */
	async close(graceMs = 5000): Promise<void> {
		const pid = this.#programPid;
		this.#killServer();
		if (pid !== undefined) {
			const deadline = now() + graceMs;
			while (alive(pid) && now() < deadline) {
				await sleep(10);
			}

			if (alive(pid)) {
				killTree(pid);
			}
		}

		this.#removeCleanup();
	}

	#killServer(): void {
		try {
			execFileSync('tmux', ['-L', this.socket, 'kill-server'], {env: this.#env, stdio: 'ignore'});
		} catch {}

		this.#control.kill();
		// tmux leaves its socket file behind (in /tmp: the clean environment has no TMUX_TMPDIR).
		rmSync(path.join('/tmp', `tmux-${process.getuid!()}`, this.socket), {force: true});
	}

	#killNow(): void {
		const pid = this.#programPid;
		this.#killServer();
		if (pid !== undefined && existsSync(`/proc/${pid}`)) {
			killTree(pid);
		}
	}
}
