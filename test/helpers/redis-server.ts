import {spawn, type ChildProcess} from 'node:child_process';
import net from 'node:net';
import {freePort} from './free-port.js';
import {waitFor} from './wait-for.js';

export type RedisServer = {
	port: number;
	/** redis://[:password@]127.0.0.1:port */
	url: string;
	pid: number;
	stop: () => Promise<void>;
	/** SIGSTOP: the kernel still accepts connections, the server answers nothing. */
	freeze: () => void;
	thaw: () => void;
};

/**
A real redis-server on a free loopback port, without persistence, for one test file. Stop it in afterAll.
`port` starts it on a given port instead: a restart on the port of a server that was stopped, as after a crash.
*/
export async function startRedis({password, port: requestedPort}: {password?: string; port?: number} = {}): Promise<RedisServer> {
	const port = requestedPort ?? await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'];
	if (password !== undefined) {
		args.push('--requirepass', password);
	}

	const child = spawn('redis-server', args, {stdio: ['ignore', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		output += chunk.toString();
	});
	await waitFor(async () => output.includes('Ready to accept connections') || (child.exitCode === null ? false : Promise.reject(new Error(output))), `redis-server on ${port}`);
	await waitFor(async () => canConnect(port), `redis port ${port}`);
	const auth = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
	return {
		port,
		url: `redis://${auth}127.0.0.1:${port}`,
		pid: child.pid!,
		stop: async () => stopChild(child),
		freeze: () => child.kill('SIGSTOP'),
		thaw: () => child.kill('SIGCONT'),
	};
}

async function canConnect(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const socket = net.connect(port, '127.0.0.1', () => {
			socket.destroy();
			resolve(true);
		});
		socket.on('error', () => {
			resolve(false);
		});
	});
}

export async function stopChild(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return;
	}

	const exited = new Promise(resolve => {
		child.once('exit', resolve);
	});
	child.kill('SIGCONT');
	child.kill('SIGKILL');
	await exited;
}
