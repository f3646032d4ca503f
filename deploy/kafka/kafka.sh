#!/usr/bin/env bash
# A real single-node Apache Kafka (KRaft: broker and controller in one JVM) built from Maven Central
# jars, for development, tests and CI on machines with Java 17+ and Maven but no Docker.
#
#   kafka.sh fetch                      copy the jars named by pom.xml into lib/ (once per pom change)
#   kafka.sh start                      fetch if needed, start on 127.0.0.1:9092, wait until it serves
#   kafka.sh stop                       SIGTERM (controlled shutdown), SIGKILL after a timeout
#   kafka.sh status                     exit 0 when this script's broker is up and answering
#   kafka.sh console-consumer TOPIC [ARGS]   org.apache.kafka.tools.consumer.ConsoleConsumer
#   kafka.sh perf-test [ARGS]           org.apache.kafka.tools.ProducerPerformance (kafka-producer-perf-test)
#   kafka.sh topics [ARGS]              org.apache.kafka.tools.TopicCommand (kafka-topics), e.g.
#                                       topics --create --topic x  (auto.create.topics.enable=false)
#
# Environment: KAFKA_DATA_DIR (default /tmp/salesledger-kafka: data, config, logs, pid file; kept
# across stop/start), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP_OPTS (-Xmx512m),
# KAFKA_START_TIMEOUT (90 s), KAFKA_STOP_TIMEOUT (60 s), JAVA_HOME.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB_DIR="$HERE/lib"
DATA_DIR="${KAFKA_DATA_DIR:-/tmp/salesledger-kafka}"
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
BOOTSTRAP="$HOST:$PORT"
CONFIG="$DATA_DIR/server.properties"
LOG_DIR="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/kafka.pid"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-60}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# GNU tools where present (Linux, CI); without them (macOS) the same steps run unbounded/attached.
SETSID="$(command -v setsid || true)"
TIMEOUT_30="$(command -v timeout >/dev/null && echo "timeout 30" || true)"

die() { echo "kafka.sh: $*" >&2; exit 1; }
say() { echo "kafka.sh: $*" >&2; }

# Serialises fetch/start/stop: parallel test workers or a CI step may call start at the same time.
lock() {
  mkdir -p "$DATA_DIR"
  exec 9>"$DATA_DIR/.lock"
  command -v flock >/dev/null && flock 9
  return 0
}

check_java() {
  command -v "$JAVA" >/dev/null || die "no java on PATH (Kafka 4 needs Java 17 or later)"
  local major
  major="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  [[ "${major%%.*}" -ge 17 ]] 2>/dev/null || die "java $major found; the Kafka 4 broker needs Java 17 or later"
}

# lib/ is valid for the pom it was fetched from; a version bump in pom.xml refetches.
pom_sum() { { sha256sum "$HERE/pom.xml" 2>/dev/null || shasum -a 256 "$HERE/pom.xml"; } | cut -d' ' -f1; }

fetched() { [[ -f "$LIB_DIR/.pom.sha256" && "$(cat "$LIB_DIR/.pom.sha256")" == "$(pom_sum)" ]]; }

fetch() {
  fetched && return 0
  # Locked on the pom itself (no extra file in the tree); a second caller waits, then finds lib/ done.
  exec 8<"$HERE/pom.xml"
  command -v flock >/dev/null && flock 8
  if fetched; then exec 8<&-; return 0; fi
  command -v mvn >/dev/null || die "no mvn on PATH: Maven fetches the Kafka jars from Maven Central"
  say "fetching Kafka jars from Maven Central into $LIB_DIR"
  # Into a scratch dir first, so an interrupted fetch never leaves a half-filled lib/ that looks done.
  local tmp="$LIB_DIR.tmp.$$"
  rm -rf "$tmp"
  # sed: Maven 3.8 prints bare colour resets even in quiet batch mode.
  mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp" 2>&1 \
    | sed $'s/\e\\[0m//g' >&2 \
    || { rm -rf "$tmp"; die "mvn could not fetch the Kafka jars (see above)"; }
  pom_sum >"$tmp/.pom.sha256"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  exec 8<&-
}

