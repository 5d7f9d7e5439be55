import http from 'node:http';
import net from 'node:net';
import {timingSafeEqual, createHash} from 'node:crypto';
import {UsageError} from '../base/usage-error.js';

export const DEFAULT_LISTEN = '127.0.0.1:9464';

export type Listen = {host: string; port: number};

/**
`HOST:PORT`, `[v6]:PORT`, or a bare `PORT` (on 127.0.0.1). A host name is refused: what a name resolves to can change,
and an exporter should bind what the person wrote.
*/
export function parseListen(text: string): Listen {
	const match = /^(?:\[(?<v6>[^\]]+)]|(?<host>[^:[\]]*)):(?<port>\d+)$/.exec(text) ?? /^(?<port>\d+)$/.exec(text);
	const port = Number(match?.groups?.port);
	const host = match?.groups?.v6 ?? match?.groups?.host ?? '127.0.0.1';
	if (match === null || !Number.isInteger(port) || port > 65_535) {
		throw new UsageError(`--listen takes HOST:PORT (127.0.0.1:9464, 0.0.0.0:9464, [::1]:9464), got "${text}"`);
	}

	if (host === '' || net.isIP(host) === 0) {
		throw new UsageError(`--listen needs an IP address before the port (0.0.0.0 for every interface), got "${text}"`);
	}

	return {host, port};
}

export function isLoopback(host: string): boolean {
	return host === '::1' || host.startsWith('127.') || host === '::ffff:127.0.0.1';
}

export type ExportRoutes = {
	/** The Prometheus text exposition and its content type. */
	metrics: () => Promise<{contentType: string; body: string}>;
	/** The health JSON of the last collection, or undefined before the first. */
	snapshot: () => string | undefined;
	/** Whether collection is alive: undefined when it is, else why not. */
	unhealthy: () => string | undefined;
};

/** No request holds a socket longer than this, ms: a scraper that stalls mid-request is cut off. */
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 64;

/**
The exporter's HTTP face. Every answer is made from what is already collected: nothing here waits on Redis, a camera
or a disk. With a token, /metrics and /snapshot want `Authorization: Bearer <token>`; /healthz is open (it tells
nothing about the box) so that a supervisor can probe it.
*/
export function createExportServer(routes: ExportRoutes, {token}: {token: string | undefined}): http.Server {
	const expected = token === undefined ? undefined : digest(token);
	const server = http.createServer((request, response) => {
		void answer(request, response).catch((error: unknown) => {
			if (response.headersSent) {
				response.destroy();
			} else {
				send(response, 500, 'text/plain; charset=utf-8', `error: ${(error as Error).message}\n`);
			}
		});
	});

	async function answer(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		if (request.method !== 'GET' && request.method !== 'HEAD') {
			response.setHeader('allow', 'GET, HEAD');
			send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
			return;
		}

		const {pathname} = new URL(request.url ?? '/', 'http://camtop');
		if (pathname === '/healthz') {
			const why = routes.unhealthy();
			send(response, why === undefined ? 200 : 503, 'text/plain; charset=utf-8', why === undefined ? 'ok\n' : `${why}\n`);
			return;
		}

		if ((pathname === '/metrics' || pathname === '/snapshot') && !authorized(request.headers.authorization, expected)) {
			response.setHeader('www-authenticate', 'Bearer realm="camtop"');
			send(response, 401, 'text/plain; charset=utf-8', 'unauthorized: send Authorization: Bearer <CAMTOP_EXPORT_TOKEN>\n');
			return;
		}

		if (pathname === '/metrics') {
			const {contentType, body} = await routes.metrics();
			send(response, 200, contentType, body);
			return;
		}

		if (pathname === '/snapshot') {
			const json = routes.snapshot();
			if (json === undefined) {
				send(response, 503, 'text/plain; charset=utf-8', 'no collection yet\n');
			} else {
				send(response, 200, 'application/json; charset=utf-8', json);
			}

			return;
		}

		if (pathname === '/') {
			send(response, 200, 'text/plain; charset=utf-8', [
				'camtop export',
				'',
				'/metrics   Prometheus text format',
				'/snapshot  the health JSON (camtop health --json)',
				'/healthz   200 while collection runs',
				'',
			].join('\n'));
			return;
		}

		send(response, 404, 'text/plain; charset=utf-8', 'not found: try /metrics, /snapshot or /healthz\n');
	}

	server.requestTimeout = REQUEST_TIMEOUT_MS;
	server.headersTimeout = REQUEST_TIMEOUT_MS / 2;
	server.keepAliveTimeout = 5000;
	server.maxConnections = MAX_CONNECTIONS;
	return server;
}

function send(response: http.ServerResponse, status: number, contentType: string, body: string): void {
	response.writeHead(status, {'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store'});
	response.end(response.req.method === 'HEAD' ? undefined : body);
}

/** Hashes of equal length, compared in constant time: the token's length leaks nothing either. */
function digest(text: string): Buffer {
	return createHash('sha256').update(text).digest();
}

function authorized(header: string | undefined, expected: Buffer | undefined): boolean {
	if (expected === undefined) {
		return true;
	}

	const match = /^bearer\s+(?<token>\S+)\s*$/i.exec(header ?? '');
	return match !== null && timingSafeEqual(digest(match.groups!.token!), expected);
}
