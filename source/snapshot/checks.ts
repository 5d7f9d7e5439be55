import type {CrashLoop, Levels, Thresholds} from '../config/types.js';
import type {Resources} from '../collectors/resources.js';
import type {WatchedProcess} from '../collectors/processes.js';
import {redisStateText, type RedisInfo} from '../collectors/redis.js';
import type {LogFileInfo} from '../collectors/log-files.js';
import type {RecentErrors} from '../logs/error-record.js';
import type {CameraStatus} from '../collectors/cameras.js';
import type {CameraState} from '../collectors/camera-state.js';
import {formatDuration} from '../text/format.js';
import {worst, type Status} from '../base/status.js';

/** Exit codes as Nagios-style plugins use them. */
export const EXIT_CODES: Record<Status, number> = {
	ok: 0, warning: 1, critical: 2, unknown: 3,
};

export type Check = {status: Status; reasons: string[]};

function combine(checks: readonly Check[]): Check {
	return {status: worst(checks.map(check => check.status)), reasons: checks.flatMap(check => check.reasons)};
}

const OK: Check = {status: 'ok', reasons: []};

/**
A value against warning and critical levels: `cpu 96.0 % ≥ 95 %`.
*/
export function checkLevel(label: string, value: number, levels: Levels, unit: string): Check {
	if (value >= levels.critical) {
		return {status: 'critical', reasons: [`${label} ${value.toFixed(1)}${unit} ≥ ${levels.critical}${unit}`]};
	}

	if (value >= levels.warning) {
		return {status: 'warning', reasons: [`${label} ${value.toFixed(1)}${unit} ≥ ${levels.warning}${unit}`]};
	}

	return OK;
}

export function checkResources(resources: Resources, thresholds: Thresholds): Check {
	return combine([
		checkLevel('cpu', resources.cpu.percent, thresholds.cpuPercent, ' %'),
		checkLevel('memory', resources.memory.percent, thresholds.memoryPercent, ' %'),
		checkLevel('disk', resources.disk.percent, thresholds.diskPercent, ' %'),
	]);
}

export function checkRedis(redis: RedisInfo, thresholds: Thresholds, now: number): Check {
	if (redis.state !== 'up') {
		return {status: 'critical', reasons: [`redis: ${redisStateText(redis, now)}${redis.lastError ? ` (${redis.lastError})` : ''}`]};
	}

	return redis.pingMs === null ? OK : checkLevel('redis ping', redis.pingMs, thresholds.redisPingMs, ' ms');
}

export function checkProcesses(processes: readonly WatchedProcess[]): Check {
	const missing = processes.filter(watched => !watched.running).map(watched => watched.name);
	return missing.length === 0 ? OK : {status: 'critical', reasons: missing.map(name => `${name}: not running`)};
}

/** Whether a process restarted at least crashLoop.restarts times in the last crashLoop.minutes. */
export function isCrashLooping(watched: WatchedProcess, crashLoop: CrashLoop, now: number): boolean {
	const since = now - (crashLoop.minutes * 60_000);
	return watched.restartTimes.filter(time => time >= since).length >= crashLoop.restarts;
}

export function checkLogFiles(files: readonly LogFileInfo[]): Check {
	return combine(files.map(file => {
		if (file.error !== null) {
			return {status: 'warning', reasons: [`${file.name}: ${file.error}`]};
		}

		// The legacy greencam.log is optional: newer set-ups do not write it.
		if (!file.exists) {
			return file.name === 'greencam.log' ? OK : {status: 'warning', reasons: [`${file.name}: missing`]};
		}

		if (file.stale) {
			return {status: 'warning', reasons: [`${file.name}: no write for ${formatDuration(file.secondsSinceWrite ?? 0)}`]};
		}

		return OK;
	}));
}

export function checkRecentErrors(recent: RecentErrors, thresholds: Thresholds, now: number): Check {
	const newest = recent.records.at(-1);
	if (newest === undefined || Number.isNaN(newest.time)) {
		return OK;
	}

	const age = (now - newest.time) / 1000;
	return age <= thresholds.recentErrorSeconds
		? {status: 'warning', reasons: [`errors.log: ERROR ${formatDuration(Math.max(0, age))} ago`]}
		: OK;
}

/** A camera OFFLINE, STALLED or FROZEN shows nothing: critical. DEGRADED: warning. UNKNOWN says nothing either way. */
export function cameraStatus(state: CameraState): Status {
	if (state === 'OFFLINE' || state === 'STALLED' || state === 'FROZEN') {
		return 'critical';
	}

	return state === 'DEGRADED' ? 'warning' : 'ok';
}

export function checkCameras(cameras: readonly CameraStatus[]): Check {
	const troubled = cameras.filter(camera => cameraStatus(camera.state) !== 'ok');
	return {
		status: worst(troubled.map(camera => cameraStatus(camera.state))),
		reasons: troubled.map(camera => `camera ${camera.name} ${camera.state}${camera.reason === null ? '' : `: ${camera.reason}`}`),
	};
}
