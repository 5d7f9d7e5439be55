import type {Sources} from '../sources.js';
import type {PollOptions} from './use-poll.js';
import {useRedis} from './use-redis.js';
import {useCameras} from './use-cameras.js';

/** Redis and the cameras, read together: the Connections pane's data. Its age is Redis's (the camera probes run in the background). */
export function useConnections(sources: Sources, options: PollOptions) {
	const redis = useRedis(sources, options);
	const cameras = useCameras(sources, options);
	return {redis: redis.data, cameras: cameras.data, updatedAt: redis.updatedAt};
}
