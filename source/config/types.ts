/**
The config's types and defaults: below collectors and alerts, which are told them, and apart from the loader, which
needs the alert rules' parser.
*/
export type Levels = {warning: number; critical: number};

export type Thresholds = {
	cpuPercent: Levels;
	memoryPercent: Levels;
	diskPercent: Levels;
	/** Redis PING round trip, milliseconds. */
	redisPingMs: Levels;
	/** A log that should be written regularly and has not been for this long is stale. */
	staleLogSeconds: number;
	/** An ERROR in errors.log younger than this makes the recent-errors check a warning. */
	recentErrorSeconds: number;
};

/** A process that restarted `restarts` times within `minutes` is crash-looping. */
export type CrashLoop = {restarts: number; minutes: number};

export type CameraConfig = {
	name: string;
	url?: string;
	channel?: string;
	minFps?: number;
	stallSeconds?: number;
};

/** `camtop fleet`: where Prometheus is and how the fleet is judged. Secrets are never here, only files that hold them. */
export type FleetConfig = {
	/** Prometheus' base URL; undefined until --prometheus, PROMETHEUS_URL or the file says. */
	prometheus: string | undefined;
	/** The scrape job of the camtop exporters (deploy/prometheus/prometheus.yml calls it camtop). */
	job: string;
	/** No successful scrape for this long: down; less, stale. Seconds. */
	downAfterSeconds: number;
	/** An exporter whose last collection is older than this is stale, seconds. */
	staleCollectSeconds: number;
	/** Each query to Prometheus or an exporter is abandoned after this long, ms. */
	timeoutMs: number;
	/** The table refreshes this often, ms. */
	refreshMs: number;
	/**
	Prometheus' scrape_interval for the job, seconds: the step at which the last successful scrape of a box that is
	down is looked for (a coarser step can miss it; a finer one costs Prometheus more).
	*/
	scrapeIntervalSeconds: number;
	/** A file holding the bearer token for Prometheus. */
	tokenFile: string | undefined;
	/** Basic auth for Prometheus: the user, and a file holding the password. */
	user: string | undefined;
	passwordFile: string | undefined;
	/** A file holding the exporters' CAMTOP_EXPORT_TOKEN, for a box's /snapshot. */
	exportTokenFile: string | undefined;
};

/** What camtop watches and how it judges it: everything the collectors and the Snapshot are told. */
export type WatchConfig = {
	/** Absolute path of the directory holding camera_system.log, errors.log and performance.log. */
	logs: string;
	/** Absolute path of the legacy greencam.log. */
	legacyLog: string;
	redis: string;
	/** Refresh interval of the live views, milliseconds. */
	intervalMs: number;
	/** File names of the camera app's processes, matched against each process's full command line. */
	processes: string[];
	thresholds: Thresholds;
	/** How many ERROR records of errors.log `health` shows. */
	recentErrors: number;
	cameras: CameraConfig[];
	crashLoop: CrashLoop;
};

export const DEFAULT_INTERVAL_MS = 1000;
export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 3_600_000;

export const DEFAULTS = {
	logs: 'logs',
	legacyLog: 'greencam.log',
	redis: 'redis://127.0.0.1:6379',
	intervalMs: DEFAULT_INTERVAL_MS,
	processes: ['cam1_stream.py', 'start.py', 'client.py'],
	thresholds: {
		cpuPercent: {warning: 80, critical: 95},
		memoryPercent: {warning: 80, critical: 95},
		diskPercent: {warning: 85, critical: 95},
		redisPingMs: {warning: 100, critical: 1000},
		// The seed writes performance.log every 300 s (PERFORMANCE_LOG_INTERVAL): twice that before we call it stale.
		staleLogSeconds: 600,
		recentErrorSeconds: 300,
	},
	recentErrors: 10,
	cameras: [] as CameraConfig[],
	crashLoop: {restarts: 3, minutes: 10},
	fleet: {
		prometheus: undefined,
		job: 'camtop',
		// deploy/'s CamtopExporterDown fires after 2 min; the table says down sooner, and stale before that.
		downAfterSeconds: 60,
		// Eight of the exporter's default 15 s collections missed.
		staleCollectSeconds: 120,
		timeoutMs: 5000,
		refreshMs: 5000,
		// deploy/prometheus/prometheus.yml's scrape_interval.
		scrapeIntervalSeconds: 15,
		tokenFile: undefined,
		user: undefined,
		passwordFile: undefined,
		exportTokenFile: undefined,
	} satisfies FleetConfig as FleetConfig,
} as const;
