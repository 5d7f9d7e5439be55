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

/** A growth of memory as people read it: `+38.0 MiB/h`, `-512 KiB/h`. */
export function formatGrowth(bytesPerHour: number): string {
	return `${bytesPerHour >= 0 ? '+' : '-'}${formatBytes(Math.abs(bytesPerHour))}/h`;
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

const SECOND_UNITS: ReadonlyArray<{below: number; per: number; unit: string}> = [
	{below: 1e-6, per: 1e-9, unit: 'ns'},
	{below: 1e-3, per: 1e-6, unit: 'µs'},
	{below: 1, per: 1e-3, unit: 'ms'},
	{below: 60, per: 1, unit: 's'},
	{below: 3600, per: 60, unit: 'min'},
	{below: Number.POSITIVE_INFINITY, per: 3600, unit: 'h'},
];

/**
A measured time in the unit a person reads it in, to three significant digits and at most one decimal:
`2 µs`, `93.2 µs`, `3.5 ms`, `1.2 s`, `59.9 s`, `1 min`, `2.5 h`. (formatDuration is for ages and uptimes.)
*/
export function formatSeconds(seconds: number): string {
	if (!Number.isFinite(seconds)) {
		return '—';
	}

	if (seconds === 0) {
		return '0 s';
	}

	const sign = seconds < 0 ? '-' : '';
	const magnitude = Math.abs(seconds);
	// The last unit's bound is infinite, so the loop always answers; the line after it is for the type checker.
	for (const {below, per, unit} of SECOND_UNITS) {
		const shown = significant(magnitude / per);
		// 999.96 µs rounds to 1000 µs: that is 1 ms, in the next unit.
		if (shown * per < below) {
			return `${sign}${shown} ${unit}`;
		}
	}

	return '—';
}

/** The units a value is converted from, to the unit a person reads; any other unit is written after the number. */
const CONVERTERS: ReadonlyMap<string, (value: number) => string> = new Map([
	['seconds', formatSeconds],
	['second', formatSeconds],
	['s', formatSeconds],
	['ms', (value: number) => formatSeconds(value / 1000)],
	['milliseconds', (value: number) => formatSeconds(value / 1000)],
	['bytes', formatBytes],
	['B', formatBytes],
	['percent', formatPercent],
	['%', formatPercent],
]);

/** Whether formatQuantity writes values of `unit` in a unit of its own choosing (`seconds` as `3.5 ms`), not after the number. */
export function convertsUnit(unit: string | null): boolean {
	return unit !== null && CONVERTERS.has(unit);
}

/**
A value in its unit as the camera app logs it (`seconds`, `bytes`, `percent`, `fps`…): times and sizes in the unit a
person reads, anything else to three significant digits with its unit after it.
*/
export function formatQuantity(value: number, unit: string | null): string {
	if (!Number.isFinite(value)) {
		return '—';
	}

	const convert = unit === null ? undefined : CONVERTERS.get(unit);
	if (convert !== undefined) {
		return convert(value);
	}

	const number = significant(value).toLocaleString('en-US', {maximumFractionDigits: 1});
	return unit === null || unit === '' ? number : `${number} ${unit}`;
}

/** Three significant digits, at most one decimal: 93.24 → 93.2, 3.534 → 3.5, 999.96 → 1000. */
function significant(value: number): number {
	const digits = value >= 100 ? 0 : 1;
	return Number(Number(value.toPrecision(3)).toFixed(digits));
}
