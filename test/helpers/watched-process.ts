import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {stopChild} from './redis-server.js';
import {waitFor} from './wait-for.js';

const IDLE = 'import time\nwhile True:\n    time.sleep(1)\n';
const BUSY = 'while True:\n    pass\n';
// A second of full CPU, then idle: its lifetime average stays high long after it went quiet.
const BURST = 'import time\nend = time.time() + 1\nwhile time.time() < end:\n    pass\nwhile True:\n    time.sleep(1)\n';

/**
A real Python process running a script of the given file name (`cam1_stream.py`), idle, spinning one core, or one
second of spinning then idle,
as the camera app's processes look in `ps`: `python3 /tmp/…/cam1_stream.py`.
*/
export function spawnWatched(name: string, {busy = false, burst = false, args = []}: {busy?: boolean; burst?: boolean; args?: string[]} = {}): ChildProcess & {stop: () => Promise<void>; running: () => Promise<void>} {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-proc-'));
	const script = path.join(directory, name);
	writeFileSync(script, busy ? BUSY : (burst ? BURST : IDLE));
	const child = spawn('python3', ['-u', script, ...args], {stdio: 'ignore'});
	return Object.assign(child, {
		stop: async () => stopChild(child),
		// Python itself runs the script: a pyenv shim is bash for about 100 ms before it execs python3, and a process
		// list read then does not find the script (camtop export reads the list again only 15 s later).
		running: async () => {
			await waitFor(() => path.basename(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0')[0] ?? '').startsWith('python'), `${name} running in python`);
		},
	});
}
