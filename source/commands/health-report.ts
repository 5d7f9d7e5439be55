import type {Snapshot, Section} from '../snapshot/snapshot.js';
import {cameraStatus} from '../snapshot/checks.js';
import type {Status} from '../base/status.js';
import {processTotals} from '../collectors/processes.js';
import {redisStateText} from '../collectors/redis.js';
import {formatBytes, formatDuration, formatPercent} from '../text/format.js';
import {cleanLine, truncate} from '../text/sanitize.js';
import {logCell, probeCell, streamCell} from '../collectors/camera-text.js';
import type {Paint} from '../text/colors.js';

const WIDTH = 80;
const LABELS: Record<Status, string> = {
	ok: 'OK', warning: 'WARNING', critical: 'CRITICAL', unknown: 'UNKNOWN',
};

/**
The human-readable report of `camtop health`, at most 80 columns wide. Every untrusted string is stripped of
control characters first.
*/
export function healthReport(snapshot: Snapshot, paint: Paint): string {
	const lines: string[] = [];
	const time = new Date(snapshot.checkedAt).toLocaleString('sv-SE').replace('T', ' ');
	lines.push(heading(paint, `camtop health · ${clean(snapshot.host)} · ${time}`, snapshot.status));
	for (const reason of [snapshot.resources, snapshot.redis, snapshot.processes, snapshot.cameras, snapshot.logFiles, snapshot.recentErrors].flatMap(part => part.reasons)) {
		lines.push(`  ${paint.dim('•')} ${clean(reason, WIDTH - 4)}`);
	}

	const part = (title: string, status: Status, body: string[]) => ['', heading(paint, title, status), ...body];
	lines.push(
		...part('System resources', snapshot.resources.status, resources(snapshot.resources)),
		...part('Redis', snapshot.redis.status, redis(snapshot.redis)),
		...part('Processes', snapshot.processes.status, processes(snapshot.processes, paint)),
	);
	if (!snapshot.cameras.result.ok || snapshot.cameras.result.data.length > 0) {
		lines.push(...part('Cameras', snapshot.cameras.status, cameras(snapshot.cameras, snapshot.checkedAt, paint)));
	}

	lines.push(
		...part('Log files', snapshot.logFiles.status, logFiles(snapshot.logFiles, paint)),
		...part('Recent errors', snapshot.recentErrors.status, recentErrors(snapshot.recentErrors, paint)),
	);
	return `${lines.join('\n')}\n`;
}

function clean(text: string, max = WIDTH): string {
	return cleanLine(text, max);
}

function heading(paint: Paint, title: string, status: Status): string {
	const label = LABELS[status];
	const room = WIDTH - label.length - 1;
	const shown = truncate(title, room);
	return `${paint.bold(shown)}${' '.repeat(Math.max(1, WIDTH - shown.length - label.length))}${paint.status(status, paint.bold(label))}`;
}

function failed(part: Section<unknown>): string[] | undefined {
	return part.result.ok ? undefined : [`  ${clean(`cannot read: ${part.result.error}`, WIDTH - 2)}`];
}

function row(label: string, value: string): string {
	return truncate(`  ${label.padEnd(9)}${value}`, WIDTH);
}

function resources(part: Snapshot['resources']): string[] {
	if (!part.result.ok) {
		return failed(part)!;
	}

	const {data} = part.result;
	const cores = data.cpu.cores.map(core => Math.round(core).toString().padStart(3)).join('');
	return [
		row('CPU', `${formatPercent(data.cpu.percent).padEnd(9)}cores${cores}  load ${data.load.map(load => load.toFixed(2)).join(' ')}`),
		row('Memory', `${formatPercent(data.memory.percent).padEnd(9)}${formatBytes(data.memory.usedBytes)} of ${formatBytes(data.memory.totalBytes)}`
		+ (data.swap.totalBytes > 0 ? `  swap ${formatPercent(data.swap.percent)}` : '  no swap')),
		row('Disk', `${formatPercent(data.disk.percent).padEnd(9)}${formatBytes(data.disk.freeBytes)} free of ${formatBytes(data.disk.totalBytes)} (${data.disk.path})`),
		row('Temp', data.temperatureCelsius === null ? 'no sensor' : `${data.temperatureCelsius.toFixed(1)} °C`),
		row('Uptime', formatDuration(data.uptimeSeconds)),
	];
}

