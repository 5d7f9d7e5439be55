/**
Gathers state updates and applies them in one go: updates that arrive within `delayMs` of the first cost one render
of the screen rather than one each, and renders driven by data come at most once every `minIntervalMs` (a busy box
changes faster than a person reads). Keys do not come through here: they answer at once.
*/
export function createBatcher(delayMs: number, minIntervalMs = 0): (update: () => void) => void {
	let pending: Array<() => void> = [];
	let timer: NodeJS.Timeout | undefined;
	let lastFlush = Number.NEGATIVE_INFINITY;
	return update => {
		pending.push(update);
		timer ??= setTimeout(() => {
			lastFlush = performance.now();
			const updates = pending;
			pending = [];
			timer = undefined;
			for (const apply of updates) {
				apply();
			}
		}, Math.max(delayMs, lastFlush + minIntervalMs - performance.now()));
	};
}
