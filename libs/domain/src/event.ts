export type Role = 'admin' | 'director' | 'manager' | 'rep' | 'analyst' | 'system';

export interface Actor {
  readonly userId: string;
  readonly role: Role;
}

export interface EventMetadata {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  /** ISO-8601 instant from the injected clock, so replays and tests are deterministic. */
  readonly recordedAt: string;
  /** The command that caused the event; a retry of it is recognised by id and fingerprint. */
  readonly commandId?: string;
  readonly commandFingerprint?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly eventId: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

/**
 * An event as the store holds it. `position` is unique and grows with every append; `checkpoint`
 * is the key `readAll` pages by, and the only safe value to resume a feed from.
 */
export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> extends NewEvent<
  Type,
  Data
> {
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly checkpoint: Checkpoint;
  /** Hex SHA-256 chaining this event to the previous one of its stream. */
  readonly hash: string;
}

/**
 * A stored event whose data is still the JSON text the store holds. Whoever passes events on unread
 * (the relay) is spared parsing each one and stringifying it again.
 */
export interface RecordedEventJson extends Omit<RecordedEvent, 'data'> {
  readonly dataJson: string;
}

export function withDataJson({ data, ...event }: RecordedEvent): RecordedEventJson {
  return { ...event, dataJson: JSON.stringify(data) };
}

/** Opaque, adapter-specific resume key; `null` means the beginning of the log. */
export type Checkpoint = string;
