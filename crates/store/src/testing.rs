//! Fresh databases for tests: SQLite in a temporary file by default, or a new PostgreSQL
//! database on the server named by `ANTT_TEST_POSTGRES` (e.g. `postgres://postgres@127.0.0.1:5432`).

use crate::{Result, Store};

/// The environment variable that switches tests to PostgreSQL.
pub const POSTGRES_ENV: &str = "ANTT_TEST_POSTGRES";

/// A migrated, empty store of its own.
pub async fn fresh_store() -> Result<Store> {
    let store = Store::connect(&fresh_url().await?).await?;
    store.migrate().await?;
    Ok(store)
}

/// The address of a new, empty database of its own (not migrated yet).
pub async fn fresh_url() -> Result<String> {
    Ok(match std::env::var(POSTGRES_ENV) {
        Ok(server) if !server.is_empty() => fresh_postgres_url(&server, "").await?,
        _ => format!("sqlite://{}", std::env::temp_dir().join(format!("antt_test_{}.sqlite", crate::new_id())).display()),
    })
}

/// The address of a new, empty PostgreSQL database on `server`, created with `options` (a
/// template, a locale…) after `CREATE DATABASE name`.
pub async fn fresh_postgres_url(server: &str, options: &str) -> Result<String> {
    let name = format!("antt_test_{}", crate::new_id());
    let server = server.trim_end_matches('/');
    let admin = Store::connect(&format!("{server}/postgres")).await?;
    sqlx::query(crate::trusted(&format!("CREATE DATABASE {name} {options}"))).execute(admin.pool()).await?;
    admin.pool().close().await;
    Ok(format!("{server}/{name}"))
}

/// A unit to create, named after its id.
pub fn new_unit(id: &str, unit_type: &str, parent: Option<&str>) -> crate::units::NewUnit {
    crate::units::NewUnit {
        id: id.into(),
        name: format!("Đơn vị {id}"),
        unit_type: unit_type.into(),
        parent_id: parent.map(Into::into),
        ..crate::units::NewUnit::default()
    }
}

/// The versions of the migrations this build carries, oldest first.
pub fn migration_versions() -> Vec<i64> {
    crate::MIGRATOR.iter().map(|m| m.version).collect()
}

/// Brings a new database to `version` only, as an earlier release of antt left it, so tests
/// can check that the later migrations carry its data forward.
pub async fn migrate_to(store: &Store, version: i64) -> Result<()> {
    crate::MIGRATOR.run_to(version, store.pool()).await?;
    Ok(())
}

/// The campaign of QĐ 710/QĐ-UBND (plan of 02/05/2013) over old Vĩnh Long, unit `86`, as the
/// tests and benchmarks launch it.
pub fn vinh_long_2013(title: &str) -> crate::campaigns::NewCampaign {
    crate::campaigns::NewCampaign {
        scope_unit_id: "86".into(),
        year: 2013,
        plan_number: Some("710/QĐ-UBND".into()),
        plan_date: chrono::NaiveDate::from_ymd_opt(2013, 5, 2).unwrap_or_default(),
        ruleset: "vinh-long-2013".into(),
        ruleset_version: None,
        settings: std::collections::BTreeMap::new(),
        title: title.into(),
    }
}

/// Lets every session lapse, as if their hours had passed (not ended by signing out).
pub async fn lapse_sessions(store: &Store) -> Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").execute(store.pool()).await?;
    Ok(())
}
