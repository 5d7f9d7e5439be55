import {
	existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import {
	afterAll, beforeAll, describe, expect, it,
} from 'vitest';
import {startFleetLab, type FleetBoxName, type FleetLab} from '../helpers/fleet-lab.js';
import {startProxy, type HttpProxy} from '../helpers/http-proxy.js';
import {freePort} from '../helpers/free-port.js';
import {CLI, runCli, type CliRun} from '../helpers/run-cli.js';
import {TmuxSession} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

/** The exporters want it on /metrics and /snapshot: Prometheus scrapes with it, and fleet's box view must send it. */
const TOKEN = 'fleet-test-token';
/** Seconds without a scrape before a box is down: short, so the frozen and stopped boxes are down within the test. */
const DOWN_AFTER = '3';

type JsonBox = {
	instance: string;
	status: string;
	reasons: string[];
	up: boolean;
	cameras_live: number | null;
	cameras_total: number | null;
	redis_up: boolean | null;
	last_scrape_seconds_ago: number | null;
	alerts_firing: number;
	host: string;
};

/**
What each box of the lab must read as, once the frozen and stopped ones are down: its status and the reason that says
why. The ten exporters share this machine's CPU, and a collection that finds both cores 100 % busy (the rest of the
suite runs beside) judges its box critical for `resources`: that reason, alone, is allowed on top of any box's own.
*/
const EXPECTED: Record<FleetBoxName, {status: string; reason?: string}> = {
	'healthy-1': {status: 'ok'},
	'healthy-2': {status: 'ok'},
	'healthy-3': {status: 'ok'},
	'healthy-4': {status: 'ok'},
	'healthy-5': {status: 'ok'},
	'redis-down': {status: 'critical', reason: 'redis critical'},
	'camera-offline': {status: 'critical', reason: 'camera OFFLINE'},
	'stale-log': {status: 'warning', reason: 'log files warning'},
	frozen: {status: 'down', reason: 'scrape timed out'},
	stopped: {status: 'down', reason: 'connection refused'},
};

/** Worst first, as the table sorts. */
const RANK = ['down', 'critical', 'stale', 'warning', 'unknown', 'ok'];
const SHORT_RANK = ['DOWN', 'CRIT', 'STALE', 'WARN', 'UNKN', 'OK'];

/** Whether a box reads as its name says: its own status and reason, or worse by a busy CPU and nothing else. */
function readsAs(name: FleetBoxName, box: JsonBox): boolean {
	const {status, reason} = EXPECTED[name];
	if (reason !== undefined && !box.reasons.includes(reason)) {
		return false;
	}

	if (box.status === status) {
		return true;
	}

	const busy = box.reasons.some(text => text.startsWith('resources '));
	return busy && status !== 'down' && RANK.indexOf(box.status) < RANK.indexOf(status);
}

/** Whether statuses come worst first. */
function worstFirst(statuses: readonly string[], ranks: readonly string[] = RANK): boolean {
	return statuses.every((status, index) => index === 0 || ranks.indexOf(statuses[index - 1]!) <= ranks.indexOf(status));
}

/**
`camtop fleet` against a real Prometheus scraping ten real `camtop export` processes (test/helpers/fleet-lab.ts): five
healthy, Redis down, a camera OFFLINE, a stale log, one frozen with SIGSTOP and one stopped.
*/
describe('camtop fleet', () => {
	let lab: FleetLab;
	let cwd: string;
	/** The box's name by its instance. */
	let names: Map<string, FleetBoxName>;
	let labConfig: string;

	beforeAll(async () => {
		cwd = mkdtempSync(path.join(os.tmpdir(), 'camtop-fleet-'));
		// The lab's Prometheus scrapes every second: the last scrape of a box that is down is looked for at that step.
		labConfig = path.join(cwd, 'fleet.json');
		writeFileSync(labConfig, JSON.stringify({fleet: {scrapeIntervalSeconds: 1}}));
		lab = await startFleetLab({token: TOKEN});
		await lab.waitForScraped();
		await Promise.all([lab.freeze('frozen'), lab.stopBox('stopped')]);
		names = new Map(lab.boxes.map(box => [box.instance, box.name]));
	}, 120_000);

	afterAll(async () => {
		await lab?.stop();
		rmSync(cwd, {recursive: true, force: true});
	});

	const fleet = async (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(['fleet', ...args], {cwd, env});

	/** `fleet --json` run until every box reads as EXPECTED (a box's health is a live judgement), then its last answer. */
	async function settledJson(): Promise<{run: CliRun; boxes: JsonBox[]}> {
		let last: {run: CliRun; boxes: JsonBox[]} | undefined;
		const wrong = (boxes: JsonBox[]) => boxes.filter(box => !readsAs(names.get(box.instance)!, box)).map(box => ({box: names.get(box.instance), status: box.status, reasons: box.reasons}));
		try {
			await waitFor(async () => {
				const run = await fleet(['--prometheus', lab.prometheusUrl, '--config', labConfig, '--down-after', DOWN_AFTER, '--json']);
				last = {run, boxes: (JSON.parse(run.stdout) as {boxes: JsonBox[]}).boxes};
				return last.boxes.length === 10 && wrong(last.boxes).length === 0;
			}, 'every box in its expected state', 60_000, 500);
		} catch {}

		expect(last?.boxes.length).toBe(10);
		expect(wrong(last!.boxes)).toEqual([]);
		return last!;
	}

	it('--json reports each box\'s state and why, worst first, and exits 2 for the down boxes', async () => {
		const {run, boxes} = await settledJson();
		expect(run.code).toBe(2);
		// Worst first: the two down boxes, then the critical ones, the warning and the healthy.
		expect(boxes.slice(0, 2).map(box => names.get(box.instance)!).toSorted((a, b) => a.localeCompare(b))).toEqual(['frozen', 'stopped']);
		expect(worstFirst(boxes.map(box => box.status))).toBe(true);
		const byName = Object.fromEntries(boxes.map(box => [names.get(box.instance), box]));
		expect(byName['camera-offline']).toMatchObject({cameras_live: 1, cameras_total: 2, up: true});
		expect(byName['redis-down']).toMatchObject({redis_up: false, up: true});
		expect(byName['healthy-1']).toMatchObject({redis_up: true, up: true, host: os.hostname()});
		// The two down boxes were scraped before they went down: their host is still known, their age counts.
		expect(byName.frozen).toMatchObject({up: false, host: os.hostname(), redis_up: null});
		expect(byName.stopped!.last_scrape_seconds_ago).toBeGreaterThanOrEqual(Number(DOWN_AFTER));
		expect(JSON.parse(run.stdout)).toMatchObject({status: 'down', summary: {down: 2, total: 10}});
	}, 90_000);

	it('prints the table as text to a pipe, worst first, the reasons whole', async () => {
		await settledJson();
		const run = await fleet(['--prometheus', lab.prometheusUrl, '--config', labConfig, '--down-after', DOWN_AFTER]);
		expect(run.code).toBe(2);
		const [titles, ...rows] = run.stdout.trimEnd().split('\n');
		expect(titles).toMatch(/^STATUS +HOST +INSTANCE +CAMS/);
		expect(rows.map(row => row.split(' ')[0]).slice(0, 2)).toEqual(['DOWN', 'DOWN']);
		expect(worstFirst(rows.map(row => row.split(' ')[0]!), SHORT_RANK)).toBe(true);
		expect(rows.find(row => row.includes(lab.box('camera-offline').instance))).toMatch(/ 1\/2 .*camera OFFLINE/);
	}, 90_000);

	const sessions: TmuxSession[] = [];
	afterAll(() => {
		for (const session of sessions) {
			session.kill();
		}
	});

	/**
	camtop fleet in tmux, in a clean environment (no CI: with it Ink draws nothing until exit) holding the exporters'
	token; the shell writes its exit code to a file and stays, so the screen can be read after camtop has left it.
	*/
	function start(args: string, {columns = 120, rows = 30} = {}): {session: TmuxSession; exitCode: () => Promise<number>} {
		const exitFile = path.join(cwd, `exit-${sessions.length}`);
		const command = [
			`env -i PATH=${process.env.PATH} HOME=${os.homedir()} LANG=C.UTF-8 TERM=xterm-256color CAMTOP_EXPORT_TOKEN=${TOKEN} ${process.execPath} ${CLI} fleet ${args} 2> ${cwd}/stderr-${sessions.length}`,
			`echo \\$? > ${exitFile}`,
			'sleep 600',
		].join('; ');
		const session = new TmuxSession(`bash -c "${command}"`, {columns, rows});
		sessions.push(session);
		const exitCode = async () => Number((await waitFor(() => (existsSync(exitFile) ? /^\d+\n/.exec(readFileSync(exitFile, 'utf8'))?.[0] : undefined), 'camtop fleet to exit')).trim());
		return {session, exitCode};
	}

	describe('full screen, in a real terminal', () => {
		it('shows the boxes worst first; Enter on the camera box shows its OFFLINE camera; Esc goes back; q restores the terminal', async () => {
			await settledJson();
			const {session, exitCode} = start(`--prometheus ${lab.prometheusUrl} --config ${labConfig} --down-after ${DOWN_AFTER} --interval 1000`);
			const screen = await session.waitForScreen(text => text.includes('10 boxes 2 down') && text.includes(lab.box('healthy-5').instance), 'the table, every box');
			const rows = screen.split('\n').filter(row => /^(DOWN|CRIT|WARN|OK|STALE|UNKN) /.test(row));
			expect(rows).toHaveLength(10);
			expect(rows.map(row => row.split(' ')[0]).slice(0, 2)).toEqual(['DOWN', 'DOWN']);
			expect(worstFirst(rows.map(row => row.split(' ')[0]!), SHORT_RANK)).toBe(true);

			// Down to the camera box, whatever its place among the critical two.
			const index = rows.findIndex(row => row.includes(lab.box('camera-offline').instance));
			for (let step = 0; step < index; step++) {
				session.send('j');
			}

			session.send('Enter');
			const box = await session.waitForScreen(text => text.includes('From the box') && /gate +OFFLINE/.test(text), 'the camera box, its OFFLINE camera from /snapshot', 20_000);
			expect(box).toContain(lab.box('camera-offline').instance);
			expect(box).toMatch(/yard +LIVE/);
			expect(box).toMatch(/CPU +\S+/);
			expect(box).toMatch(/why .*camera OFFLINE/);

			session.send('Escape');
			await session.waitForScreen(text => text.includes('STATUS') && !text.includes('From the box'), 'the table again');
			expect(session.modes().alternate).toBe(true);

			// A box that does not answer says why in its place, within the timeout (5 s): the frozen exporter holds the
			// connection and answers nothing, the stopped one refuses it. The two are the table's first rows.
			for (let step = 0; step < index; step++) {
				session.send('k');
			}

			session.send('Enter');
			const down = await session.waitForScreen(text => /exporter: (no answer within 5 s|connection refused)/.test(text), 'a down box saying why', 20_000);
			expect(down).toMatch(/● DOWN/);
			session.send('Escape');
			await session.waitForScreen(text => text.includes('STATUS') && !text.includes('From the box'), 'the table once more');
			session.send('q');
			expect(await exitCode()).toBe(0);
			expect(session.modes()).toEqual({alternate: false, cursorVisible: true});
		}, 120_000);

		it('at 40 columns keeps the status, the host and why', async () => {
			const {session, exitCode} = start(`--prometheus ${lab.prometheusUrl} --config ${labConfig} --down-after ${DOWN_AFTER}`, {columns: 40, rows: 16});
			const screen = await session.waitForScreen(text => /^DOWN /m.test(text), 'the table at 40 columns');
			const titles = screen.split('\n').find(row => row.startsWith('STATUS'))!;
			expect(titles).toMatch(/^STATUS\S* +HOST .*WHY/);
			expect(titles).not.toContain('INSTANCE');
			for (const row of screen.split('\n')) {
				expect([...row].length).toBeLessThanOrEqual(40);
			}

			session.send('q');
			expect(await exitCode()).toBe(0);
		}, 60_000);
	});

	describe('when Prometheus is down, slow or refuses us', () => {
		let slow: HttpProxy;
		let refusing: HttpProxy;
		let closed: string;
		let config: string;

		beforeAll(async () => {
			// The proxy holds each request 5 s; camtop gives up after 1.5 s.
			[slow, refusing] = await Promise.all([startProxy(lab.prometheusUrl, {delayMs: 5000}), startProxy(lab.prometheusUrl, {status: 401})]);
			closed = `http://127.0.0.1:${await freePort()}`;
			config = path.join(cwd, 'fleet-timeout.json');
			writeFileSync(config, JSON.stringify({fleet: {timeoutMs: 1500}}));
		});

		afterAll(async () => {
			await Promise.all([slow?.stop(), refusing?.stop()]);
		});

		it.each([
			['down', () => closed, /connection refused/],
			['slow', () => slow.url, /no answer within 1\.5 s/],
			['answering 401', () => refusing.url, /401 unauthorized.*PROMETHEUS_TOKEN/],
		])('--json exits 3 with one line on stderr when Prometheus is %s', async (_state, url, reason) => {
			const run = await fleet(['--prometheus', url(), '--config', config, '--json']);
			expect(run.code).toBe(3);
			expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
			expect(run.stderr).toMatch(reason);
			expect(JSON.parse(run.stdout)).toMatchObject({status: 'unknown', boxes: []});
		}, 30_000);

		it('full screen: one badge says why, the last table stays, and keys keep working', async () => {
			// Through a proxy that we stop: first a table, then Prometheus gone.
			const proxy = await startProxy(lab.prometheusUrl);
			const {session, exitCode} = start(`--prometheus ${proxy.url} --config ${config} --interval 500`);
			await session.waitForScreen(text => text.includes('10 boxes'), 'the table');
			await proxy.stop();
			const screen = await session.waitForScreen(text => /\[Prometheus: connection refused; table \d+ s old]/.test(text), 'the badge');
			expect(screen).toContain('10 boxes');
			expect(screen.match(/\[[^\]]*]/g)).toHaveLength(1);
			session.send('?');
			await session.waitForScreen(text => text.includes('Keys') && text.includes('sort by the next column'), 'help, while Prometheus is down');
			session.send('q');
			expect(await exitCode()).toBe(0);
		}, 60_000);

		it.each([
			['slow', () => slow.url, /\[(Prometheus slow: waiting|.*no answer within 1\.5 s)/],
			['answering 401', () => refusing.url, /\[.*401 unauthorized/],
		])('full screen: a Prometheus %s shows a badge from the start, and keys answer', async (_state, url, badge) => {
			const {session, exitCode} = start(`--prometheus ${url()} --config ${config}`);
			await session.waitForScreen(text => badge.test(text), 'the badge');
			session.send('?');
			await session.waitForScreen(text => text.includes('Keys'), 'help');
			session.send('Escape');
			await session.waitForScreen(text => !text.includes('Keys') && badge.test(text), 'the badge again');
			session.send('q');
			expect(await exitCode()).toBe(0);
		}, 60_000);
	});
});
