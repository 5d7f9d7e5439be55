export type Cleanup = () => void | Promise<void>;

export type CleanupOutcome = {name: string; result: 'done' | 'failed' | 'timed_out'; error?: unknown};

/**
Runs cleanups one after another, in the order given, within `budgetMs`. Cleanup i of n must settle by its share,
(i + 1) / n of the budget from the start: time a quick one leaves goes to those after it, and one that hangs costs
only its own share, so the cleanups after it (registered before it: the more basic resources) still run. A cleanup
stuck in synchronous code cannot be interrupted from JavaScript: that one is not bounded.
*/
export async function runCleanups(cleanups: readonly Cleanup[], budgetMs: number, report: (outcome: CleanupOutcome) => void): Promise<void> {
	const started = Date.now();
	for (const [index, cleanup] of cleanups.entries()) {
		const name = cleanup.name === '' ? `cleanup #${cleanups.length - index}` : cleanup.name;
		const deadline = started + (budgetMs * (index + 1) / cleanups.length);
		let timer: NodeJS.Timeout | undefined;
		try {
			// eslint-disable-next-line no-await-in-loop -- one after another, as documented: a cleanup may need what a later one closes.
			const result = await Promise.race([
				Promise.resolve().then(cleanup).then(() => 'done' as const),
				new Promise<'timed_out'>(resolve => {
					timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), 'timed_out');
				}),
			]);
			report({name, result});
		} catch (error) {
			report({name, result: 'failed', error});
		} finally {
			clearTimeout(timer);
		}
	}
}
