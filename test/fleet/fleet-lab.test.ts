import {readFileSync} from 'node:fs';
import {isDeepStrictEqual} from 'node:util';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {
	FLEET_BOX_HEALTH, FLEET_BOX_NAMES, LIVE_CAMERA, OFFLINE_CAMERA, STALE_LOG_FILE, startFleetLab, type FleetLab,
} from '../helpers/fleet-lab.js';
import {startProxy} from '../helpers/http-proxy.js';
import {waitFor} from '../helpers/wait-for.js';

const TOKEN = 'fleet-lab-token';

/** Each sample's value by its `box` label. */
async function byBox(lab: FleetLab, promql: string): Promise<Record<string, string>> {
	const samples = await lab.query(promql);
	return Object.fromEntries(samples.map(sample => [sample.metric.box, sample.value[1]]));
}

/** Waits until `read` gives `expected`, and asserts it (so a timeout shows the last answer beside the expected one). */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
	let last: T | undefined;
	try {
		await waitFor(async () => {
			last = await read();
			return isDeepStrictEqual(last, expected);
		}, 'the expected answer', 15_000, 250);
	} catch {}

	expect(last).toEqual(expected);
}

/** The process's state letter from /proc (R, S, T for stopped…), undefined once it is gone. */
function processState(pid: number): string | undefined {
	try {
		// Fields: pid (comm) state …; comm may hold spaces, so the state is the first field after the last ')'.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
	} catch {
		return undefined;
	}
}

