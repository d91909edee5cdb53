#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) for development and tests.
# Jars come from Maven Central through deploy/local/pom.xml; nothing is installed system-wide.
#   deploy/local/kafka.sh start|stop|status|restart
# Environment: KAFKA_HOME_DIR (default <repo>/.local/kafka), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#              KAFKA_ADVERTISED_PORT (KAFKA_PORT; the fault suite's proxy port, so clients cannot go around it),
#              KAFKA_HEAP (-Xms256m -Xmx512m)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
HOME_DIR="${KAFKA_HOME_DIR:-$ROOT/.local/kafka}"
LIBS="$HOME_DIR/libs"
DATA="$HOME_DIR/data"
CONF="$HOME_DIR/server.properties"
PIDFILE="$HOME_DIR/kafka.pid"
LOG="$HOME_DIR/kafka.out"
PORT="${KAFKA_PORT:-9092}"
CPORT="${KAFKA_CONTROLLER_PORT:-9093}"
APORT="${KAFKA_ADVERTISED_PORT:-$PORT}"
HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")"

log() { echo "[kafka] $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && exec 3>&- 3<&-; }

# Readiness = the broker answered a metadata request (not merely an open port).
answers_metadata() {
  node "$HERE/kafka-ready.mjs" "127.0.0.1:$PORT" >/dev/null 2>&1
}

fetch_jars() {
  local stamp="$LIBS/.kafka-$KAFKA_VERSION"
  if [[ -f "$stamp" ]]; then return; fi
  log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (first run only)"
  rm -rf "$LIBS"; mkdir -p "$LIBS"
  mvn -q -B -f "$HERE/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS" >&2
  touch "$stamp"
}

write_config() {
  mkdir -p "$DATA"
  # auto.create.topics.enable=false: topics are created explicitly (retention.ms=-1, 6 partitions); an
  # auto-created one would get the default 7-day retention and silently lose history.
  cat > "$CONF" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$APORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA
num.partitions=6
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.cleaner.dedupe.buffer.size=8388608
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.retention.check.interval.ms=300000
PROPS
  cat > "$HOME_DIR/log4j2.properties" <<'L4J'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.kafka.request.name = kafka.request.logger
logger.kafka.request.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = INFO
L4J
}

jvm_args() {
  # shellcheck disable=SC2206 # HEAP holds several JVM flags on purpose
  JVM=($HEAP -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$HOME_DIR/log4j2.properties" -cp "$LIBS/*")
}

java_run() {
  jvm_args
  java "${JVM[@]}" "$@"
}

format_storage() {
  if [[ -f "$DATA/meta.properties" ]]; then return; fi
  local id
  id="$(node -e 'process.stdout.write(require("crypto").randomBytes(16).toString("base64url"))')"
  log "formatting KRaft storage (cluster $id)"
  # `--cluster-id=<id>` in one word: a base64url id may start with '-' (1 in 64), which argparse would
  # otherwise read as an option ("argument --cluster-id/-t: expected one argument").
  java_run kafka.tools.StorageTool format --cluster-id="$id" -c "$CONF" --ignore-formatted >&2
}

running_pid() {
  if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then cat "$PIDFILE"; fi
}

start() {
  if answers_metadata; then log "a broker already answers on 127.0.0.1:$PORT"; return 0; fi
  if port_open "$PORT"; then log "port $PORT is taken by something that is not a Kafka broker"; exit 1; fi
  command -v java >/dev/null || { log "java (JDK 17+) is required"; exit 1; }
  fetch_jars
  write_config
  format_storage
  log "starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$PORT (log: $LOG)"
  # setsid: the broker outlives the shell that started it (npm test / npm start decide when to stop it).
  jvm_args
  # setsid execs java itself (a background job is not a group leader), so $! is the broker's own pid.
  setsid java "${JVM[@]}" kafka.Kafka "$CONF" > "$LOG" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
  for _ in $(seq 1 120); do
    if answers_metadata; then log "ready"; return 0; fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then log "broker exited; last lines:"; tail -30 "$LOG" >&2; exit 1; fi
    sleep 0.5
  done
  log "broker did not become ready in 60 s"; tail -30 "$LOG" >&2; exit 1
}

stop() {
  local pid; pid="$(running_pid || true)"
  if [[ -z "$pid" ]]; then log "not running (started by this script)"; return 0; fi
  log "stopping broker pid $pid (controlled shutdown)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; log "stopped"; return 0; }; sleep 0.5; done
  log "forcing"; kill -KILL "$pid" || true; rm -f "$PIDFILE"
}

status() {
  if answers_metadata; then echo "kafka: up on 127.0.0.1:$PORT${PIDFILE:+ (pid $(running_pid || echo external))}"; return 0; fi
  echo "kafka: down"; return 3
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  reset) stop; rm -rf "$DATA"; log "data removed" ;;
  *) echo "usage: $0 start|stop|restart|status|reset" >&2; exit 2 ;;
esac
