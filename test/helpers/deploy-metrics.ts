import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {METRICS} from '../../source/export/metrics.js';

export const DEPLOY_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'deploy');
export const PROMETHEUS_CONFIG = path.join(DEPLOY_DIR, 'prometheus', 'prometheus.yml');
export const ALERT_RULES = path.join(DEPLOY_DIR, 'prometheus', 'camtop-alerts.yml');
export const ALERT_RULE_TESTS = path.join(DEPLOY_DIR, 'prometheus', 'camtop-alerts.test.yml');
export const DASHBOARD = path.join(DEPLOY_DIR, 'grafana', 'camtop-dashboard.json');
export const EXPORT_UNIT = path.join(DEPLOY_DIR, 'systemd', 'camtop-export.service');
export const EXPORT_ENV_EXAMPLE = path.join(DEPLOY_DIR, 'systemd', 'export.env.example');

/** Every metric `camtop export` exposes: deploy/'s rules and dashboard may use these and no others. */
export const CAMTOP_METRIC_NAMES: readonly string[] = Object.keys(METRICS);

/** Every `camtop_…` metric name written in a text: a PromQL expression, or a whole rules file (comments included). */
export function camtopMetricNames(text: string): Set<string> {
	return new Set(text.match(/\bcamtop_\w+/g) ?? []);
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
