import {useRef} from 'react';
import type {Sources} from '../sources.js';
import type {RedisInfo} from '../../collectors/redis.js';
import {RingBuffer} from '../../base/ring-buffer.js';
import {usePoll, type PollOptions} from './use-poll.js';

/** PING round trips kept for the latency sparkline. */
const LATENCY_HISTORY = 60;

/** One answer, with the PING round trips up to it (a new array only when an answer came). */
export type RedisSample = {info: RedisInfo; latency: readonly number[]};

export function useRedis(sources: Sources, options: PollOptions) {
	const latency = useRef(new RingBuffer<number>(LATENCY_HISTORY));
	return usePoll(async (): Promise<RedisSample> => {
		const info = await sources.redis();
		if (info.pingMs !== null) {
			latency.current.push(info.pingMs);
		}

		return {info, latency: latency.current.toArray()};
	}, options);
}
