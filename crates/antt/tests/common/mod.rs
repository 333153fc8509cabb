//! Running `antt serve` as a process, and speaking HTTP/1.1 to it.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use antt_core::access::Role;
use antt_store::units::{self, NewUnit};
use antt_store::{Store, testing, users};

/// A user to put in a test database, with a grant at the province when `role` is given.
pub struct Person<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub password: &'a str,
    pub role: Option<Role>,
}

/// A fresh, migrated database (SQLite, or PostgreSQL when ANTT_TEST_POSTGRES names a server)
/// with the province 86 and these users; its address.
pub fn database(people: &[Person<'_>]) -> String {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = testing::fresh_url().await.expect("a fresh database");
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let mut tx = store.begin().await.expect("tx");
        let province = NewUnit { id: "86".into(), name: "Tỉnh Vĩnh Long".into(), unit_type: "province".into(), ..NewUnit::default() };
        units::insert_many(&mut tx, None, &[province]).await.expect("unit");
        for p in people {
            let id = users::create(&mut tx, None, p.username, p.full_name, p.password).await.expect("user");
            if let Some(role) = p.role {
                users::grant(&mut tx, None, &id, role, "86").await.expect("grant");
            }
        }
        tx.commit().await.expect("commit");
        store.pool().close().await;
        url
    })
}

/// A running `antt serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub address: String,
    /// What it printed before its address.
    pub printed: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `antt serve --port 0` on a database.
pub fn serve(database: &str) -> Server {
    start(&["--database", database]).unwrap_or_else(|e| panic!("antt serve stopped: {e}"))
}

/// Starts `antt serve --port 0` with more arguments: the server once it prints its address, or
/// what it wrote to standard error when it stopped instead.
pub fn start(args: &[&str]) -> Result<Server, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_antt"))
        .args(["serve", "--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("antt serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = Vec::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(address) = line.split("http://").nth(1) {
            let address = address.trim_end_matches('/').to_owned();
            drop(child.stderr.take());
            return Ok(Server { child, address, printed });
        }
        printed.push(line);
    }
    let mut stderr = String::new();
    child.stderr.take().expect("stderr").read_to_string(&mut stderr).expect("stderr");
    let status = child.wait().expect("exit");
    Err(format!("{status}: {stderr}"))
}

/// One HTTP/1.1 exchange: the status, the raw headers and the body.
pub fn http(address: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("receive");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status");
    (status, head.to_owned(), body.to_owned())
}
