import {spawn, type ChildProcess} from 'node:child_process';
import {
	mkdtempSync, readFileSync, readlinkSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {stopChild} from './redis-server.js';
import {waitFor} from './wait-for.js';

const IDLE = 'import time\nwhile True:\n    time.sleep(1)\n';
const BUSY = 'while True:\n    pass\n';
// A second of full CPU, then idle (saying so with a file beside the script): its lifetime average stays high long after
// it went quiet.
const BURST = 'import time\nend = time.time() + 1\nwhile time.time() < end:\n    pass\nopen(__file__ + ".idle", "w").close()\nwhile True:\n    time.sleep(1)\n';

/**
Says it has started (`${script}.started`: Python's own start-up, which grows RSS too, is over), then allocates and
touches `bytesPerSecond` a second, in tenths, for `seconds`, then holds it all and idles: a leak (0 for a flat one).
Each chunk is a new bytes object written through (`b'\x01' * n`), so its pages count in RSS at once.
*/
const grow = (bytesPerSecond: number, seconds: number) => `import time
open(__file__ + ".started", "w").close()
held = []
end = time.time() + ${seconds}
while time.time() < end:
    held.append(b'\\x01' * ${Math.round(bytesPerSecond / 10)})
    time.sleep(0.1)
while True:
    time.sleep(1)
`;

export type WatchedChild = ChildProcess & {
	/** The script's path; a burst script creates `${script}.idle` when its second of CPU is over, a growing one `${script}.started` when it starts. */
	script: string;
	stop: () => Promise<void>;
	/** Resolves once Python itself runs the script (not a shim before it): await it before anything looks for it. */
	running: () => Promise<void>;
};

/**
A real Python process running a script of the given file name (`cam1_stream.py`), idle, spinning one core, one
second of spinning then idle, or growing its memory (`grow`: bytes a second, for how many seconds),
as the camera app's processes look in `ps`: `python3 /tmp/…/cam1_stream.py`. `python` is the command that starts it:
python3 from PATH, or a shim's path (python-shim.ts).
*/
export function spawnWatched(name: string, {
	busy = false, burst = false, grow: growth, args = [], python = 'python3',
}: {busy?: boolean; burst?: boolean; grow?: {bytesPerSecond: number; seconds: number}; args?: string[]; python?: string} = {}): WatchedChild {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-proc-'));
	const script = path.join(directory, name);
	const idle = burst ? BURST : IDLE;
	writeFileSync(script, growth === undefined ? (busy ? BUSY : idle) : grow(growth.bytesPerSecond, growth.seconds));
	const child = spawn(python, ['-u', script, ...args], {stdio: 'ignore'});
	return Object.assign(child, {
		script,
		stop: async () => stopChild(child),
		// A pyenv shim is a shell for about 100 ms before it execs Python, and a process list read then does not find the
		// script (camtop export reads the list again only 15 s later).
		async running() {
			await waitFor(() => {
				if (child.exitCode !== null || child.signalCode !== null) {
					throw new Error(`${python} exited (${child.exitCode ?? child.signalCode})`);
				}

				return pythonRuns(child.pid!, script);
			}, `${name} run by Python itself`);
		},
	});
}

/**
Whether Python runs `script` as `pid`: the kernel's executable is python's (a shell script named python3 is sh's or
bash's, a binary shim is its manager's), and the command line, which camtop matches, is the interpreter's.
*/
function pythonRuns(pid: number, script: string): boolean {
	const executable = path.basename(readlinkSync(`/proc/${pid}/exe`));
	const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
	return executable.startsWith('python') && path.basename(argv[0] ?? '').startsWith('python') && argv.includes(script);
}
