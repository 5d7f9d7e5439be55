import {appendFileSync, existsSync} from 'node:fs';
import path from 'node:path';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import type {TmuxSession} from '../helpers/tmux.js';
import {errorLine, stamp} from '../helpers/seed-logs.js';
import {waitFor} from '../helpers/wait-for.js';
import {fullFrame, launchTui, MARKER} from '../helpers/launch-tui.js';

const COLUMNS = 120;
/** The start of the huge record's message (short: what a row of the grid's errors pane shows of it), and of the line without a newline. */
const HUGE = 'HUGE';
const NO_NEWLINE = 'UNENDED';
/** The huge record's row in the errors pane, as far as the narrowest pane shows it. */
const HUGE_ROW = new RegExp(`ERRO +decode +${HUGE} h`);
const ORDINARY = 50;
/** The start of an ordinary record's message: short, for the grid's errors pane, and none the start of another. */
const ordinary = (index: number) => `#${String(index).padStart(2, '0')}/${ORDINARY}`;

const BORDER = new Set(['│', '╭', '╮', '╰', '╯']);

/** The rows the panes take: from the row under the header to the last pane's bottom border. */
const paneRows = (screen: string) => {
	const rows = screen.split('\n');
	return rows.slice(1, rows.findLastIndex(row => row.startsWith('╰')) + 1);
};

/**
What is wrong with a frame's shape, if anything: the panes take the rows they took in the first frame, each of those
rows is exactly the terminal's width, starts and ends with a border, and has every pane border in the column its
block's top border put it (the grid's inner borders as well as the outer ones). Text that leaked out of its box or
wrapped breaks one of these.
*/
function misshapen(screen: string, rowCount: number): string | undefined {
	const rows = paneRows(screen).map(row => [...row]);
	if (rows.length !== rowCount || rows[0]?.[0] !== '╭') {
		return `the panes take ${rows.length} rows from ${rows[0]?.[0] === '╭' ? 'a top border' : 'no top border'}, not ${rowCount}`;
	}

	let columns: number[] = [];
	for (const [index, cells] of rows.entries()) {
		const row = index + 1;
		if (cells[0] === '╭') {
			columns = cells.flatMap((cell, column) => (cell === '╭' || cell === '╮' ? [column] : []));
		}

		if (cells.length !== COLUMNS) {
			return `row ${row} is ${cells.length} cells wide, not ${COLUMNS}`;
		}

		if (columns[0] !== 0 || columns.at(-1) !== COLUMNS - 1) {
			return `row ${row}: the panes' top borders above it do not span the terminal`;
		}

		const off = columns.find(column => !BORDER.has(cells[column]!));
		if (off !== undefined) {
			return `row ${row} has no border at column ${off + 1}`;
		}
	}

	return undefined;
}

/**
The huge record's worst case, in a real terminal: a frame must cost the screen, never the data (issue 12).
A 1,000,000-character ERROR line (the tail cuts it at 64 KiB and marks it), a 200,000-character line with no newline
(the tail cuts it without waiting for its end), then 50 ordinary records.
*/
describe('camtop in a real terminal, given a huge line', () => {
	let session: TmuxSession | undefined;
	let camtop: number | undefined;
	afterEach(() => {
		session?.kill();
		// camtop answers SIGHUP (the terminal gone) from its event loop: one stuck in a frame outlives its terminal.
		try {
			process.kill(camtop!, 'SIGKILL');
		} catch {}
	});

	it('shows the cut record and the newer ones in frames the width of the panes, and q still exits at once', async () => {
		const launched = await launchTui();
		session = launched.session;
		const terminal = session;
		const errorsLog = path.join(launched.root, 'logs', 'errors.log');
		/** Every screen looked at from the first full frame on, whatever it was looked at for, must have its shape. */
		const frames: string[] = [];
		const waitForFrame = async (check: (screen: string) => boolean, what: string) => terminal.waitForScreen(screen => {
			frames.push(screen);
			return check(screen);
		}, what);

		frames.push(await terminal.waitForScreen(fullFrame, 'the first full frame'));
		camtop = terminal.programPid();

		const hugeStamp = new Date();
		const head = `${errorLine(hugeStamp, 'decode:9', HUGE)} `;
		appendFileSync(errorsLog, `${head}${'h'.repeat(1_000_000 - head.length)}\n${NO_NEWLINE} ${'n'.repeat(200_000 - NO_NEWLINE.length - 1)}`);
		// The cut record in the errors pane (the shape of every frame, its row's included, is judged below).
		await waitForFrame(screen => HUGE_ROW.test(screen), 'the cut record in the errors pane');

		appendFileSync(errorsLog, `\n${Array.from({length: ORDINARY}, (_, index) => errorLine(new Date(), `fetch_image:${index + 1}`, `${ordinary(index + 1)} ordinary error`)).join('\n')}\n`);
		// The newest on screen: the line without a newline ended where the newline came, and every record after it is read.
		await waitForFrame(screen => screen.includes(ordinary(ORDINARY)), 'the newest ordinary record');

		// Zoomed, the errors pane selects records a page at a time, from the newest: 50 records up is the cut one.
		terminal.send('4', 'Enter');
		await waitForFrame(screen => screen.includes('▶4 Errors') && !screen.includes('6 Issues'), 'the errors pane zoomed');
		for (let page = 1; page <= ORDINARY / 10; page++) {
			terminal.send('PageUp');
			const newest = ORDINARY - (10 * page);
			await waitForFrame(screen => (newest === 0 ? HUGE_ROW.test(screen) : screen.includes(ordinary(newest))) && !screen.includes(ordinary(newest + 1)), `${10 * page} records up`);
		}

		// The record whole: its timestamp as written, and its message from the start.
		terminal.send('Enter');
		await waitForFrame(screen => screen.includes(stamp(hugeStamp)) && screen.includes(`${HUGE} hhhhhhhhhh`), 'the cut record whole');

		const rowCount = paneRows(frames[0]!).length;
		for (const frame of frames) {
			expect(misshapen(frame, rowCount), frame).toBeUndefined();
		}

		// q with the huge record on screen: from the key to the shell's writing the exit code (Infinity: not within 5 s).
		const sent = performance.now();
		terminal.send('q');
		const exited = await waitFor(() => existsSync(launched.exitFile) || undefined, 'camtop to exit', 5000)
			.then(() => performance.now() - sent, () => Number.POSITIVE_INFINITY);
		expect(exited, 'ms from q to exit').toBeLessThan(1000);
		expect(await launched.exitCode()).toBe(0);
		await terminal.waitForScreen(screen => screen.includes(MARKER), 'the main screen back');
		expect(terminal.modes()).toEqual({alternate: false, cursorVisible: true});
	}, 60_000);
});
