import type {Config} from '../config/load.js';
import type {Resources} from '../collectors/resources.js';
import type {WatchedProcess} from '../collectors/processes.js';
import type {RedisInfo} from '../collectors/redis.js';
import type {RecentErrors} from '../logs/error-record.js';
import type {Result} from '../base/result.js';
import type {RecentEvents} from '../feeds/event-feed.js';
import type {MetricSeries} from '../feeds/metric-feed.js';
import type {CameraStatus} from '../collectors/cameras.js';
import {LiveObserver} from '../snapshot/observer.js';
import {AlertRunner, type AlertsView} from '../alerts/runner.js';

/** The followed logs: each says when it changed. */
export type LogTopic = 'errors' | 'events' | 'metrics';

/**
Where the panes' data comes from: the collectors and the live log feeds, behind one face so that tests can hand the
app fixture data.
*/
export type Sources = {
	resources: () => Promise<Result<Resources>>;
	processes: () => Promise<Result<WatchedProcess[]>>;
	redis: () => Promise<RedisInfo>;
	errors: () => Promise<Result<RecentErrors>>;
	events: () => Promise<Result<RecentEvents>>;
	metrics: () => Promise<Result<MetricSeries[]>>;
	/** One row per camera: configured ones, else the CONNECTION services of the main log. */
	cameras: () => Promise<Result<CameraStatus[]>>;
	/** The alert rules judged on the panes' last answers, every interval (no alerts without it). */
	alerts?: () => Promise<AlertsView>;
	/** Calls `listener` when a followed log changed (new records, or its status), so its pane polls at once. */
	subscribe?: (topic: LogTopic, listener: () => void) => () => void;
	close: () => Promise<void>;
};

export function createSources(config: Config): Sources {
	const observer = new LiveObserver(config);
	// The logs are back-filled (up to a few MB read) after the first frame is on screen, not before it: the panes show
	// "waiting" for that long, and their records as soon as the feeds have them.
	const start = setImmediate(() => {
		observer.start();
	});
	// Alerts are judged on what the panes collected (nothing is asked twice), every interval, shown or paused; shown
	// only: notifying is `camtop export`'s job.
	const alerts = new AlertRunner(config, {notify: false});
	let judging = false;
	const judge = setInterval(() => {
		if (judging || config.alerts.length === 0) {
			return;
		}

		judging = true;
		void observer.latest().then(observation => {
			alerts.evaluate(observation);
		}, () => undefined).finally(() => {
			judging = false;
		});
	}, config.intervalMs);
	return {
		resources: async () => observer.resources(),
		processes: async () => observer.processes(),
		redis: async () => observer.redis(),
		errors: async () => observer.errors.current(),
		events: async () => observer.events.current(),
		metrics: async () => observer.metrics.current(),
		cameras: async () => observer.cameraStatuses(),
		alerts: async () => alerts.view(),
		subscribe: (topic, listener) => observer.feeds[topic].subscribe(listener),
		async close() {
			clearImmediate(start);
			clearInterval(judge);
			await Promise.all([observer.close(), alerts.close()]);
		},
	};
}
