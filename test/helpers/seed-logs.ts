/**
Lines in the seed's exact formats (MONITORING.md, "Log File Structure"), for tests that write real log files.
*/
export function stamp(date: Date): string {
	const pad = (value: number, width = 2) => String(value).padStart(width, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`;
}

export function errorLine(date: Date, location: string, message: string, level = 'ERROR'): string {
	return `${stamp(date)} - camera_system - ${level} - ${location} - ${message}`;
}

export const TRACEBACK = [
	'Traceback (most recent call last):',
	'  File "/opt/cam/cam1_stream.py", line 123, in fetch_image',
	'    frame = r.get("frame")',
	'redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.',
];
