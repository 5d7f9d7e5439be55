import type {FleetStatus} from '../../fleet/fleet-status.js';
import type {Color} from '../components/styled.js';

/** A box's status as a colour; the word is always beside it, so the state never rests on colour alone. */
export const FLEET_STATUS_COLOR: Record<FleetStatus, Color> = {
	ok: 'green', warning: 'yellow', stale: 'yellow', critical: 'red', down: 'red', unknown: 'magenta',
};
