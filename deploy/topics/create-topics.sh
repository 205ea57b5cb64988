#!/usr/bin/env bash
# Creates the topics cart-rescue reads and writes, with Kafka's own CLI.
# Internal topics (<application.id>-...-repartition / -changelog) are created by Kafka Streams itself.
#
#   BOOTSTRAP=kafka-1:9092 PARTITIONS=12 REPLICATION=3 ./create-topics.sh [--command-config client.properties]
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:?set BOOTSTRAP to the cluster's bootstrap servers}"
PARTITIONS="${PARTITIONS:-6}"
REPLICATION="${REPLICATION:-3}"
KAFKA_TOPICS="${KAFKA_TOPICS:-kafka-topics.sh}"

create() {
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP" "$@" --create --if-not-exists \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION" --topic "$topic" ${extra:-}
}

for topic in storefront.events interventions.chat interventions.onsite interventions.marketing decisions outcomes cart-rescue.dead-letters; do
  extra="" create "$@"
done
for topic in customer.profiles chat.capacity; do
  extra="--config cleanup.policy=compact" create "$@"
done
