import React from 'react';
import type {Binding} from '../keymap.js';
import {line, type Style} from './styled.js';
import {PaneBox} from './pane-box.js';

/** Every key of a mode, from its keymap's bindings: a title line, then as many keys as fit; the last line says how many did not. */
export function Help<C extends string>({bindings, width, height}: {readonly bindings: ReadonlyArray<Binding<C>>; readonly width: number; readonly height: number}) {
	const columns = Math.max(0, width - 2);
	const room = Math.max(0, height - 3);
	const shown = bindings.length <= room ? bindings : bindings.slice(0, Math.max(0, room - 1));
	const keysWidth = Math.min(18, Math.floor(width / 3));
	const lines = [
		line(columns, [['Keys', {bold: true} satisfies Style]]),
		...shown.map(binding => line(columns, [[binding.keys.join(' ').padEnd(keysWidth).slice(0, keysWidth), {color: 'cyan'}], binding.description])),
	];
	if (shown.length < bindings.length) {
		lines.push(line(columns, [[`… ${bindings.length - shown.length} more: make the terminal taller`, {color: 'gray'}]]));
	}

	return <PaneBox lines={lines} width={width} height={height}/>;
}
