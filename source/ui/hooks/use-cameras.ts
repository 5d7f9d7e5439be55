import type {CameraConfig} from '../../config.js';
import type {ServiceState} from '../../feeds/event-feed.js';
import type {Sources} from '../sources.js';
import {usePoll, type PollOptions} from './use-poll.js';

export type CameraRow = {name: string; state: ServiceState | undefined};

/**
One row per camera: the configured cameras, else every service of the main log's CONNECTION records but Redis
(which has its own row). State from the latest CONNECTION event, until the probes of a later issue.
*/
export function useCameras(sources: Sources, cameras: readonly CameraConfig[], options: PollOptions) {
	return usePoll(async () => {
		const result = await sources.events();
		if (!result.ok) {
			return result;
		}

		const services = result.data.services;
		const rows: CameraRow[] = cameras.length > 0
			? cameras.map(camera => ({name: camera.name, state: services.find(service => service.service === camera.name)}))
			: services.filter(service => service.service !== 'redis').map(service => ({name: service.service, state: service}));
		return {ok: true as const, data: rows};
	}, options);
}
