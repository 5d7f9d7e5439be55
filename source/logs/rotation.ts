/**
How the camera app's logs are rotated, in one place: what a rotated sibling's name looks like, and their order.
*/
const ROTATION_SUFFIX = /^\.(?:\d{1,3}|\d{4}-\d{2}-\d{2}(?:_\d{2}(?:-\d{2}){0,2})?)(?:\.gz)?$/;

/**
Siblings of `name` left by rotation: numbered (RotatingFileHandler) or dated (TimedRotatingFileHandler), maybe gzipped.
*/
export function rotatedSiblings(name: string, directoryEntries: readonly string[]): string[] {
	const rotated = directoryEntries.filter(entry => entry.startsWith(name) && ROTATION_SUFFIX.test(entry.slice(name.length)));
	return rotated.sort((a, b) => rotationAge(a, name) - rotationAge(b, name) || b.localeCompare(a));
}

function rotationAge(entry: string, name: string): number {
	const suffix = entry.slice(name.length + 1).replace(/\.gz$/, '');
	// Numbered: .1 is the newest. Dated: the order comes from the name (newest first), so all rank alike here.
	return /^\d{1,3}$/.test(suffix) ? Number(suffix) : 0;
}

/** The live log and the file RotatingFileHandler rotated it to last: where a log's newest records are, newest first. */
export function newestLogs(file: string): string[] {
	return [file, `${file}.1`];
}
