import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import {
	PrometheusClient, PrometheusError, type Credentials, type PrometheusFailure,
} from '../../source/fleet/prometheus-client.js';
import {freePort} from '../helpers/free-port.js';

/*
These servers stand in for Prometheus' failure modes (a 401 from the proxy in front of it, an answer that never comes,
an HTML page, its own query timeout, a huge answer), which a real Prometheus cannot be made to produce on demand. The
happy path is tested against a real Prometheus in test/fleet/fleet.test.ts.
*/

type Seen = {path: string; authorization: string | undefined; method: string; form: Record<string, string>};

const servers: http.Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => {
		server.closeAllConnections();
		await new Promise(resolve => {
			server.close(resolve);
		});
	}));
});

/** A server on a free port answering every request with `answer`; `seen` lists what it was asked. */
async function serve(answer: (response: http.ServerResponse) => void): Promise<{url: string; seen: Seen[]}> {
	const seen: Seen[] = [];
	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => {
			body += chunk.toString();
		});
		request.on('end', () => {
			seen.push({
				path: request.url ?? '', authorization: request.headers.authorization, method: request.method ?? '', form: Object.fromEntries(new URLSearchParams(body)),
			});
			answer(response);
		});
	});
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen};
}

function json(status: number, body: unknown) {
	return (response: http.ServerResponse) => {
		response.writeHead(status, {'content-type': 'application/json'});
		response.end(JSON.stringify(body));
	};
}

const VECTOR = {status: 'success', data: {resultType: 'vector', result: [{metric: {__name__: 'up', instance: '10.0.0.1:9464', job: 'camtop'}, value: [1_764_900_000.5, '1']}]}};

function client(url: string, {credentials = {kind: 'none'}, timeoutMs = 2000, maxAnswerBytes}: {credentials?: Credentials; timeoutMs?: number; maxAnswerBytes?: number} = {}) {
	return new PrometheusClient({
		url, credentials, timeoutMs, maxAnswerBytes,
	});
}

/** The PrometheusError a call fails with. */
async function failureOf(call: Promise<unknown>): Promise<PrometheusError> {
	const error = await call.then(() => undefined, (error: unknown) => error);
	expect(error).toBeInstanceOf(PrometheusError);
	return error as PrometheusError;
}

async function expectFailure(call: Promise<unknown>, kind: PrometheusFailure, message: RegExp): Promise<PrometheusError> {
	const error = await failureOf(call);
	expect(error.kind).toBe(kind);
	expect(error.message).toMatch(message);
	expect(error.message).not.toContain('\n');
	return error;
}

