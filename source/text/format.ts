const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
`1536` → `1.5 KiB`.
*/
export function formatBytes(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
		value /= 1024;
		unit++;
	}

	const digits = unit === 0 || value >= 100 ? 0 : 1;
	return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/**
Seconds as the two largest units: `45 s`, `3 m 20 s`, `2 h 5 m`, `4 d 3 h`.
*/
export function formatDuration(seconds: number): string {
	const total = Math.max(0, Math.round(seconds));
	if (total < 60) {
		return `${total} s`;
	}

	if (total < 3600) {
		return `${Math.floor(total / 60)} m ${total % 60} s`;
	}

	if (total < 86_400) {
		return `${Math.floor(total / 3600)} h ${Math.floor((total % 3600) / 60)} m`;
	}

	return `${Math.floor(total / 86_400)} d ${Math.floor((total % 86_400) / 3600)} h`;
}

/**
A percentage with one decimal: `12.3 %`; `—` when unknown.
*/
export function formatPercent(percent: number | undefined): string {
	return percent === undefined || !Number.isFinite(percent) ? '—' : `${percent.toFixed(1)} %`;
}

/**
Round to `digits` decimals, for JSON that people read.
*/
export function round(value: number, digits = 1): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}
