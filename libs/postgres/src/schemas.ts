// Whatever names a schema reads its rows: dates must come back as they are stored.
import './date-type';

/** The schema of the PostgreSQL event store. */
export const EVENT_STORE = 'event_store';
/** Where the serving read model lives, and where a rebuild fills its replacement. */
export const READ_MODEL = 'read_model';
export const REBUILD = 'read_model_rebuild';
/** What leaves the system (relay checkpoint, alert deliveries) and token usage: never replaced by a rebuild. */
export const OUTBOUND = 'outbound';
