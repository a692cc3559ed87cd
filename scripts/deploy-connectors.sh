#!/usr/bin/env bash
# Deploys the pipeline's connectors to a Kafka Connect cluster through its REST API, idempotently, and reports
# their status: the stock-quotes source (connect-configs/stock-quotes-source.config.json) and the S3 sink for
# MinIO or AWS (connect-configs/stock-quotes-s3-sink-<target>.config.json).
#
# Each config goes through PUT /connectors/<name>/config, which creates the connector or updates it in place,
# so running the script again changes nothing that is already deployed. Secrets never go in these files: the
# sink uses the worker's AWS default credential chain, or ${file:...} references resolved by the worker.
#
# Connect applies a new config asynchronously: the status it answers right after the PUT still describes the
# tasks of the old config. So the script waits until the connector's task configs hold the new config (the new
# tasks exist), then until every connector and task has stayed RUNNING for --settle seconds; a FAILED connector
# or task ends the wait at once, with the first line of its trace.
#
# Needs bash and curl. Run with --help for the options.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/deploy-connectors.sh [options]

  --connect-url URL   Connect REST endpoint (default: http://127.0.0.1:8083, or $CONNECT_URL)
  --configs-dir DIR   where the config files are (default: the repository's connect-configs/, or $CONFIGS_DIR);
                      the main job writes the configs it runs to pipeline-data/connect-configs/
  --target T          which S3 sink config to deploy: minio (default) or aws
  --bucket NAME       override s3.bucket.name of the sink
  --region REGION     override s3.region of the sink
  --no-sink           deploy the source only
  --no-source         deploy the sink only
  --wait SECONDS      how long to wait for the new configs' tasks to run (default: 60; 0 to skip waiting)
  --settle SECONDS    how long every connector and task must stay RUNNING to count as running (default: 5)
  -h, --help          show this help

Exit status: 0 when every deployed connector and its tasks run the new config and stayed RUNNING for the settle
time, 1 otherwise, 2 for a wrong option.
USAGE
}

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
configs_dir="${CONFIGS_DIR:-${script_dir}/../connect-configs}"
connect_url="${CONNECT_URL:-http://127.0.0.1:8083}"
target="minio"
bucket=""
region=""
deploy_source=true
deploy_sink=true
wait_seconds=60
settle_seconds=5

while [[ $# -gt 0 ]]; do
  case "$1" in
    --connect-url) connect_url="${2:?--connect-url needs a value}"; shift 2 ;;
    --configs-dir) configs_dir="${2:?--configs-dir needs a value}"; shift 2 ;;
    --target) target="${2:?--target needs a value}"; shift 2 ;;
    --bucket) bucket="${2:?--bucket needs a value}"; shift 2 ;;
    --region) region="${2:?--region needs a value}"; shift 2 ;;
    --no-sink) deploy_sink=false; shift ;;
    --no-source) deploy_source=false; shift ;;
    --wait) wait_seconds="${2:?--wait needs a value}"; shift 2 ;;
    --settle) settle_seconds="${2:?--settle needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

case "${target}" in
  minio|aws) ;;
  *) echo "--target must be minio or aws, not '${target}'" >&2; exit 2 ;;
esac
for option in "--wait:${wait_seconds}" "--settle:${settle_seconds}"; do
  if ! [[ "${option#*:}" =~ ^[0-9]+$ ]]; then
    echo "${option%%:*} must be a number of seconds, not '${option#*:}'" >&2
    exit 2
  fi
done
if [[ ! -d "${configs_dir}" ]]; then
  echo "No configs folder ${configs_dir}" >&2
  exit 2
fi
connect_url="${connect_url%/}"

# Prints the string value of a top-level key of a flat JSON object written one key per line (our configs).
json_value() {
  local key="$1" file="$2"
  sed -n "s/^[[:space:]]*\"${key//./\\.}\"[[:space:]]*:[[:space:]]*\"\\(.*\\)\"[[:space:]]*,\\{0,1\\}[[:space:]]*$/\\1/p" "${file}" | head -n 1
}

# Prints the config file with the value of one key replaced (the key must already be in the file).
with_value() {
  local key="$1" value="$2"
  local escaped_value="${value//\\/\\\\}"
  escaped_value="${escaped_value//&/\\&}"
  escaped_value="${escaped_value//|/\\|}"
  sed "s|^\\([[:space:]]*\"${key//./\\.}\"[[:space:]]*:[[:space:]]*\"\\)[^\"]*\"|\\1${escaped_value}\"|"
}

# PUT the config; prints "created", "updated" or fails with Connect's error message.
put_config() {
  local name="$1" body="$2" response code
  response="$(mktemp)"
  code="$(curl -sS -o "${response}" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "${body}" "${connect_url}/connectors/${name}/config")" || {
    rm -f "${response}"
    echo "Cannot reach Connect at ${connect_url}" >&2
    return 1
  }
  case "${code}" in
    201) echo "created" ;;
    200) echo "updated" ;;
    *)
      echo "PUT ${connect_url}/connectors/${name}/config failed with HTTP ${code}: $(cat "${response}")" >&2
      rm -f "${response}"
      return 1
      ;;
  esac
  rm -f "${response}"
}

