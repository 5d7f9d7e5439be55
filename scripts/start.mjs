// `npm start`: camtop on a live, moving camera box from one command. Starts `camtop demo --chaos` in the background
// (writing .demo/logs), a private redis-server for it when one is installed and REDIS_URL is not set, and camtop in
// front, watching the demo's logs, processes, Redis and cameras. When camtop exits, the demo and the private Redis are
// stopped, and camtop's exit code is npm start's.
import {spawn, spawnSync} from 'node:child_process';
import {
	existsSync, mkdirSync, openSync, rmSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const cli = path.join(root, 'dist', 'camtop.mjs');
const directory = path.resolve('.demo');
const config = path.join(directory, 'camtop.config.json');
mkdirSync(directory, {recursive: true});
rmSync(config, {force: true});

const children = [];
const stopAll = () => {
	for (const child of children.reverse()) {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
		}
	}
};

process.on('exit', stopAll);

async function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

async function waitFor(check, ms) {
	const deadline = Date.now() + ms;
	while (Date.now() < deadline) {
		if (await check()) {
			return true;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}

	return false;
}

const canConnect = async port => new Promise(resolve => {
	const socket = net.connect(port, '127.0.0.1', () => {
		socket.destroy();
		resolve(true);
	});
	socket.on('error', () => resolve(false));
});

let redis = process.env.REDIS_URL;
if (redis === undefined && spawnSync('redis-server', ['--version'], {stdio: 'ignore'}).status === 0) {
	const port = await freePort();
	const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory], {stdio: 'ignore'});
	children.push(server);
	redis = `redis://127.0.0.1:${port}`;
	await waitFor(async () => canConnect(port), 5000);
}

redis ??= 'redis://127.0.0.1:6379';
const log = openSync(path.join(directory, 'demo.log'), 'a');
const demo = spawn(process.execPath, [cli, 'demo', '--logs', path.join(directory, 'logs'), '--redis', redis, '--chaos', '--config-out', config], {stdio: ['ignore', log, log]});
children.push(demo);
if (!await waitFor(() => existsSync(config) || demo.exitCode !== null, 10_000) || demo.exitCode !== null) {
	process.stderr.write(`npm start: the demo did not start; see ${path.join(directory, 'demo.log')}\n`);
	stopAll();
	process.exit(1);
}

// The monitor owns the terminal now; signals reach it directly (same process group), and it exits on them.
const ignore = () => undefined;
process.on('SIGINT', ignore);
process.on('SIGTERM', ignore);
process.on('SIGHUP', ignore);
const monitor = spawn(process.execPath, [cli, '--config', config], {stdio: 'inherit'});
const code = await new Promise(resolve => {
	monitor.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
});
stopAll();
await waitFor(() => children.every(child => child.exitCode !== null || child.signalCode !== null), 6000);
process.exit(code);
