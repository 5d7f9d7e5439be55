import type {Sources} from '../sources.js';
import type {PollOptions} from './use-poll.js';
import {useLogFeed} from './use-log-feed.js';

/** Camera rows: on the interval (probes and channels), and at once when the main log brings a CONNECTION record. */
export function useCameras(sources: Sources, options: PollOptions) {
	return useLogFeed(sources, 'events', sources.cameras, options);
}
