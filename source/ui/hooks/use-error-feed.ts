import type {Sources} from '../sources.js';
import {usePoll, type PollOptions} from './use-poll.js';

export function useErrorFeed(sources: Sources, options: PollOptions) {
	return usePoll(async () => sources.errors(), options);
}
