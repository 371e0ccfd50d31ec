#!/bin/sh
# Throwaway redis-server and PostgreSQL on loopback for the tests of the shared backends
# (core/session, core/queue, core/store). Installs the Debian packages when missing.
#
#   testservers.sh start DIR   start both (if not running) with their files under DIR
#   testservers.sh stop DIR    stop both
#   testservers.sh env         print the variables the tests read
#
# Ports: TEST_REDIS_PORT (16379) and TEST_POSTGRES_PORT (15432).
set -eu

cmd=${1:-}
dir=${2:-build/test-servers}
redis_port=${TEST_REDIS_PORT:-16379}
pg_port=${TEST_POSTGRES_PORT:-15432}
redis_url="redis://127.0.0.1:$redis_port/0"
pg_url="postgres://frontdesk@127.0.0.1:$pg_port/frontdesk?sslmode=disable"

say() { echo "testservers: $*" >&2; }

# need COMMAND PACKAGE: installs PACKAGE with apt-get when COMMAND is missing.
need() {
	if [ -x "$1" ] || command -v "$1" >/dev/null 2>&1; then return; fi
	if [ "$(id -u)" = 0 ]; then sudo=""
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
	else say "$1 is missing; install it with: apt-get install -y $2"; exit 1
	fi
	say "installing $2 (apt-get)"
	$sudo apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# as_pg runs a PostgreSQL tool as a user other than root, which initdb and postgres require.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_redis() {
	need redis-server redis-server
	if redis-cli -p "$redis_port" ping >/dev/null 2>&1; then return; fi
	mkdir -p "$dir/redis"
	redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
		--daemonize yes --dir "$dir/redis" --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
	i=0
	until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -lt 50 ] || { say "redis-server did not start; see $dir/redis/redis.log"; exit 1; }
		sleep 0.1
	done
	say "redis-server on 127.0.0.1:$redis_port"
}

start_postgres() {
	[ -n "$(pg_bin)" ] || need /usr/lib/postgresql/15/bin/initdb postgresql
	bin=$(pg_bin)
	data="$dir/postgres/data"
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin postgres
	fi
	mkdir -p "$dir/postgres"
	[ "$(id -u)" != 0 ] || chown postgres "$dir/postgres"
	if [ ! -f "$data/PG_VERSION" ]; then
		as_pg "$bin/initdb" -D "$data" -U frontdesk -A trust -E UTF8 --no-sync >"$dir/postgres/initdb.log" 2>&1 ||
			{ say "initdb failed; see $dir/postgres/initdb.log"; exit 1; }
	fi
	# A server already answering on the port (another checkout's, as with Redis above) is used
	# as it is: the tests make their own schemas and keys.
	if "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U frontdesk 2>/dev/null; then
		:
	elif ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
		as_pg "$bin/pg_ctl" -D "$data" -l "$dir/postgres/postgres.log" -w -t 30 \
			-o "-p $pg_port -c listen_addresses=127.0.0.1 -k $dir/postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
			start >/dev/null || { say "postgres did not start; see $dir/postgres/postgres.log"; exit 1; }
	fi
	if ! "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U frontdesk -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'frontdesk'" | grep -q 1; then
		"$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U frontdesk frontdesk
	fi
	say "postgres on 127.0.0.1:$pg_port"
}

case "$cmd" in
start)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	start_redis
	start_postgres
	;;
stop)
	[ -d "$dir" ] || exit 0
	dir=$(cd "$dir" && pwd)
	redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
	if [ -n "$(pg_bin)" ] && [ -f "$dir/postgres/data/PG_VERSION" ]; then
		as_pg "$(pg_bin)/pg_ctl" -D "$dir/postgres/data" -m fast stop >/dev/null 2>&1 || true
	fi
	;;
env)
	echo "FRONTDESK_TEST_REDIS_URL=$redis_url"
	echo "FRONTDESK_TEST_POSTGRES_URL=$pg_url"
	;;
*)
	echo "usage: $0 start|stop [DIR] | env" >&2
	exit 2
	;;
esac
