/**
Resolves to `onTimeout()` when `promise` has not settled within `ms`, so no caller waits on a frozen source.
The timer is cleared when the promise wins, so it never keeps the process alive.
*/
export async function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<T>(resolve => {
		timer = setTimeout(() => {
			resolve(onTimeout());
		}, ms);
	});

	try {
		return await Promise.race([promise, deadline]);
	} finally {
		clearTimeout(timer);
	}
}
