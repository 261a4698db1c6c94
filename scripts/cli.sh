# ./taskgrid <any other command>: the taskgrid command line (Cli/), built on demand in the
# clone, pointed at the local cluster. Sourced, not executed.

TG_CLI_DLL="$TG_ROOT/Cli/bin/$TG_CONFIGURATION/net10.0/taskgrid.dll"

# Whether any source of the CLI, the SDK or the contracts changed since the CLI was built.
cli_is_stale() {
  [ -f "$TG_CLI_DLL" ] || return 0
  [ -n "$(find "$TG_ROOT/Cli" "$TG_ROOT/Client" "$TG_ROOT/Grains.Interfaces" \
      "$TG_ROOT/Directory.Build.props" "$TG_ROOT/Directory.Packages.props" \
      \( -name bin -o -name obj \) -prune -o -type f -newer "$TG_CLI_DLL" -print -quit 2>/dev/null)" ]
}

ensure_cli() {
  cli_is_stale || return 0
  require_dotnet
  info "building the taskgrid CLI ($TG_CONFIGURATION)"
  local log
  if ! log="$(dotnet build "$TG_ROOT/Cli/TaskGrid.Cli.csproj" -c "$TG_CONFIGURATION" -nologo -v quiet -clp:"ErrorsOnly;NoSummary" 2>&1)"; then
    printf '%s\n' "$log" >&2
    die "the build of Cli/TaskGrid.Cli.csproj failed (see the errors above)."
  fi
  touch "$TG_CLI_DLL"
}

# cli_environment ARGS...: when this clone runs a local cluster (.taskgrid/admin.key exists),
# default TASKGRID_URL to its gateway and TASKGRID_API_KEY to its admin key. The local key is
# never offered to another gateway: not when TASKGRID_URL or --url names a different one.
cli_environment() {
  [ -s "$TG_STATE/admin.key" ] || return 0
  export TASKGRID_URL="${TASKGRID_URL:-$TG_URL}"
  [ -n "${TASKGRID_API_KEY:-}" ] && return 0
  [ "${TASKGRID_URL%/}" = "$TG_URL" ] || return 0
  local arg previous=""
  for arg in "$@"; do
    case "$arg" in
      --url=*) [ "${arg#--url=}" = "$TG_URL" ] || [ "${arg#--url=}" = "$TG_URL/" ] || return 0 ;;
    esac
    if [ "$previous" = "--url" ] && [ "$arg" != "$TG_URL" ] && [ "$arg" != "$TG_URL/" ]; then return 0; fi
    previous="$arg"
  done
  TASKGRID_API_KEY="$(cat "$TG_STATE/admin.key")"
  export TASKGRID_API_KEY
}

cmd_cli() {
  ensure_cli
  cli_environment "$@"
  exec dotnet "$TG_CLI_DLL" "$@"
}
