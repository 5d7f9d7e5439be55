import type {AlertsView} from '../../alerts/runner.js';
import type {Sources} from '../sources.js';
import {usePoll, type PollOptions} from './use-poll.js';

const NONE = async (): Promise<AlertsView | undefined> => undefined;

/** The alerts as the sources judge them; undefined without an alert runner (fixture sources). */
export function useAlerts(sources: Sources, options: PollOptions) {
	return usePoll<AlertsView | undefined>(sources.alerts ?? NONE, options);
}
