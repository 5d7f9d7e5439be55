import {existsSync} from 'node:fs';
import React from 'react';
import {
	afterAll, describe, expect, it,
} from 'vitest';
import {AlertEngine, type AlertEvent} from '../../source/alerts/engine.js';
import {builtInRules} from '../../source/alerts/rules.js';
import {fail} from '../../source/base/result.js';
import {ProcessCollector, processTotals, type WatchedProcess} from '../../source/collectors/processes.js';
import {DEFAULTS} from '../../source/config/types.js';
import type {Observation} from '../../source/snapshot/observation.js';
import {assembleSnapshot} from '../../source/snapshot/snapshot.js';
import {ProcessesPane} from '../../source/ui/panes/processes-pane.js';
import {renderSized} from '../ui/render-sized.js';
import {spawnWatched} from '../helpers/watched-process.js';
import {waitFor} from '../helpers/wait-for.js';

const MIB = 1024 * 1024;
const thresholds = structuredClone(DEFAULTS.thresholds);
const crashLoop = {...DEFAULTS.crashLoop};

/** The Observation the exporter and the TUI would build with only the processes collected. */
function observe(processes: Awaited<ReturnType<ProcessCollector['collect']>>, at: number): Observation {
	const none = fail('not collected');
	return {
		at,
		snapshot: assembleSnapshot({
			resources: none, processes, redis: none, logFiles: none, recentErrors: none, cameras: none,
		}, thresholds, at),
		activity: {
			errorsLastMinute: null, errorsTotal: null, issuesTotal: null, services: null, metrics: null,
		},
	};
}

/**
The leak watch on real processes, at test size: a sample every 500 ms over a 30 s window, a slope from 5 s of history,
and memory_growth (its built-in rule with test-sized levels) firing at 1,000 MiB/h held for 5 s. One Python process
grows by 2 MiB/s (7,200 MiB/h); one that allocates nothing beside it stays flat.
*/
describe('leak watch', () => {
	const leaking = spawnWatched(`leaky_${process.pid}.py`, {grow: {bytesPerSecond: 2 * MIB, seconds: 90}});
	const flat = spawnWatched(`flat_${process.pid}.py`, {grow: {bytesPerSecond: 0, seconds: 0}});
	afterAll(async () => {
		await Promise.all([leaking.stop(), flat.stop()]);
	});

	it('shows a positive slope in the pane and fires memory_growth for the growing process only', async () => {
		await Promise.all([leaking.running(), flat.running()]);
		// Python's own start-up grows RSS by a few MiB: the flat one is flat once its script runs.
		await waitFor(() => existsSync(`${flat.script}.started`) && existsSync(`${leaking.script}.started`), 'both scripts started');
		const names = [`leaky_${process.pid}.py`, `flat_${process.pid}.py`];
		const collector = new ProcessCollector({
			names, discoveryIntervalMs: 60_000, rssHistory: {sampleIntervalMs: 500, samples: 60, minSpanMs: 5000},
		});
		const rule = builtInRules(thresholds, crashLoop).find(candidate => candidate.name === 'memory_growth')!;
		expect(rule).toMatchObject({
			metric: 'rss_growth_mib_per_hour', fire: 50, clear: 10, forSeconds: 1800,
		});
		const events: AlertEvent[] = [];
		const engine = new AlertEngine([{
			...rule, fire: 1000, clear: 500, forSeconds: 5,
		}], {host: 'box', crashLoop, onEvent: event => events.push(event)});

		let last: WatchedProcess[] = [];
		await waitFor(async () => {
			const result = await collector.collect();
			if (!result.ok) {
				throw new Error(result.error);
			}

			last = result.data;
			engine.evaluate(observe(result, Date.now()));
			return engine.firing().length > 0;
		}, 'memory_growth firing', 60_000, 250);

		expect(engine.firing().map(state => state.instance)).toEqual([names[0]]);
		expect(events.map(event => `${event.status} ${event.instance}`)).toEqual([`firing ${names[0]}`]);
		expect(events[0]!.summary).toMatch(new RegExp(`^process ${names[0]} memory \\+[\\d.]+ [MG]iB/h ≥ 1000 MiB/h$`));

		const [leaky, idle] = last.map(watched => processTotals(watched).rssGrowthBytesPerHour);
		// About 7,200 MiB/h (measured 7,000-7,100): the sampling jitter leaves it rough, never near the flat one (0).
		expect(leaky! / MIB).toBeGreaterThan(3600);
		expect(leaky! / MIB).toBeLessThan(14_400);
		expect(Math.abs(idle!) / MIB).toBeLessThan(100);

		const frame = renderSized(<ProcessesPane index={2} title='Processes' width={100} height={6} isFocused={false} variant='full' ageMs={0} staleAfterMs={4000} result={{ok: true, data: last}} crashLoop={crashLoop} now={Date.now()} scroll={0}/>, 100).lastFrame()!;
		const rows = frame.split('\n');
		expect(rows.find(row => row.includes('growth'))).toBeDefined();
		expect(rows.find(row => row.includes(names[0]!))).toMatch(/ MiB +\+[\d.]+ [MG]iB\/h /);
		expect(rows.find(row => row.includes(names[1]!))).not.toMatch(/[MG]iB\/h/);
	}, 90_000);
});
