//! What the fuzz targets share: the ruleset's vocabulary, read once (parsing the built-in
//! ruleset on every input would take most of each run), the limits of a read, and what counts
//! as a crash.

use std::backtrace::Backtrace;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{LazyLock, Mutex, Once};

use antt_core::ruleset::Vocabulary;

static RULESET: LazyLock<Option<antt_core::Ruleset>> = LazyLock::new(|| antt_core::ruleset::built_in_named("vinh-long-2013").ok().flatten());
static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| RULESET.as_ref().map(|r| r.vocabulary.clone()).unwrap_or_default());

/// The kinds of files a campaign under `vinh-long-2013` takes.
pub fn kinds() -> Vec<antt_import::Kind> {
    RULESET.as_ref().map(antt_import::Kind::for_ruleset).unwrap_or_default()
}

/// The last panic and where it happened; its symbols are resolved only if it is printed (that
/// took about 0,1 s a panic here, too slow for every panic antt-import catches).
static LAST_PANIC: Mutex<Option<(String, Backtrace)>> = Mutex::new(None);
static HOOK: Once = Once::new();

/// Reads `data`, called `file_name`, as a file of `kind`. A crash is a panic that escapes
/// `antt_import::parse` (or a hang, or running out of memory): libfuzzer-sys's own panic hook
/// aborts before unwinding, which would also count the panics antt-import catches on purpose
/// (calamine's on malformed workbooks, see `read_xlsx`), so this hook only remembers the panic
/// and an escaping one is printed and aborts here.
pub fn parse(kind: antt_import::Kind, data: &[u8], file_name: &str) {
    HOOK.call_once(|| {
        panic::set_hook(Box::new(|info| {
            *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some((info.to_string(), Backtrace::force_capture()));
        }));
    });
    // Fewer rows than the web's limit, so that a run is not spent on very long files.
    let limits = antt_import::Limits { max_rows: 10_000, ..antt_import::Limits::default() };
    let read = panic::catch_unwind(AssertUnwindSafe(|| {
        antt_import::parse(kind, data, file_name, &VOCABULARY, &limits, &mut |_| {});
    }));
    if read.is_err() {
        if let Some((message, backtrace)) = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take() {
            eprintln!("panic escaped antt_import::parse: {message}\n{backtrace}");
        }
        std::process::abort();
    }
}
