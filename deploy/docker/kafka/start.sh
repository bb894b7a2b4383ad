#!/usr/bin/env bash
# Entrypoint of docker-compose.yml's kafka service (image apache/kafka): the same broker setup as
# deploy/local/kafka.sh — SASL/SCRAM-SHA-512 for clients and the broker itself (as admin), PLAIN
# for the controller listener, the StandardAuthorizer with no access without an ACL — on the
# listeners kafka:9092 (containers) and HOST :19092 (published to 127.0.0.1).
# SCRAM users exist from the first format on: admin and one per service, password
# MEDIPRIMA_KAFKA_PASSWORD_<NAME> (upper case, '-' as '_'), else the user's name: fit for a laptop
# only. The ACLs are added by the kafka-acls service (`mediprima kafka-acls --apply`).
set -euo pipefail

password() {
  local name="MEDIPRIMA_KAFKA_PASSWORD_${1^^}"
  name="${name//-/_}"
  echo "${!name:-$1}"
}

config=/opt/kafka/config/mediprima.properties
admin="$(password admin)"
controller="$(password controller)"
cat >"$config" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@kafka:9093
listeners=SASL_PLAINTEXT://:9092,CONTROLLER://:9093,HOST://:19092
advertised.listeners=SASL_PLAINTEXT://kafka:9092,HOST://127.0.0.1:${MEDIPRIMA_KAFKA_HOST_PORT:-19092}
inter.broker.listener.name=SASL_PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
listener.name.host.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$controller" user_controller="$controller";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:controller
log.dirs=/var/lib/kafka/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
default.replication.factor=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
PROPERTIES

# for the healthcheck and for an operator's kafka-*.sh tools inside the container
cat >/opt/kafka/config/admin.properties <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
PROPERTIES

scram=()
for user in admin decision-registry consultation tariffing invoicing settlement; do
  scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(password "$user")]")
done
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -t "$CLUSTER_ID" -c "$config" "${scram[@]}"
exec /opt/kafka/bin/kafka-server-start.sh "$config"
