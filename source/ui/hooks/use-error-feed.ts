import type {Sources} from '../sources.js';
import type {PollOptions} from './use-poll.js';
import {useLogFeed} from './use-log-feed.js';

export function useErrorFeed(sources: Sources, options: PollOptions) {
	return useLogFeed(sources, 'errors', sources.errors, options);
}
