import type {CameraStatus} from '../../collectors/cameras.js';
import type {CameraState} from '../../collectors/camera-state.js';
import {logCell, probeCell, streamCell} from '../../collectors/camera-text.js';
import {cell, line, type Color} from '../components/styled.js';

export const STATE_COLOR: Record<CameraState, Color> = {
	LIVE: 'green', DEGRADED: 'yellow', STALLED: 'red', FROZEN: 'red', OFFLINE: 'red', UNKNOWN: 'gray',
};

/** Columns from which the three sources get a column each; narrower, the compact row (and, with rows to spare, a detail row). */
export const WIDE_CAMERA_ROW = 72;
const LOG_WIDTH = 13;
const PROBE_WIDTH = 24;
const STATE_WIDTH = 8;

/**
What a narrow row says after the state: why the camera is not live when it is not, else what it delivers (the probe's
`10.1 fps 12 ms`, or the channel's message rate when it has no probe).
*/
function compactCell(camera: CameraStatus): [text: string, color: Color | undefined] {
	if (camera.reason !== null) {
		return [camera.reason, 'gray'];
	}

	if (camera.probe?.ok) {
		return [probeCell(camera), undefined];
	}

	return camera.stream?.subscribed ? [`${camera.stream.messagesPerSecond.toFixed(1)}/s`, undefined] : ['', undefined];
}

/**
One camera: name, state, then its three sources side by side (log · probe · channel) on a wide pane, or on a narrow
one what it delivers (`camera_1 LIVE 10.1 fps 12 ms`), or the reason for its state.
*/
export function cameraLine(camera: CameraStatus, width: number, nameWidth: number, now: number): string {
	const name = cell(camera.name, nameWidth);
	const state = cell(camera.state, width < WIDE_CAMERA_ROW ? STATE_WIDTH + 1 : 10, {color: STATE_COLOR[camera.state], bold: true});
	if (width < WIDE_CAMERA_ROW) {
		const [text, color] = compactCell(camera);
		return line(width, [name, state, [text, {color}]]);
	}

	return line(width, [
		name,
		state,
		cell(logCell(camera, now), LOG_WIDTH, {color: camera.event === null ? 'gray' : undefined}),
		cell(probeCell(camera), PROBE_WIDTH, {color: camera.probe?.ok === false ? 'red' : undefined}),
		[streamCell(camera, now), {color: camera.stream?.subscribed === false ? 'red' : undefined}],
	]);
}

/**
Under a narrow row, when the pane has the rows: the sources the compact row leaves out, indented under the name (the
log's record, the channel, and the probe when the reason stood in for it).
*/
export function cameraDetailLine(camera: CameraStatus, width: number, now: number): string {
	const parts = [camera.event === null ? logCell(camera, now) : `log ${logCell(camera, now)}`];
	if (camera.reason !== null && camera.probe !== null) {
		parts.push(`probe ${probeCell(camera)}`);
	}

	if (camera.stream !== null || camera.channel !== null) {
		parts.push(`channel ${streamCell(camera, now)}`);
	}

	return line(width, [['  ', {}], [parts.join(' · '), {color: 'gray'}]]);
}
