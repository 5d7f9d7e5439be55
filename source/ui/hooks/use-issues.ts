import type {Sources} from '../sources.js';
import {usePoll, type PollOptions} from './use-poll.js';

export function useIssues(sources: Sources, options: PollOptions) {
	return usePoll(async () => sources.events(), options);
}
