import {useRef} from 'react';
import type {Sources} from '../sources.js';
import type {Resources} from '../../collectors/resources.js';
import type {Result} from '../../base/result.js';
import {RingBuffer} from '../../base/ring-buffer.js';
import {usePoll, type PollOptions} from './use-poll.js';

/** Samples of CPU and memory history kept for the performance pane: two minutes at 1 s. */
const HISTORY = 120;

/** One answer, with the history up to it: new arrays only when a sample came, so the panes that draw them (memoised) redraw only then. */
export type ResourcesSample = {result: Result<Resources>; cpuHistory: readonly number[]; memoryHistory: readonly number[]};

export function useResources(sources: Sources, options: PollOptions) {
	const history = useRef({cpu: new RingBuffer<number>(HISTORY), memory: new RingBuffer<number>(HISTORY)});
	return usePoll(async (): Promise<ResourcesSample> => {
		const result = await sources.resources();
		const {cpu, memory} = history.current;
		if (result.ok) {
			cpu.push(result.data.cpu.percent);
			memory.push(result.data.memory.percent);
		}

		return {result, cpuHistory: cpu.toArray(), memoryHistory: memory.toArray()};
	}, options);
}
