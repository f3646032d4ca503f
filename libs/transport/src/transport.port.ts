/** A message as the broker carries it: bytes are JSON text, headers are strings. */
export interface OutgoingMessage {
  readonly key: string;
  /** null is a tombstone: on a compacted topic it removes the key. */
  readonly value: string | null;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface IncomingMessage extends OutgoingMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Messages bound for one topic, as part of a request that may carry several. */
export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Keeps the latest value per key instead of every value (a feed of current state). */
  readonly compacted?: boolean;
  /** Keeps every message for ever: a topic a consumer must be able to read from the beginning. */
  readonly keepForever?: boolean;
}

export interface ConsumeOptions {
  readonly groupId: string;
  readonly topic: string;
  /**
   * Called with each batch of one partition, in offset order. The batch's offsets are committed only
   * after it resolves; if it throws, the batch is delivered again (to this or another member).
   */
  readonly handle: (messages: readonly IncomingMessage[]) => Promise<void>;
  /** How many partitions' batches may be handled at once (1 by default); each partition's stay one at a time, in order. */
  readonly concurrentPartitions?: number;
}

/**
 * A running group membership: `stop` finishes the batches in hand and leaves the group. kafkajs
 * commits nothing once stopping, so those batches are delivered again, to be recognised by revision.
 */
export interface Consumption {
  stop(): Promise<void>;
}

/**
 * What the relay and the consumer groups need from a broker, small enough to swap the client:
 * publishing resolves only once every in-sync replica has the messages, in order per key.
 */
export abstract class Transport {
  abstract ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Messages for several topics as one produce request: resolved once every in-sync replica has them all. */
  abstract send(batches: readonly TopicMessages[]): Promise<void>;
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    return this.send([{ topic, messages }]);
  }
  abstract consume(options: ConsumeOptions): Promise<Consumption>;
  /**
   * Messages of the topic the group has not committed yet (all of them for a group that never
   * committed); with `sentBefore`, only those before each partition's first message sent at or after it.
   */
  abstract lag(groupId: string, topic: string, sentBefore?: Date): Promise<number>;
  abstract close(): Promise<void>;
}
