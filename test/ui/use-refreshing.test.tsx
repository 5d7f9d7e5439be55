import React from 'react';
import {Text} from 'ink';
import {render, cleanup} from 'ink-testing-library';
import {
	afterEach, describe, expect, it,
} from 'vitest';
import {useRefreshing} from '../../source/ui/hooks/use-refreshing.js';
import {waitFor} from '../helpers/wait-for.js';

afterEach(() => {
	cleanup();
});

type Read = {key: string; resolve: (value: string) => void};

/** Reads that answer only when the test says, so the order of answers is the test's, not the clock's. */
function controlledReads() {
	const reads: Read[] = [];
	const read = async (key: string) => new Promise<string>(resolve => {
		reads.push({key, resolve});
	});
	return {reads, read};
}

function Probe({boxKey, refreshToken = 0, read}: {readonly boxKey: string; readonly refreshToken?: number; readonly read: (key: string) => Promise<string>}) {
	const state = useRefreshing(async () => read(boxKey), {intervalMs: 60_000, refreshToken, key: boxKey});
	return <Text>{`${boxKey}:${state.data ?? '-'}`}</Text>;
}

describe('useRefreshing', () => {
	it('never shows the answer to the old key\'s read under a new key, and reads the new key at once', async () => {
		const {reads, read} = controlledReads();
		const {lastFrame, rerender} = render(<Probe boxKey='A' read={read}/>);
		await waitFor(() => reads.length === 1, 'the read of A');
		rerender(<Probe boxKey='B' read={read}/>);
		await waitFor(() => reads.length === 2, 'the read of B, not queued behind A\'s');
		expect(reads.map(one => one.key)).toEqual(['A', 'B']);
		reads[0]!.resolve('data of A');
		reads[1]!.resolve('data of B');
		await waitFor(() => lastFrame() === 'B:data of B', 'B\'s answer');
		expect(lastFrame()).toBe('B:data of B');
	});

	it('runs a refresh asked for during a read once, after it: reads of one key never overlap', async () => {
		const {reads, read} = controlledReads();
		const {lastFrame, rerender} = render(<Probe boxKey='A' read={read}/>);
		await waitFor(() => reads.length === 1, 'the first read');
		for (const token of [1, 2, 3]) {
			rerender(<Probe boxKey='A' refreshToken={token} read={read}/>);
		}

		// Three refreshes asked for while the first read is out: still one read.
		expect(reads).toHaveLength(1);
		reads[0]!.resolve('first');
		await waitFor(() => reads.length === 2, 'one more read after the first');
		reads[1]!.resolve('second');
		await waitFor(() => lastFrame() === 'A:second', 'the refreshed answer');
		expect(reads).toHaveLength(2);
	});
});
