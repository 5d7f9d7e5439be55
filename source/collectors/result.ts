/**
A collector's answer: the data, or why there is none. Collectors never throw at their callers and never print.
*/
export type Failure = {readonly ok: false; readonly error: string};
export type Result<T> = {readonly ok: true; readonly data: T} | Failure;

export function ok<T>(data: T): Result<T> {
	return {ok: true, data};
}

export function fail(error: string): Failure {
	return {ok: false, error};
}

/**
One short line for an error of any kind: `ENOENT: no such file…` rather than a stack.
*/
export function errorMessage(error: unknown): string {
	if (error instanceof Error) {
		return error.message.split('\n')[0] ?? String(error);
	}

	return String(error);
}

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

/**
A file-system error in a few words: `missing`, `permission denied`, `not a directory`, `is a directory`; else its message.
*/
export function describeError(error: unknown): string {
	switch ((error as NodeJS.ErrnoException).code) {
		case 'EACCES':
		case 'EPERM': {
			return 'permission denied';
		}

		case 'ENOENT': {
			return 'missing';
		}

		case 'ENOTDIR': {
			return 'not a directory';
		}

		case 'EISDIR': {
			return 'is a directory';
		}

		default: {
			return errorMessage(error);
		}
	}
}
