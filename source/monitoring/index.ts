/*
camtop/monitoring: the writing side of the seed's logs for Node camera apps.

	import {createMonitor} from 'camtop/monitoring';
	const monitor = createMonitor();
	monitor.start();
	await monitor.timed('fetch_image', async () => fetchImage());
*/
export {
	createMonitor, type Level, type Monitor, type MonitorOptions, type MonitorStats,
} from './monitor.js';
