import {useCallback} from 'react';
import type {LogTopic, Sources} from '../sources.js';
import {usePoll, type PollOptions} from './use-poll.js';

/**
A followed log's model: read when the log says it changed (within NOTIFY_MS of an append), and on the interval, which
keeps the pane from looking stale while the log is quiet.
*/
export function useLogFeed<T>(sources: Sources, topic: LogTopic, read: () => Promise<T>, options: PollOptions) {
	const {subscribe} = sources;
	const wake = useCallback((listener: () => void) => subscribe?.(topic, listener) ?? (() => undefined), [subscribe, topic]);
	return usePoll(read, {...options, wake});
}
