import type {CrashLoop} from '../config/types.js';
import type {Observation} from '../snapshot/observation.js';
import {formatDuration, round} from '../text/format.js';
import {
	MAX_INSTANCES, measure, summarize, type AlertRule, type RuleMetric, type Sample, type Severity,
} from './rules.js';

/** An alert that is breaching (pending: not for long enough yet) or firing. Alerts that are ok are not kept. */
export type AlertState = {
	rule: string;
	metric: RuleMetric;
	instance: string;
	severity: Severity;
	state: 'pending' | 'firing';
	/** The latest value. */
	value: number;
	/** When the breach began, epoch ms. */
	since: number;
	/** When it fired, epoch ms; null while pending. */
	firedAt: number | null;
	summary: string;
};

/** A change worth telling someone: an alert fired or resolved. JSON of it is the webhook body. */
export type AlertEvent = {
	status: 'firing' | 'resolved';
	alert: string;
	metric: RuleMetric;
	instance: string;
	severity: Severity;
	host: string;
	value: number;
	fire: number;
	clear: number;
	forSeconds: number;
	/** When the breach began, ISO 8601. */
	startsAt: string;
	/** When it resolved, ISO 8601; null while firing. */
	endsAt: string | null;
	/** From firing to resolved, seconds to 0.1; null while firing. */
	durationSeconds: number | null;
	summary: string;
	/** The same as one chat line: `[FIRING] host cpu_high: cpu 96.2 % ≥ 95 %` (Slack reads `text`). */
	text: string;
};

export type AlertEngineOptions = {
	host: string;
	crashLoop: CrashLoop;
	/** Called synchronously, once when an alert fires and once when it resolves. */
	onEvent: (event: AlertEvent, rule: AlertRule) => void;
};

const STATE_ORDER = {firing: 0, pending: 1} as const;
const SEVERITY_ORDER = {critical: 0, warning: 1} as const;

/**
Each rule against each Observation, per instance, with hysteresis: a breach (value ≥ fire) held for `forSeconds` fires;
a firing alert resolves only at or below `clear`. Pure and synchronous: it only reads what it is given.
*/
export class AlertEngine {
	readonly #rules: readonly AlertRule[];
	readonly #options: AlertEngineOptions;
	/** Per rule (by index), the instances breaching now. */
	readonly #active: Array<Map<string, AlertState>>;

	constructor(rules: readonly AlertRule[], options: AlertEngineOptions) {
		this.#rules = rules;
		this.#options = options;
		this.#active = rules.map(() => new Map<string, AlertState>());
	}

	/** Updates every alert from one Observation (its `at` is now) and returns the events it raised, after telling onEvent. */
	evaluate(observation: Observation): AlertEvent[] {
		const raised: Array<[AlertEvent, AlertRule]> = [];
		for (const [index, rule] of this.#rules.entries()) {
			const active = this.#active[index]!;
			const samples = measure(rule, observation, this.#options.crashLoop);
			if (samples === undefined) {
				// The source has no data this time: every alert of the rule stays as it is.
				continue;
			}

			for (const sample of samples) {
				const event = this.#step(rule, active, sample, observation.at);
				if (event !== undefined) {
					raised.push([event, rule]);
				}
			}

			// The source answered without them: a camera taken out of the config, a log deleted, a PERF metric no longer
			// written. A pending alert is dropped; a firing one resolves (else it would fire forever).
			const present = new Set(samples.map(sample => sample.instance));
			for (const [instance, state] of active) {
				if (!present.has(instance)) {
					active.delete(instance);
					if (state.state === 'firing') {
						raised.push([this.#event(rule, state, 'resolved', `${state.summary} (no longer reported)`, observation.at), rule]);
					}
				}
			}
		}

		// Told once every state is updated, so a throwing listener cannot leave the engine half-way.
		for (const [event, rule] of raised) {
			this.#options.onEvent(event, rule);
		}

		return raised.map(([event]) => event);
	}

	/** Firing first, then pending; critical before warning; oldest breach first. */
	states(): AlertState[] {
		return this.#active.flatMap(active => [...active.values()]).map(state => ({...state})).sort((a, b) =>
			(STATE_ORDER[a.state] - STATE_ORDER[b.state]) || (SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]) || (a.since - b.since));
	}

	firing(): AlertState[] {
		return this.states().filter(state => state.state === 'firing');
	}

	#step(rule: AlertRule, active: Map<string, AlertState>, sample: Sample, now: number): AlertEvent | undefined {
		const {crashLoop} = this.#options;
		const current = active.get(sample.instance);
		const breaching = sample.value >= rule.fire;
		if (current === undefined) {
			// Past MAX_INSTANCES breaching at once, a newcomer waits for room rather than growing the map.
			if (!breaching || active.size >= MAX_INSTANCES) {
				return undefined;
			}

			const state: AlertState = {
				rule: rule.name,
				metric: rule.metric,
				instance: sample.instance,
				severity: rule.severity,
				state: 'pending',
				value: sample.value,
				since: now,
				firedAt: null,
				summary: summarize(rule, sample, true, crashLoop),
			};
			active.set(sample.instance, state);
			return this.#maybeFire(rule, state, now);
		}

		current.value = sample.value;
		if (current.state === 'pending') {
			if (!breaching) {
				active.delete(sample.instance);
				return undefined;
			}

			current.summary = summarize(rule, sample, true, crashLoop);
			return this.#maybeFire(rule, current, now);
		}

		// Firing: resolved at or below clear; between clear and fire (or exactly at fire when clear = fire) it stays.
		if (sample.value <= rule.clear && !breaching) {
			active.delete(sample.instance);
			return this.#event(rule, current, 'resolved', summarize(rule, sample, false, crashLoop), now);
		}

		if (breaching) {
			current.summary = summarize(rule, sample, true, crashLoop);
		}

		return undefined;
	}

	#maybeFire(rule: AlertRule, state: AlertState, now: number): AlertEvent | undefined {
		if (now - state.since < rule.forSeconds * 1000) {
			return undefined;
		}

		state.state = 'firing';
		state.firedAt = now;
		return this.#event(rule, state, 'firing', state.summary, now);
	}

	// eslint-disable-next-line max-params -- private: its callers pass the five facts of one event, named at each call
	#event(rule: AlertRule, state: AlertState, status: AlertEvent['status'], summary: string, now: number): AlertEvent {
		const resolved = status === 'resolved';
		const durationSeconds = resolved ? round((now - (state.firedAt ?? state.since)) / 1000) : null;
		const {host} = this.#options;
		return {
			status,
			alert: rule.name,
			metric: rule.metric,
			instance: state.instance,
			severity: rule.severity,
			host,
			value: state.value,
			fire: rule.fire,
			clear: rule.clear,
			forSeconds: rule.forSeconds,
			startsAt: new Date(state.since).toISOString(),
			endsAt: resolved ? new Date(now).toISOString() : null,
			durationSeconds,
			summary,
			text: resolved
				? `[RESOLVED] ${host} ${rule.name}: ${summary} after ${formatDuration(durationSeconds ?? 0)}`
				: `[FIRING] ${host} ${rule.name}: ${summary}`,
		};
	}
}
