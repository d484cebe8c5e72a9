#!/usr/bin/env bash
# The real-service testbed: throwaway PostgreSQL, MariaDB, Redis, Memcached, OpenLDAP and an
# OpenSSH (SFTP for one user, port forwarding to PostgreSQL and MariaDB for another), on loopback
# only, all under one directory ($TESTBED_DIR, default /tmp/backplane-testbed). Adapted from the
# shared reference scripts; see docs/testing.md.
#
#   bash scripts/testbed.sh start   # (re)start everything, write $TESTBED_DIR/env
#   bash scripts/testbed.sh stop    # stop what start recorded in $TESTBED_DIR/pids, remove the dir
#   bash scripts/testbed.sh env     # print the path of the env file (exit 1 if it is not there)
#
# Use the services with:  set -a; . "$(bash scripts/testbed.sh env)"; set +a
#
# Needs root (it creates the SSH users `bpsftp` and `bptunnel` and runs servers as their service
# users) and the Debian packages: postgresql mariadb-server redis-server memcached slapd ldap-utils
# openssh-server.
# start stops a leftover testbed first; stop only signals the PIDs that start recorded.
set -euo pipefail

TESTBED_DIR=${TESTBED_DIR:-/tmp/backplane-testbed}
PW=${TESTBED_PASSWORD:-backplane-test}
PIDS="$TESTBED_DIR/pids"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" # mariadbd, slapd, sshd, useradd live in sbin
ENV_FILE="$TESTBED_DIR/env"

PG_PORT=55432 MYSQL_PORT=33306 REDIS_PORT=56379 MEMCACHED_PORT=51211 LDAP_PORT=53389 LDAPS_PORT=53636 SFTP_PORT=52222