# Prints the "key":"value" pairs of a flat config (one key per line, as our files are), as Connect writes them.
config_pairs() {
  sed -n 's/^[[:space:]]*\("[^"]*"\)[[:space:]]*:[[:space:]]*\("\([^"\\]\|\\.\)*"\)[[:space:]]*,\{0,1\}[[:space:]]*$/\1:\2/p' "$1"
}

deploy() {
  local file="$1" name body result
  if [[ ! -f "${file}" ]]; then
    echo "Missing config file ${file}" >&2
    return 1
  fi
  name="$(json_value name "${file}")"
  if [[ -z "${name}" ]]; then
    echo "${file} has no \"name\"" >&2
    return 1
  fi
  body="$(cat "${file}")"
  if [[ "${file}" == *-s3-sink-* ]]; then
    if [[ -n "${bucket}" ]]; then body="$(with_value s3.bucket.name "${bucket}" <<<"${body}")"; fi
    if [[ -n "${region}" ]]; then body="$(with_value s3.region "${region}" <<<"${body}")"; fi
  fi
  result="$(put_config "${name}" "${body}")"
  echo "${name}: ${result} from ${file#"${script_dir}/../"}"
  deployed+=("${name}")
  printf '%s\n' "${body}" >"${work_dir}/${name}.json"
}

# Whether every task config of the connector holds every key and value of the config just deployed.
tasks_run_new_config() {
  local name="$1" tasks pair
  tasks="$(curl -sS "${connect_url}/connectors/${name}/tasks" 2>/dev/null)" || return 1
  [[ "${tasks}" == \[\{* ]] || return 1
  while IFS= read -r pair; do
    # Each task's config appears once per task; every one of them must hold the pair.
    [[ "$(grep -o -F -- "${pair}" <<<"${tasks}" | wc -l)" -eq "$(grep -o '"task":[0-9]*' <<<"${tasks}" | wc -l)" ]] \
      || return 1
  done < <(config_pairs "${work_dir}/${name}.json")
}

# Prints "<connector state> <task states...>" of a connector, from GET /connectors/<name>/status.
states() {
  local status
  status="$(curl -sS "${connect_url}/connectors/$1/status" 2>/dev/null)" || return 0
  tr -d ' \n' <<<"${status}" | grep -o '"state":"[A-Z_]*"' | sed 's/"state":"\([A-Z_]*\)"/\1/' | tr '\n' ' '
}

# The connector and at least one task, all RUNNING.
running() {
  [[ "$1" =~ ^(RUNNING\ )+$ && "$1" == *RUNNING\ RUNNING* ]]
}

# The first line of the first trace in the connector's status.
first_trace_line() {
  curl -sS "${connect_url}/connectors/$1/status" 2>/dev/null | grep -o '"trace":"[^"]*' | head -n 1 \
    | sed -e 's/^"trace":"//' -e 's/\\n.*//' -e 's/\\t/ /g'
}

# Waits until every deployed connector runs its new config and stayed RUNNING for settle_seconds, or until one
# FAILED, or the deadline. Returns 0 only in the first case.
await_settled() {
  local deadline=$((SECONDS + wait_seconds)) name s since="" all
  for name in "${deployed[@]}"; do
    until tasks_run_new_config "${name}"; do
      (( SECONDS >= deadline )) && return 1
      [[ "$(states "${name}")" == *FAILED* ]] && return 1
      sleep 1
    done
  done
  while (( SECONDS < deadline )); do
    all=true
    for name in "${deployed[@]}"; do
      s="$(states "${name}")"
      [[ "${s}" == *FAILED* ]] && return 1
      running "${s}" || all=false
    done
    if [[ "${all}" == true ]]; then
      since="${since:-${SECONDS}}"
      (( SECONDS - since >= settle_seconds )) && return 0
    else
      since=""
    fi
    sleep 1
  done
  return 1
}

deployed=()
work_dir="$(mktemp -d)"
trap 'rm -rf "${work_dir}"' EXIT
if ! curl -sSf -o /dev/null "${connect_url}/"; then
  echo "Connect is not answering at ${connect_url}" >&2
  exit 1
fi
if [[ "${deploy_source}" == true ]]; then
  deploy "${configs_dir}/stock-quotes-source.config.json"
fi
if [[ "${deploy_sink}" == true ]]; then
  deploy "${configs_dir}/stock-quotes-s3-sink-${target}.config.json"
fi

if (( wait_seconds > 0 )); then
  await_settled || true
fi

exit_code=0
for name in "${deployed[@]}"; do
  s="$(states "${name}")"
  echo "${name}: connector and tasks ${s:-UNKNOWN}"
  if ! running "${s}"; then
    exit_code=1
    trace="$(first_trace_line "${name}")"
    if [[ -n "${trace}" ]]; then echo "  ${trace}" >&2; fi
    echo "  details: curl -s ${connect_url}/connectors/${name}/status" >&2
  elif (( wait_seconds > 0 )) && ! tasks_run_new_config "${name}"; then
    exit_code=1
    echo "  its tasks do not run the new config yet (after --wait ${wait_seconds} s)" >&2
  fi
done
exit "${exit_code}"
