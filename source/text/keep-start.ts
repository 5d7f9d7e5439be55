/**
The first `length` characters of a line as a string of their own: V8's slice of a long string keeps the whole string
alive, which would hold 64 KiB where the count says 4 KiB.
*/
export function keepStart(line: string, length: number): string {
	return line.length <= length ? line : Buffer.from(line.slice(0, length), 'utf8').toString('utf8');
}
