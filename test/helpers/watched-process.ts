import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {stopChild} from './redis-server.js';

const IDLE = 'import time\nwhile True:\n    time.sleep(1)\n';
const BUSY = 'while True:\n    pass\n';

/**
A real Python process running a script of the given file name (`cam1_stream.py`), idle or spinning one core,
as the camera app's processes look in `ps`: `python3 /tmp/…/cam1_stream.py`.
*/
export function spawnWatched(name: string, {busy = false}: {busy?: boolean} = {}): ChildProcess & {stop: () => Promise<void>} {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-proc-'));
	const script = path.join(directory, name);
	writeFileSync(script, busy ? BUSY : IDLE);
	const child = spawn('python3', ['-u', script], {stdio: 'ignore'});
	return Object.assign(child, {stop: async () => stopChild(child)});
}
