import {cleanLine, padEndWidth, padStartWidth} from '../text/sanitize.js';
import {SHORT_STATUS, severityRank} from './fleet-status.js';
import type {FleetBox} from './read-fleet.js';

export type ColumnId = 'status' | 'host' | 'instance' | 'cameras' | 'alerts' | 'cpu' | 'memory' | 'disk' | 'redis' | 'errors' | 'scraped' | 'why';

export type Column = {
	readonly id: ColumnId;
	readonly title: string;
	/** Cells it takes; a flexible column takes at least this and shares what is left. */
	readonly width: number;
	readonly flex?: boolean;
	readonly align: 'left' | 'right';
	/** When the terminal is narrow, columns are dropped highest rank first. */
	readonly rank: number;
	readonly text: (box: FleetBox) => string;
	/** Sorts ascending: lower first. Unknown values sort last whatever the direction. */
	readonly sortValue: (box: FleetBox) => number | string | undefined;
};

const percent = (ratio: number | null) => (ratio === null ? '—' : `${Math.round(ratio * 100)}%`);
/** Firing alerts of a box, all names together. */
export function alertCount(box: FleetBox): number {
	let count = 0;
	for (const firing of Object.values(box.alerts)) {
		count += firing;
	}

	return count;
}

/** Seconds as the table reads them: `3s`, `4m`, `2h`, `>1h` past what the query looks back. */
export function shortAge(seconds: number | null): string {
	if (seconds === null) {
		return '>1h';
	}

	if (seconds < 60) {
		return `${Math.round(seconds)}s`;
	}

	return seconds < 3600 ? `${Math.floor(seconds / 60)}m` : `${Math.floor(seconds / 3600)}h`;
}

/** Higher is worse for these: sorted ascending, the highest comes first. */
const negated = (value: number | null) => (value === null ? undefined : -value);

/** A column; widths leave room for the sort mark after the title. */
function column({right = false, flex = false, ...rest}: Omit<Column, 'align' | 'flex'> & {right?: boolean; flex?: boolean}): Column {
	return {...rest, flex, align: right ? 'right' : 'left'};
}

/**
The fleet table's columns, in their order on screen. Camera and error counts are worse when higher, so their "worst
first" is descending; the table sorts each column ascending and `o` reverses.
*/
export const COLUMNS: readonly Column[] = [
	column({
		id: 'status', title: 'STATUS', width: 7, rank: 0,
		text: box => SHORT_STATUS[box.status],
		sortValue: box => severityRank(box.status),
	}),
	column({
		id: 'host', title: 'HOST', width: 10, flex: true, rank: 1,
		text: box => box.host || '?',
		sortValue: box => box.host || undefined,
	}),
	column({
		id: 'instance', title: 'INSTANCE', width: 14, flex: true, rank: 9,
		text: box => box.instance,
		sortValue: box => box.instance,
	}),
	column({
		id: 'cameras', title: 'CAMS', width: 5, right: true, rank: 2,
		text: box => (box.cameras === null ? '—' : `${box.cameras.live}/${box.cameras.total}`),
		sortValue: box => (box.cameras === null ? undefined : box.cameras.live - box.cameras.total),
	}),
	column({
		id: 'alerts', title: 'ALRT', width: 5, right: true, rank: 3,
		text: box => String(alertCount(box) || '·'),
		sortValue: box => -alertCount(box),
	}),
	column({
		id: 'cpu', title: 'CPU', width: 5, right: true, rank: 5,
		text: box => percent(box.cpu),
		sortValue: box => negated(box.cpu),
	}),
	column({
		id: 'memory', title: 'MEM', width: 5, right: true, rank: 6,
		text: box => percent(box.memory),
		sortValue: box => negated(box.memory),
	}),
	column({
		id: 'disk', title: 'DISK', width: 5, right: true, rank: 7,
		text: box => percent(box.disk),
		sortValue: box => negated(box.disk),
	}),
	column({
		id: 'redis', title: 'REDIS', width: 6, rank: 4,
		text: box => (box.redisUp === null ? '—' : (box.redisUp ? 'up' : 'DOWN')),
		sortValue: box => (box.redisUp === null ? undefined : Number(box.redisUp)),
	}),
	column({
		id: 'errors', title: 'ERR/m', width: 6, right: true, rank: 8,
		text: box => (box.errorsPerMinute === null ? '—' : String(Math.round(box.errorsPerMinute))),
		sortValue: box => negated(box.errorsPerMinute),
	}),
	column({
		id: 'scraped', title: 'SEEN', width: 5, right: true, rank: 10,
		text: box => shortAge(box.lastScrapeAgeSeconds),
		sortValue: box => -(box.lastScrapeAgeSeconds ?? Number.POSITIVE_INFINITY),
	}),
	column({
		id: 'why', title: 'WHY', width: 12, flex: true, rank: 1,
		text: box => box.reasons.join(', ') || '—',
		sortValue: box => box.reasons.join(', '),
	}),
];

