import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';

export type HttpProxy = {
	/** http://127.0.0.1:PORT, in place of the target's origin. */
	url: string;
	/** Requests received so far, answered or not. */
	requests: () => number;
	/** Closes the port and destroys every open connection (pending answers and upstream requests included). */
	stop: () => Promise<void>;
};

export type ProxyOptions = {
	/** Each request is forwarded this long after it arrived, ms. */
	delayMs?: number;
	/** Answer every request with this status instead of forwarding it: 401 comes with `www-authenticate: Bearer`. */
	status?: number;
};

/**
A reverse proxy on a free loopback port in front of `target` (an origin, `http://127.0.0.1:9090`): a slow Prometheus
(`delayMs`) or one behind an auth wall (`status: 401`), for clients that must tell those apart.
*/
export async function startProxy(target: string, {delayMs = 0, status}: ProxyOptions = {}): Promise<HttpProxy> {
	const origin = new URL(target);
	let count = 0;
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	const upstreams = new Set<http.ClientRequest>();

	const forward = (request: http.IncomingMessage, response: http.ServerResponse) => {
		const upstream = http.request({
			protocol: origin.protocol,
			hostname: origin.hostname,
			port: origin.port,
			method: request.method,
			path: request.url,
			headers: {...request.headers, host: origin.host},
		}, answer => {
			response.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(response);
		});
		upstreams.add(upstream);
		upstream.on('close', () => upstreams.delete(upstream));
		upstream.on('error', error => {
			if (!response.headersSent) {
				response.writeHead(502, {'content-type': 'text/plain'});
			}

			response.end(`proxy: ${error.message}\n`);
		});
		// A client that gave up takes its upstream request with it.
		response.on('close', () => upstream.destroy());
		request.pipe(upstream);
	};

	const server = http.createServer((request, response) => {
		count++;
		if (status !== undefined) {
			const headers: http.OutgoingHttpHeaders = {'content-type': 'text/plain'};
			if (status === 401) {
				headers['www-authenticate'] = 'Bearer realm="camtop-test"';
			}

			response.writeHead(status, headers).end(`${status} ${http.STATUS_CODES[status] ?? ''}\n`);
			return;
		}

		const timer = setTimeout(() => {
			timers.delete(timer);
			forward(request, response);
		}, delayMs);
		timers.add(timer);
		response.on('close', () => {
			clearTimeout(timer);
			timers.delete(timer);
		});
	});
	server.on('connection', socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		requests: () => count,
		async stop() {
			for (const timer of timers) {
				clearTimeout(timer);
			}

			for (const upstream of upstreams) {
				upstream.destroy();
			}

			const closed = new Promise(resolve => {
				server.close(resolve);
			});
			for (const socket of sockets) {
				socket.destroy();
			}

			await closed;
		},
	};
}
