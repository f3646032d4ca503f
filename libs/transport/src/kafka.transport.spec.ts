import type { ITopicMetadata } from 'kafkajs';
import { createMissingTopics, type TopicAdmin } from './kafka.transport';
import type { TopicSpec } from './transport.port';

const EVENTS: TopicSpec = { name: 'events', partitions: 2, keepForever: true };
const AUDIT: TopicSpec = { name: 'audit', partitions: 1 };

/**
 * An admin whose metadata answers come from `answers` in turn, the last one repeated; its offsets
 * answers likewise from `offsets` (served when there are none).
 */
function admin(existing: string[], answers: (ITopicMetadata[] | Error)[], offsets: (Error | 'served')[] = []) {
  const created: string[][] = [];
  let asked = 0;
  let offsetsAsked = 0;
  const fake: TopicAdmin = {
    listTopics: async () => existing,
    createTopics: async ({ topics, waitForLeaders }) => {
      expect(waitForLeaders).toBe(false);
      created.push(topics.map((topic) => topic.topic));
      return true;
    },
    fetchTopicMetadata: async () => {
      const answer = answers[Math.min(asked++, answers.length - 1)] as ITopicMetadata[] | Error;
      if (answer instanceof Error) throw answer;
      return { topics: answer };
    },
    fetchTopicOffsets: async () => {
      const answer = offsets[Math.min(offsetsAsked++, offsets.length - 1)] ?? 'served';
      if (answer instanceof Error) throw answer;
      return [];
    },
  };
  return { fake, created, asked: () => asked };
}

/** An error as kafkajs throws it for a broker's answer. */
const answer = (type: string) => Object.assign(new Error(type), { type });
/** The error kafkajs throws when it gives up retrying an answer itself: the answer is its cause. */
const gaveUpOn = (type: string) => Object.assign(new Error('retries exhausted'), { cause: answer(type) });

const partitions = (...leaders: number[]) =>
  leaders.map((leader, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader,
    replicas: [leader],
    isr: [leader],
  }));
const AUDIT_LED = { name: 'audit', partitions: partitions(1) };

describe('createMissingTopics', () => {
  it('creates only the missing topics and waits through "unknown topic" and leaderless answers', async () => {
    // given a broker that has yet to serve the new topic, then serves it without, then with, leaders
    const { fake, created, asked } = admin(
      ['audit'],
      [
        answer('UNKNOWN_TOPIC_OR_PARTITION'),
        gaveUpOn('LEADER_NOT_AVAILABLE'),
        [AUDIT_LED, { name: 'events', partitions: partitions(1) }],
        [AUDIT_LED, { name: 'events', partitions: partitions(1, -1) }],
        [AUDIT_LED, { name: 'events', partitions: partitions(1, 1) }],
      ],
      // and a leader that does not answer for its partition yet the first time it is asked
      [answer('NOT_LEADER_FOR_PARTITION'), 'served'],
    );
    // when
    await createMissingTopics(fake, [EVENTS, AUDIT], { everyMs: 1 });
    // then
    expect(created).toEqual([['events']]);
    expect(asked()).toBe(6);
  });

  it('creates nothing when every topic exists, and waits for the leaders of topics created a moment ago', async () => {
    // given topics another process created, events with partitions of its own choosing
    const { fake, created, asked } = admin(
      ['events', 'audit'],
      [
        [AUDIT_LED, { name: 'events', partitions: partitions(-1, -1, -1) }],
        [AUDIT_LED, { name: 'events', partitions: partitions(1, 1, 1) }],
      ],
    );
    await createMissingTopics(fake, [EVENTS, AUDIT], { everyMs: 1 });
    expect(created).toEqual([]);
    expect(asked()).toBe(2);
  });

  it('gives up after its timeout, naming the topics, when a partition never gets a leader', async () => {
    const { fake } = admin([], [[{ name: 'events', partitions: partitions(1, -1) }]]);
    await expect(createMissingTopics(fake, [EVENTS], { timeoutMs: 50, everyMs: 5 })).rejects.toThrow(
      'not every partition of events had a leader 0.05 s after they were created',
    );
  });

  it('fails at once on any other answer', async () => {
    const { fake, asked } = admin([], [answer('TOPIC_AUTHORIZATION_FAILED')]);
    await expect(createMissingTopics(fake, [EVENTS], { everyMs: 1 })).rejects.toThrow('TOPIC_AUTHORIZATION_FAILED');
    expect(asked()).toBe(1);
  });
});
