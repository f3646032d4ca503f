import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { KafkaTransport } from './kafka.transport';
import { errorParts, type SendRequest, type SendThreadSettings, type WorkerReply } from './threaded-kafka.transport';

/** The send thread of ThreadedKafkaTransport: a KafkaTransport of its own, whose log lines go to the main thread. */
const port = parentPort!;
const { brokers, clientId, logLevel } = workerData as SendThreadSettings;
const reply = (message: WorkerReply) => port.postMessage(message);
const log = pino({ level: logLevel, base: undefined, timestamp: false }, { write: (line) => reply({ log: line }) });
const transport = new KafkaTransport(brokers, clientId, log);
const sending = new Set<Promise<void>>();

port.on('message', (request: SendRequest | 'close') => {
  if (request === 'close') {
    // The sends in hand finish (or fail) before the producer disconnects.
    void Promise.allSettled(sending)
      .then(() => transport.close())
      .catch((error: unknown) => log.warn({ err: error }, 'Kafka producer did not disconnect cleanly'))
      .finally(() => process.exit(0)); // in a worker: ends this thread only
    return;
  }
  const sent = transport.send(request.batches).then(
    () => reply({ id: request.id }),
    (error: unknown) => reply({ id: request.id, error: errorParts(error) }),
  );
  sending.add(sent);
  void sent.finally(() => sending.delete(sent));
});
