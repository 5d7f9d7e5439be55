import type {Config} from '../config/load.js';
import {SnapshotCollector} from '../snapshot/snapshot.js';
import {EXIT_CODES} from '../snapshot/checks.js';
import {colorEnabled, createPaint} from '../text/colors.js';
import {healthJson} from './health-json.js';
import {healthReport} from './health-report.js';

export type HealthOptions = {json: boolean};

/**
`camtop health`: one Snapshot, printed as a report or as the seed's JSON. Returns the monitoring-plugin exit code:
0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
*/
export async function health(config: Config, {json}: HealthOptions, stdout: NodeJS.WriteStream = process.stdout): Promise<number> {
	const collector = new SnapshotCollector(config);
	try {
		const snapshot = await collector.collect();
		stdout.write(json
			? `${JSON.stringify(healthJson(snapshot), null, 2)}\n`
			: healthReport(snapshot, createPaint(colorEnabled(stdout))));
		return EXIT_CODES[snapshot.status];
	} finally {
		await collector.close();
	}
}
