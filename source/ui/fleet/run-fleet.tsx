import React from 'react';
import type {Config} from '../../config/load.js';
import type {PrometheusClient} from '../../fleet/prometheus-client.js';
import {exporterCredentials} from '../../fleet/credentials.js';
import {runFullScreen} from '../run.js';
import {FleetApp} from './fleet-app.js';

/** `camtop fleet` full screen, with the monitor's terminal handling: alternate screen, restored however it ends. */
export async function runFleetTui(config: Config, client: PrometheusClient): Promise<number> {
	const exporter = exporterCredentials(process.env, config.fleet);
	return runFullScreen(onExit => <FleetApp client={client} fleet={config.fleet} exporter={exporter} onExit={onExit}/>, async () => undefined);
}
