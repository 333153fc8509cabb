//! A deployment starts without the demo: `antt serve` on a database without accounts says how to
//! create the first admin, `antt admin create` creates it with a password read from standard
//! input, and `antt serve` refuses to start while demo accounts keep the demo's published
//! password, until `antt admin disable-demo`. On SQLite by default and on PostgreSQL when
//! ANTT_TEST_POSTGRES names a server.

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod common;

use common::Person;

/// A migrated database with the province 86 and the users given (name, password), without
/// grants.
fn database(accounts: &[(&str, &str)]) -> String {
    let people: Vec<Person<'_>> =
        accounts.iter().map(|&(username, password)| Person { username, full_name: "Người dùng", password, role: None }).collect();
    common::database(&people)
}

/// Runs `antt` with `input` on its standard input.
fn antt(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_antt"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("antt runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("input");
    child.wait_with_output().expect("antt ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_new_database_says_how_to_create_the_first_admin_and_the_command_creates_it() {
    let url = database(&[]);
    let server = common::start(&["--database", &url]).expect("serve starts on an empty database");
    let printed = server.printed.join("\n");
    assert!(printed.contains("Chưa có tài khoản nào."), "{printed}");
    assert!(printed.contains("antt admin create --username TÊN --unit MÃ_ĐƠN_VỊ --role admin --database …"), "{printed}");
    drop(server);

    let create = ["admin", "create", "--username", "quantri", "--unit", "86", "--role", "admin", "--database", &url];
    let weak = antt(&create, "ngan-qua\n");
    assert!(!weak.status.success());
    assert!(text(&weak.stderr).contains("--password: Mật khẩu cần ít nhất 12 ký tự (mới có 8)."), "{}", text(&weak.stderr));
    let unknown_unit = antt(&["admin", "create", "--username", "quantri", "--unit", "99", "--role", "admin", "--database", &url], "x\n");
    assert!(text(&unknown_unit.stderr).contains("--unit: Không có đơn vị mã “99”."), "{}", text(&unknown_unit.stderr));

    let made = antt(&create, "trâu cày ruộng sâu lúc bình minh\n");
    assert!(made.status.success(), "{}", text(&made.stderr));
    assert!(text(&made.stdout).contains("Đã tạo tài khoản quantri: Thường trực Ban Chỉ đạo tỉnh — đơn vị 86."), "{}", text(&made.stdout));

    let server = common::start(&["--database", &url]).expect("serve starts");
    assert!(!server.printed.join("\n").contains("Chưa có tài khoản nào."));
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let body = "username=quantri&password=tr%C3%A2u+c%C3%A0y+ru%E1%BB%99ng+s%C3%A2u+l%C3%BAc+b%C3%ACnh+minh";
    let (status, head, _) = common::http(&server.address, "POST", "/login", &form, body);
    assert_eq!(status, 303, "the new admin signs in: {head}");
}

#[test]
fn serve_refuses_to_start_while_demo_accounts_keep_the_demo_password() {
    // `tinh` has the demo's password; `xa` is a demo user name with a password of its own.
    let url = database(&[("tinh", antt_app::demo::PASSWORD), ("xa", "mat-khau-cua-rieng-xa")]);
    let refused = common::start(&["--database", &url]).err().expect("serve refuses");
    assert!(refused.contains("còn 1 tài khoản minh họa dùng mật khẩu minh họa công khai (tinh)"), "{refused}");
    assert!(refused.contains("antt admin disable-demo"), "{refused}");
    // The demo itself still runs with them.
    drop(common::start(&["--database", &url, "--demo"]).expect("serve --demo starts"));

    let disabled = antt(&["admin", "disable-demo", "--database", &url], "");
    assert!(disabled.status.success(), "{}", text(&disabled.stderr));
    assert!(text(&disabled.stdout).contains("Đã khóa 1 tài khoản minh họa: tinh."), "{}", text(&disabled.stdout));
    let server = common::start(&["--database", &url]).expect("serve starts once the demo accounts are disabled");
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let (status, _, _) = common::http(&server.address, "POST", "/login", &form, "username=tinh&password=antt-demo-2013");
    assert_eq!(status, 401);
}
