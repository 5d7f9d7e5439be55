import React from 'react';
import {Box} from 'ink';
import type {AlertsView} from '../../alerts/runner.js';
import {formatDuration} from '../../text/format.js';
import {Lines} from './lines.js';
import {cell, line, type Style} from './styled.js';

/**
The alerts in place of the panes (the `a` key): firing, then pending, each with its severity, how long it has been
breaching and what it is about. Instance names come from logs and config: cleaned and cut like every row.
*/
export function AlertList({view, now, width, height}: {readonly view: AlertsView | undefined; readonly now: number; readonly width: number; readonly height: number}) {
	const states = view?.states ?? [];
	const columns = Math.max(0, width - 2);
	// Inside the frame: a title line, a notifier line when it has trouble, then the alerts that fit.
	const room = Math.max(0, height - 3 - (view?.notifyError ? 1 : 0));
	const shown = states.length <= room ? states : states.slice(0, Math.max(0, room - 1));
	const wide = width >= 80;
	const nameWidth = Math.min(44, Math.floor(width / 3));
	const notifies = view?.notifies ? 'notifying their targets' : 'shown here; camtop export notifies';
	const summary = view === undefined ? 'not judged yet' : `${view.rules} rules · ${notifies} · a or Esc to close`;
	const lines = [line(columns, [['Alerts ', {bold: true} satisfies Style], [summary, {color: 'gray'}]])];
	if (view?.notifyError) {
		lines.push(line(columns, [[`notifications failing: ${view.notifyError}`, {color: 'yellow'}]]));
	}

	if (view !== undefined && states.length === 0) {
		lines.push(line(columns, [[view.rules === 0 ? 'No alert rules (alerts: [] in the config).' : 'Nothing firing or pending.', {color: 'green'}]]));
	}

	lines.push(...shown.map(state => alertLine(state, {
		columns, now, wide, nameWidth,
	})));

	if (shown.length < states.length) {
		lines.push(line(columns, [[`… ${states.length - shown.length} more: make the terminal taller`, {color: 'gray'}]]));
	}

	return (
		<Box flexDirection='column' width={width} height={height} flexShrink={0} borderStyle='round' borderColor={states.some(state => state.state === 'firing') ? 'red' : 'cyan'} overflow='hidden'>
			<Lines lines={lines}/>
		</Box>
	);
}

/** One alert: its state, severity where wide, rule and instance, how long, and what it says. */
function alertLine(state: AlertsView['states'][number], {columns, now, wide, nameWidth}: {columns: number; now: number; wide: boolean; nameWidth: number}): string {
	return line(columns, [
		cell(state.state.toUpperCase(), 8, {color: state.state === 'firing' ? 'red' : 'yellow', bold: state.state === 'firing'}),
		...(wide ? [cell(state.severity, 9, {color: state.severity === 'critical' ? 'red' : 'yellow'})] : []),
		cell(state.instance === '' ? state.rule : `${state.rule} ${state.instance}`, nameWidth),
		cell(formatDuration((now - state.since) / 1000), 9, {right: true}),
		state.summary,
	]);
}
