import {execFileSync} from 'node:child_process';
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let interpreter: string | undefined;

/** The Python that `python3` on PATH runs in the end, past any shim (pyenv's, or one of ours). */
export function realPython(): string {
	interpreter ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {encoding: 'utf8'}).trim();
	return interpreter;
}

/**
A directory holding `python3` as a pyenv-style shim: a shell script that sleeps `delaySeconds`, then execs the real
interpreter with its arguments. Until it does, the process is `/bin/sh …/python3 -u script.py`, which camtop rightly
does not count as the script running: what a new user's machine showed for about 100 ms after each start, where
python3 was a pyenv shim. Put `directory` first on PATH, or spawn `python3`.
*/
export function pythonShim({delaySeconds = 0.2}: {delaySeconds?: number} = {}): {directory: string; python3: string} {
	const directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-shim-'));
	const python3 = path.join(directory, 'python3');
	const quoted = `'${realPython().replaceAll('\'', String.raw`'\''`)}'`;
	// The sleep stands for the shim's own work (pyenv reads its version files): time itself is what it imitates.
	writeFileSync(python3, `#!/bin/sh\nsleep ${delaySeconds}\nexec ${quoted} "$@"\n`);
	chmodSync(python3, 0o755);
	return {directory, python3};
}
