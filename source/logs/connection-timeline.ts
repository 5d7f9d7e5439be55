/*
Up/down history of one service from CONNECTION records, folded as the records stream past. A log is cut into chunks
that are read in parallel, so a timeline of each chunk is folded alone and the timelines are then joined in order:
`join(a, b)` gives what folding a's events then b's would have.
*/

export type Timeline = {
	up: number;
	down: number;
	/** Status changes between consecutive events. */
	transitions: number;
	/** Down time of the periods that ended inside this timeline, milliseconds. */
	downMs: number;
	firstTime: number;
	firstStatus: boolean;
	lastTime: number;
	lastStatus: boolean;
	/** Start of the down period still open at the end (NaN while up). */
	downStart: number;
	/** Whether any event was up: if not, the whole timeline is one open down period. */
	sawUp: boolean;
};

export function startTimeline(time: number, status: boolean): Timeline {
	return {
		up: status ? 1 : 0,
		down: status ? 0 : 1,
		transitions: 0,
		downMs: 0,
		firstTime: time,
		firstStatus: status,
		lastTime: time,
		lastStatus: status,
		downStart: status ? Number.NaN : time,
		sawUp: status,
	};
}

/** Folds one more event, in order, into the timeline. */
export function step(timeline: Timeline, time: number, status: boolean): void {
	if (status) {
		timeline.up++;
		timeline.sawUp = true;
		if (!timeline.lastStatus) {
			timeline.downMs += Math.max(0, time - timeline.downStart);
			timeline.downStart = Number.NaN;
		}
	} else {
		timeline.down++;
		if (timeline.lastStatus) {
			timeline.downStart = time;
		}
	}

	if (status !== timeline.lastStatus) {
		timeline.transitions++;
	}

	timeline.lastTime = time;
	timeline.lastStatus = status;
}

/** The timeline of a's events followed by b's. */
export function join(a: Timeline, b: Timeline): Timeline {
	const joined: Timeline = {
		up: a.up + b.up,
		down: a.down + b.down,
		transitions: a.transitions + b.transitions + (a.lastStatus === b.firstStatus ? 0 : 1),
		downMs: a.downMs + b.downMs,
		firstTime: a.firstTime,
		firstStatus: a.firstStatus,
		lastTime: b.lastTime,
		lastStatus: b.lastStatus,
		downStart: b.downStart,
		sawUp: a.sawUp || b.sawUp,
	};
	if (!a.lastStatus) {
		if (b.firstStatus || b.sawUp) {
			// a's open period ends in b: at b's first event if up, else b counted it from its first event already.
			joined.downMs += Math.max(0, b.firstTime - a.downStart);
		} else {
			// b is down throughout: a's open period is still open.
			joined.downStart = a.downStart;
		}
	}

	return joined;
}

/** Total down time in seconds, counting a period still open at `end` (the log's last record) up to it. */
export function downtimeSeconds(timeline: Timeline, end: number): number {
	const open = timeline.lastStatus ? 0 : Math.max(0, Math.max(end, timeline.lastTime) - timeline.downStart);
	return (timeline.downMs + open) / 1000;
}
