#!/bin/sh
# Creates a channel and defines a contract on it with the charter CLI: the Kubernetes Job channel-setup runs it
# (docs/deploy.md, "The channel setup Job"), and so does the whole-network test, with the same variables.
#   1. loads the admins it acts as into the wallet: a mounted identity /etc/charter/admins/<id>/ (signing-cert.pem,
#      signing-key.pem, tls-cert.pem, tls-key.pem), else enrolls <id> with the one-time secret in the file
#      /etc/charter/admin-enrollment/<id>;
#   2. takes the genesis block from $CHANNEL_GENESIS_BLOCK if that file exists, else makes it with
#      `charter channel create` from the membership service (organizations' CAs, the consenters' certificates in
#      the index) and $CHANNEL_ANCHOR_PEERS, and keeps it in $CHARTER_HOME;
#   3. joins every orderer (`charter channel join --orderer-admin`), then every peer (`--peer`), and installs the
#      contract jar on every peer (`charter contract install`);
#   4. defines the contract (sequence 1) unless the channel has a definition of that name already: the admin of
#      every organization of PEER_ADMINS approves it for its organization (`charter contract approve`), then
#      CONTRACT_DEFINER commits it (`charter contract commit`, accepted once the approvals satisfy the channel's
#      LifecycleEndorsement).
# Idempotent: a node that already joined with this block says so (the CLI prints "had already joined"; a 409 for
# another genesis block of the channel is taken as done too), installing is idempotent, the definition is
# looked up before it is made. Nodes that are not up yet (exit 3), orderers not yet in the index (exit 2), a peer
# that does not yet know the orderers of the channel (they report it at their next heartbeat) and a definition the
# network cannot endorse yet are retried, $RETRY_ATTEMPTS times $RETRY_SECONDS apart.
#
# Variables (required unless a default is given):
#   CHARTER_MEMBERSHIP_URL    the membership service, e.g. https://membership:7054
#   CHARTER_CONSORTIUM_ROOT   the consortium root PEM (default /etc/charter/consortium/root.pem)
#   CHARTER_HOME              the CLI's folder: wallet and genesis block (the image sets /var/lib/charter)
#   CHANNEL                   the channel's name
#   CHANNEL_ORGS              its member organizations, comma separated, e.g. Org1MSP,Org2MSP
#   CHANNEL_CONSENTERS        the orderers' Raft endpoints as registered in the index, comma separated
#   CHANNEL_ANCHOR_PEERS      the organizations' anchor peers, where the other organizations' peers send private
#                             data, each as MSPID=HOST:PORT (the peer's transport), comma separated, e.g.
#                             Org1MSP=org1-peer-0.peer.org1.svc.cluster.local:7060,Org2MSP=... (default:
#                             none; then private data does not reach the peers of another organization)
#   CHANNEL_GENESIS_BLOCK     an operator-made genesis block to use instead (default
#                             /etc/charter/channel/genesis.block, used only if it exists)
#   ORDERER_ADMIN             the admin id acting on the orderers (an admin of their organization)
#   ORDERER_ADMIN_URLS        the orderers' participation APIs, space separated, e.g. https://orderer-0.orderer:9443
#   PEER_ADMINS               the peers' transports, each as ADMIN_ID=HOST:PORT (an admin of the peer's
#                             organization), space separated, e.g.
#                             org1-admin=org1-peer-0.peer.org1.svc.cluster.local:7060
#   CONTRACT_JAR              the contract to install (default /opt/charter/contracts/asset-transfer.jar; empty:
#                             no contract)
#   CONTRACT_NAME, CONTRACT_VERSION   default asset-transfer, 1.0
#   CONTRACT_POLICY           its endorsement policy (default: the channel's Endorsement policy)
#   CONTRACT_DEFINER          the admin id that commits it (default: the first of PEER_ADMINS); every admin id of
#                             PEER_ADMINS approves it for its organization
#   RETRY_ATTEMPTS, RETRY_SECONDS     default 120 and 5
set -eu

log() { echo "setup-channel: $*" >&2; }
fail() { log "$*"; exit 1; }