describe('PrometheusClient', () => {
	it('reads an instant vector, asking under the URL\'s path prefix with Prometheus told the timeout', async () => {
		const server = await serve(json(200, VECTOR));
		const samples = await client(`${server.url}/prometheus/`, {timeoutMs: 5000}).query('up{job="camtop"}');
		expect(samples).toEqual([{labels: {__name__: 'up', instance: '10.0.0.1:9464', job: 'camtop'}, value: 1, at: 1_764_900_000.5}]);
		const asked = new URL(server.seen[0]!.path, server.url);
		expect(asked.pathname).toBe('/prometheus/api/v1/query');
		// A form: the down boxes' query can be longer than a URL may be.
		expect(server.seen[0]).toMatchObject({method: 'POST', form: {query: 'up{job="camtop"}', timeout: '5s'}});
	});

	it('sends a bearer token or basic auth in the authorization header', async () => {
		const server = await serve(json(200, VECTOR));
		await client(server.url, {credentials: {kind: 'bearer', token: 'tok-123'}}).query('up');
		await client(server.url, {credentials: {kind: 'basic', user: 'camtop', password: 'pa:ss'}}).query('up');
		await client(server.url).query('up');
		expect(server.seen.map(request => request.authorization)).toEqual([
			'Bearer tok-123',
			`Basic ${Buffer.from('camtop:pa:ss').toString('base64')}`,
			undefined,
		]);
	});

	it.each([401, 403])('reads %i as unauthorized in one line naming PROMETHEUS_TOKEN, with no secret in it', async status => {
		const server = await serve(json(status, {status: 'error', error: 'unauthorized'}));
		const error = await expectFailure(client(server.url, {credentials: {kind: 'bearer', token: 'tok-s3cret'}}).query('up'), 'unauthorized', /PROMETHEUS_TOKEN/);
		expect(error.message).toContain(`${server.url}: ${status}`);
		expect(error.message).not.toContain('s3cret');
	});

	it('cleans control sequences out of Prometheus\' own error, which is shown on a terminal', async () => {
		const server = await serve(json(422, {status: 'error', error: 'boom \u001B]0;PWNED\u0007\u001B[2J red'}));
		const error = await expectFailure(client(server.url).query('up'), 'bad-answer', /boom/);
		expect(error.message).not.toMatch(/\u001B|\u0007/);
	});

	it('reads a malformed result element as a series without labels, not a crash', async () => {
		const server = await serve(json(200, {status: 'success', data: {resultType: 'vector', result: [null, 7]}}));
		const samples = await client(server.url).query('up');
		expect(samples.map(sample => sample.labels)).toEqual([{}, {}]);
	});

	it('takes a URL password with a literal % as it is', () => {
		expect(() => client('http://camtop:50%off@127.0.0.1:9')).not.toThrow();
	});

	it('gives up on a server that never answers: a timeout', async () => {
		const server = await serve(() => {
			// Holds the request open: the answer never comes.
		});
		await expectFailure(client(server.url, {timeoutMs: 300}).query('up'), 'timeout', /no answer within 0\.3 s/);
	});

	it('calls a closed port unreachable', async () => {
		const url = `http://127.0.0.1:${await freePort()}`;
		await expectFailure(client(url).query('up'), 'unreachable', /^http:\/\/127\.0\.0\.1:\d+: connection refused/);
	});

	it('calls a host that does not resolve unreachable', async () => {
		await expectFailure(client('http://camtop-no-such-host.invalid:9090', {timeoutMs: 10_000}).targets(), 'unreachable', /host not found/);
	});

	it('calls an HTML page a bad answer: not Prometheus', async () => {
		const server = await serve(response => {
			response.writeHead(200, {'content-type': 'text/html'});
			response.end('<!doctype html><html><body>Grafana</body></html>');
		});
		await expectFailure(client(server.url).query('up'), 'bad-answer', /not a Prometheus API answer/);
	});

	it('reads Prometheus\' own query timeout as a timeout, and its other errors as bad answers', async () => {
		const timedOut = await serve(json(503, {status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation'}));
		await expectFailure(client(timedOut.url).query('up'), 'timeout', /query timed out in expression evaluation$/);
		const badQuery = await serve(json(400, {status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:4: parse error: unexpected "}"\nmore'}));
		await expectFailure(client(badQuery.url).query('up}'), 'bad-answer', /parse error: unexpected "}"$/);
	});

	it('calls a matrix where a vector was asked for a bad answer', async () => {
		const server = await serve(json(200, {status: 'success', data: {resultType: 'matrix', result: []}}));
		await expectFailure(client(server.url).query('up'), 'bad-answer', /expected an instant vector, got matrix/);
	});

	it('refuses an answer larger than its cap, declared or streamed', async () => {
		const big = JSON.stringify({...VECTOR, padding: 'x'.repeat(10_000)});
		const declared = await serve(response => {
			response.writeHead(200, {'content-type': 'application/json', 'content-length': Buffer.byteLength(big)});
			response.end(big);
		});
		await expectFailure(client(declared.url, {maxAnswerBytes: 4096}).query('up'), 'bad-answer', /larger than camtop takes/);
		const streamed = await serve(response => {
			response.writeHead(200, {'content-type': 'application/json'});
			for (let offset = 0; offset < big.length; offset += 1000) {
				response.write(big.slice(offset, offset + 1000));
			}

			response.end();
		});
		await expectFailure(client(streamed.url, {maxAnswerBytes: 4096}).query('up'), 'bad-answer', /larger than 4096 bytes/);
		// The same answer under the cap is read.
		expect(await client(streamed.url, {maxAnswerBytes: 1_000_000}).query('up')).toHaveLength(1);
	});

	it('reads the targets list, with each target\'s last error', async () => {
		const server = await serve(json(200, {
			status: 'success',
			data: {
				activeTargets: [{
					labels: {job: 'camtop', instance: '10.0.0.5:9464'}, scrapeUrl: 'http://10.0.0.5:9464/metrics', health: 'down', lastError: 'context deadline exceeded', lastScrape: '2026-12-05T08:00:00Z',
				}],
			},
		}));
		expect(await client(server.url).targets()).toEqual([{
			labels: {job: 'camtop', instance: '10.0.0.5:9464'}, scrapeUrl: 'http://10.0.0.5:9464/metrics', health: 'down', lastError: 'context deadline exceeded', lastScrapeMs: Date.parse('2026-12-05T08:00:00Z'),
		}]);
		expect(new URL(server.seen[0]!.path, server.url).searchParams.get('timeout')).toBeNull();
	});

	it('hides credentials written into the URL, in shownUrl and in every message, and sends them as basic auth', async () => {
		const refused = `http://alice:s3cret@127.0.0.1:${await freePort()}`;
		expect(client(refused).shownUrl).not.toContain('s3cret');
		await expectFailure(client(refused).query('up'), 'unreachable', /^http:\/\/alice:\*{3}@127\.0\.0\.1:\d+\/?: connection refused/);
		expect((await failureOf(client(refused).query('up'))).message).not.toContain('s3cret');

		const server = await serve(json(401, {}));
		const unauthorized = `${server.url.replace('http://', 'http://alice:s3cret@')}/prometheus`;
		expect(client(unauthorized).shownUrl).toBe(`${server.url.replace('http://', 'http://alice:***@')}/prometheus`);
		const error = await expectFailure(client(unauthorized).query('up'), 'unauthorized', /^http:\/\/alice:\*{3}@127\.0\.0\.1:\d+\/prometheus: 401/);
		expect(error.message).not.toContain('s3cret');
		expect(server.seen[0]).toMatchObject({path: '/prometheus/api/v1/query', authorization: `Basic ${Buffer.from('alice:s3cret').toString('base64')}`});
	});
});
