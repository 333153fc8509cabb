//! Many rows inserted at once: a batch of rows a statement, each batch one JSON parameter that
//! the database unpacks. Imports and the bulk writer of whole trees use it.

use serde::Serialize;

use crate::facts::Value;
use crate::{Backend, Result, StoreError, Tx, new_id};

/// Rows per INSERT statement. Each batch goes as ONE text parameter holding a JSON array of
/// rows, unpacked by the database: through sqlx's `Any` driver a statement's cost grows faster
/// than its number of bound parameters (40,000 households took 20 s at 30,000 parameters a
/// statement, 1,1 s at 240), while one parameter of any length costs only its bytes.
pub(crate) const BATCH_ROWS: usize = 10_000;

/// `INSERT INTO table (columns) SELECT … FROM <the rows of the JSON array $1>`. Text and
/// integers come out of JSON as they went in and `null` as NULL; PostgreSQL's `->>` gives text,
/// so integer columns (those holding `Value::Int` in `sample`) are cast back. The `jsonb`
/// functions parse the array once; with the `json` ones each `->>` parses its row again
/// (1,000,000 households: inserts 6,5 s → 4,4 s on SQLite, import 26 s → 19 s on PostgreSQL).
fn insert_sql(backend: Backend, table: &str, columns: &[&str], sample: &[Value]) -> String {
    let values: Vec<String> = sample
        .iter()
        .enumerate()
        .map(|(i, v)| match (backend, v) {
            (Backend::Postgres, Value::Int(_)) => format!("(e.value ->> {i})::bigint"),
            _ => format!("e.value ->> {i}"),
        })
        .collect();
    let source = match backend {
        Backend::Sqlite => "jsonb_each($1) AS e",
        Backend::Postgres => "jsonb_array_elements($1::jsonb) AS e(value)",
    };
    format!("INSERT INTO {table} ({}) SELECT {} FROM {source}", columns.join(", "), values.join(", "))
}

/// Rows as a JSON array of arrays (strings, integers, `null`), the parameter of `insert_sql`.
#[derive(Debug)]
struct JsonRows<'a>(&'a [Vec<Value>]);

#[derive(Debug)]
struct JsonRow<'a>(&'a [Value]);

impl Serialize for JsonRows<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|row| JsonRow(row)))
    }
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(JsonValue))
    }
}

#[derive(Debug)]
struct JsonValue<'a>(&'a Value);

impl Serialize for JsonValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Text(t) => t.serialize(s),
            Value::Int(n) => n.serialize(s),
        }
    }
}

/// Inserts `rows` (each with one value per column, all built alike) into `table`, a batch of
/// rows a statement. The rows are made a batch at a time, so a large file's are never all in
/// memory at once. They come as a trait object: a generic iterator of closures over borrowed
/// records would keep the import's future from being `Send`, and the web runs it in a task.
pub(crate) async fn insert_rows(
    tx: &mut Tx<'_>,
    backend: Backend,
    table: &str,
    columns: &[&str],
    rows: &mut (dyn Iterator<Item = Vec<Value>> + Send),
    progress: &mut (dyn FnMut(usize) + Send),
    done: &mut usize,
) -> Result<()> {
    let mut rows = rows.peekable();
    let Some(first) = rows.peek() else { return Ok(()) };
    let sql = insert_sql(backend, table, columns, first);
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    loop {
        batch.clear();
        batch.extend(rows.by_ref().take(BATCH_ROWS));
        if batch.is_empty() {
            return Ok(());
        }
        let json = serde_json::to_string(&JsonRows(&batch))
            .map_err(|e| StoreError::Invalid(format!("không chuyển được dữ liệu nhập sang JSON: {e}")))?;
        sqlx::query(crate::trusted(&sql)).bind(json).execute(&mut **tx).await?;
        *done += batch.len();
        progress(*done);
    }
}

/// Ids for the rows of one batch write that sort in the order written (lists are read back by id):
/// one fresh id's time and part of its randomness, then a counter.
pub(crate) fn sequential_ids() -> impl FnMut() -> String {
    let base = new_id();
    let prefix = base[..base.len() - 6].to_owned();
    let mut n = 0u32;
    move || {
        n += 1;
        format!("{prefix}{n:06x}")
    }
}