CHARTER_MEMBERSHIP_URL=${CHARTER_MEMBERSHIP_URL:?set CHARTER_MEMBERSHIP_URL to the membership service, e.g. https://membership:7054}
CHARTER_CONSORTIUM_ROOT=${CHARTER_CONSORTIUM_ROOT:-/etc/charter/consortium/root.pem}
CHARTER_HOME=${CHARTER_HOME:?set CHARTER_HOME to a writable folder (the wallet and the genesis block go there)}
export CHARTER_HOME
CHANNEL=${CHANNEL:?set CHANNEL to the channel name}
CHANNEL_GENESIS_BLOCK=${CHANNEL_GENESIS_BLOCK:-/etc/charter/channel/genesis.block}
CHANNEL_ANCHOR_PEERS=${CHANNEL_ANCHOR_PEERS:-}
ORDERER_ADMIN=${ORDERER_ADMIN:?set ORDERER_ADMIN to an admin id of the orderers organization}
ORDERER_ADMIN_URLS=${ORDERER_ADMIN_URLS:?set ORDERER_ADMIN_URLS to the orderers participation APIs}
PEER_ADMINS=${PEER_ADMINS:?set PEER_ADMINS to ADMIN_ID=HOST:PORT pairs of the peers transports}
CONTRACT_JAR=${CONTRACT_JAR-/opt/charter/contracts/asset-transfer.jar}
CONTRACT_NAME=${CONTRACT_NAME:-asset-transfer}
CONTRACT_VERSION=${CONTRACT_VERSION:-1.0}
CONTRACT_POLICY=${CONTRACT_POLICY:-}
# shellcheck disable=SC2086 # word splitting wanted: the first ADMIN_ID=HOST:PORT pair
first_peer=$(printf '%s\n' $PEER_ADMINS | head -n 1)
CONTRACT_DEFINER=${CONTRACT_DEFINER:-${first_peer%%=*}}
RETRY_ATTEMPTS=${RETRY_ATTEMPTS:-120}
RETRY_SECONDS=${RETRY_SECONDS:-5}
# set around a step whose refusal with this message only means "not yet" (see run)
RETRYABLE_MESSAGE=
ADMIN_IDENTITIES=/etc/charter/admins
ADMIN_SECRETS=/etc/charter/admin-enrollment
WALLET=${CHARTER_WALLET:-$CHARTER_HOME/wallet}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
[ -r "$CHARTER_CONSORTIUM_ROOT" ] || fail "no consortium root at $CHARTER_CONSORTIUM_ROOT (CHARTER_CONSORTIUM_ROOT)"

# run <what> <retryable exit codes> <exit codes meaning already done> <command...>: runs the command until it
# succeeds, retrying on the retryable codes; prints its standard output.
run() {
  what=$1 retryable=$2 done_codes=$3
  shift 3
  attempt=1
  while :; do
    set +e
    "$@" >"$WORK/out" 2>"$WORK/err"
    code=$?
    set -e
    reason=$(grep -v '^NOTE: Picked up' "$WORK/err" | tail -n 1)
    if [ "$code" -eq 0 ]; then
      cat "$WORK/out"
      return 0
    fi
    case " $done_codes " in
      *" $code "*) log "$what: done already ($reason)"; return 0 ;;
    esac
    case " $retryable " in
      *" $code "*) ;;
      *)
        # a refusal that only means "not yet" (e.g. a peer that does not know the orderers of a channel they joined
        # a moment ago: they report it at their next heartbeat)
        if [ -z "$RETRYABLE_MESSAGE" ] || ! grep -qF "$RETRYABLE_MESSAGE" "$WORK/err"; then
          log "$what failed (exit $code):"; grep -v '^NOTE: Picked up' "$WORK/err" >&2 || true; exit "$code"
        fi
        ;;
    esac
    if [ "$attempt" -ge "$RETRY_ATTEMPTS" ]; then
      log "$what: gave up after $attempt attempts (exit $code): $reason"
      exit "$code"
    fi
    log "$what: not yet (exit $code: $reason); again in ${RETRY_SECONDS}s"
    attempt=$((attempt + 1))
    sleep "$RETRY_SECONDS"
  done
}

# 1. the admins
admins=$ORDERER_ADMIN
for pair in $PEER_ADMINS; do
  case "$pair" in
    *=*://*) fail "PEER_ADMINS: '$pair' is a URL: give ADMIN_ID=HOST:PORT, the peer's transport (e.g. 7060)" ;;
    ?*=?*:?*) admins="$admins ${pair%%=*}" ;;
    *) fail "PEER_ADMINS: '$pair' is not ADMIN_ID=HOST:PORT" ;;
  esac
