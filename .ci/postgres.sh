# Sourced by .ci/run (as root on a fresh Debian machine): install and start
# Debian's PostgreSQL, create the tests' role and database, and export
# APP_TEST_POSTGRES_URL for the store tests (tests/postgres.py). Idempotent.
# Without this, the tests start a throwaway cluster themselves when the
# PostgreSQL binaries exist, and fail saying what to install when they do not.

pg_user=app_test
pg_password=app_test
pg_db=app_test

if ! command -v pg_lsclusters >/dev/null 2>&1 \
  || ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  echo "Installing Debian's postgresql for the store tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed version; its "main" cluster (created if missing).
pg_version=$(basename "$(ls -d /usr/lib/postgresql/*/ | sort -V | tail -1)")
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$pg_version main"; then
  pg_createcluster "$pg_version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1==v && $2=="main"{print $4}' \
  | grep -q online; then
  pg_ctlcluster "$pg_version" main start
fi
pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" '$1==v && $2=="main"{print $3}')
for _ in $(seq 60); do
  pg_isready -q -h 127.0.0.1 -p "$pg_port" && break
  sleep 0.5
done

pg_sql() { su postgres -c "psql -p $pg_port -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
if [ -z "$(pg_sql "SELECT 1 FROM pg_roles WHERE rolname = '$pg_user'")" ]; then
  pg_sql "CREATE ROLE $pg_user LOGIN PASSWORD '$pg_password'"
fi
if [ -z "$(pg_sql "SELECT 1 FROM pg_database WHERE datname = '$pg_db'")" ]; then
  pg_sql "CREATE DATABASE $pg_db OWNER $pg_user"
fi

export APP_TEST_POSTGRES_URL="postgresql+psycopg://$pg_user:$pg_password@127.0.0.1:$pg_port/$pg_db"
echo "PostgreSQL $pg_version for the tests: 127.0.0.1:$pg_port/$pg_db"
