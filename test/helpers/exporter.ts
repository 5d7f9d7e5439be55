import {spawn} from 'node:child_process';
import path from 'node:path';
import {CLI} from './run-cli.js';
import {waitFor} from './wait-for.js';

export type Exporter = {
	/** http://127.0.0.1:PORT */
	url: string;
	port: number;
	pid: number;
	stderr: () => string;
	/** GET a path; status, body and how long it took, ms. */
	get: (pathname: string, headers?: Record<string, string>) => Promise<{status: number; body: string; ms: number}>;
	/** SIGTERM, then the exit code. */
	stop: () => Promise<number | null>;
};

/**
The built `camtop export` on a free port (`--listen 127.0.0.1:0` unless told; the port is read from its first line), in a clean
environment of our choosing. One that does not say it listens within `startTimeoutMs` is killed.
*/
export async function startExporter(args: string[], {
	cwd, env = {}, listen = '127.0.0.1:0', startTimeoutMs = 10_000,
}: {cwd: string; env?: NodeJS.ProcessEnv; listen?: string; startTimeoutMs?: number}): Promise<Exporter> {
	const child = spawn(process.execPath, [CLI, 'export', '--listen', listen, ...args], {
		cwd,
		env: {
			PATH: process.env.PATH, HOME: process.env.HOME, XDG_CONFIG_HOME: path.join(cwd, '.no-user-config'), ...env,
		},
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	let port: number;
	try {
		port = await waitFor(() => {
			if (child.exitCode !== null) {
				throw new Error(`camtop export exited ${child.exitCode}: ${stderr}`);
			}

			const match = /http:\/\/[\d.]+:(\d+)\/metrics/.exec(stderr);
			return match === null ? false : Number(match[1]);
		}, 'camtop export listening', startTimeoutMs);
	} catch (error) {
		// One that never said it listens is nobody's to stop: it goes now, not left running after the test.
		child.kill('SIGKILL');
		await exited;
		throw error;
	}

	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		port,
		pid: child.pid!,
		stderr: () => stderr,
		async get(pathname, headers = {}) {
			const started = performance.now();
			const response = await fetch(`${url}${pathname}`, {headers, signal: AbortSignal.timeout(10_000)});
			const body = await response.text();
			return {status: response.status, body, ms: performance.now() - started};
		},
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}

			return exited;
		},
	};
}

/** The value of one sample line of a Prometheus text exposition (`name{labels} value`), or undefined. */
export function sampleValue(text: string, selector: string): number | undefined {
	const line = text.split('\n').find(candidate => candidate.startsWith(`${selector} `));
	return line === undefined ? undefined : Number(line.slice(selector.length + 1));
}