say() { printf 'testbed: %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# --- process helpers -------------------------------------------------------------------------

# A PID counts as alive if it exists and is not a zombie (containers may lack a reaping init).
alive() {
  local state
  [ -d "/proc/$1" ] || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# record <pid> <service> <expected comm>: one line per process that stop will signal.
record() {
  [[ "$1" =~ ^[0-9]+$ ]] || die "$2: got no PID (read '$1')"
  echo "$1 $2 $3" >> "$PIDS"
}

# Wait until a file exists and is non-empty (PID files are written after the fork).
wait_file() {
  local file=$1 service=$2
  for _ in $(seq 1 100); do [ -s "$file" ] && return 0; sleep 0.1; done
  die "$service: $file was not written"
}

# wait_port <port> <service> [pid]: wait up to 30 s for a TCP listener; fail fast if pid dies.
wait_port() {
  local port=$1 service=$2 pid=${3:-}
  for _ in $(seq 1 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    if [ -n "$pid" ] && ! alive "$pid"; then die "$service exited before it opened port $port"; fi
    sleep 0.1
  done
  die "$service did not open port $port within 30 s"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- stop --------------------------------------------------------------------------------------

do_stop() {
  [ -f "$PIDS" ] || { [ -d "$TESTBED_DIR" ] && rm -rf "$TESTBED_DIR"; return 0; }
  local pid service comm actual sig waiting=()
  while read -r pid service comm; do
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    alive "$pid" || continue
    actual=$(cat "/proc/$pid/comm" 2>/dev/null || true)
    if [ -n "${comm:-}" ] && [ "$actual" != "$comm" ]; then
      say "not stopping PID $pid: it is '$actual', not $service ($comm); the PID was reused"
      continue
    fi
    # PostgreSQL: SIGINT is the "fast" shutdown (SIGTERM would wait for clients to disconnect).
    sig=TERM; [ "${service:-}" = postgres ] && sig=INT
    kill "-$sig" "$pid" 2>/dev/null || true
    waiting+=("$pid:${service:-?}")
  done < "$PIDS"
  local entry
  for _ in $(seq 1 150); do
    local still=()
    for entry in "${waiting[@]+"${waiting[@]}"}"; do alive "${entry%%:*}" && still+=("$entry"); done
    waiting=("${still[@]+"${still[@]}"}")
    [ ${#waiting[@]} -eq 0 ] && break
    sleep 0.1
  done
  for entry in "${waiting[@]+"${waiting[@]}"}"; do
    say "${entry#*:} (PID ${entry%%:*}) did not stop within 15 s; sending SIGKILL"
    kill -KILL "${entry%%:*}" 2>/dev/null || true
  done
  rm -rf "$TESTBED_DIR"
  say "stopped"
}

# --- start -------------------------------------------------------------------------------------

current="" current_log=""
on_start_exit() {
  local rc=$?
  [ $rc -eq 0 ] && return 0
  say "FAILED: ${current:-setup} did not come up (exit $rc)"
  if [ -n "$current_log" ] && [ -s "$current_log" ]; then
    say "last lines of $current_log:"
    tail -n 25 "$current_log" | sed 's/^/  | /' >&2
  fi
  say "stopping the services that did start"
  do_stop || true
  exit "$rc"
}

step() { current=$1; current_log=$2; say "starting $1"; }

# --- OpenLDAP ----------------------------------------------------------------------------------

# A person under ou=people whose password is the testbed's; the lines given (cn, sn, …) follow.
ldap_person() {
  local uid=$1 line; shift
  printf 'dn: uid=%s,ou=people,dc=example,dc=test\nobjectClass: inetOrgPerson\nuid: %s\nmail: %s@example.test\nuserPassword: %s\n' "$uid" "$uid" "$uid" "$PW"
  for line in "$@"; do printf '%s\n' "$line"; done
  echo
}

# An LDIF value in base64 (name:: value), as LDIF needs for anything but ASCII.
ldif_b64() { printf '%s' "$1" | base64 -w0; }

# A group under ou=groups: ldap_group <cn> <objectClass> <member attribute> <member>...; members are uids
# (posixGroup's memberUid) or, for the other types, the uids' DNs.
ldap_group() {
  local cn=$1 class=$2 attr=$3 member; shift 3
  printf 'dn: cn=%s,ou=groups,dc=example,dc=test\nobjectClass: %s\ncn: %s\n' "$cn" "$class" "$cn"
  [ "$class" = posixGroup ] && echo "gidNumber: 5000"
  for member in "$@"; do
    if [ "$attr" = memberUid ]; then echo "memberUid: $member"; else echo "$attr: uid=$member,ou=people,dc=example,dc=test"; fi
  done
  echo
}

# A throwaway CA and a server certificate for 127.0.0.1 and localhost, valid for 30 days: LDAPS and
# StartTLS are tested with the CA file, and without it (untrusted) or by another address (wrong name).
ldap_certificates() {
  local tls=$1
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=Backplane testbed CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" 2> /dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2> /dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > "$tls/server.ext"
  openssl x509 -req -days 30 -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
    -extfile "$tls/server.ext" -out "$tls/server.pem" 2> /dev/null
  # Nothing is ever signed with the CA again.
  rm -f "$tls/ca.key" "$tls/ca.srl" "$tls/server.csr" "$tls/server.ext"
}

# OpenLDAP on ldap:// (StartTLS capable) and ldaps://, suffix dc=example,dc=test. The seed has a user
# for every case of the LDAP auth backend (main/backends/auth/engines/ldap.ts): flags by group (active,
# staff, superusers), a required group (app-users) and a denied one (banned), groupOfNames,
# groupOfUniqueNames and posixGroup (by memberUid and by primary gidNumber), a non-ASCII name, and the
# service account cn=backplane,ou=services for search-then-bind. Every password is the testbed's.
# Anonymous clients may read everything but userPassword, as OpenLDAP's default does.
# The service account may page past OpenLDAP's 500-entry size limit (a directory's admin grants that
# to an account that reads groups: a test has a user in 1,001 groups); a search that is not paged, and
# every other account, keep the limit.
start_ldap() {
  local env_file=$1 dir="$TESTBED_DIR/ldap"
  step ldap "$dir/log"
  mkdir -p "$dir/db"
  ldap_certificates "$dir/tls"
  cat > "$dir/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $dir/pid
TLSCACertificateFile $dir/tls/ca.pem
TLSCertificateFile $dir/tls/server.pem
TLSCertificateKeyFile $dir/tls/server.key
database mdb
suffix "dc=example,dc=test"
rootdn "cn=admin,dc=example,dc=test"
rootpw $PW
directory $dir/db
limits dn.exact="cn=backplane,ou=services,dc=example,dc=test" size.prtotal=unlimited
access to attrs=userPassword
  by self write
  by anonymous auth
  by * none
access to *
  by * read
EOF
  slapd -f "$dir/slapd.conf" -h "ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/" < /dev/null > "$dir/log" 2>&1
  wait_file "$dir/pid" ldap
  record "$(cat "$dir/pid")" ldap slapd
  wait_port $LDAP_PORT ldap "$(cat "$dir/pid")"
  wait_port $LDAPS_PORT ldaps "$(cat "$dir/pid")"
  {
    printf 'dn: dc=example,dc=test\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n'
    local ou; for ou in people groups services; do printf 'dn: ou=%s,dc=example,dc=test\nobjectClass: organizationalUnit\nou: %s\n\n' "$ou" "$ou"; done
    printf 'dn: cn=backplane,ou=services,dc=example,dc=test\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: backplane\nuserPassword: %s\n\n' "$PW"
    ldap_person ada "cn: Ada Lovelace" "givenName: Ada" "sn: Lovelace"
    ldap_person grace "cn: Grace Hopper" "givenName: Grace" "sn: Hopper"
    ldap_person linus "cn: Linus Torvalds" "givenName: Linus" "sn: Torvalds" \
      "objectClass: posixAccount" "uidNumber: 1001" "gidNumber: 5000" "homeDirectory: /home/linus"
    ldap_person zoe "cn:: $(ldif_b64 'Zoë Ångström')" "givenName:: $(ldif_b64 'Zoë')" "sn:: $(ldif_b64 'Ångström')"
    ldap_person sleepy "cn: Sleepy Dwarf" "givenName: Sleepy" "sn: Dwarf"
    ldap_person mallory "cn: Mallory Banned" "givenName: Mallory" "sn: Banned"
    ldap_person outsider "cn: Otto Outsider" "givenName: Otto" "sn: Outsider"
    ldap_group active groupOfNames member ada grace linus zoe mallory outsider
    ldap_group staff groupOfNames member ada grace
    ldap_group superusers groupOfNames member grace
    ldap_group app-users groupOfNames member ada grace linus zoe sleepy mallory
    ldap_group banned groupOfNames member mallory
    ldap_group developers groupOfUniqueNames uniqueMember grace linus
    ldap_group operators posixGroup memberUid zoe
  } > "$dir/seed.ldif"
  ldapadd -x -H "ldap://127.0.0.1:$LDAP_PORT" -D cn=admin,dc=example,dc=test -w "$PW" -f "$dir/seed.ldif" >> "$dir/log" 2>&1
  {
    echo "BACKPLANE_TEST_LDAP_URL=ldap://127.0.0.1:$LDAP_PORT"
    echo "BACKPLANE_TEST_LDAP_BIND_DN=cn=admin,dc=example,dc=test"
    echo "BACKPLANE_TEST_LDAP_USER_DN=uid=ada,ou=people,dc=example,dc=test"
    echo "BACKPLANE_TEST_LDAP_SERVICE_DN=cn=backplane,ou=services,dc=example,dc=test"
    echo "BACKPLANE_TEST_LDAPS_URL=ldaps://127.0.0.1:$LDAPS_PORT"
    echo "BACKPLANE_TEST_LDAP_CA=$dir/tls/ca.pem"
  } >> "$env_file"
}

do_start() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (it runs servers as their service users and creates users bpsftp and bptunnel)"
  [[ "$PW" =~ ^[A-Za-z0-9._~-]+$ ]] || die "TESTBED_PASSWORD may only contain letters, digits and . _ ~ - (it goes into URLs)"
  local need
  for need in /usr/lib/postgresql:postgresql mariadbd:mariadb-server redis-server:redis-server memcached:memcached \
    slapd:slapd ldapadd:ldap-utils /usr/sbin/sshd:openssh-server; do
    case ${need%%:*} in
      /usr/lib/postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null ;;
      /*) [ -x "${need%%:*}" ] ;;
      *) command -v "${need%%:*}" > /dev/null ;;
    esac || die "${need%%:*} is missing: apt-get install ${need#*:}"
  done

  # A leftover testbed from an earlier run is stopped and removed first.
  if [ -f "$PIDS" ] || [ -d "$TESTBED_DIR" ]; then say "stopping the leftover testbed in $TESTBED_DIR"; do_stop; fi

  local svc port
  for svc in postgres:$PG_PORT mysql:$MYSQL_PORT redis:$REDIS_PORT memcached:$MEMCACHED_PORT ldap:$LDAP_PORT ldaps:$LDAPS_PORT sftp:$SFTP_PORT; do
    port=${svc#*:}
    port_free "$port" || die "${svc%%:*}: port $port on 127.0.0.1 is already in use by a process this testbed did not start (another TESTBED_DIR?)"
  done

  trap on_start_exit EXIT
  mkdir -p "$TESTBED_DIR"; chmod 755 "$TESTBED_DIR"
  runuser -u postgres -- test -x "$TESTBED_DIR" ||
    die "$TESTBED_DIR is not reachable by the postgres user; choose a TESTBED_DIR whose parents are world-searchable"
  : > "$PIDS"
  local env_tmp="$TESTBED_DIR/env.partial"; : > "$env_tmp"

  # PostgreSQL: password (scram) over TCP, database "backplane".
  local pg_bin; pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  step postgres "$TESTBED_DIR/pg/log"
  install -d -o postgres "$TESTBED_DIR/pg"
  install -o postgres -m 644 /dev/null "$TESTBED_DIR/pg/log"
  install -o postgres -m 600 /dev/null "$TESTBED_DIR/pg/pw"; echo "$PW" > "$TESTBED_DIR/pg/pw"
  runuser -u postgres -- "$pg_bin/initdb" -D "$TESTBED_DIR/pg/data" -U postgres --auth-host=scram-sha-256 \
    --auth-local=trust --pwfile="$TESTBED_DIR/pg/pw" >> "$TESTBED_DIR/pg/log" 2>&1
  rm -f "$TESTBED_DIR/pg/pw"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$TESTBED_DIR/pg/data" -l "$TESTBED_DIR/pg/log" -w -t 30 \
    -o "-p $PG_PORT -k $TESTBED_DIR/pg -c listen_addresses=127.0.0.1" start > /dev/null
  record "$(head -1 "$TESTBED_DIR/pg/data/postmaster.pid")" postgres postgres
  wait_port $PG_PORT postgres
  runuser -u postgres -- "$pg_bin/psql" -h "$TESTBED_DIR/pg" -p $PG_PORT -U postgres -qc 'create database backplane'
  echo "BACKPLANE_TEST_POSTGRES_URL=postgres://postgres:$PW@127.0.0.1:$PG_PORT/backplane" >> "$env_tmp"

  # MariaDB: user backplane with a password, database "backplane"; root only over the socket.
  step mysql "$TESTBED_DIR/mysql/log"
  install -d -o mysql "$TESTBED_DIR/mysql"
  mariadb-install-db --user=mysql --datadir="$TESTBED_DIR/mysql/data" \
    --auth-root-authentication-method=socket > "$TESTBED_DIR/mysql/log" 2>&1
  # setsid: a server left in the caller's process group dies with whatever job started the testbed.
  setsid mariadbd --no-defaults --user=mysql --datadir="$TESTBED_DIR/mysql/data" --socket="$TESTBED_DIR/mysql/sock" \
    --port=$MYSQL_PORT --bind-address=127.0.0.1 --pid-file="$TESTBED_DIR/mysql/pid" --skip-log-bin \
    < /dev/null >> "$TESTBED_DIR/mysql/log" 2>&1 &
  local mysql_pid=$!
  record "$mysql_pid" mysql mariadbd
  wait_port $MYSQL_PORT mysql "$mysql_pid"
  mariadb --no-defaults --socket="$TESTBED_DIR/mysql/sock" -uroot -e "create database backplane;
    create user 'backplane'@'127.0.0.1' identified by '$PW'; grant all on *.* to 'backplane'@'127.0.0.1'; flush privileges;"
  echo "BACKPLANE_TEST_MYSQL_URL=mysql://backplane:$PW@127.0.0.1:$MYSQL_PORT/backplane" >> "$env_tmp"

  # Redis with a password, no persistence.
  step redis "$TESTBED_DIR/redis.log"
  redis-server --port $REDIS_PORT --bind 127.0.0.1 --requirepass "$PW" --save '' --appendonly no \
    --daemonize yes --pidfile "$TESTBED_DIR/redis.pid" --logfile "$TESTBED_DIR/redis.log" --dir "$TESTBED_DIR" < /dev/null
  wait_file "$TESTBED_DIR/redis.pid" redis
  record "$(cat "$TESTBED_DIR/redis.pid")" redis redis-server
  wait_port $REDIS_PORT redis "$(cat "$TESTBED_DIR/redis.pid")"
  echo "BACKPLANE_TEST_REDIS_URL=redis://:$PW@127.0.0.1:$REDIS_PORT/0" >> "$env_tmp"

  # Memcached.
  step memcached "$TESTBED_DIR/memcached.log"
  setsid memcached -u nobody -l 127.0.0.1 -p $MEMCACHED_PORT -m 256 < /dev/null > "$TESTBED_DIR/memcached.log" 2>&1 &
  local mc_pid=$!
  record "$mc_pid" memcached memcached
  wait_port $MEMCACHED_PORT memcached "$mc_pid"
  echo "BACKPLANE_TEST_MEMCACHED=127.0.0.1:$MEMCACHED_PORT" >> "$env_tmp"

  start_ldap "$env_tmp"

  # OpenSSH: SFTP only for user bpsftp (password, and the key in $TESTBED_DIR/ssh/id_ed25519); port
  # forwarding only, to PostgreSQL and MariaDB and nowhere else, and no shell, for user bptunnel
  # (password, and the key in $TESTBED_DIR/ssh/id_bptunnel). Nobody else may forward anything.
  step sftp "$TESTBED_DIR/ssh/log"
  id bpsftp > /dev/null 2>&1 || useradd -m -s /bin/sh bpsftp
  echo "bpsftp:$PW" | chpasswd
  id bptunnel > /dev/null 2>&1 || useradd -m -s /usr/sbin/nologin bptunnel
  echo "bptunnel:$PW" | chpasswd
  mkdir -p "$TESTBED_DIR/ssh" /run/sshd
  ssh-keygen -q -t ed25519 -N '' -C testbed-host -f "$TESTBED_DIR/ssh/host_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C testbed-bpsftp -f "$TESTBED_DIR/ssh/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C testbed-bptunnel -f "$TESTBED_DIR/ssh/id_bptunnel"
  install -d -o bpsftp -m 700 /home/bpsftp/.ssh
  install -o bpsftp -m 600 "$TESTBED_DIR/ssh/id_ed25519.pub" /home/bpsftp/.ssh/authorized_keys
  install -d -o bptunnel -m 700 /home/bptunnel/.ssh
  install -o bptunnel -m 600 "$TESTBED_DIR/ssh/id_bptunnel.pub" /home/bptunnel/.ssh/authorized_keys
  cat > "$TESTBED_DIR/ssh/sshd_config" <<EOF
Port $SFTP_PORT
ListenAddress 127.0.0.1
HostKey $TESTBED_DIR/ssh/host_ed25519
PidFile $TESTBED_DIR/ssh/pid
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
AllowUsers bpsftp bptunnel
Subsystem sftp internal-sftp
AllowTcpForwarding no
AllowStreamLocalForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTunnel no
PermitTTY no
ForceCommand internal-sftp

Match User bptunnel
  AllowTcpForwarding local
  PermitOpen 127.0.0.1:$PG_PORT 127.0.0.1:$MYSQL_PORT
  ForceCommand /bin/false
EOF
  /usr/sbin/sshd -f "$TESTBED_DIR/ssh/sshd_config" -E "$TESTBED_DIR/ssh/log" < /dev/null
  wait_file "$TESTBED_DIR/ssh/pid" sftp
  record "$(cat "$TESTBED_DIR/ssh/pid")" sftp sshd
  wait_port $SFTP_PORT sftp "$(cat "$TESTBED_DIR/ssh/pid")"
  {
    echo "BACKPLANE_TEST_SFTP_URL=sftp://bpsftp:$PW@127.0.0.1:$SFTP_PORT"
    echo "BACKPLANE_TEST_SFTP_KEY=$TESTBED_DIR/ssh/id_ed25519"
    echo "BACKPLANE_TEST_SSH_TUNNEL_HOST=127.0.0.1"
    echo "BACKPLANE_TEST_SSH_TUNNEL_PORT=$SFTP_PORT"
    echo "BACKPLANE_TEST_SSH_TUNNEL_USER=bptunnel"
    echo "BACKPLANE_TEST_SSH_TUNNEL_PASSWORD=$PW"
    echo "BACKPLANE_TEST_SSH_TUNNEL_KEY=$TESTBED_DIR/ssh/id_bptunnel"
    echo "BACKPLANE_TEST_PASSWORD=$PW"
  } >> "$env_tmp"

  # The env file appears only once everything is up, so a half-started testbed is never used.
  mv "$env_tmp" "$ENV_FILE"
  current=""
  trap - EXIT
  say "up; connection details in $ENV_FILE"
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  env)
    echo "$ENV_FILE"
    [ -f "$ENV_FILE" ] || { say "no testbed running ($ENV_FILE does not exist; run: bash scripts/testbed.sh start)"; exit 1; }
    ;;
  *) echo "usage: bash scripts/testbed.sh start|stop|env   (TESTBED_DIR=${TESTBED_DIR})" >&2; exit 2 ;;
esac
