import {useRef} from 'react';
import type {Sources} from '../sources.js';
import {RingBuffer} from '../../base/ring-buffer.js';
import {usePoll, type PollOptions} from './use-poll.js';

/** PING round trips kept for the latency sparkline. */
const LATENCY_HISTORY = 60;

export function useRedis(sources: Sources, options: PollOptions) {
	const latency = useRef(new RingBuffer<number>(LATENCY_HISTORY));
	const polled = usePoll(async () => {
		const info = await sources.redis();
		if (info.pingMs !== null) {
			latency.current.push(info.pingMs);
		}

		return info;
	}, options);
	return {...polled, latency: latency.current};
}
