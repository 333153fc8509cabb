//! Connection limits of `antt serve`: a connection that sends no complete request head within
//! the header timeout is closed, whether new or idle after an answer; beyond the cap a new
//! connection is answered 503 with Retry-After and a Vietnamese sentence, and served again once
//! others close. (The drill with thousands of connections is scripts/slow-clients.sh.)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

mod common;

/// Everything the server sends until it closes the connection; fails if it is still open
/// after 20 s.
fn until_closed(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let mut all = Vec::new();
    match stream.read_to_end(&mut all) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the server did not close the connection: {e}"),
    }
    String::from_utf8_lossy(&all).into_owned()
}

#[test]
fn silent_and_idle_connections_are_closed_and_connections_beyond_the_cap_get_a_503() {
    let url = common::database(&[]);
    let server = common::start(&["--database", &url, "--header-timeout", "1", "--max-connections", "3"]).expect("serve starts");
    // One connection answered once and then silent, one half-open, one silent from the start.
    let mut kept = TcpStream::connect(&server.address).expect("connect");
    kept.write_all(b"GET /login HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).expect("an answer");
    assert_eq!(&first, b"HTTP/1.1 200");
    let mut half = TcpStream::connect(&server.address).expect("connect");
    half.write_all(b"GET /login HTTP/1.1\r\nHost: x\r\n").expect("send");
    let mut silent = TcpStream::connect(&server.address).expect("connect");
    std::thread::sleep(Duration::from_millis(200));

    // The fourth is beyond the cap.
    let mut beyond = TcpStream::connect(&server.address).expect("connect");
    let answer = until_closed(&mut beyond);
    assert!(answer.starts_with("HTTP/1.1 503 Service Unavailable\r\n"), "{answer}");
    assert!(answer.contains("\r\nRetry-After: 5\r\n"), "{answer}");
    assert!(answer.ends_with("Máy chủ đang phục vụ quá nhiều kết nối; hãy thử lại sau ít giây."), "{answer}");

    // The header timeout closes all three (the server may answer the half-open one 408 first).
    until_closed(&mut kept);
    until_closed(&mut half);
    assert_eq!(until_closed(&mut silent), "");
    // Their places are free again.
    let (status, _, _) = common::http(&server.address, "GET", "/login", &[], "");
    assert_eq!(status, 200);
}
