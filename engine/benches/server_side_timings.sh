#!/bin/bash
# Server-side (PostgreSQL planning + execution) timings of the engine's award-history search SQL
# and achievement list, against the benchmark database. Usage: engine/benches/server_side_timings.sh [dbname]
DB=${1:-badge_engine_bench}
for term in smith jansen "de vries" hanna "@uni.example" guest maarten.dekker "iris.van der" qxjwv nguyen3; do
  for i in $(seq 40); do
    echo "explain (analyze, timing off, costs off) select c.id, c.achievement_id, a.name, c.issuer_id, c.recipient_name, c.recipient_email, c.issued_at, c.claimed_at, c.revoked_at from credentials c join achievements a on a.id = c.achievement_id where c.recipient_search like '%$term%' and (null::uuid is null or c.issuer_id = null::uuid) and (null::uuid is null or c.achievement_id = null::uuid) order by c.issued_at desc, c.id desc limit 11 offset 0;"
  done | psql -h 127.0.0.1 -U postgres -d "$DB" -qAt | awk -v t="$term" '/Planning Time/{p=$3} /Execution Time/{print p+$3}' | sort -n | awk -v t="$term" '{a[NR]=$1} END{printf "%-16s n=%d p50=%.2fms p95=%.2fms max=%.2fms\n", t, NR, a[int(NR*0.5)], a[int(NR*0.95)], a[NR]}'
done
for i in $(seq 100); do echo "explain (analyze, timing off, costs off) select id, issuer_id, name, achievement_type, image, tags, updated_at from achievements where issuer_id = '$(psql -h 127.0.0.1 -U postgres -d "$DB" -qAtc "select id from issuers where name='Issuer 1'")' order by lower(name), id;"; done | psql -h 127.0.0.1 -U postgres -d "$DB" -qAt | awk '/Planning Time/{p=$3} /Execution Time/{print p+$3}' | sort -n | awk '{a[NR]=$1} END{printf "%-16s n=%d p50=%.2fms p95=%.2fms max=%.2fms\n", "achievements", NR, a[int(NR*0.5)], a[int(NR*0.95)], a[NR]}'
