//! Demo data: old Vĩnh Long province as in 2013 (its district-level units and communes from the
//! GSO list shipped in data/), synthetic residential areas and units labelled "(minh họa)",
//! the 2013 campaign of QĐ 710/QĐ-UBND, and a user for every role.

use antt_core::access::Role;
use antt_store::units::NewUnit;
use antt_store::{Result, Store, campaigns, units, users};

/// A demo account, printed at start so people can sign in.
#[derive(Debug, Clone)]
pub struct Account {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub unit_name: String,
}

/// The shared password of every demo account.
pub const PASSWORD: &str = "antt-demo-2013";

/// Fills an empty database with the demo and returns the accounts; does nothing (and returns
/// the accounts) when the demo is already there.
pub async fn seed(store: &Store) -> Result<Vec<Account>> {
    let accounts =
        vec![Account { username: "tinh".into(), password: PASSWORD.into(), role: Role::Admin, unit_name: "Tỉnh Vĩnh Long".into() }];
    if units::get(store, "86").await?.is_some() {
        return Ok(accounts);
    }
    let mut tx = store.begin().await?;
    units::insert_many(
        &mut tx,
        None,
        &[NewUnit { id: "86".into(), name: "Tỉnh Vĩnh Long".into(), unit_type: "province".into(), ..NewUnit::default() }],
    )
    .await?;
    let admin = users::create(&mut tx, None, "tinh", "Thường trực Ban Chỉ đạo tỉnh", PASSWORD).await?;
    users::grant(&mut tx, None, &admin, Role::Admin, "86").await?;
    campaigns::create(
        &mut tx,
        Some(&admin),
        &campaigns::NewCampaign {
            scope_unit_id: "86".into(),
            year: 2013,
            plan_number: Some("710/QĐ-UBND".into()),
            plan_date: chrono::NaiveDate::from_ymd_opt(2013, 5, 2).expect("valid date"),
            ruleset: "vinh-long-2013".into(),
            settings: Default::default(),
            title: "Phát động xây dựng đạt chuẩn “An toàn về an ninh, trật tự” năm 2013".into(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(accounts)
}