# Tools get a small heap and warnings-only logging on stderr, so their stdout stays clean.
run_tool() {
  local class="$1"; shift
  "$JAVA" ${KAFKA_TOOLS_HEAP_OPTS:--Xmx256m} -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$HERE/tools-log4j2.properties" \
    -cp "$LIB_DIR/*" "$class" "$@"
}

pid_of_broker() { [[ -f "$PID_FILE" ]] && cat "$PID_FILE"; }

# True only for the JVM this script started on this data dir (a stale pid may have been reused).
running() {
  local pid
  pid="$(pid_of_broker 2>/dev/null)" || return 1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Read into a variable, not piped to grep -q: under pipefail an early grep exit can fail the pipe.
  local args
  args="$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || ps -p "$pid" -o args= 2>/dev/null)" || return 1
  [[ "$args" == *"kafka.Kafka $CONFIG"* ]]
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# A real request, not just an open socket: the listener is bound before the broker serves requests.
answering() {
  ${TIMEOUT_30:-} "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$HERE/tools-log4j2.properties" \
    -cp "$LIB_DIR/*" org.apache.kafka.tools.BrokerApiVersionsCommand --bootstrap-server "$BOOTSTRAP" \
    >/dev/null 2>&1
}

logged_started() { grep -q 'Kafka Server started' < <(tail -c "+$(($1 + 1))" "$LOG_DIR/server.log" 2>/dev/null); }

log_tail() {
  for f in "$LOG_DIR/server.log" "$LOG_DIR/kafka.out"; do
    [[ -s "$f" ]] && { echo "--- last lines of $f" >&2; tail -n 40 "$f" >&2; }
  done
  return 0
}

# Rewritten at every start so a change here applies to a kept data dir too.
write_config() {
  cat >"$CONFIG" <<EOF
# Generated by deploy/kafka/kafka.sh at every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA_DIR/data

# One broker: every internal topic and every default must fit a replication factor of 1.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Fewer internal partitions than the defaults (50): quicker first group join and restart on 2 cores.
offsets.topic.num.partitions=10
transaction.state.log.num.partitions=10

# Topics are created explicitly with their intended settings (the scorecards topic is compacted);
# a produce to a misspelt or unprovisioned topic fails instead of creating a delete-policy topic.
auto.create.topics.enable=false
# Explicitly created topics without a count get 6, so a consumer group has partitions to share.
num.partitions=6
# Tests start and stop consumers often: no 3 s wait for more members before the first rebalance.
group.initial.rebalance.delay.ms=0
EOF
}

start() {
  lock
  check_java
  # Before anything else: asking a running broker whether it answers needs the tools' jars too
  # (a second checkout finding the broker of the first must not judge it dead and stop it).
  fetch
  if running; then
    answering || wait_until_answering || die "the broker exited during startup"
    say "already running (pid $(pid_of_broker)) on $BOOTSTRAP"
    return 0
  fi
  port_open "$PORT" && die "something else listens on $BOOTSTRAP (not a broker started by this script on $DATA_DIR)"
  mkdir -p "$LOG_DIR" "$DATA_DIR/data"
  write_config
  # First start: a fresh cluster id. Later starts find meta.properties and keep the data.
  if [[ ! -f "$DATA_DIR/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(run_tool kafka.tools.StorageTool random-uuid)"
    run_tool kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$CONFIG" >"$LOG_DIR/format.out" 2>&1 \
      || { cat "$LOG_DIR/format.out" >&2; die "could not format $DATA_DIR/data"; }
    say "formatted $DATA_DIR/data (cluster id $cluster_id)"
  fi
  # A broker that exits during startup is started once more: on a fresh machine one first start
  # exited with nothing in its logs, and the next one at once worked.
  launch || { say "the broker exited during startup; starting it once more"; launch; } \
    || die "the broker exited during startup"
  say "started (pid $(pid_of_broker)) on $BOOTSTRAP, ready ${SECONDS}s after this command began; logs in $LOG_DIR"
}

# Starts the JVM and waits until it answers; fails (1) only if it exits during startup.
launch() {
  local log_from=0
  [[ -f "$LOG_DIR/server.log" ]] && log_from="$(wc -c <"$LOG_DIR/server.log" | tr -d ' ')"
  # setsid + nohup: the broker outlives the shell (or test runner) that started it; 9>&- so it does
  # not inherit the lock.
  ${SETSID:-} nohup "$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dkafka.logs.dir="$LOG_DIR" -Dlog4j2.configurationFile="$HERE/log4j2.properties" \
    -cp "$LIB_DIR/*" kafka.Kafka "$CONFIG" >"$LOG_DIR/kafka.out" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$PID_FILE"
  disown $!
  wait_until_answering "$log_from"
}

# Each probe is a JVM (~1 CPU-second), so while the broker boots on a small machine probe only once
# its log says it started (or after 20 s, should that line ever change); then confirm with a request.
wait_until_answering() {
  local log_from="${1:-}" began=$SECONDS deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if ! running; then
      log_tail
      rm -f "$PID_FILE"
      return 1
    fi
    if port_open "$PORT" && { [[ -z "$log_from" ]] || logged_started "$log_from" || ((SECONDS - began >= 20)); } \
      && answering; then return 0; fi
    if ((SECONDS >= deadline)); then
      log_tail
      # A broker SIGTERMed mid-startup can sit in its shutdown hook for minutes: short grace.
      stop_locked 10
      die "the broker did not answer on $BOOTSTRAP within ${START_TIMEOUT}s; stopped it"
    fi
    sleep 1
  done
}

stop() {
  lock
  stop_locked
}

stop_locked() {
  local grace="${1:-$STOP_TIMEOUT}"
  if ! running; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  local pid deadline
  pid="$(pid_of_broker)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "no exit ${grace}s after SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  rm -f "$PID_FILE"
  say "stopped (pid $pid)"
}

status() {
  fetch
  if running && answering; then
    echo "up: pid $(pid_of_broker) on $BOOTSTRAP, data in $DATA_DIR"
    return 0
  fi
  if running; then echo "starting or unresponsive: pid $(pid_of_broker), not answering on $BOOTSTRAP"
  else echo "down"; fi
  return 3
}

# Adds --bootstrap-server unless the caller gave one.
with_bootstrap() {
  local arg
  for arg in "$@"; do [[ "$arg" == --bootstrap-server* ]] && return 1; done
  return 0
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  fetch) check_java; fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  console-consumer)
    [[ $# -ge 1 ]] || die "usage: kafka.sh console-consumer TOPIC [ConsoleConsumer args, e.g. --from-beginning --max-messages 10]"
    topic="$1"; shift
    fetch
    if with_bootstrap "$@"; then set -- --bootstrap-server "$BOOTSTRAP" "$@"; fi
    run_tool org.apache.kafka.tools.consumer.ConsoleConsumer --topic "$topic" "$@"
    ;;
  topics)
    fetch
    if with_bootstrap "$@"; then set -- --bootstrap-server "$BOOTSTRAP" "$@"; fi
    run_tool org.apache.kafka.tools.TopicCommand "$@"
    ;;
  perf-test)
    # Pure pass-through, as kafka-producer-perf-test.sh: give --producer-props bootstrap.servers=...
    fetch
    run_tool org.apache.kafka.tools.ProducerPerformance "$@"
    ;;
  *)
    sed -n '2,18p' "$0" >&2
    exit 2
    ;;
esac
