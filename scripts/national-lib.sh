# Sourced by the national measurements (national.sh, cold-load.sh), with $db set to
# sqlite://FILE or postgres://…:
# sql STATEMENTS runs them with the database's own client;
# national_campaign sets $cid and $path to the largest campaign and its scope's path;
# time_floor LABEL prints how long that client takes to run the SELECTs `antt_store::facts::load`
# runs for that campaign, output discarded: the floor a load from facts is measured against.
sql() {
  case "$db" in
    postgres*) psql -q -At "$db" -c "$1" ;;
    sqlite*) sqlite3 "${db#sqlite://}" "$1" ;;
  esac
}

national_campaign() {
  read -r cid path <<<"$(sql "SELECT c.id || ' ' || s.path FROM campaigns c JOIN units s ON s.id = c.scope_unit_id ORDER BY LENGTH(s.path), c.id LIMIT 1")"
}

time_floor() {
  local from="$path" to="${path%/}0" inside statements start t
  inside="unit_id IN (SELECT id FROM units WHERE path >= '$from' AND path < '$to')"
  statements="SELECT id, name, unit_type, parent_id, attributes FROM units WHERE path >= '$from' AND path < '$to' ORDER BY path;"
  for t in fact_lists unit_flags registrations documents commitments incidents discipline titles sub_units previous_year_counts judgements scores; do
    statements+="SELECT * FROM $t WHERE campaign_id = '$cid' AND $inside;"
  done
  start=$(date +%s.%N)
  sql "$statements" >/dev/null
  echo "$1: $(echo "$(date +%s.%N) - $start" | bc) s"
}

# national_account makes the measuring account (an admin at the campaign's scope) unless it
# exists; national_token sets $token, an API token of it, from the server at $url.
national_account() {
  printf 'Phep-do-toan-quoc-2026\n' | "$antt" admin create --username do-hieu-nang --full-name "Đo hiệu năng" \
    --unit "$(sql "SELECT scope_unit_id FROM campaigns WHERE id = '$cid'")" --role admin --database "$db" >/dev/null 2>&1 || true
}

national_token() {
  token="$(curl -s -X POST "$url/api/v1/tokens" -H 'Content-Type: application/json' \
    -d '{"username":"do-hieu-nang","password":"Phep-do-toan-quoc-2026","name":"national"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')"
}
