# A private PostgreSQL cluster for ./taskgrid up and ./taskgrid test. Sourced, not executed.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the unprivileged
# `postgres` user (created by Debian's postgresql package).

pg_bin_dir() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && best="$dir"
  done
  [ -n "$best" ] && printf '%s\n' "$best"
}

require_postgres() {
  if [ -z "$(pg_bin_dir)" ]; then
    apt_install postgresql \
      || die "PostgreSQL server binaries were not found. Install them (apt-get install -y postgresql) or set TASKGRID_DATABASE_URL to an existing database."
  fi
  PG_BIN="$(pg_bin_dir)"
  [ -n "$PG_BIN" ] || die "PostgreSQL was installed but no pg_ctl was found under /usr/lib/postgresql."
  if is_root; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres \
      || die "could not create the unprivileged 'postgres' user that PostgreSQL must run as."
    PG_USER=postgres
  else
    PG_USER="$(id -un)"
  fi
}

as_pg_user() {
  if is_root; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

# pg_home NAME: a directory for cluster NAME that the PostgreSQL user can reach. Normally
# .taskgrid/NAME; when the clone sits where that user cannot go (a 0700 home directory), the
# data lives under /var/tmp and .taskgrid/NAME is a link to it.
pg_home() {
  local name=$1 home="$TG_STATE/$1"
  mkdir -p "$TG_STATE"
  if [ -L "$home" ] || [ -d "$home" ]; then
    printf '%s\n' "$home"; return
  fi
  mkdir -p "$home"
  if is_root; then
    chown "$PG_USER" "$home"
    if ! runuser -u "$PG_USER" -- test -w "$home"; then
      rmdir "$home"
      local elsewhere="/var/tmp/taskgrid-$(printf '%s' "$TG_ROOT" | sha1sum | cut -c1-12)/$name"
      mkdir -p "$elsewhere" && chown "$PG_USER" "$elsewhere" && chmod 700 "$elsewhere"
      ln -s "$elsewhere" "$home"
      warn "$PG_USER cannot write under $TG_STATE; the $name database lives in $elsewhere"
    fi
  fi
  printf '%s\n' "$home"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port_from() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  printf '%s\n' "$port"
}

# pg_start NAME PORT [extra postgresql.conf lines...]: initialises (once) and starts the cluster.
pg_start() {
  local name=$1 port=$2; shift 2
  local home data
  home="$(pg_home "$name")"
  data="$home/data"
  if [ ! -s "$data/PG_VERSION" ]; then
    info "creating a PostgreSQL cluster in $home"
    as_pg_user mkdir -p "$data" "$home/run"
    as_pg_user chmod 700 "$data"
    as_pg_user "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
      || die "initdb failed for $data."
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "unix_socket_directories = '$home/run'"
      echo "max_connections = 400"
      echo "shared_buffers = 256MB"
      echo "logging_collector = off"
      local line; for line in "$@"; do echo "$line"; done
    } | as_pg_user tee -a "$data/postgresql.conf" >/dev/null
  fi
  if as_pg_user "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    return 0
  fi
  port_in_use "$port" && die "port $port is taken by another program; set TASKGRID_PG_PORT to a free port."
  as_pg_user touch "$home/postgres.log"
  as_pg_user "$PG_BIN/pg_ctl" -D "$data" -o "-p $port" -l "$home/postgres.log" -w -t 60 start >/dev/null \
    || die "PostgreSQL did not start; see $home/postgres.log."
  echo "$port" > "$TG_STATE/$name.port"
}

pg_stop() {
  local name=$1 home="$TG_STATE/$1"
  [ -s "$home/data/PG_VERSION" ] || return 0
  as_pg_user "$PG_BIN/pg_ctl" -D "$home/data" status >/dev/null 2>&1 || return 0
  as_pg_user "$PG_BIN/pg_ctl" -D "$home/data" -m fast -w -t 60 stop >/dev/null
}

pg_running() {
  local home="$TG_STATE/$1"
  [ -s "$home/data/PG_VERSION" ] && as_pg_user "$PG_BIN/pg_ctl" -D "$home/data" status >/dev/null 2>&1
}

# pg_psql PORT DATABASE ARGS...: psql over TCP as the postgres role.
pg_psql() {
  local port=$1 db=$2; shift 2
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" "$@"
}
