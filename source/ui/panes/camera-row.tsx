import React from 'react';
import {Box, Text} from 'ink';
import type {CameraStatus} from '../../collectors/cameras.js';
import type {CameraState} from '../../collectors/camera-state.js';
import {logCell, probeCell, streamCell} from '../../text/camera-text.js';
import {Cell} from '../components/cell.js';
import {clean} from './common.js';

export const STATE_COLOR: Record<CameraState, string> = {
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
export function CameraRow({camera, width, nameWidth, now}: {camera: CameraStatus; width: number; nameWidth: number; now: number}) {
	const rest = Math.max(0, width - nameWidth - 10);
	return (
		<Box height={1} flexShrink={0}>
			<Cell width={nameWidth}>{clean(camera.name)}</Cell>
			<Cell width={10} color={STATE_COLOR[camera.state]} bold>{camera.state}</Cell>
			{width >= WIDE_CAMERA_ROW ? (
				<>
					<Cell width={LOG_WIDTH} color={camera.event === null ? 'gray' : undefined}>{logCell(camera, now)}</Cell>
					<Cell width={PROBE_WIDTH} color={camera.probe?.ok === false ? 'red' : undefined}>{clean(probeCell(camera))}</Cell>
					<Box width={Math.max(0, rest - LOG_WIDTH - PROBE_WIDTH)} flexShrink={0}>
						<Text wrap='truncate-end' color={camera.stream?.subscribed === false ? 'red' : undefined}>{clean(streamCell(camera, now))}</Text>
					</Box>
				</>
			) : (
				<Box width={rest} flexShrink={0}><Text wrap='truncate-end' color='gray'>{clean(camera.reason ?? '')}</Text></Box>
			)}
		</Box>
	);
}
