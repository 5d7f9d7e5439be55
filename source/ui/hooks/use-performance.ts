import type {Sources} from '../sources.js';
import type {PollOptions} from './use-poll.js';
import {useLogFeed} from './use-log-feed.js';

export function usePerformance(sources: Sources, options: PollOptions) {
	return useLogFeed(sources, 'metrics', sources.metrics, options);
}
