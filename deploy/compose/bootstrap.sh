#!/usr/bin/env bash
# Prepares a Charter network's identities at its membership service, with curl, openssl and jq only:
#   1. fetches the consortium root (trust on first use: compare the printed fingerprint out of band);
#   2. enrolls the bootstrap admin (once; its key and certificate are kept in <out>/admin/);
#   3. creates the organizations OrdererOrg, Org1MSP and Org2MSP (existing ones are kept);
#   4. registers each node's identity with the hosts its TLS certificates may name (the only names the
#      service will certify for it) and writes its one-time enrollment secret to <out>/enrollment/<node>
#      (a node already having its file is skipped: the secret is shown once by the service);
#   5. registers and enrolls an admin of OrdererOrg and writes its TLS key and chain to <out>/admin/ (for the
#      channel participation API);
#   6. registers the admins named by CHARTER_ADMINS and writes each one-time enrollment secret to
#      <out>/admin-enrollment/<id> (the channel setup Job enrolls them: docs/deploy.md).
# Usage: bootstrap.sh <membership url> <out dir> [orderer ids...]   (default orderers: orderer0 orderer1 orderer2)
# Environment: CHARTER_BOOTSTRAP_ADMIN_SECRET (default charter-dev-admin-secret), CHARTER_PEERS
# ("id:MspId[:host,host...] ..." peer identities to register, default none), CHARTER_ADMINS ("id:MspId ..." admin
# identities to register for the channel setup Job, e.g. "orderer-admin:OrdererOrg org1-admin:Org1MSP
# org2-admin:Org2MSP"; default none).
# A node's approved hosts must cover the names it asks a TLS certificate for (its *_MEMBERSHIP_TLS_HOSTS).
# CHARTER_ORDERER_HOSTS and CHARTER_PEER_HOSTS are comma-separated templates for them, where {id} is the node id
# and {org} its organization in lower case without "msp" (org1 for Org1MSP); a peer's own ":host,..." wins.
# Defaults: "{id},localhost,127.0.0.1" (Compose); Kubernetes, one namespace per organization named {org}
# (docs/deploy.md, "Units"):
# CHARTER_ORDERER_HOSTS="{id}.orderer,{id}.orderer.charter.svc.cluster.local,localhost,127.0.0.1" and
# CHARTER_PEER_HOSTS="{id}.peer,{id}.peer.{org}.svc.cluster.local,localhost,127.0.0.1".
# The same files feed Kubernetes: kubectl create configmap charter-consortium-root --from-file=root.pem=<out>/consortium/root.pem
# and kubectl create secret generic charter-orderer-enrollment --from-file=<out>/enrollment/ (docs/deploy.md).
set -euo pipefail
url=${1:?membership url, e.g. https://localhost:7054}
out=${2:?output directory}
shift 2
orderers=("$@")
[ ${#orderers[@]} -gt 0 ] || orderers=(orderer0 orderer1 orderer2)
admin_secret=${CHARTER_BOOTSTRAP_ADMIN_SECRET:-charter-dev-admin-secret}
orderer_hosts=${CHARTER_ORDERER_HOSTS:-{id\},localhost,127.0.0.1}
peer_hosts=${CHARTER_PEER_HOSTS:-{id\},localhost,127.0.0.1}
for tool in curl openssl jq; do command -v $tool >/dev/null || { echo "bootstrap: $tool is required" >&2; exit 1; }; done
mkdir -p "$out/consortium" "$out/enrollment" "$out/admin" "$out/admin-enrollment"
chmod 755 "$out" "$out/consortium" "$out/enrollment" "$out/admin-enrollment"
chmod 700 "$out/admin"

echo "waiting for $url" >&2
for _ in $(seq 1 120); do
  curl -ksf "$url/actuator/health/readiness" >/dev/null && break
  sleep 2
done

root="$out/consortium/root.pem"
if [ ! -s "$root" ]; then
  curl -ksSf "$url/api/v1/cas/ConsortiumMSP" | jq -er .root > "$root"
  chmod 644 "$root"
fi
echo "consortium root: $(openssl x509 -in "$root" -noout -fingerprint -sha256)" >&2
CURL=(curl -sS --cacert "$root")

# enroll: <id> <secret> <msp> <role> <profile> <key out> <cert out> [hosts json array]
enroll() {
  local id=$1 secret=$2 msp=$3 role=$4 profile=$5 key=$6 cert=$7 hosts=${8:-[]}
  openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out "$key"
  chmod 600 "$key"
  local csr
  csr=$(openssl req -new -key "$key" -subj "/O=$msp/OU=$role/CN=$id")
  jq -n --arg csr "$csr" --arg profile "$profile" --argjson hosts "$hosts" '{csr: $csr, profile: $profile, hosts: $hosts}' \
    | "${CURL[@]}" -f -u "$id:$secret" -H 'Content-Type: application/json' --data-binary @- "$url/api/v1/enroll" \
    | jq -er '.certificate, .chain' > "$cert"
}

admin_key="$out/admin/consortium-admin-key.pem"
admin_cert="$out/admin/consortium-admin-cert.pem"
if [ ! -s "$admin_cert" ]; then
  enroll admin "$admin_secret" ConsortiumMSP admin signing "$admin_key" "$admin_cert"
fi

# call: <method> <path> [json body]; prints the answer's body, then its HTTP status on a line of its own
call() {
  local method=$1 path=$2 body=${3:-} ts hash signature certificate
  ts=$(date +%s%3N)
  hash=$(printf '%s' "$body" | openssl dgst -sha256 -binary | base64 -w0)
  signature=$(printf '%s\n%s\n%s\n%s' "$method" "$path" "$hash" "$ts" | openssl dgst -sha256 -sign "$admin_key" | base64 -w0)
  certificate=$(openssl x509 -in "$admin_cert" -outform der | base64 -w0)
  local args=(-X "$method" -H "Authorization: Charter $certificate.$signature" -H "X-Charter-Timestamp: $ts" -w '\n%{http_code}')
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
  "${CURL[@]}" "${args[@]}" "$url$path"
}

for org in OrdererOrg Org1MSP Org2MSP; do
  answer=$(call POST /api/v1/organizations "$(jq -cn --arg m "$org" '{mspId: $m}')")
  case "${answer##*$'\n'}" in
    201) echo "organization $org created" >&2 ;;
    409) echo "organization $org exists" >&2 ;;
    *) echo "creating $org failed: $answer" >&2; exit 1 ;;
  esac
