/**
Polls `check` until it returns something other than undefined/false, or fails after `timeoutMs` with `what`.
Tests wait for a condition, never for a guessed time.
*/
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000, everyMs = 25): Promise<Exclude<T, false | undefined>> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined && value !== false) {
				return value as Exclude<T, false | undefined>;
			}
		} catch (error) {
			last = error;
		}

		if (Date.now() > deadline) {
			// `last` is what the condition threw: an Error, whose String() is its name and message.
			// eslint-disable-next-line @typescript-eslint/no-base-to-string
			throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, everyMs);
		});
	}
}
