import {
	appendFileSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import type {TmuxSession} from '../helpers/tmux.js';
import {errorLine} from '../helpers/seed-logs.js';
import {startMjpegCamera} from '../helpers/mjpeg-camera.js';
import {fullFrame, launchTui, MARKER} from '../helpers/launch-tui.js';

describe('camtop in a real terminal', () => {
	let session: TmuxSession | undefined;
	afterEach(() => {
		session?.kill();
	});

	it('draws on the alternate screen, answers Tab, 2, Enter, Esc, ? and q, and gives the terminal back', async () => {
		const launched = await launchTui();
		session = launched.session;
		await session.waitForScreen(fullFrame, 'the first full frame');
		expect(session.modes().alternate).toBe(true);
		expect(session.screen()).not.toContain(MARKER);

		session.send('Tab');
		await session.waitForScreen(screen => screen.includes('▶2 Processes'), 'focus on Processes');
		session.send('2', 'Enter');
		await session.waitForScreen(screen => screen.includes('▶2 Processes') && !screen.includes('6 Issues'), 'Processes zoomed');
		session.send('Escape');
		await session.waitForScreen(fullFrame, 'the grid back');
		session.send('?');
		await session.waitForScreen(screen => screen.includes('Keys') && screen.includes('show or hide this help'), 'the help');
		// Esc and q sent together would read as Alt-q, as from any terminal: one, then the other.
		session.send('Escape');
		await session.waitForScreen(fullFrame, 'help closed');
		session.send('q');

		expect(await launched.exitCode()).toBe(0);
		await session.waitForScreen(screen => screen.includes(MARKER), 'the main screen back');
		expect(session.modes()).toEqual({alternate: false, cursorVisible: true});
	});

	it('judges the config\'s alerts: a count in the header, the list on a', async () => {
		const launched = await launchTui('', root => {
			writeFileSync(path.join(root, 'camtop.config.json'), JSON.stringify({
				processes: ['never_running_here.py'],
				alerts: [{metric: 'process_down', for: 0}, {metric: 'redis_down', name: 'redis_gone', for: '1s'}, {metric: 'disk_percent', fire: 100, clear: 99}],
			}));
		});
		session = launched.session;
		// Nothing runs never_running_here.py and nothing listens on the Redis port: both fire, the disk rule does not.
		await session.waitForScreen(screen => screen.includes('● CRITICAL · ▲ 2 ALERTS'), 'two alerts in the header');
		session.send('a');
		const list = await session.waitForScreen(screen => screen.includes('Alerts 3 rules'), 'the alert list');
		expect(list).toMatch(/FIRING +critical +process_down never_running_here\.py +\d+ s +process never_running_here\.py/);
		expect(list).toMatch(/FIRING +critical +redis_gone +\d+ s +redis/);
		expect(list).not.toContain('disk_full');
		session.send('a');
		await session.waitForScreen(fullFrame, 'the panes back');
		session.send('q');
		expect(await launched.exitCode()).toBe(0);
	});

	it('gives the terminal back on SIGTERM, and exits 0', async () => {
		const launched = await launchTui();
		session = launched.session;
		await session.waitForScreen(fullFrame, 'the first full frame');
		const pid = session.programPid();
		expect(pid).toBeDefined();
		process.kill(pid!, 'SIGTERM');

		expect(await launched.exitCode()).toBe(0);
		await session.waitForScreen(screen => screen.includes(MARKER), 'the main screen back');
		expect(session.modes()).toEqual({alternate: false, cursorVisible: true});
	});

	it('draws without colour when NO_COLOR is set', async () => {
		const launched = await launchTui('NO_COLOR=1');
		session = launched.session;
		await session.waitForScreen(fullFrame, 'the first full frame');
		const withEscapes = execFileSync('tmux', ['-L', session.socket, 'capture-pane', '-e', '-p', '-t', 'camtop'], {encoding: 'utf8'});
		// No foreground or background colour: SGR 30–37, 90–97, 38;…, 40–47, 100–107.
		expect(withEscapes).not.toMatch(/\u001B\[[\d;]*(?:3[0-8]|9[0-7]|4[0-7]|10[0-7])m/);
		expect(withEscapes).toContain('CRIT');
		session.send('q');
		expect(await launched.exitCode()).toBe(0);
	});

	it('shows a line full of escape sequences appended to errors.log as harmless text', async () => {
		const launched = await launchTui();
		session = launched.session;
		const before = await session.waitForScreen(fullFrame, 'the first full frame');
		const hostile = 'bad \u001B[2J\u001B[H\u001B]0;pwned\u0007\u001B[31mVISIBLE-TEXT\u001B[0m\u001B(0 end';
		appendFileSync(path.join(launched.root, 'logs', 'errors.log'), `${errorLine(new Date(), 'decode:9', hostile)}\n`);
		const after = await session.waitForScreen(screen => screen.includes('VISIBLE-TEXT'), 'the hostile line drawn');
		expect(after).toContain('bad VISIBLE-TEXT');
		// The rest of the screen is where it was: the header and every pane title on the same rows.
		const titleRows = (screen: string) => screen.split('\n').map((line, row) => [row, line] as const)
			.filter(([, line]) => /[1-6] (Resources|Processes|Connections|Errors|Performance|Issues)/.test(line)).map(([row]) => row);
		expect(titleRows(after)).toEqual(titleRows(before));
		expect(after.split('\n')[0]).toMatch(/^camtop · /);
		// The window title was not changed, nor the character set (box drawing still draws as such).
		expect(execFileSync('tmux', ['-L', session.socket, 'display-message', '-p', '-t', 'camtop', '#{pane_title}'], {encoding: 'utf8'})).not.toContain('pwned');
		expect(after).toContain('╭');
		session.send('q');
		expect(await launched.exitCode()).toBe(0);
	});

	it('follows errors.log through a rename rotation, and says when it is deleted', async () => {
		const launched = await launchTui();
		session = launched.session;
		await session.waitForScreen(fullFrame, 'the first full frame');
		const log = path.join(launched.root, 'logs', 'errors.log');
		appendFileSync(log, `${errorLine(new Date(), 'fetch_image:7', 'ROT-A')}\n`);
		renameSync(log, `${log}.1`);
		writeFileSync(log, `${errorLine(new Date(), 'fetch_image:8', 'ROT-B')}\n`);
		await session.waitForScreen(screen => screen.includes('ROT-A') && screen.includes('ROT-B'), 'both sides of the rotation');
		rmSync(log);
		await session.waitForScreen(screen => screen.includes('errors.log: missing (del'), 'the deletion said in the pane');
		writeFileSync(log, `${errorLine(new Date(), 'fetch_image:9', 'NEW-FILE')}\n`);
		await session.waitForScreen(screen => screen.includes('NEW-FILE') && !screen.includes('missing (del'), 'the new file followed');
		session.send('q');
		expect(await launched.exitCode()).toBe(0);
	});

	it('shows a real MJPEG camera LIVE with its frame rate, and OFFLINE once ffmpeg is gone', async () => {
		const camera = await startMjpegCamera();
		try {
			const launched = await launchTui('', root => {
				writeFileSync(path.join(root, 'camtop.config.json'), JSON.stringify({cameras: [{name: 'yard', url: camera.url.replace('http://', 'http://viewer:yard-pass@')}]}));
			});
			session = launched.session;
			await session.waitForScreen(fullFrame, 'the first full frame');
			// Zoomed, the pane is wide enough for the three sources side by side.
			session.send('3', 'Enter');
			const live = await session.waitForScreen(screen => /yard +LIVE .* \d+\.\d fps \d+ ms/.test(screen), 'the camera LIVE with its frame rate', 15_000);
			expect(live).not.toContain('yard-pass');
			await camera.stop();
			await session.waitForScreen(screen => /yard +OFFLINE .*ECONNREFUSED/.test(screen), 'the camera OFFLINE', 15_000);
			session.send('q');
			expect(await launched.exitCode()).toBe(0);
		} finally {
			await camera.stop();
		}
	});
});
