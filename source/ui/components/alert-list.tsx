import React from 'react';
import {Box, Text} from 'ink';
import type {AlertsView} from '../../alerts/runner.js';
import {formatDuration} from '../../text/format.js';
import {stripControl} from '../../text/sanitize.js';
import {Cell} from './cell.js';

/**
The alerts in place of the panes (the `a` key): firing, then pending, each with its severity, how long it has been
breaching and what it is about. Instance names come from logs and config: stripped of control characters.
*/
export function AlertList({view, now, width, height}: {view: AlertsView | undefined; now: number; width: number; height: number}) {
	const states = view?.states ?? [];
	// Inside the frame: a title line, a notifier line when it has trouble, then the alerts that fit.
	const room = Math.max(0, height - 3 - (view?.notifyError ? 1 : 0));
	const shown = states.length <= room ? states : states.slice(0, Math.max(0, room - 1));
	const wide = width >= 80;
	const nameWidth = Math.min(44, Math.floor(width / 3));
	return (
		<Box flexDirection='column' width={width} height={height} flexShrink={0} borderStyle='round' borderColor={states.some(state => state.state === 'firing') ? 'red' : 'cyan'} overflow='hidden'>
			<Box height={1} flexShrink={0}>
				<Text bold wrap='truncate-end'>Alerts <Text color='gray'>{view === undefined ? 'not judged yet' : `${view.rules} rules · ${view.notifies ? 'notifying their targets' : 'shown here; camtop export notifies'} · a or Esc to close`}</Text></Text>
			</Box>
			{view?.notifyError ? <Box height={1} flexShrink={0}><Text color='yellow' wrap='truncate-end'>notifications failing: {stripControl(view.notifyError)}</Text></Box> : null}
			{view !== undefined && states.length === 0 ? <Box height={1} flexShrink={0}><Text color='green' wrap='truncate-end'>{view.rules === 0 ? 'No alert rules (alerts: [] in the config).' : 'Nothing firing or pending.'}</Text></Box> : null}
			{shown.map(state => (
				<Box key={`${state.rule}\u0000${state.instance}`} height={1} flexShrink={0}>
					<Cell width={8} color={state.state === 'firing' ? 'red' : 'yellow'} bold={state.state === 'firing'}>{state.state.toUpperCase()}</Cell>
					{wide ? <Cell width={9} color={state.severity === 'critical' ? 'red' : 'yellow'}>{state.severity}</Cell> : null}
					<Cell width={nameWidth}>{stripControl(state.instance === '' ? state.rule : `${state.rule} ${state.instance}`)}</Cell>
					<Cell width={9} right>{formatDuration((now - state.since) / 1000)}</Cell>
					<Box flexGrow={1} flexShrink={1}><Text wrap='truncate-end'>{stripControl(state.summary)}</Text></Box>
				</Box>
			))}
			{shown.length < states.length ? <Box height={1} flexShrink={0}><Text color='gray' wrap='truncate-end'>… {states.length - shown.length} more: make the terminal taller</Text></Box> : null}
		</Box>
	);
}
