import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { PublishedEventType } from './domain-event-types';
import { ALERT_SCHEMAS } from './schemas/alerts.schemas';
import { COMPANY_SCHEMAS, DEMO_SCHEMAS } from './schemas/company.schemas';
import { CUSTOMER_SCHEMAS } from './schemas/customers.schemas';
import { ORGANISATION_SCHEMAS } from './schemas/organisation.schemas';
import { REP_WORK_SCHEMAS } from './schemas/rep-work.schemas';
import { SALES_ACTIVITY_SCHEMAS } from './schemas/sales-activity.schemas';
import { envelopeSchema, SCHEMA_BASE, type JsonSchema } from './schemas/schema-parts';
import { TARGET_SCHEMAS } from './schemas/targets.schemas';

/** One message schema per event type (`$id` https://salesledger.dev/schemas/events/v1/<type>.json). */
export const INTEGRATION_EVENT_SCHEMAS = {
  ...ORGANISATION_SCHEMAS,
  ...CUSTOMER_SCHEMAS,
  ...SALES_ACTIVITY_SCHEMAS,
  ...TARGET_SCHEMAS,
  ...REP_WORK_SCHEMAS,
  ...COMPANY_SCHEMAS,
  ...ALERT_SCHEMAS,
  ...DEMO_SCHEMAS,
} satisfies Record<PublishedEventType, JsonSchema>;

/**
 * The envelope alone, with any object as data: the schema of types this version does not know (a
 * newer producer). Consumers skip such messages rather than fail on them.
 */
export const ENVELOPE_SCHEMA = envelopeSchema(
  `${SCHEMA_BASE}/envelope.json`,
  'Envelope',
  { type: 'string', minLength: 1 },
  {
    stream: '^.',
    description: 'Any message on salesledger.events.v1; the data of each type is in <type>.json.',
    data: { type: 'object' },
  },
);

export type Validation = { valid: true } | { valid: false; errors: string[] };

export const isKnownEventType = (type: unknown): type is PublishedEventType =>
  typeof type === 'string' && Object.hasOwn(INTEGRATION_EVENT_SCHEMAS, type);

/** Checks a message against its type's schema (compiled on first use, then kept). */
export function validateIntegrationEvent(message: unknown): Validation {
  const validate = validatorFor(typeOf(message));
  if (validate(message)) return { valid: true };
  return { valid: false, errors: (validate.errors ?? []).map(explain) };
}

let ajv: Ajv2020 | undefined;
const validators = new Map<JsonSchema, ValidateFunction>();

function validatorFor(type: string | undefined): ValidateFunction {
  const schema = isKnownEventType(type) ? INTEGRATION_EVENT_SCHEMAS[type] : ENVELOPE_SCHEMA;
  let validate = validators.get(schema);
  if (!validate) {
    ajv ??= addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }), [
      'date',
      'date-time',
      'uuid',
    ]);
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

function typeOf(message: unknown): string | undefined {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** Ajv's message with the instance path, plus the property or values it names only in its params. */
function explain(error: ErrorObject): string {
  const params = error.params as { additionalProperty?: string; allowedValues?: unknown[]; allowedValue?: unknown };
  const detail = params.additionalProperty ?? params.allowedValues ?? params.allowedValue;
  return `${error.instancePath || '(message)'} ${error.message}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`;
}
