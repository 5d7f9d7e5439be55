import http from 'node:http';
import https from 'node:https';
import {errorMessage} from '../base/errors.js';

/**
A connection per request, closed after it (Node 20's global agent would keep it): a server's idle timeout (Node's 5 s,
a proxy's) can close a kept socket just as the next refresh reuses it, which would fail that refresh; a handshake on the
LAN costs far less than the request.
*/
const AGENTS = {
	'http:': new http.Agent({keepAlive: false}),
	'https:': new https.Agent({keepAlive: false}),
};

export type HttpAnswer = {readonly status: number; readonly text: string};

/** Why a request got no answer: a socket's error code (ECONNREFUSED, ENOTFOUND…), our deadline, or an answer too large. */
export class RequestError extends Error {
	constructor(readonly code: string, message: string) {
		super(message);
		this.name = 'RequestError';
	}
}

/** Why a request failed, in a few words: its own message for ours, `connection refused`, `host not found`, else the error's. */
export function requestFailureWords(error: unknown): string {
	const {code} = error as {code?: string};
	if (error instanceof RequestError) {
		return error.message;
	}

	if (code === 'ECONNREFUSED') {
		return 'connection refused';
	}

	return code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host not found' : errorMessage(error);
}

/**
One HTTP request with node:http: the answer's status and body as text, within `timeoutMs` (connecting, asking and
reading all counted), refused past `maxBytes`. Not fetch(): undici's streams cost camtop more CPU than the table it
reads (bench:fleet, the raw round: 31 ms of 47 a refresh at 1,000 boxes).
*/
export async function httpRequest(url: URL, {
	method, headers, body, timeoutMs, maxBytes,
}: {method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; timeoutMs: number; maxBytes: number}): Promise<HttpAnswer> {
	const transport = url.protocol === 'https:' ? https : http;
	const agent = url.protocol === 'https:' ? AGENTS['https:'] : AGENTS['http:'];
	return new Promise<HttpAnswer>((resolve, reject) => {
		const request = transport.request(url, {
			method,
			agent,
			headers: body === undefined ? headers : {...headers, 'content-length': String(Buffer.byteLength(body))},
		}, response => {
			const declared = Number(response.headers['content-length']);
			if (declared > maxBytes) {
				request.destroy(new RequestError('TOO_LARGE', `answer of ${declared} bytes is larger than camtop takes`));
				return;
			}

			const chunks: Buffer[] = [];
			let size = 0;
			response.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > maxBytes) {
					request.destroy(new RequestError('TOO_LARGE', `answer larger than ${maxBytes} bytes, more than camtop takes`));
					return;
				}

				chunks.push(chunk);
			});
			response.on('end', () => {
				clearTimeout(timer);
				resolve({status: response.statusCode ?? 0, text: Buffer.concat(chunks, size).toString('utf8')});
			});
			response.on('error', error => {
				clearTimeout(timer);
				reject(error);
			});
		});
		const timer = setTimeout(() => {
			request.destroy(new RequestError('TIMEOUT', `no answer within ${timeoutMs / 1000} s`));
		}, timeoutMs);
		request.on('error', error => {
			clearTimeout(timer);
			reject(error);
		});
		request.end(body);
	});
}