export type PlacedColumn = Column & {readonly cells: number};

/**
The columns that fit `columns` cells (one space between each), with their widths: fixed columns take their width,
flexible ones share the rest. Columns are dropped by rank, highest first, until the minimum widths fit.
*/
export function placeColumns(columns: number): PlacedColumn[] {
	let kept = [...COLUMNS];
	const minimum = (list: readonly Column[]) => {
		let cells = list.length - 1;
		for (const column of list) {
			cells += column.width;
		}

		return cells;
	};

	while (kept.length > 1 && minimum(kept) > columns) {
		const highest = Math.max(...kept.map(column => column.rank));
		const dropped = kept.findLast(column => column.rank === highest);
		kept = kept.filter(column => column !== dropped);
	}

	const flexible = kept.filter(column => column.flex);
	let spare = Math.max(0, columns - minimum(kept));
	// The reasons take half of what is spare; host and instance share the other half.
	const extra = new Map<ColumnId, number>();
	const why = flexible.find(column => column.id === 'why');
	const names = flexible.filter(column => column.id !== 'why');
	if (why !== undefined) {
		const share = names.length === 0 ? spare : Math.ceil(spare / 2);
		extra.set('why', share);
		spare -= share;
	}

	for (const [index, column] of names.entries()) {
		const share = Math.floor(spare / (names.length - index));
		// Host and instance need no more than 32 cells; the rest goes to the reasons.
		const given = Math.min(share, 32 - column.width);
		extra.set(column.id, given);
		spare -= given;
	}

	if (why !== undefined) {
		extra.set('why', (extra.get('why') ?? 0) + spare);
	}

	return kept.map(column => ({...column, cells: column.width + (extra.get(column.id) ?? 0)}));
}

/** One cell's text, cleaned of control sequences (host names come from the boxes), cut and padded to its cells. */
export function cellText(column: PlacedColumn, text: string): string {
	const cut = cleanLine(text, column.cells);
	return column.align === 'right' ? padStartWidth(cut, column.cells) : padEndWidth(cut, column.cells);
}

export type SortOrder = {readonly column: ColumnId; readonly descending: boolean};

/** Worst first: status, then the most alerts, then host. */
export const DEFAULT_SORT: SortOrder = {column: 'status', descending: false};

/** The boxes in `order`; ties (and unknown values, always last) by status, then host and instance. */
export function sortBoxes(boxes: readonly FleetBox[], order: SortOrder): FleetBox[] {
	const column = COLUMNS.find(candidate => candidate.id === order.column) ?? COLUMNS[0]!;
	const status = COLUMNS[0]!;
	const compare = (a: number | string | undefined, b: number | string | undefined): number => {
		if (a === b) {
			return 0;
		}

		if (a === undefined) {
			return 1;
		}

		if (b === undefined) {
			return -1;
		}

		return a < b ? -1 : 1;
	};

	return boxes.toSorted((a, b) => {
		const first = compare(column.sortValue(a), column.sortValue(b));
		if (first !== 0) {
			const unknown = column.sortValue(a) === undefined || column.sortValue(b) === undefined;
			return order.descending && !unknown ? -first : first;
		}

		return compare(status.sortValue(a), status.sortValue(b)) || compare(-alertCount(a), -alertCount(b)) || compare(a.host, b.host) || compare(a.instance, b.instance);
	});
}

/** Whether a box matches a `/` filter: any of its cells' text, case-insensitive. */
export function matchesFilter(box: FleetBox, filter: string): boolean {
	if (filter === '') {
		return true;
	}

	const needle = filter.toLowerCase();
	return COLUMNS.some(column => column.text(box).toLowerCase().includes(needle));
}
