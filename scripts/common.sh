# Shared helpers for ./taskgrid. Sourced, not executed.
# Everything a run creates lives under $TG_STATE (.taskgrid/ in the clone).

TG_STATE="${TG_ROOT}/.taskgrid"
TG_CONFIGURATION="${TASKGRID_CONFIGURATION:-Release}"

say()  { printf '%s\n' "$*"; }
info() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

require_dotnet() {
  command -v dotnet >/dev/null 2>&1 \
    || die "the .NET 10 SDK is required (dotnet was not found on PATH); install it from https://dot.net and run this again."
}

require_python() {
  command -v python3 >/dev/null 2>&1 || apt_install python3 \
    || die "python3 is required to read JSON answers; install it (apt-get install -y python3)."
}

# apt_install PACKAGE... installs Debian packages when we are root and apt-get exists.
apt_install() {
  if is_root && command -v apt-get >/dev/null 2>&1; then
    info "installing $* (apt-get)"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    fi
  else
    return 1
  fi
}

# json_get FILE_OR_- EXPR: evaluates a Python expression over the parsed JSON as `d`.
json_get() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]) if sys.argv[1] != "-" else sys.stdin); print(eval(sys.argv[2]))' "$1" "$2"
}

# publish_servers: the silo and gateway as they ship, into $TG_PUBLISHED/{Silo,Gateway}. ReadyToRun
# compiles them ahead of time: a fresh process starts on native code instead of spending its first
# seconds (and, on two cores, a third of its CPU during a drain) in the JIT. The Dockerfiles do the same.
#
# The silo goes further: self-contained and composite, the .NET runtime and the silo compiled as one
# image, so that the framework's generic code over TaskGrid's types (async builders, dictionaries of
# running tasks, Npgsql's readers of our rows), which ReadyToRun cannot otherwise precompile, is native
# too (bench/README.md, item 20). The first publish of it takes a few minutes; later ones are incremental.
TG_PUBLISHED="$TG_STATE/publish"
TG_SILO_PUBLISH=(--self-contained true -p:PublishReadyToRunComposite=true)
publish_servers() {
  require_dotnet
  info "publishing the silo (self-contained, composite ReadyToRun; minutes the first time) and the gateway ($TG_CONFIGURATION, ReadyToRun)"
  publish_server Silo "${TG_SILO_PUBLISH[@]}"
  publish_server Gateway --self-contained false -p:UseAppHost=false
}

publish_server() { # PROJECT [publish options...]
  local project=$1; shift
  dotnet publish "$TG_ROOT/$project/TaskGrid.$project.csproj" -c "$TG_CONFIGURATION" --use-current-runtime "$@" \
    -p:PublishReadyToRun=true -o "$TG_PUBLISHED/$project" -nologo -v quiet -clp:"ErrorsOnly;NoSummary" \
    || die "the publish of $project failed (see the errors above)."
}

build_projects() {
  require_dotnet
  info "building ($TG_CONFIGURATION)"
  local project
  for project in "$@"; do
    dotnet build "$TG_ROOT/$project" -c "$TG_CONFIGURATION" -nologo -v quiet -clp:"ErrorsOnly;NoSummary" \
      || die "the build of $project failed (see the errors above)."
  done
}