function redis(part: Snapshot['redis']): string[] {
	if (!part.result.ok) {
		return failed(part)!;
	}

	const {data} = part.result;
	if (data.state !== 'up') {
		return [row('URL', clean(data.url)), row('State', redisStateText(data, Date.now())), row('Error', clean(data.lastError ?? '—', WIDTH - 11))];
	}

	const memory = data.usedMemoryBytes === null ? '—' : formatBytes(data.usedMemoryBytes);
	const limit = data.maxMemoryBytes ? ` of ${formatBytes(data.maxMemoryBytes)}` : ' (no maxmemory)';
	return [
		row('URL', clean(data.url)),
		row('State', `up · PING ${data.pingMs?.toFixed(2) ?? '—'} ms · ${clean(data.version ?? '?', 20)} ${clean(data.role ?? '', 10)}`),
		row('Clients', `${data.connectedClients ?? '—'} connected · ${data.opsPerSecond ?? '—'} ops/s`),
		row('Memory', `${memory}${limit}`),
		row('Pub/sub', `${data.pubsubChannels ?? 0} channels, ${data.pubsubPatterns ?? 0} patterns`),
	];
}

function processes(part: Snapshot['processes'], paint: Paint): string[] {
	if (!part.result.ok) {
		return failed(part)!;
	}

	return part.result.data.map(watched => {
		const name = clean(watched.name, 18).padEnd(19);
		if (!watched.running) {
			const restarts = watched.restarts > 0 ? `  (${watched.restarts} restarts seen)` : '';
			return `  ${name}${paint.status('critical', 'not running')}${restarts}`;
		}

		const totals = processTotals(watched);
		const pids = watched.instances.map(instance => instance.pid).join(',');
		const restarts = watched.restarts > 0 ? `  ${watched.restarts} restarts` : '';
		const cpu = formatPercent(totals.cpuPercent ?? undefined).padStart(7);
		const memory = formatBytes(totals.rssBytes).padStart(9);
		const threads = `${String(totals.threads).padStart(3)} thr`;
		return truncate(`  ${name}pid ${truncate(pids, 14).padEnd(8)} ${cpu}  ${memory}  ${threads}  up ${formatDuration(totals.uptimeSeconds ?? 0)}${restarts}`, WIDTH);
	});
}

/** Per camera: its state and why, then its three sources (log · probe · channel). */
function cameras(part: Snapshot['cameras'], now: number, paint: Paint): string[] {
	if (!part.result.ok) {
		return failed(part)!;
	}

	return part.result.data.flatMap(camera => {
		const state = paint.status(cameraStatus(camera.state), camera.state.padEnd(9));
		const sources = [logCell(camera, now), probeCell(camera), streamCell(camera, now)].filter(cell => cell !== '').join(' · ');
		return [
			`  ${clean(camera.name, 18).padEnd(19)}${state}${camera.reason === null ? '' : ` ${clean(camera.reason, WIDTH - 31)}`}`,
			`    ${paint.dim(clean(sources, WIDTH - 4))}`,
		];
	});
}

function logFiles(part: Snapshot['logFiles'], paint: Paint): string[] {
	if (!part.result.ok) {
		return failed(part)!;
	}

	return part.result.data.map(file => {
		const name = file.name.padEnd(19);
		if (file.error !== null) {
			return `  ${name}${paint.status('warning', clean(file.error, 40))}`;
		}

		if (!file.exists) {
			return `  ${name}${file.name === 'greencam.log' ? paint.dim('not present (legacy, optional)') : paint.status('warning', 'missing')}`;
		}

		const written = `written ${formatDuration(file.secondsSinceWrite ?? 0)} ago`;
		const rotated = file.rotated.length > 0 ? `  +${file.rotated.length} rotated` : '';
		return `  ${name}${formatBytes(file.sizeBytes).padStart(9)}  ${file.stale ? paint.status('warning', `stale, ${written}`) : written}${rotated}`;
	});
}

function recentErrors(part: Snapshot['recentErrors'], paint: Paint): string[] {
	if (!part.result.ok) {
		return failed(part)!;
	}

	const {records} = part.result.data;
	if (records.length === 0) {
		return [paint.dim('  none in errors.log')];
	}

	return records.flatMap(record => {
		const where = record.function === null ? '' : `${record.function}:${record.line ?? '?'} `;
		const lines = [`  ${paint.dim(record.timestamp)} ${clean(`${where}${record.message}`, WIDTH - record.timestamp.length - 3)}`];
		const last = record.traceback.at(-1);
		if (last !== undefined) {
			lines.push(`    ${paint.dim(clean(last.trim(), WIDTH - 4))}`);
		}

		return lines;
	});
}
