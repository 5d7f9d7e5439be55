import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const DEPLOY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy');
export const PROMETHEUS_CONFIG = path.join(DEPLOY_DIR, 'prometheus', 'prometheus.yml');
export const ALERT_RULES = path.join(DEPLOY_DIR, 'prometheus', 'camtop-alerts.yml');
export const ALERT_RULE_TESTS = path.join(DEPLOY_DIR, 'prometheus', 'camtop-alerts.test.yml');
export const DASHBOARD = path.join(DEPLOY_DIR, 'grafana', 'camtop-dashboard.json');
export const EXPORT_UNIT = path.join(DEPLOY_DIR, 'systemd', 'camtop-export.service');
export const EXPORT_ENV_EXAMPLE = path.join(DEPLOY_DIR, 'systemd', 'export.env.example');

/** Every metric `camtop export` exposes (issue 7): deploy/'s rules and dashboard may use these and no others. */
export const CAMTOP_METRIC_NAMES: readonly string[] = [
	'camtop_info',
	'camtop_health_status',
	'camtop_check_status',
	'camtop_collect_duration_seconds',
	'camtop_last_collect_timestamp_seconds',
	'camtop_collections_total',
	'camtop_cpu_usage_ratio',
	'camtop_cpu_core_usage_ratio',
	'camtop_load1',
	'camtop_load5',
	'camtop_load15',
	'camtop_memory_total_bytes',
	'camtop_memory_used_bytes',
	'camtop_memory_available_bytes',
	'camtop_memory_usage_ratio',
	'camtop_swap_total_bytes',
	'camtop_swap_used_bytes',
	'camtop_disk_total_bytes',
	'camtop_disk_used_bytes',
	'camtop_disk_free_bytes',
	'camtop_disk_usage_ratio',
	'camtop_uptime_seconds',
	'camtop_temperature_celsius',
	'camtop_process_up',
	'camtop_process_instances',
	'camtop_process_cpu_usage_ratio',
	'camtop_process_resident_memory_bytes',
	'camtop_process_threads',
	'camtop_process_uptime_seconds',
	'camtop_process_restarts_total',
	'camtop_process_crash_looping',
	'camtop_redis_up',
	'camtop_redis_ping_seconds',
	'camtop_redis_connected_clients',
	'camtop_redis_used_memory_bytes',
	'camtop_redis_maxmemory_bytes',
	'camtop_redis_instantaneous_ops_per_second',
	'camtop_redis_pubsub_channels',
	'camtop_redis_pubsub_patterns',
	'camtop_log_file_exists',
	'camtop_log_file_size_bytes',
	'camtop_log_file_modified_timestamp_seconds',
	'camtop_log_file_stale',
	'camtop_log_errors_total',
	'camtop_log_errors_last_minute',
	'camtop_issues_total',
	'camtop_service_up',
	'camtop_service_state_changes_total',
	'camtop_perf_value',
	'camtop_function_duration_seconds',
	'camtop_camera_state',
	'camtop_camera_up',
	'camtop_camera_probe_up',
	'camtop_camera_probe_latency_seconds',
	'camtop_camera_probe_frames_per_second',
	'camtop_camera_channel_messages_total',
	'camtop_camera_channel_messages_per_second',
	'camtop_camera_channel_bytes_per_second',
	'camtop_camera_channel_last_message_timestamp_seconds',
	'camtop_camera_channel_subscribers',
	'camtop_alert_firing',
	'camtop_alert_notifications_total',
];

/** Every `camtop_…` metric name written in a text: a PromQL expression, or a whole rules file (comments included). */
export function camtopMetricNames(text: string): Set<string> {
	return new Set(text.match(/\bcamtop_[a-zA-Z0-9_]+/g) ?? []);
}

/** Every PromQL expression of a Grafana dashboard: its panels' targets, rows' nested panels too. */
export function dashboardExprs(dashboard: unknown): string[] {
	const exprs: string[] = [];
	const visit = (node: unknown): void => {
		if (Array.isArray(node)) {
			for (const item of node) {
				visit(item);
			}
		} else if (typeof node === 'object' && node !== null) {
			for (const [key, child] of Object.entries(node)) {
				if (key === 'expr' && typeof child === 'string') {
					exprs.push(child);
				} else {
					visit(child);
				}
			}
		}
	};
	visit(dashboard);
	return exprs;
}

/** The queries of a dashboard's query variables, as Grafana shows them (`label_values(camtop_info, instance)`). */
export function dashboardVariableQueries(dashboard: unknown): string[] {
	const list = (dashboard as {templating?: {list?: Array<{type?: string; definition?: string}>}}).templating?.list ?? [];
	return list.filter(variable => variable.type === 'query').map(variable => variable.definition ?? '');
}

/**
The camtop metric names deploy/ reads: the dashboard's expressions and the alert rules. A test that scrapes a live
`camtop export` can check that each of them is exposed.
*/
export async function deployMetricNames(): Promise<Set<string>> {
	const dashboard: unknown = JSON.parse(await readFile(DASHBOARD, 'utf8'));
	const rules = await readFile(ALERT_RULES, 'utf8');
	const queries = [...dashboardExprs(dashboard), ...dashboardVariableQueries(dashboard), rules];
	return new Set(queries.flatMap(text => [...camtopMetricNames(text)]));
}
