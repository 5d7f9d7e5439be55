import {useRef} from 'react';
import type {Sources} from '../sources.js';
import {RingBuffer} from '../../base/ring-buffer.js';
import {usePoll, type PollOptions} from './use-poll.js';

/** Samples of CPU and memory history kept for the performance pane: two minutes at 1 s. */
const HISTORY = 120;

export function useResources(sources: Sources, options: PollOptions) {
	const history = useRef({cpu: new RingBuffer<number>(HISTORY), memory: new RingBuffer<number>(HISTORY)});
	const polled = usePoll(async () => {
		const result = await sources.resources();
		if (result.ok) {
			history.current.cpu.push(result.data.cpu.percent);
			history.current.memory.push(result.data.memory.percent);
		}

		return result;
	}, options);
	return {...polled, history: history.current};
}
