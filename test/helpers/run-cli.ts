import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The bin as it is installed: the one-file bundle (`npm run build`). */
export const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'camtop.mjs');

export type CliRun = {code: number | null; stdout: string; stderr: string; ms: number};

/**
Runs the built camtop (`npm test` builds first) as a person would, with a clean environment of our choosing.
*/
export async function runCli(args: string[], {cwd = process.cwd(), env = {}}: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<CliRun> {
	const started = performance.now();
	const child = spawn(process.execPath, [CLI, ...args], {
		cwd,
		env: {
			PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: path.join(cwd, '.no-user-config'), ...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	return {
		code, stdout, stderr, ms: performance.now() - started,
	};
}
