import React from 'react';
import {describe, expect, it} from 'vitest';
import {ok} from '../../source/base/result.js';
import type {WatchedProcess} from '../../source/collectors/processes.js';
import {ProcessesPane} from '../../source/ui/panes/processes-pane.js';
import {NOW, processes} from './fixtures.js';
import {frameLines, renderSized} from './render-sized.js';

const MIB = 1024 ** 2;
/** The fixture's processes, cam1_stream.py leaking 38 MiB/h and start.py shrinking; client.py is down. */
const watched: WatchedProcess[] = processes.map(process => ({
	...process,
	instances: process.instances.map(instance => ({...instance, rssGrowthBytesPerHour: process.name === 'cam1_stream.py' ? 38 * MIB : -512 * 1024})),
}));

function pane(width: number, data: WatchedProcess[] = watched): string[] {
	const tree = <ProcessesPane index={2} title='Processes' width={width} height={7} isFocused={false} variant='full' ageMs={500} staleAfterMs={4000} result={ok(data)} crashLoop={{restarts: 3, minutes: 10}} now={NOW} scroll={0}/>;
	const {lines, widest} = frameLines(renderSized(tree, width).lastFrame());
	expect(widest).toBeLessThanOrEqual(width);
	// The rows only: the frame's borders and title are PaneFrame's, tested with it.
	return lines.slice(2, 6).map(line => line.slice(1, -1).trimEnd());
}

describe('the Processes pane fills its width', () => {
	it.each<[number, string, string[]]>([
		[40, 'name (room for the CRASH-LOOP badge), pid, cpu', [
			'name                   pid        cpu',
			'cam1_stream.py         4242     37.5%',
			'start.py CRASH-LOOP    4300      1.2%',
			'client.py              DOWN         —',
		]],
		[50, 'and rss', [
			'name                    pid        cpu      rss',
			'cam1_stream.py          4242     37.5%  180 MiB',
			'start.py CRASH-LOOP     4300      1.2% 40.0 MiB',
			'client.py               DOWN         —        —',
		]],
		[60, 'and threads, uptime and restarts', [
			'name            pid        cpu      rss thr        up rst',
			'cam1_stream.py  4242     37.5%  180 MiB  12  1 h 30 m   0',
			'start.py CRASH… 4300      1.2% 40.0 MiB   3   1 m 0 s   4',
			'client.py       DOWN         —        —   —         —   0',
		]],
	])('at %i columns: %s', (width, _, rows) => {
		expect(pane(width)).toEqual(rows);
	});

	it('at 66 columns (a third of 200): the RSS growth in place of the pid, DOWN with the name', () => {
		expect(pane(66)).toEqual([
			'name                 cpu      rss      growth thr        up rst',
			'cam1_stream.py     37.5%  180 MiB +38.0 MiB/h  12  1 h 30 m   0',
			'start.py CRASH-L…   1.2% 40.0 MiB  -512 KiB/h   3   1 m 0 s   4',
			'client.py DOWN         —        —           —   —         —   0',
		]);
	});

	it.each([80, 120, 200])('at %i columns: the pid back', width => {
		const rows = pane(width);
		const nameWidth = width - 2 - 54;
		const row = (name: string, rest: string) => `${name.padEnd(nameWidth)}${rest}`;
		expect(rows).toEqual([
			row('name', 'pid        cpu      rss      growth thr        up rst'),
			row('cam1_stream.py', '4242     37.5%  180 MiB +38.0 MiB/h  12  1 h 30 m   0'),
			row('start.py CRASH-LOOP', '4300      1.2% 40.0 MiB  -512 KiB/h   3   1 m 0 s   4'),
			row('client.py', 'DOWN         —        —           —   —         —   0'),
		]);
	});

	it('shows no growth until a process has history enough for one', () => {
		expect(pane(80, processes)[1]).toMatch(/180 MiB {11}— {2}12/);
	});
});
