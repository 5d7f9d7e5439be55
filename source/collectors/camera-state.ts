import type {CameraConfig} from '../config/types.js';
import type {ServiceState} from '../feeds/event-feed.js';
import {formatDuration} from '../text/format.js';
import type {ChannelStats} from './camera-channels.js';
import type {ProbeResult} from './camera-probe.js';

/**
LIVE: frames (or answers) coming. DEGRADED: coming, but under `minFps` or slowly. STALLED: connected, nothing for
`stallSeconds`. FROZEN: the same frame again and again. OFFLINE: not reachable (or its app says so). UNKNOWN: nothing
to tell by yet.
*/
export const CAMERA_STATES = ['LIVE', 'DEGRADED', 'STALLED', 'FROZEN', 'OFFLINE', 'UNKNOWN'] as const;
export type CameraState = typeof CAMERA_STATES[number];

export type CameraEvidence = {
	/** The latest CONNECTION record for the camera in camera_system.log. */
	event: ServiceState | undefined;
	/** The latest active probe of its URL. */
	probe: ProbeResult | undefined;
	/** Its Redis channel, as camtop's own subscription sees it. */
	channel: ChannelStats | undefined;
};

export const DEFAULT_STALL_SECONDS = 10;
/** A probe answering slower than this makes the camera DEGRADED, ms. */
export const SLOW_PROBE_MS = 1000;

/**
One camera's state from its three sources. What camtop sees itself (probe, channel) outranks what the camera app
logged: the log says what the app believed when it wrote the line.

`watchingSince` is when the channel subscription began (epoch ms): a channel silent for `stallSeconds` since then is
STALLED, one silent for less has not had its chance yet — except in a one-shot report, which listens `sampleMs` only:
a camera that sent nothing in all of it is STALLED there.
*/
// eslint-disable-next-line max-params, complexity -- the order of its tests over the three sources is the rule itself
export function cameraState(camera: CameraConfig, {event, probe, channel}: CameraEvidence, now: number, watchingSince: number, sampleMs?: number): {state: CameraState; reason: string | null} {
	if (probe !== undefined && !probe.ok) {
		return {state: 'OFFLINE', reason: probe.error};
	}

	// A stall first: a channel whose last messages were identical and then stopped is stalled, not frozen.
	const listening = channel?.subscribed === true;
	const stallMs = (camera.stallSeconds ?? DEFAULT_STALL_SECONDS) * 1000;
	if (listening) {
		const silentMs = now - (channel.lastMessageAt ?? watchingSince);
		if (silentMs > stallMs || (sampleMs !== undefined && channel.lastMessageAt === null && now - watchingSince >= sampleMs)) {
			return {state: 'STALLED', reason: channel.lastMessageAt === null ? `no message in ${formatDuration(silentMs / 1000)}` : `no message for ${formatDuration(silentMs / 1000)}`};
		}
	}

	if (probe?.frozen === true) {
		return {state: 'FROZEN', reason: `${probe.frames ?? 0} identical frames`};
	}

	if (listening && channel.frozen) {
		return {state: 'FROZEN', reason: 'identical messages'};
	}

	if (probe?.kind === 'mjpeg' && probe.frames === 0) {
		return {state: 'STALLED', reason: 'connected, no frames'};
	}

	const fps = probe?.fps ?? (listening && channel.lastMessageAt !== null ? channel.messagesPerSecond : null);
	if (camera.minFps !== undefined && fps !== null && fps < camera.minFps) {
		return {state: 'DEGRADED', reason: `${fps.toFixed(1)} fps < ${camera.minFps}`};
	}

	const latencyMs = probe?.latencyMs ?? 0;
	if (latencyMs > SLOW_PROBE_MS) {
		return {state: 'DEGRADED', reason: `slow answer ${formatDuration(latencyMs / 1000)}`};
	}

	if (probe !== undefined || (listening && channel.lastMessageAt !== null)) {
		return {state: 'LIVE', reason: null};
	}

	if (channel !== undefined && !listening && event === undefined) {
		return {state: 'UNKNOWN', reason: `channel not subscribed${channel.error === null ? '' : `: ${channel.error}`}`};
	}

	if (event !== undefined) {
		return event.status ? {state: 'LIVE', reason: 'as logged'} : {state: 'OFFLINE', reason: 'as logged'};
	}

	return {state: 'UNKNOWN', reason: listening ? 'no message yet' : 'no url, channel or CONNECTION record'};
}
