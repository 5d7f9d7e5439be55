import type {Snapshot, Section} from '../snapshot/snapshot.js';
import {processTotals} from '../collectors/processes.js';
import {round} from '../text/format.js';

/**
The seed's health_check.py --json keys (system_resources.cpu_percent, .memory_percent, .disk_percent, redis_connection,
process_status, log_files, recent_errors), plus status, checked_at, cameras (each with the three sources the TUI's
Connections pane shows) and a `checks` entry per section. snake_case
throughout, as the seed's scripts and jq one-liners expect.
*/
export function healthJson(snapshot: Snapshot): Record<string, unknown> {
	return {
		status: snapshot.status,
		checked_at: new Date(snapshot.checkedAt).toISOString(),
		host: snapshot.host,
		system_resources: systemResources(snapshot.resources),
		redis_connection: redisConnection(snapshot.redis),
		process_status: processStatus(snapshot.processes),
		log_files: logFiles(snapshot.logFiles),
		recent_errors: snapshot.recentErrors.result.ok
			? snapshot.recentErrors.result.data.records.map(record => ({
				timestamp: record.timestamp,
				level: record.level,
				logger: record.logger,
				function: record.function,
				line: record.line,
				message: record.message,
				traceback: record.traceback,
				file: record.file,
			}))
			: [],
		cameras: cameras(snapshot.cameras),
		checks: Object.fromEntries(([
			['system_resources', snapshot.resources],
			['redis_connection', snapshot.redis],
			['process_status', snapshot.processes],
			['log_files', snapshot.logFiles],
			['recent_errors', snapshot.recentErrors],
			['cameras', snapshot.cameras],
		] as const).map(([key, part]) => [key, {status: part.status, reasons: part.reasons}])),
	};
}

function failure(part: Section<unknown>): {error: string} | undefined {
	return part.result.ok ? undefined : {error: part.result.error};
}

function systemResources(part: Snapshot['resources']): Record<string, unknown> {
	if (!part.result.ok) {
		return {
			cpu_percent: null, memory_percent: null, disk_percent: null, ...failure(part),
		};
	}

	const {data} = part.result;
	return {
		cpu_percent: round(data.cpu.percent),
		cpu_per_core: data.cpu.cores.map(core => round(core)),
		cpu_count: data.cpu.cores.length,
		load_average: data.load.map(load => round(load, 2)),
		memory_percent: round(data.memory.percent),
		memory_total_bytes: data.memory.totalBytes,
		memory_used_bytes: data.memory.usedBytes,
		memory_available_bytes: data.memory.availableBytes,
		swap_percent: round(data.swap.percent),
		swap_total_bytes: data.swap.totalBytes,
		swap_used_bytes: data.swap.usedBytes,
		disk_percent: round(data.disk.percent),
		disk_path: data.disk.path,
		disk_total_bytes: data.disk.totalBytes,
		disk_used_bytes: data.disk.usedBytes,
		disk_free_bytes: data.disk.freeBytes,
		uptime_seconds: Math.round(data.uptimeSeconds),
		temperature_celsius: data.temperatureCelsius === null ? null : round(data.temperatureCelsius),
	};
}

function redisConnection(part: Snapshot['redis']): Record<string, unknown> {
	if (!part.result.ok) {
		return {status: 'unknown', connected: false, ...failure(part)};
	}

	const {data} = part.result;
	return {
		status: data.state,
		connected: data.state === 'up',
		url: data.url,
		ping_ms: data.pingMs === null ? null : round(data.pingMs, 2),
		version: data.version,
		role: data.role,
		connected_clients: data.connectedClients,
		used_memory_bytes: data.usedMemoryBytes,
		maxmemory_bytes: data.maxMemoryBytes,
		ops_per_sec: data.opsPerSecond,
		pubsub_channels: data.pubsubChannels,
		pubsub_patterns: data.pubsubPatterns,
		error: data.lastError,
		down_since: data.downSince === null ? null : new Date(data.downSince).toISOString(),
	};
}

function processStatus(part: Snapshot['processes']): Record<string, unknown> {
	if (!part.result.ok) {
		return failure(part)!;
	}

	return Object.fromEntries(part.result.data.map(watched => {
		const totals = processTotals(watched);
		return [watched.name, {
			running: watched.running,
			pids: watched.instances.map(instance => instance.pid),
			cpu_percent: totals.cpuPercent === null ? null : round(totals.cpuPercent),
			rss_bytes: totals.rssBytes,
			rss_growth_bytes_per_hour: totals.rssGrowthBytesPerHour === null ? null : Math.round(totals.rssGrowthBytesPerHour),
			threads: totals.threads,
			uptime_seconds: totals.uptimeSeconds === null ? null : Math.round(totals.uptimeSeconds),
			restarts: watched.restarts,
			instances: watched.instances.map(instance => ({
				pid: instance.pid,
				cpu_percent: instance.cpuPercent === null ? null : round(instance.cpuPercent),
				rss_bytes: instance.rssBytes,
				threads: instance.threads,
				uptime_seconds: Math.round(instance.uptimeSeconds),
				command: instance.command,
			})),
		}];
	}));
}

function logFiles(part: Snapshot['logFiles']): Record<string, unknown> {
	if (!part.result.ok) {
		return failure(part)!;
	}

	return Object.fromEntries(part.result.data.map(file => [file.name, {
		path: file.path,
		exists: file.exists,
		size_bytes: file.sizeBytes,
		size_mb: round(file.sizeBytes / (1024 * 1024), 2),
		modified: file.modifiedAt === null ? null : new Date(file.modifiedAt).toISOString(),
		seconds_since_write: file.secondsSinceWrite === null ? null : Math.round(file.secondsSinceWrite),
		stale: file.stale,
		rotated: file.rotated,
		error: file.error,
	}]));
}

function cameras(part: Snapshot['cameras']): unknown[] {
	if (!part.result.ok) {
		return [];
	}

	const now = Date.now();
	return part.result.data.map(camera => ({
		name: camera.name,
		state: camera.state,
		reason: camera.reason,
		url: camera.url,
		channel: camera.channel,
		log: camera.event === null
			? null
			: {
				status: camera.event.status ? 'up' : 'down',
				time: new Date(camera.event.time).toISOString(),
				seconds_ago: Math.round(Math.max(0, now - camera.event.time) / 1000),
				changes: camera.event.changes,
			},
		probe: camera.probe === null
			? null
			: {
				kind: camera.probe.kind ?? null,
				ok: camera.probe.ok,
				error: camera.probe.error,
				latency_ms: camera.probe.latencyMs === null ? null : round(camera.probe.latencyMs, 1),
				status: camera.probe.status,
				bytes: camera.probe.bytes,
				fps: camera.probe.fps === null ? null : round(camera.probe.fps, 2),
				frames: camera.probe.frames,
				frozen: camera.probe.frozen,
				checked_at: new Date(camera.probe.at).toISOString(),
			},
		stream: camera.stream === null
			? null
			: {
				channel: camera.stream.channel,
				subscribed: camera.stream.subscribed,
				subscribers: camera.stream.subscribers,
				messages: camera.stream.messages,
				messages_per_second: round(camera.stream.messagesPerSecond, 2),
				bytes_per_second: Math.round(camera.stream.bytesPerSecond),
				seconds_since_last_message: camera.stream.lastMessageAt === null ? null : round(Math.max(0, now - camera.stream.lastMessageAt) / 1000, 1),
				p95_gap_ms: camera.stream.p95GapMs === null ? null : round(camera.stream.p95GapMs, 1),
				frozen: camera.stream.frozen,
				error: camera.stream.error,
			},
	}));
}
