//! `antt`: the command-line program — the web application (`serve`) and every other command
//! of `antt-cli`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod serve;

/// mimalloc rather than glibc's allocator: after evaluating a national campaign from its facts,
/// glibc kept 1,6–2,4 GB resident and mimalloc 0,56 GB (docs/benchmarks.md, "mimalloc").
#[global_allocator]
static ALLOCATOR: antt_alloc::Allocator = antt_alloc::Allocator;

#[derive(Debug, Parser)]
#[command(name = "antt", version, about = "Phong trào “An toàn về an ninh, trật tự”: bộ tiêu chí, đánh giá, công nhận")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Chạy ứng dụng web.
    Serve(serve::ServeArgs),
    #[command(flatten)]
    Other(antt_cli::Command),
}

fn main() -> ExitCode {
    let ran = match Cli::parse().command {
        Command::Serve(args) => serve::run(args),
        Command::Other(command) => antt_cli::run(command),
    };
    match ran {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}
