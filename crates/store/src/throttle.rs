//! Counters of sign-in attempts, in the database so every server shares them. A bucket counts
//! attempts in a window that starts at its first attempt; each attempt is counted by one
//! `INSERT … ON CONFLICT … RETURNING` before the password is checked, so parallel attempts
//! cannot all read the same count: exactly as many as the limit get through. Which buckets and
//! which limits is the application's (`antt_app::accounts`).

use sqlx::Row;

use crate::{Result, Store, now};

/// A bucket's attempts in its current window, this one included, and when the window began.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub attempts: i64,
    pub window_start: String,
}

fn instant(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Counts one attempt in each bucket (in the order given, so concurrent callers lock rows in
/// the same order), all in one transaction; a bucket whose window is older than `window` starts
/// a new one. Returns each bucket's count.
pub async fn count(store: &Store, buckets: &[&str], window: chrono::Duration) -> Result<Vec<Count>> {
    let stamp = now();
    let window_over = instant(chrono::Utc::now() - window);
    let mut tx = store.begin().await?;
    let mut counts = Vec::with_capacity(buckets.len());
    for bucket in buckets {
        let row = sqlx::query(
            "INSERT INTO login_attempts (bucket, attempts, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (bucket) DO UPDATE SET \
             attempts = CASE WHEN login_attempts.window_start < $3 THEN 1 ELSE login_attempts.attempts + 1 END, \
             window_start = CASE WHEN login_attempts.window_start < $3 THEN $2 ELSE login_attempts.window_start END \
             RETURNING attempts, window_start",
        )
        .bind(*bucket)
        .bind(&stamp)
        .bind(&window_over)
        .fetch_one(&mut *tx)
        .await?;
        counts.push(Count { attempts: row.try_get("attempts")?, window_start: row.try_get("window_start")? });
    }
    tx.commit().await?;
    Ok(counts)
}

/// The current count of each bucket (`None`: no attempt in its window), read without writing:
/// a client already over its limit is refused without a write, so a flood of refused attempts
/// costs reads only.
pub async fn peek(store: &Store, buckets: &[&str], window: chrono::Duration) -> Result<Vec<Option<Count>>> {
    let window_over = instant(chrono::Utc::now() - window);
    let mut counts = Vec::with_capacity(buckets.len());
    for bucket in buckets {
        let row = sqlx::query("SELECT attempts, window_start FROM login_attempts WHERE bucket = $1 AND window_start >= $2")
            .bind(*bucket)
            .bind(&window_over)
            .fetch_optional(store.pool())
            .await?;
        counts.push(
            row.map(|r| Ok::<_, sqlx::Error>(Count { attempts: r.try_get("attempts")?, window_start: r.try_get("window_start")? }))
                .transpose()?,
        );
    }
    Ok(counts)
}

/// Takes one attempt back (a right password does not count against its client).
pub async fn forgive(store: &Store, bucket: &str) -> Result<()> {
    sqlx::query("UPDATE login_attempts SET attempts = attempts - 1 WHERE bucket = $1 AND attempts > 0")
        .bind(bucket)
        .execute(store.pool())
        .await?;
    Ok(())
}

/// Forgets a bucket (its attempts ended in success).
pub async fn clear(store: &Store, bucket: &str) -> Result<()> {
    sqlx::query("DELETE FROM login_attempts WHERE bucket = $1").bind(bucket).execute(store.pool()).await?;
    Ok(())
}

/// Forgets the buckets whose window ended before `window` ago.
pub async fn forget_old(store: &Store, window: chrono::Duration) -> Result<u64> {
    let done = sqlx::query("DELETE FROM login_attempts WHERE window_start < $1")
        .bind(instant(chrono::Utc::now() - window))
        .execute(store.pool())
        .await?;
    Ok(done.rows_affected())
}