done
admins="$admins $CONTRACT_DEFINER"
loaded=" "
for id in $admins; do
  case "$loaded" in *" $id "*) continue ;; esac
  loaded="$loaded$id "
  attempt=1
  # a Secret created after the pod started appears in its volume a little later (kubelet's sync)
  until [ -f "$WALLET/$id/signing-cert.pem" ] || [ -f "$ADMIN_IDENTITIES/$id/signing-cert.pem" ] || [ -f "$ADMIN_SECRETS/$id" ]; do
    [ "$attempt" -lt "$RETRY_ATTEMPTS" ] || fail "no identity for the admin $id: mount it at $ADMIN_IDENTITIES/$id/ or its enrollment secret at $ADMIN_SECRETS/$id"
    log "waiting for the identity of $id ($ADMIN_IDENTITIES/$id/ or $ADMIN_SECRETS/$id)"
    attempt=$((attempt + 1))
    sleep "$RETRY_SECONDS"
  done
  if [ -f "$WALLET/$id/signing-cert.pem" ]; then
    log "$id: in the wallet already"
  elif [ -f "$ADMIN_IDENTITIES/$id/signing-cert.pem" ]; then
    # staged, then renamed into place: an attempt that stops half-way leaves no half identity in the wallet
    staging=$WALLET/.staging-$id
    rm -rf "$staging"
    mkdir -p "$staging"
    for file in signing-cert.pem signing-key.pem tls-cert.pem tls-key.pem; do
      [ -f "$ADMIN_IDENTITIES/$id/$file" ] || fail "$ADMIN_IDENTITIES/$id lacks $file"
      cp "$ADMIN_IDENTITIES/$id/$file" "$staging/$file"
    done
    chmod 600 "$staging/signing-key.pem" "$staging/tls-key.pem"
    mv "$staging" "$WALLET/$id"
    log "$id: loaded from $ADMIN_IDENTITIES/$id"
  else
    run "enrolling $id" "3" "" env CHARTER_ENROLLMENT_SECRET="$(cat "$ADMIN_SECRETS/$id")" \
      charter enroll "$id" --url "$CHARTER_MEMBERSHIP_URL" --root-cert "$CHARTER_CONSORTIUM_ROOT" >/dev/null
    log "$id: enrolled"
  fi
done
if [ ! -f "$WALLET/wallet.properties" ]; then
  # only mounted identities: tell the wallet where the membership service is, as `charter enroll --url` would
  cp "$CHARTER_CONSORTIUM_ROOT" "$WALLET/consortium-root.pem"
  printf 'format=1\nmembership.url=%s\n' "$CHARTER_MEMBERSHIP_URL" >"$WALLET/wallet.properties"
fi

# 2. the genesis block
if [ -f "$CHANNEL_GENESIS_BLOCK" ]; then
  block=$CHANNEL_GENESIS_BLOCK
  log "genesis block of $CHANNEL: $block (given)"
else
  block=$CHARTER_HOME/$CHANNEL.block
  if [ -f "$block" ]; then
    log "genesis block of $CHANNEL: $block (made by an earlier attempt)"
  else
    # A channel that nodes already report was created by an earlier run whose block went with its pod: another
    # block would be another channel of the same name. Refuse; the operator hands the first block in.
    listed=$(run "listing the channels" "3" "" charter channel list --as "$ORDERER_ADMIN" --output json)
    if printf '%s' "$listed" | grep -q "\"channel\" *: *\"$CHANNEL\""; then
      fail "nodes report channel $CHANNEL already, but this pod has not its genesis block: fetch block 0 from a joined
  peer (GET /api/v1/channels/$CHANNEL/blocks/0 on its admin API) and mount it as $CHANNEL_GENESIS_BLOCK"
    fi
    : "${CHANNEL_ORGS:?set CHANNEL_ORGS to the member organizations, e.g. Org1MSP,Org2MSP}"
    : "${CHANNEL_CONSENTERS:?set CHANNEL_CONSENTERS to the orderers Raft endpoints, e.g. orderer-0.orderer:7051,...}"
    if [ -n "$CHANNEL_ANCHOR_PEERS" ]; then
      set -- --anchor-peer "$CHANNEL_ANCHOR_PEERS"
    else
      log "no anchor peers (CHANNEL_ANCHOR_PEERS is empty): private data will not reach another organization's peers"
      set --
    fi
    run "creating the genesis block of $CHANNEL" "2 3" "" charter channel create "$CHANNEL" --org "$CHANNEL_ORGS" \
      --orderer "$CHANNEL_CONSENTERS" "$@" --out "$block" --as "$ORDERER_ADMIN"
  fi
