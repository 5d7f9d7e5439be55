import os from 'node:os';
import type {Config} from '../config/load.js';
import type {Observation} from '../snapshot/observation.js';
import {AlertEngine, type AlertState} from './engine.js';
import {Notifier, targetName, type NotifierStats} from './notify.js';

export type AlertsView = {
	/** Firing first, then pending. */
	states: AlertState[];
	rules: number;
	/** Whether this runner notifies the rules' targets (camtop export) or only shows them (the TUI). */
	notifies: boolean;
	/** The last delivery failure (a webhook known by its host only), null when none. */
	notifyError: string | null;
};

/**
The config's alert rules at work in a long-running view (`camtop export`, the TUI): judged on each Observation, their
changes handed to the notifier, which delivers in the background. evaluate() never waits on a webhook or a command.
*/
export class AlertRunner {
	readonly #config: Config;
	readonly #engine: AlertEngine;
	readonly #notifier = new Notifier();
	readonly #notifies: boolean;

	/**
	`notify: false` judges and shows without telling anyone: the TUI, which anybody may open on a box whose
	`camtop export` already notifies (each alert would reach people once per open terminal otherwise).
	*/
	constructor(config: Config, {host = os.hostname(), notify = true}: {host?: string; notify?: boolean} = {}) {
		this.#config = config;
		this.#notifies = notify;
		this.#engine = new AlertEngine(config.alerts, {
			host,
			crashLoop: config.crashLoop,
			onEvent: (event, rule) => {
				if (notify && rule.targets.length > 0) {
					this.#notifier.notify(event, rule.targets);
				}
			},
		});
	}

	evaluate(observation: Observation): void {
		this.#engine.evaluate(observation);
	}

	/** Firing first, then pending. */
	states(): AlertState[] {
		return this.#engine.states();
	}

	/** What the TUI shows: the breaching alerts, how many rules run, and the notifier's trouble if any. */
	view(): AlertsView {
		return {
			states: this.#engine.states(), rules: this.#config.alerts.length, notifies: this.#notifies, notifyError: this.#notifier.lastError(),
		};
	}

	notificationStats(): NotifierStats {
		return this.#notifier.stats();
	}

	lastNotifyError(): string | null {
		return this.#notifier.lastError();
	}

	/** For /snapshot: how notifications went, snake_case like the health JSON. */
	notificationsJson(): Record<string, unknown> {
		const {sent, failed, dropped, pending} = this.#notifier.stats();
		return {
			sent, failed, dropped, pending, last_error: this.#notifier.lastError(),
		};
	}

	/** For /snapshot: what is breaching, snake_case like the health JSON. */
	json(): unknown[] {
		return this.#engine.states().map(state => ({
			alert: state.rule,
			metric: state.metric,
			instance: state.instance,
			severity: state.severity,
			state: state.state,
			value: state.value,
			since: new Date(state.since).toISOString(),
			fired_at: state.firedAt === null ? null : new Date(state.firedAt).toISOString(),
			summary: state.summary,
		}));
	}

	/** What runs, in a line or two for a log: rule count and where notifications go (no webhook path: it is a secret). */
	describe(): string[] {
		const rules = this.#config.alerts;
		if (rules.length === 0) {
			return ['no alert rules (alerts: [] in the config)'];
		}

		const targets = [...new Set(rules.flatMap(rule => rule.targets.map(target => targetName(target))))];
		return [`${rules.length} alert rules; notifying ${targets.length === 0 ? 'nobody (set alertTargets in the config)' : targets.join(', ')}`];
	}

	/** `flushMs`: how long what is queued may still take to go out (camtop export on SIGTERM). */
	async close({flushMs = 0}: {flushMs?: number} = {}): Promise<void> {
		await this.#notifier.close({flushMs});
	}
}
