import type { Logger } from 'pino';
import type { Runtime } from '@salesledger/platform/runtime';
import type { Stop } from '@salesledger/platform/service';
import { Relay } from '@salesledger/transport/relay';
import { ScorecardFeed } from '@salesledger/transport/scorecard-feed';
import { relayTransport } from '@salesledger/transport/rdkafka.transport';

/**
 * Publishes the event log (and alert events) to Kafka, and the changed scorecards to their
 * compacted topic. Run one or more: replicas stand by until the publishing one goes away.
 */
export async function startRelay(runtime: Runtime, log: Logger): Promise<Stop> {
  const kafka = runtime.kafka;
  if (!kafka) throw new Error('the relay publishes to Kafka: set KAFKA_BROKERS=host:port,...');
  const transport = relayTransport(runtime.config.kafkaBrokers, 'salesledger', log.child({ component: 'kafka' }));
  const feed = new ScorecardFeed(runtime.readModel, transport, kafka.names.scorecards);
  const relay = new Relay(
    runtime.eventStore,
    runtime.readModel,
    transport,
    kafka.names,
    { log, wakeup: runtime.appendWakeup },
    feed,
  );
  relay.start();
  log.info(`relay running: ${kafka.names.events}, ${kafka.names.alerts}, ${kafka.names.scorecards}`);
  return async () => {
    await relay.stop();
    await transport.close();
  };
}
