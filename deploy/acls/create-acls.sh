#!/usr/bin/env bash
# The ACLs cart-rescue needs, with Kafka's own CLI. PRINCIPAL is the application's principal,
# APP_ID its application.id (internal topics, consumer group and transactional ids start with it).
#
#   BOOTSTRAP=kafka-1:9093 PRINCIPAL=User:cart-rescue APP_ID=cart-rescue ./create-acls.sh --command-config admin.properties
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:?set BOOTSTRAP}"
PRINCIPAL="${PRINCIPAL:?set PRINCIPAL, e.g. User:cart-rescue}"
APP_ID="${APP_ID:-cart-rescue}"
KAFKA_ACLS="${KAFKA_ACLS:-kafka-acls.sh}"
acl() { "$KAFKA_ACLS" --bootstrap-server "$BOOTSTRAP" "$@"; }

# Inputs: read.
for topic in storefront.events customer.profiles chat.capacity; do
  acl "$@" --add --allow-principal "$PRINCIPAL" --operation Read --operation Describe --topic "$topic"
done
# Outputs: write.
for topic in interventions.chat interventions.onsite interventions.marketing decisions outcomes cart-rescue.dead-letters; do
  acl "$@" --add --allow-principal "$PRINCIPAL" --operation Write --operation Describe --topic "$topic"
done
# Internal topics (repartition and changelog): everything, by prefix.
acl "$@" --add --allow-principal "$PRINCIPAL" --operation All --resource-pattern-type prefixed --topic "$APP_ID-"
# Consumer group, and transactional ids for exactly-once processing.
acl "$@" --add --allow-principal "$PRINCIPAL" --operation All --resource-pattern-type prefixed --group "$APP_ID"
acl "$@" --add --allow-principal "$PRINCIPAL" --operation Write --operation Describe --resource-pattern-type prefixed --transactional-id "$APP_ID-"
# Exactly-once producers need IdempotentWrite on the cluster (implied by transactional Write on Kafka >= 3, kept for older brokers).
acl "$@" --add --allow-principal "$PRINCIPAL" --operation IdempotentWrite --cluster
