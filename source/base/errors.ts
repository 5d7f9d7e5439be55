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