done

# hosts: <template> <id> <msp>; the template's {id} and {org} filled in, as a JSON array
hosts() {
  local org=${3,,}
  org=${org%msp}
  local filled=${1//\{id\}/$2}
  filled=${filled//\{org\}/$org}
  jq -cn --arg h "$filled" '$h | split(",") | map(select(length > 0))'
}

# register: <id> <type> <msp> [directory, default enrollment] [hosts json array, nodes only]; writes the secret to
# <out>/<directory>/<id>
register() {
  local id=$1 type=$2 msp=$3 dir=$out/${4:-enrollment} hosts=${5:-[]} answer
  if [ -s "$dir/$id" ]; then echo "$id: secret already written" >&2; return; fi
  answer=$(call POST /api/v1/identities "$(jq -cn --arg id "$id" --arg t "$type" --arg m "$msp" --argjson h "$hosts" \
    '{id: $id, type: $t, organization: $m} + (if ($h | length) > 0 then {hosts: $h} else {} end)')")
  [ "${answer##*$'\n'}" = 201 ] || { echo "registering $id failed: $answer" >&2; exit 1; }
  printf '%s' "${answer%$'\n'*}" | jq -jer .secret > "$dir/$id"
  chmod 644 "$dir/$id"
  echo "$id registered ($type of $msp${5:+, hosts $hosts})" >&2
}

for orderer in "${orderers[@]}"; do
  register "$orderer" orderer OrdererOrg enrollment "$(hosts "$orderer_hosts" "$orderer" OrdererOrg)"
done
for peer in ${CHARTER_PEERS:-}; do
  IFS=: read -r peer_id peer_msp peer_own_hosts <<< "$peer"
  register "$peer_id" peer "$peer_msp" enrollment "$(hosts "${peer_own_hosts:-$peer_hosts}" "$peer_id" "$peer_msp")"
done
for admin in ${CHARTER_ADMINS:-}; do register "${admin%%:*}" admin "${admin##*:}" admin-enrollment; done

if [ ! -s "$out/admin/orderer-admin-tls.crt" ]; then
  answer=$(call POST /api/v1/identities "$(jq -cn '{id: "ordereradmin", type: "admin", organization: "OrdererOrg"}')")
  [ "${answer##*$'\n'}" = 201 ] || { echo "registering ordereradmin failed: $answer" >&2; exit 1; }
  secret=$(printf '%s' "${answer%$'\n'*}" | jq -er .secret)
  # an admin's TLS certificate is for connecting (clientAuth) and names no host
  enroll ordereradmin "$secret" OrdererOrg admin tls "$out/admin/orderer-admin-tls.key" "$out/admin/orderer-admin-tls.crt"
  echo "ordereradmin enrolled: TLS key and chain in $out/admin/" >&2
fi
echo "done: $out" >&2