fi

# 3. orderers, then peers and the contract on them
for url in $ORDERER_ADMIN_URLS; do
  run "joining $url to $CHANNEL" "3" "5" charter channel join --orderer-admin "$url" --genesis "$block" --as "$ORDERER_ADMIN"
done
for pair in $PEER_ADMINS; do
  id=${pair%%=*} peer=${pair#*=}
  RETRYABLE_MESSAGE="no orderer is known for channel"
  run "joining $peer to $CHANNEL" "3" "5" charter channel join --peer "$peer" --genesis "$block" --as "$id"
  RETRYABLE_MESSAGE=
  if [ -n "$CONTRACT_JAR" ]; then
    run "installing $CONTRACT_JAR on $peer" "3" "" charter contract install --peer "$peer" --as "$id" "$CONTRACT_JAR"
  fi
done

# 4. the definition: looked up before every attempt, so that a definition committed by an attempt whose answer was
# lost is not made twice. Approving again the same definition is harmless (the approval is rewritten as it was).
lifecycle() { # approve|commit ADMIN_ID
  if [ -n "$CONTRACT_POLICY" ]; then
    charter contract "$1" --channel "$CHANNEL" --as "$2" --name "$CONTRACT_NAME" --version "$CONTRACT_VERSION" \
      --sequence 1 --jar "$CONTRACT_JAR" --policy "$CONTRACT_POLICY" >"$WORK/out" 2>"$WORK/err"
  else
    charter contract "$1" --channel "$CHANNEL" --as "$2" --name "$CONTRACT_NAME" --version "$CONTRACT_VERSION" \
      --sequence 1 --jar "$CONTRACT_JAR" >"$WORK/out" 2>"$WORK/err"
  fi
}
[ -n "$CONTRACT_JAR" ] || { log "no contract (CONTRACT_JAR is empty): done"; exit 0; }
attempt=1
while :; do
  set +e
  charter contract list --channel "$CHANNEL" --as "$CONTRACT_DEFINER" --output json >"$WORK/defined" 2>"$WORK/err"
  listed=$?
  set -e
  if [ "$listed" -eq 0 ] && grep -q "\"name\" *: *\"$CONTRACT_NAME\"" "$WORK/defined"; then
    log "$CONTRACT_NAME is defined on $CHANNEL"
    break
  fi
  set +e
  code=0
  approved=" "
  for pair in $PEER_ADMINS; do
    id=${pair%%=*}
    case "$approved" in *" $id "*) continue ;; esac
    approved="$approved$id "
    lifecycle approve "$id" || { code=$?; break; }
  done
  [ "$code" -ne 0 ] || lifecycle commit "$CONTRACT_DEFINER" || code=$?
  set -e
  reason=$(grep -v '^NOTE: Picked up' "$WORK/err" | tail -n 1)
  if [ "$code" -eq 0 ]; then
    cat "$WORK/out"
    continue # confirmed by the lookup
  fi
  case "$code" in
    2|3|4|5|6) ;; # no peer discovered yet, nodes starting, endorsement, approvals or commit not there yet, or committed meanwhile
    *) log "defining $CONTRACT_NAME failed (exit $code):"; grep -v '^NOTE: Picked up' "$WORK/err" >&2 || true; exit "$code" ;;
  esac
  if [ "$attempt" -ge "$RETRY_ATTEMPTS" ]; then
    log "defining $CONTRACT_NAME: gave up after $attempt attempts (exit $code): $reason"
    exit "$code"
  fi
  log "defining $CONTRACT_NAME: not yet (exit $code: $reason); again in ${RETRY_SECONDS}s"
  attempt=$((attempt + 1))
  sleep "$RETRY_SECONDS"
done
log "channel $CHANNEL is set up: $(echo "$ORDERER_ADMIN_URLS" | wc -w) orderers and $(echo "$PEER_ADMINS" | wc -w) peers joined, $CONTRACT_NAME defined"
