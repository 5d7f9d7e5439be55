/**
Gathers state updates that arrive within `delayMs` of each other and applies them in one go, so that the panes'
polls, which finish a few milliseconds apart, cost one render of the screen rather than one each.
*/
export function createBatcher(delayMs: number): (update: () => void) => void {
	let pending: Array<() => void> = [];
	let timer: NodeJS.Timeout | undefined;
	return update => {
		pending.push(update);
		timer ??= setTimeout(() => {
			const updates = pending;
			pending = [];
			timer = undefined;
			for (const apply of updates) {
				apply();
			}
		}, delayMs);
	};
}
