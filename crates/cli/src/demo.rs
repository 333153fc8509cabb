//! `antt demo`: fills an empty database with demo data without starting the server — the
//! province demo of `serve --demo`, or the national database the measurements use.

use std::process::ExitCode;
use std::time::Instant;

use antt_app::national::{self, Campaigns};
use antt_core::synthetic::Shape;
use anyhow::Result;

use crate::database::{DatabaseArgs, runtime};

/// How much to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// Tỉnh Vĩnh Long năm 2013, như `antt serve --demo`.
    Province,
    /// Cả nước: 34 tỉnh, 3.321 xã theo danh mục 2025, 100.000 khu dân cư, 60.000 cơ sở, 1.000.000 vụ việc.
    National,
}

pub fn run(scale: Scale, campaigns: Campaigns, communes: Option<usize>, database: &DatabaseArgs) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let store = database.open().await?;
        let started = Instant::now();
        match scale {
            Scale::Province => {
                let accounts = antt_app::demo::seed(&store).await?;
                println!("Tài khoản minh họa (mật khẩu chung: {}): {}", antt_app::demo::PASSWORD, accounts.len());
            }
            Scale::National => {
                let built = national::build(&store, &Shape::national_facts(), communes, campaigns).await?;
                println!(
                    "Đã tạo {} đơn vị, {} dòng dữ liệu, {} đợt phát động trong {} giây.",
                    antt_core::vi::integer(built.units as u64),
                    antt_core::vi::integer(built.rows as u64),
                    built.campaigns.len(),
                    antt_core::vi::decimal(started.elapsed().as_secs_f64(), 1)
                );
                for id in &built.campaigns {
                    println!("  đợt {id}");
                }
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}
