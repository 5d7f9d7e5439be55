import {formatBytes, formatDuration} from '../text/format.js';
import type {CameraStatus} from './cameras.js';

// A camera's three sources in a few words each, for the Connections pane and `camtop health`. Untrusted parts
// (error texts) still need stripControl before they are drawn.

/** The CONNECTION record: ▲ up / ▼ down, and how long ago it was written. */
export function logCell(camera: CameraStatus, now: number): string {
	const {event} = camera;
	return event === null ? 'log —' : `${event.status ? '▲' : '▼'} ${formatDuration(Math.max(0, now - event.time) / 1000)}`;
}

/** The probe: what it found, by kind. */
export function probeCell(camera: CameraStatus): string {
	const {probe} = camera;
	if (probe === null) {
		return camera.url === null ? 'no url' : 'probing…';
	}

	if (!probe.ok) {
		return `✗ ${probe.error ?? 'failed'}`;
	}

	const latency = probe.latencyMs === null ? '' : ` ${Math.round(probe.latencyMs)} ms`;
	switch (probe.kind) {
		case 'mjpeg': {
			return `${(probe.fps ?? 0).toFixed(1)} fps${latency}`;
		}

		case 'snapshot': {
			return `${probe.status ?? ''} ${formatBytes(probe.bytes ?? 0)}${latency}`;
		}

		case 'rtsp': {
			return `RTSP ${probe.status ?? ''}${latency}`;
		}

		default: {
			return `tcp${latency}`;
		}
	}
}

/** The channel as camtop's subscription sees it. */
export function streamCell(camera: CameraStatus, now: number): string {
	const {stream} = camera;
	if (stream === null) {
		return camera.channel === null ? '' : 'channel …';
	}

	if (!stream.subscribed) {
		return `✗ ${stream.error ?? 'not subscribed'}`;
	}

	const last = stream.lastMessageAt === null ? 'none yet' : `last ${formatDuration(Math.max(0, now - stream.lastMessageAt) / 1000)}`;
	const gap = stream.p95GapMs === null ? '' : ` p95 gap ${Math.round(stream.p95GapMs)} ms`;
	return `${stream.messagesPerSecond.toFixed(1)}/s ${formatBytes(stream.bytesPerSecond)}/s ${last}${gap}`;
}
