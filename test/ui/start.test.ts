import {
	existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import {TmuxSession} from '../helpers/tmux.js';
import {waitFor} from '../helpers/wait-for.js';

const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const TITLES = ['1 Resources', '2 Processes', '3 Connections', '4 Errors', '5 Performance', '6 Issues'];

/** The processes working in `directory` (the demo, its workers, its Redis, the monitor), but the shell around them. */
function processesIn(directory: string): string[] {
	return readdirSync('/proc').filter(pid => /^\d+$/.test(pid)).flatMap(pid => {
		try {
			const cwd = readlinkSync(`/proc/${pid}/cwd`);
			const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
			return cwd.startsWith(directory) && name !== 'bash' && name !== 'sleep' ? [`${pid} ${name}`] : [];
		} catch {
			return [];
		}
	});
}

/**
The README's main command, after its build step: `node scripts/start.mjs` (what `npm start` runs once built) in a real
terminal, from a fresh directory, with a clean environment as a newcomer's shell would have.
*/
describe('npm start', () => {
	let session: TmuxSession | undefined;
	let directory: string | undefined;
	afterEach(() => {
		session?.kill();
		if (directory !== undefined) {
			rmSync(directory, {recursive: true, force: true});
		}
	});

	it('shows all six panes moving on the demo within seconds, and stops the demo when the monitor exits', async () => {
		directory = mkdtempSync(path.join(os.tmpdir(), 'camtop-start-'));
		const command = [
			`cd ${directory}`,
			`env -i PATH=${process.env.PATH} HOME=${os.homedir()} LANG=C.UTF-8 TERM=xterm-256color ${process.execPath} ${START}`,
			`echo \\$? > ${directory}/exit`,
			'sleep 600',
		].join('; ');
		session = new TmuxSession(`bash -c "${command}"`);
		const first = await session.waitForScreen(screen => TITLES.every(title => screen.includes(title))
			&& /cam1_stream\.py +\d+/.test(screen) && /start\.py +\d+/.test(screen)
			&& /Redis +up/.test(screen) && /camera_1 +LIVE/.test(screen) && screen.includes('ERRO'), 'the demo on screen', 20_000);
		// Moving: the log-fed panes (errors, performance, issues) change while nobody touches a key.
		const lower = (screen: string) => screen.split('\n').slice(Math.floor(screen.split('\n').length / 2)).join('\n');
		await session.waitForScreen(screen => lower(screen) !== lower(first), 'the lower panes to change', 15_000);
		// The demo, its three workers, its Redis and the monitor, at least.
		expect(processesIn(directory).length).toBeGreaterThanOrEqual(5);

		session.send('q');
		const exit = await waitFor(() => (existsSync(path.join(directory!, 'exit')) ? readFileSync(path.join(directory!, 'exit'), 'utf8').trim() : undefined), 'npm start to exit', 15_000);
		expect(exit).toBe('0');
		// The demo, its workers and its private Redis are gone with the monitor.
		await waitFor(() => processesIn(directory!).length === 0 || undefined, 'the demo to stop', 10_000);
	}, 60_000);
});
