#!/bin/sh
# Waits for the Temporal frontend (TEMPORAL_ADDRESS), then makes sure TEMPORAL_NAMESPACE exists
# with the custom search attributes the workflows set, given as SEARCH_ATTRIBUTES="Name=Type ...".
# Safe to run again: it creates only what is missing. Outside the admin-tools image (the cluster
# tests), TEMPORAL_CLI says where the `temporal` CLI is.
set -eu

cli=${TEMPORAL_CLI:-temporal}

namespace=${TEMPORAL_NAMESPACE:-default}

attempt=0
until "$cli" operator cluster health >/dev/null 2>&1; do
  attempt=$((attempt + 1))
  [ "$attempt" -le 90 ] || { echo "Temporal at $TEMPORAL_ADDRESS did not become healthy" >&2; exit 1; }
  sleep 2
done

# The frontend rate-limits namespace registration ("service rate limit exceeded" when several
# setup jobs start together, as the cluster tests' do): retry until the namespace exists.
attempt=0
until "$cli" operator namespace describe --namespace "$namespace" >/dev/null 2>&1 \
  || "$cli" operator namespace create --namespace "$namespace" --retention "${NAMESPACE_RETENTION:-72h}"; do
  attempt=$((attempt + 1))
  [ "$attempt" -le 30 ] || { echo "could not create namespace $namespace" >&2; exit 1; }
  echo "namespace $namespace not created (attempt $attempt), retrying in 2 s" >&2
  sleep 2
done

for attribute in $SEARCH_ATTRIBUTES; do
  name=${attribute%%=*}
  type=${attribute#*=}
  attempt=0
  # A namespace just created takes a few seconds to reach the frontend's cache: retry until then.
  until "$cli" operator search-attribute list --namespace "$namespace" | grep -qw "$name" \
    || "$cli" operator search-attribute create --namespace "$namespace" --name "$name" --type "$type"; do
    attempt=$((attempt + 1))
    [ "$attempt" -le 30 ] || { echo "could not create search attribute $name" >&2; exit 1; }
    sleep 2
  done
done
echo "namespace $namespace is ready with search attributes: $SEARCH_ATTRIBUTES"
