//! `antt admin`: accounts from the server's command line — the first admin of a new deployment,
//! and disabling the demo's accounts. Passwords are read from the terminal (not echoed) or from
//! standard input, never from an argument (which other users of the machine can see).

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use antt_app::App;
use antt_app::accounts::{By, NewAccount};
use antt_core::access::Role;
use anyhow::{Context, Result, bail};
use clap::Subcommand;

use crate::database::{DatabaseArgs, runtime};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Tạo tài khoản (ví dụ tài khoản quản trị đầu tiên); mật khẩu nhập từ bàn phím hoặc đầu vào chuẩn.
    Create {
        /// Tên đăng nhập (chữ a–z không dấu, chữ số, . - _).
        #[arg(long)]
        username: String,
        /// Mã đơn vị được giao quyền (phạm vi: đơn vị đó và mọi đơn vị trực thuộc).
        #[arg(long, value_name = "MÃ")]
        unit: String,
        /// Vai trò: admin, district, commune, unit_head, inspector, viewer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Họ tên hoặc chức danh hiển thị (mặc định: tên đăng nhập).
        #[arg(long)]
        full_name: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Khóa các tài khoản minh họa còn dùng mật khẩu minh họa công khai.
    DisableDemo {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

fn parse_role(code: &str) -> Result<Role, String> {
    Role::parse(code).ok_or_else(|| {
        let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        format!("không có vai trò `{code}` (có: {})", codes.join(", "))
    })
}

/// The command that creates the first admin, as `antt serve` prints it for an empty database.
pub fn create_admin_hint(database: &DatabaseArgs) -> String {
    let place = match &database.database {
        Some(_) => " --database …".to_owned(),
        None if database.data_dir.as_os_str() == "antt-data" => String::new(),
        None => format!(" --data-dir {}", database.data_dir.display()),
    };
    format!(
        "Chưa có tài khoản nào. Tạo tài khoản quản trị đầu tiên (mật khẩu sẽ được hỏi, ít nhất 12 ký tự):\n  \
         antt admin create --username TÊN --unit MÃ_ĐƠN_VỊ --role admin{place}\n\
         Đơn vị phải có trong cơ sở dữ liệu; nếu chưa có, nhập danh mục trước: antt import units --province MÃ_TỈNH{place}"
    )
}

pub fn run(command: AdminCommand) -> Result<ExitCode> {
    match command {
        AdminCommand::Create { username, unit, role, full_name, database } => {
            let password = read_password()?;
            runtime()?.block_on(async {
                let store = database.open().await?;
                let app = App::new(store, Vec::new());
                let full_name = full_name.unwrap_or_else(|| username.clone());
                let input = NewAccount { username: username.clone(), full_name, password: Some(password), role, unit_id: unit.clone() };
                match app.create_account(By::Operator, &input).await {
                    Ok(_) => {
                        println!("Đã tạo tài khoản {username}: {} — đơn vị {unit}.", role.name());
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(antt_app::Error::Invalid { message, fields }) => {
                        eprintln!("{message}");
                        for (field, problem) in &fields.0 {
                            eprintln!("  --{}: {problem}", field.replace('_', "-"));
                        }
                        Ok(ExitCode::FAILURE)
                    }
                    Err(e) => Err(e.into()),
                }
            })
        }
        AdminCommand::DisableDemo { database } => runtime()?.block_on(async {
            let store = database.open().await?;
            let disabled = antt_app::demo::disable_open_accounts(&store).await?;
            if disabled.is_empty() {
                println!("Không còn tài khoản minh họa nào dùng mật khẩu minh họa.");
            } else {
                println!("Đã khóa {} tài khoản minh họa: {}.", disabled.len(), disabled.join(", "));
            }
            Ok(ExitCode::SUCCESS)
        }),
    }
}

/// The new password: typed twice at a terminal without echo, or the first line of standard
/// input when it is not a terminal (`printf '%s\n' "$MAT_KHAU" | antt admin create …`).
fn read_password() -> Result<String> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Mật khẩu mới: ").context("không đọc được mật khẩu")?;
        let again = rpassword::prompt_password("Nhập lại mật khẩu: ").context("không đọc được mật khẩu")?;
        if first != again {
            bail!("hai lần nhập mật khẩu không khớp");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("không đọc được mật khẩu từ đầu vào chuẩn")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("không có mật khẩu: nhập từ bàn phím, hoặc đưa vào đầu vào chuẩn một dòng");
    }
    Ok(password)
}
