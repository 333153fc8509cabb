//! antt storage: one schema and one set of migrations for SQLite (embedded, the default) and
//! PostgreSQL, reached through sqlx's `Any` driver with portable SQL. Every change is written
//! with its audit record in the same transaction.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor, Row};

pub mod audit;
pub mod backup;
mod batch;
pub mod bulk;
pub mod campaigns;
pub mod decisions;
pub mod evidence;
pub mod facts;
pub mod gso;
pub mod import_files;
pub mod imports;
pub mod inspection;
pub mod locks;
pub mod registrations;
pub mod results;
pub mod rulesets;
pub mod second_factor;
pub mod testing;
pub mod throttle;
pub mod units;
pub mod users;

pub use sqlx::Any;

/// A transaction on either backend.
pub type Tx<'a> = sqlx::Transaction<'a, Any>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Database(#[from] sqlx::Error),
    #[error("lỗi cập nhật cấu trúc cơ sở dữ liệu: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("không tìm thấy {0}")]
    NotFound(String),
    /// Someone else saved the record since it was read.
    #[error("dữ liệu đã được người khác thay đổi; hãy tải lại trang rồi nhập lại")]
    Conflict,
    /// The unit's facts are locked by an issued decision.
    #[error("dữ liệu của đơn vị đã bị khóa bởi quyết định công nhận {0}")]
    Locked(String),
    #[error("{0}")]
    Invalid(String),
    /// A stored row that cannot be read back (a value out of range, an unknown code): reported
    /// with the row rather than left out.
    #[error("dữ liệu lưu trữ bị lỗi: {0}")]
    Unreadable(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What kind of database failure an error is, as far as an operator can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trouble {
    /// The database cannot be reached (down, restarting, pool exhausted): try again later.
    Unavailable,
    /// The database could not write to its disk (full, or an I/O error): nothing was saved.
    Storage,
    /// Anything else.
    Other,
}

impl StoreError {
    pub fn trouble(&self) -> Trouble {
        let Self::Database(e) = self else { return Trouble::Other };
        match e {
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => Trouble::Unavailable,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // PostgreSQL: class 08 connection exceptions, 57P0x shutdown or starting up,
                // 53100 disk full, 58030 I/O error.
                if code.starts_with("08") || code.starts_with("57P0") {
                    return Trouble::Unavailable;
                }
                if code == "53100" || code == "58030" {
                    return Trouble::Storage;
                }
                // SQLite reports (extended) result codes as numbers: 13 SQLITE_FULL, 10 SQLITE_IOERR.
                match code.parse::<u32>().map(|c| c & 0xff) {
                    Ok(13 | 10) => Trouble::Storage,
                    _ => Trouble::Other,
                }
            }
            _ => Trouble::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct Store {
    /// For reads outside a transaction, and read-only transactions.
    pool: AnyPool,
    /// For write transactions, apart from the readers' pool, so that writers queued behind one
    /// another never hold the connections readers need. On SQLite it has one connection: SQLite
    /// has one writer at a time, and writers queued here wait their turn in order, where writers
    /// queued on SQLite's busy handler would sleep between retries (other processes on the same
    /// file still meet it). On PostgreSQL writers of one campaign queue on its revision row.
    writer: AnyPool,
    /// On PostgreSQL, the driver's own connections for reading many fact rows at once
    /// ([`facts::load`]): their rows come in PostgreSQL's binary form and are read in place,
    /// where the portable pool converts every value first and PostgreSQL would otherwise spend
    /// a good part of a read turning rows into JSON. Opened on first use.
    bulk_reader: Option<sqlx::PgPool>,
    backend: Backend,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Store {
    /// Connects to `sqlite://PATH` (created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Invalid(format!("địa chỉ cơ sở dữ liệu `{url}` không hợp lệ (dùng sqlite://… hoặc postgres://…)")));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' }),
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let readers = if backend == Backend::Sqlite { 8 } else { 16 };
        let pool = Self::pool_options(backend, readers, Duration::from_secs(10)).connect_with(options.clone()).await?;
        // Writers queue for these connections: long enough for a burst of them, short enough
        // that a stuck one is reported.
        let writers = if backend == Backend::Sqlite { 1 } else { 8 };
        let writer = Self::pool_options(backend, writers, Duration::from_secs(30)).connect_with(options).await?;
        let bulk_reader = match backend {
            Backend::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(facts::READS_AT_ONCE as u32)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_lazy(&url)?,
            ),
            Backend::Sqlite => None,
        };
        Ok(Self { pool, writer, bulk_reader, backend })
    }

    fn pool_options(backend: Backend, connections: u32, acquire_timeout: Duration) -> AnyPoolOptions {
        AnyPoolOptions::new().max_connections(connections).acquire_timeout(acquire_timeout).after_connect(move |conn, _| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL lets readers run beside the writer; the busy timeout makes writers
                    // queue instead of failing; SQLite checks foreign keys only when asked.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
    }

    /// Brings the schema to the latest version, and gives campaigns of earlier releases the
    /// built-in text of their ruleset. Forward-only.
    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.writer).await?;
        self.protect_audit_log().await?;
        self.compare_keys_as_bytes().await?;
        rulesets::pin_earlier_campaigns(self).await
    }

    /// Makes the audit log append-only in the database itself: updates and deletes are refused
    /// whoever asks. Trigger syntax differs between the backends, so this is not a migration.
    async fn protect_audit_log(&self) -> Result<()> {
        let statements: &[&str] = match self.backend {
            Backend::Sqlite => &[
                "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'nhật ký chỉ được ghi thêm'); END",
                "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log \
                 BEGIN SELECT RAISE(ABORT, 'nhật ký chỉ được ghi thêm'); END",
            ],
            Backend::Postgres => &[
                "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION 'nhật ký chỉ được ghi thêm'; END $$",
                "CREATE OR REPLACE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log \
                 FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
            ],
        };
        for sql in statements {
            sqlx::query(*sql).execute(&self.writer).await?;
        }
        Ok(())
    }

    /// Gives PostgreSQL's paths and identifiers the "C" collation, whatever the database's
    /// own. Subtrees are read as ranges of paths ([`subtree`]), which holds only in byte order:
    /// under a collation that skips punctuation, as glibc's vi_VN.UTF-8 and en_US.UTF-8 do, the
    /// range of `/2025-40/` left out every unit below it. Index probes by identifier also
    /// compared them by the collation's rules, not as bytes. Not a migration: SQLite compares
    /// bytes already and cannot alter a column. Does nothing once done.
    async fn compare_keys_as_bytes(&self) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let columns = sqlx::query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C' \
             AND (column_name IN ('id', 'path') OR column_name LIKE '%\\_id') ORDER BY table_name, column_name",
        )
        .fetch_all(&self.writer)
        .await?;
        let mut by_table: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for c in &columns {
            by_table.entry(c.try_get("table_name")?).or_default().push(c.try_get("column_name")?);
        }
        let mut tx = self.writer.begin().await?;
        for (table, columns) in &by_table {
            let changes: Vec<String> = columns.iter().map(|c| format!("ALTER COLUMN {c} TYPE TEXT COLLATE \"C\"")).collect();
            sqlx::query(trusted(&format!("ALTER TABLE {table} {}", changes.join(", ")))).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Refreshes PostgreSQL's planner statistics after a bulk write. Autovacuum would get to it
    /// later, but until then the planner plans for the tables as they were (a demo's recompute
    /// took 410 ms instead of 126 ms, by nested loops over "empty" tables). SQLite plans
    /// without statistics here, so there is nothing to do.
    pub async fn analyze_after_bulk_write(&self) -> Result<()> {
        if self.backend == Backend::Postgres {
            let tables = "units, unit_changes, fact_lists, unit_flags, registrations, household_commitments, documents, commitments, \
                          incidents, discipline, titles, sub_units, previous_year_counts, judgements, scores";
            sqlx::query(trusted(&format!("ANALYZE {tables}"))).execute(&self.pool).await?;
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(crate) fn bulk_reader(&self) -> Option<&sqlx::PgPool> {
        self.bulk_reader.as_ref()
    }

    pub async fn begin(&self) -> Result<Tx<'static>> {
        Ok(match self.backend {
            // A deferred SQLite transaction that reads before it writes fails at once with
            // "database is locked" when another writer committed in between; taking the write
            // lock at the start makes writers queue (up to the busy timeout) instead.
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// A transaction that only reads, and sees one state of the database throughout; it does
    /// not wait for writers, nor they for it.
    pub async fn begin_read(&self) -> Result<Tx<'static>> {
        Ok(match self.backend {
            // Deferred: a WAL snapshot taken at the first read, without the write lock.
            Backend::Sqlite => self.pool.begin_with("BEGIN").await?,
            Backend::Postgres => self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?,
        })
    }
}

/// Commits a transaction.
pub async fn commit(tx: Tx<'_>) -> Result<()> {
    Ok(tx.commit().await?)
}

/// A new identifier: 12 hex digits of milliseconds since 1970 then 16 random hex digits, so ids
/// sort by creation time and never collide across servers.
pub fn new_id() -> String {
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).expect("the operating system provides randomness");
    let mut id = format!("{millis:012x}");
    for b in random {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

/// The current instant as stored: RFC 3339 in UTC with milliseconds.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Hex SHA-256, for tokens stored only as hashes and for file digests.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The materialised paths of the subtree at `path` (which ends with `/`) are those in
/// `[path, end)`, where `end` replaces the final `/` by the next character, `0`: an index range
/// rather than a LIKE pattern, so no character of a unit code can widen it.
pub fn subtree(path: &str) -> (String, String) {
    let stem = path.strip_suffix('/').unwrap_or(path);
    (format!("{stem}/"), format!("{stem}0"))
}

fn date_text(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate> {
    stored_date(s).ok_or_else(|| StoreError::Invalid(format!("ngày `{s}` trong cơ sở dữ liệu không hợp lệ")))
}

/// A date as stored (`yyyy-mm-dd`). The form [`date_text`] writes is read digit by digit: a
/// national load reads over a million dates, and chrono's format parser showed in its profile.
/// Anything else goes through that parser.
fn stored_date(s: &str) -> Option<chrono::NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')));
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        return chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d);
    }
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Marks SQL assembled in this crate from constant table and column names (never from user
/// input, which is always bound) as safe to run.
fn trusted(sql: &str) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql.to_owned())
}

#[cfg(test)]
mod tests {
    use super::stored_date;

    #[test]
    fn stored_dates_read_as_chrono_reads_them() {
        let first = chrono::NaiveDate::from_ymd_opt(1999, 12, 25).expect("a date");
        // Thirty years of days, leap years and century rules included.
        for d in first.iter_days().take(11_000) {
            assert_eq!(stored_date(&super::date_text(d)), Some(d));
        }
        for bad in ["2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "20a4-01-01", "2024/01/01", "", "2024-01-011"] {
            assert_eq!(stored_date(bad), None, "{bad}");
            assert_eq!(chrono::NaiveDate::parse_from_str(bad, "%Y-%m-%d").ok(), None, "{bad}");
        }
        assert_eq!(stored_date("2024-1-5"), chrono::NaiveDate::parse_from_str("2024-1-5", "%Y-%m-%d").ok());
    }
}
