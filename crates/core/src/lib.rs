//! antt-core: the rules of the "An toàn về an ninh, trật tự" movement as data, and the pure
//! logic that applies them. No I/O: callers hand in text and facts, and get verdicts back.

pub mod access;
pub mod calendar;
pub mod eval;
pub mod fact;
pub mod input;
pub mod model;
pub mod reason;
pub mod report;
pub mod rollup;
pub mod ruleset;
pub mod scoring;
pub mod synthetic;
pub mod text;
pub mod totp;
pub mod validate;
pub mod vi;

pub use eval::{Outcome, Status, Verdict, evaluate};
pub use model::{Facts, Unit, UnitId};
pub use ruleset::Ruleset;
