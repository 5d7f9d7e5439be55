import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {AlertEvent} from '../../source/alerts/engine.js';

export type Received = {path: string; headers: http.IncomingHttpHeaders; body: string};

/**
A real webhook receiver on 127.0.0.1, as Slack's would be: it keeps every request. `answer` picks each request's status
(by its index); undefined never answers. Answers come 20 ms late, so that two requests at once would overlap.
*/
export async function startWebhookReceiver(answer: (index: number) => number | undefined = () => 200) {
	const received: Received[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const server = http.createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk: string) => {
			body += chunk;
		});
		request.on('end', () => {
			const index = received.length;
			received.push({path: request.url ?? '', headers: request.headers, body});
			const status = answer(index);
			if (status !== undefined) {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				setTimeout(() => {
					inFlight--;
					response.writeHead(status).end('ok');
				}, 20);
			}
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/services/T000/B000/SECRETPATH`,
		port,
		received,
		/** The bodies as the alert events they are. */
		events: () => received.map(request => JSON.parse(request.body) as AlertEvent),
		maxInFlight: () => maxInFlight,
		async close(): Promise<void> {
			server.closeAllConnections();
			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}
