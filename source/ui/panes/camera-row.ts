import type {CameraStatus} from '../../collectors/cameras.js';
import type {CameraState} from '../../collectors/camera-state.js';
import {logCell, probeCell, streamCell} from '../../collectors/camera-text.js';
import {cell, line, type Color} from '../components/styled.js';

export const STATE_COLOR: Record<CameraState, Color> = {
	LIVE: 'green', DEGRADED: 'yellow', STALLED: 'red', FROZEN: 'red', OFFLINE: 'red', UNKNOWN: 'gray',
};

/** Columns from which the three sources get a column each; narrower, the reason stands in for them. */
export const WIDE_CAMERA_ROW = 72;
const LOG_WIDTH = 13;
const PROBE_WIDTH = 24;

/**
One camera: name, state, then its three sources side by side (log · probe · channel) on a wide pane, or the
reason for its state on a narrow one.
*/
export function cameraLine(camera: CameraStatus, width: number, nameWidth: number, now: number): string {
	const name = cell(camera.name, nameWidth);
	const state = cell(camera.state, 10, {color: STATE_COLOR[camera.state], bold: true});
	if (width < WIDE_CAMERA_ROW) {
		return line(width, [name, state, [camera.reason ?? '', {color: 'gray'}]]);
	}

	return line(width, [
		name,
		state,
		cell(logCell(camera, now), LOG_WIDTH, {color: camera.event === null ? 'gray' : undefined}),
		cell(probeCell(camera), PROBE_WIDTH, {color: camera.probe?.ok === false ? 'red' : undefined}),
		[streamCell(camera, now), {color: camera.stream?.subscribed === false ? 'red' : undefined}],
	]);
}
