import {useRef} from 'react';
import {usePoll, type PollOptions} from './use-poll.js';

export type SelfUsage = {cpuPercent: number; rssBytes: number};

/** camtop's own CPU (share of one core since the last poll) and RSS: the monitor shows what it costs. */
export function useSelfUsage(options: PollOptions) {
	const last = useRef({cpu: process.cpuUsage(), at: performance.now()});
	return usePoll(async (): Promise<SelfUsage> => {
		const now = performance.now();
		const cpu = process.cpuUsage(last.current.cpu);
		const elapsedMs = now - last.current.at;
		last.current = {cpu: process.cpuUsage(), at: now};
		return {cpuPercent: elapsedMs > 0 ? ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100 : 0, rssBytes: process.memoryUsage.rss()};
	}, options);
}