/**
The fleet lab itself, read back through Prometheus' HTTP API: ten real exporters in the states `camtop fleet` is tested
against, a real Prometheus scraping them, and the proxies that make that Prometheus slow or unauthorized.
*/
describe('fleet lab', () => {
	let lab: FleetLab;

	beforeAll(async () => {
		lab = await startFleetLab({token: TOKEN});
		await lab.waitForScraped();
	}, 50_000);

	afterAll(async () => {
		await lab?.stop();
	});

	it('has every box up, labelled with its name, and its exporter wanting the token Prometheus scrapes with', async () => {
		const up = await lab.query(`up{job="${lab.job}"}`);
		expect(up.map(sample => `${sample.metric.box} ${sample.metric.instance} ${sample.value[1]}`).sort()).toEqual(lab.boxes.map(box => `${box.name} ${box.instance} 1`).sort());
		expect(lab.boxes.map(box => box.name)).toEqual(FLEET_BOX_NAMES);

		const {exporter} = lab.box('healthy-1');
		expect((await exporter.get('/metrics')).status).toBe(401);
		expect((await exporter.get('/metrics', {authorization: `Bearer ${TOKEN}`})).status).toBe(200);
	});

	it('shows each running box\'s health, Redis down on its box only', async () => {
		// The machine's CPU is every box's: its own checks are the rest (waitForScraped saw each camtop_health_status once).
		const health = Object.fromEntries(Object.entries(FLEET_BOX_HEALTH).map(([name, status]) => [name, String(status)]));
		expect(await byBox(lab, `max by (box) (camtop_check_status{job="${lab.job}",check!="resources"})`)).toEqual(health);
		expect(await byBox(lab, `camtop_redis_up{job="${lab.job}"}`)).toEqual(Object.fromEntries(FLEET_BOX_NAMES.map(name => [name, name === 'redis-down' ? '0' : '1'])));
	});

	it('shows the OFFLINE camera and the LIVE one on the camera box, and no camera elsewhere', async () => {
		// LIVE is a probe answered within 1 s: on a saturated machine the stream can read DEGRADED for a probe.
		await eventually(async () => {
			const states = await lab.query(`camtop_camera_state{job="${lab.job}"} == 1`);
			return states.map(sample => `${sample.metric.box} ${sample.metric.camera} ${sample.metric.state}`).sort();
		}, [`camera-offline ${OFFLINE_CAMERA} OFFLINE`, `camera-offline ${LIVE_CAMERA} LIVE`].sort());
	});

	it('shows the stale log on its box only, and deploy/\'s rules turn it into a firing alert', async () => {
		const stale = await lab.query(`camtop_log_file_stale{job="${lab.job}"} == 1`);
		expect(stale.map(sample => [sample.metric.box, sample.metric.file])).toEqual([['stale-log', STALE_LOG_FILE]]);
		const alerts = await waitFor(async () => {
			const firing = await lab.query('ALERTS{alertname="CamtopLogStale", alertstate="firing"}');
			return firing.length > 0 && firing;
		}, 'CamtopLogStale firing', 10_000, 250);
		expect(alerts.map(sample => sample.metric.box)).toEqual(['stale-log']);
	});

	it('sees the frozen exporter go down (its scrape times out) while its process still exists', async () => {
		const {exporter} = lab.box('frozen');
		await lab.freeze('frozen');
		await waitFor(async () => (await byBox(lab, `up{job="${lab.job}"}`)).frozen === '0', 'up 0 for the frozen box', 15_000, 250);
		expect(processState(exporter.pid)).toBe('T');
		const up = await byBox(lab, `up{job="${lab.job}"}`);
		expect(Object.entries(up).filter(([, value]) => value === '0').map(([name]) => name)).toEqual(['frozen']);
	});

	it('sees the stopped exporter go down after its scrapes', async () => {
		const {exporter} = lab.box('stopped');
		await lab.stopBox('stopped');
		expect(processState(exporter.pid)).toBeUndefined();
		await waitFor(async () => (await byBox(lab, `up{job="${lab.job}"}`)).stopped === '0', 'up 0 for the stopped box', 15_000, 250);
		expect(await byBox(lab, `max_over_time(up{job="${lab.job}",box="stopped"}[1h])`)).toEqual({stopped: '1'});
	});

	it('a slow proxy answers after its delay: a request with a 1 s timeout gives up before the patient one is answered', async () => {
		const proxy = await startProxy(lab.prometheusUrl, {delayMs: 5000});
		try {
			const events: string[] = [];
			const url = `${proxy.url}/api/v1/query?query=${encodeURIComponent(`up{job="${lab.job}"}`)}`;
			const patient = fetch(url).then(async response => {
				events.push(`answered ${response.status}`);
				return response.json() as Promise<{status: string}>;
			});
			const hasty = fetch(url, {signal: AbortSignal.timeout(1000)}).then(() => {
				events.push('hasty answered');
			}, (error: unknown) => {
				events.push((error as Error).name);
			});
			await hasty;
			expect((await patient).status).toBe('success');
			expect(events).toEqual(['TimeoutError', 'answered 200']);
			expect(proxy.requests()).toBe(2);
		} finally {
			await proxy.stop();
		}
	}, 20_000);

	it('a proxy stopped with a request waiting closes its connection: nothing is left open', async () => {
		const proxy = await startProxy(lab.prometheusUrl, {delayMs: 60_000});
		const waiting = fetch(`${proxy.url}/api/v1/query?query=up`).then(() => 'answered', () => 'connection closed');
		await waitFor(() => proxy.requests() === 1, 'the request at the proxy');
		await proxy.stop();
		expect(await waiting).toBe('connection closed');
	});

	it('a 401 proxy answers 401 with a bearer challenge and never forwards', async () => {
		const proxy = await startProxy(lab.prometheusUrl, {status: 401});
		try {
			const response = await fetch(`${proxy.url}/api/v1/query?query=up`);
			expect(response.status).toBe(401);
			expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
			expect(await response.text()).toBe('401 Unauthorized\n');
			expect(proxy.requests()).toBe(1);
		} finally {
			await proxy.stop();
		}
	});

	it('stop() leaves no exporter behind, the frozen one included', async () => {
		const pids = lab.boxes.map(box => box.exporter.pid);
		await lab.stop();
		expect(Object.fromEntries(lab.boxes.map((box, index) => [box.name, processState(pids[index]!)]))).toEqual(Object.fromEntries(FLEET_BOX_NAMES.map(name => [name, undefined])));
	});
});
