//! Demo data for `antt serve --demo`: old Vĩnh Long province as in 2013 — its 8 district-level
//! units and 102 communes from the GSO list of 04/01/2025 shipped in the binary, the closest
//! official tree to 2013 (when the province had 109 communes), imported as `antt import units
//! --province 86` does, so new Vĩnh Long of 01/07/2025 and the successor links come too — with synthetic residential
//! areas, agencies and enterprises, schools and places of worship labelled "(minh họa)", the
//! 2013 campaign of QĐ 710/QĐ-UBND, facts varied enough that verdicts differ (with their
//! reasons), scores, an inspection team and a user for every role; then the commune's and the
//! district's review, minutes and recognition decisions, through the same use cases as their
//! accounts.
//!
//! Everything is generated from fixed seeds, so two demos are identical, and written in one
//! transaction through the store's ordinary functions (with their audit records).

use std::collections::BTreeMap;

use antt_core::Ruleset;
use antt_core::access::Role;
use antt_core::calendar::Calendar;
use antt_core::fact::{Fact, FactKind};
use antt_core::model::{Commitment, Discipline, DisciplineLevel, Document, Incident, Severity, SubUnit, SubUnitTitle, Title};
use antt_core::scoring::Points;
use antt_store::facts::{self, JudgementInput, ScoreSource, Writer};
use antt_store::gso::import::{self as unit_import, Lists};
use antt_store::registrations::{self, Pledge, Submission};
use antt_store::units::NewUnit;
use antt_store::{Result, Store, StoreError, Tx, campaigns, gso, inspection, units, users};
use chrono::NaiveDate;

/// A demo account, printed at start so people can sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub unit_name: String,
}

/// The shared password of every demo account.
pub const PASSWORD: &str = "antt-demo-2013";

/// The province of the demo (old Vĩnh Long), the district, commune and residential area the
/// district, commune and unit-head accounts work in.
pub const PROVINCE: &str = "86";
pub const DISTRICT: &str = "857";
pub const COMMUNE: &str = "29578";
pub const AREA: &str = "29578-ap01";

/// The ruleset and plan of the demo campaign.
pub const RULESET: &str = "vinh-long-2013";
pub const PLAN_NUMBER: &str = "710/QĐ-UBND";
const YEAR: i32 = 2013;

/// What the demo is, as shown on the province (attribute `ghi_chu`).
pub const NOTE: &str = "Dữ liệu minh họa. Cây đơn vị hành chính lấy theo Danh mục đơn vị hành chính của Tổng cục Thống kê \
                        ngày 04/01/2025 — danh mục chính thức gần nhất với năm 2013 (102 xã, phường, thị trấn; năm 2013 tỉnh có 109). \
                        Từ 01/7/2025 tỉnh hợp nhất với Bến Tre, Trà Vinh thành tỉnh Vĩnh Long mới; mỗi xã cũ ghi đơn vị kế tiếp \
                        theo bảng chuyển đổi của Cục Thống kê. \
                        Khu dân cư, cơ quan, doanh nghiệp, nhà trường, cơ sở thờ tự và mọi số liệu đều là minh họa.";

/// The demo campaign's title: the pages show it everywhere, so it says what the tree is.
pub const TITLE: &str = "Phát động xây dựng đạt chuẩn “An toàn về an ninh, trật tự” năm 2013 (minh họa; đơn vị hành chính theo danh mục \
                         GSO ngày 04/01/2025, gần nhất với năm 2013: 102 xã, phường, thị trấn — năm 2013 có 109)";

/// The label every synthetic name carries.
pub const LABEL: &str = "(minh họa)";

/// The demo users: user name, role, the unit of the grant, full name.
const USERS: [(&str, Role, &str, &str); 6] = [
    ("tinh", Role::Admin, PROVINCE, "Thường trực Ban Chỉ đạo tỉnh (minh họa)"),
    ("huyen", Role::District, DISTRICT, "Ban Chỉ đạo huyện Long Hồ (minh họa)"),
    ("xa", Role::Commune, COMMUNE, "Ban Chỉ đạo xã Đồng Phú (minh họa)"),
    ("ap", Role::UnitHead, AREA, "Trưởng ấp (minh họa)"),
    ("kiemtra", Role::Inspector, DISTRICT, "Thành viên đoàn kiểm tra huyện Long Hồ (minh họa)"),
    ("xem", Role::Viewer, PROVINCE, "Lãnh đạo UBND tỉnh (minh họa)"),
];

/// The users who also see new Vĩnh Long (from 01/07/2025), with the same role: only the viewer,
/// so the province's standing office keeps one scope (pages such as the audit log start from the
/// first scope).
const NEW_PROVINCE_USERS: [&str; 1] = ["xem"];

/// Fills a database that has no units yet with the demo and returns the accounts. On a
/// database that already has units it adds nothing: it returns the demo accounts when the demo
/// is there, and none otherwise.
pub async fn seed(store: &Store) -> Result<Vec<Account>> {
    if !units::roots(store).await?.is_empty() {
        return accounts(store).await;
    }
    let ruleset = antt_core::ruleset::built_in_named(RULESET)
        .map_err(|e| StoreError::Invalid(e.to_string()))?
        .ok_or_else(|| StoreError::NotFound(format!("bộ tiêu chí {RULESET}")))?;
    let plan = plan(&ruleset)?;
    let mut tx = store.begin().await?;
    write(&mut tx, &ruleset, &plan).await?;
    tx.commit().await?;
    store.analyze_after_bulk_write().await?;
    decide(store, ruleset).await.map_err(|e| StoreError::Invalid(format!("quyết định minh họa: {e}")))?;
    accounts(store).await
}

/// The residential areas of the commune account's commune whose results the commune confirms
/// and recognises in the demo. Not the areas the browser tests and the API fuzzing confirm and
/// decide on themselves (ap01, ap02, ap13), nor one the rules do not recognise.
pub const COMMUNE_DECIDED: [&str; 3] = ["29578-ap10", "29578-ap11", "29578-ap12"];
/// The demo's decisions: the commune's (its areas) and the district's (its communes).
pub const COMMUNE_DECISION: &str = "30/QĐ-UBND";
pub const DISTRICT_DECISION: &str = "52/QĐ-UBND";

/// The commune's and the district's review as their accounts would do it, through the same use
/// cases: results confirmed where the rules recognise the unit with nothing against it, the
/// meeting's minutes with its secretary and members, and a decision answering the police's
/// request — the commune's for [`COMMUNE_DECIDED`], the district's for every commune of the
/// district the rules recognise.
async fn decide(store: &Store, ruleset: Ruleset) -> crate::Result<()> {
    use crate::decisions::{CHAIRMAN, DecisionForm};
    use crate::review::{Confirm, MinutesForm};

    let app = crate::App::new(store.clone(), vec![ruleset]);
    let Some(campaign) = campaigns::list(store).await?.into_iter().find(|c| c.ruleset == RULESET) else { return Ok(()) };
    let actor = |username: &'static str| async move {
        let account = users::account(store, username).await?.ok_or_else(|| crate::Error::not_found(username))?;
        let user = users::active(store, &account.id).await?.ok_or_else(|| crate::Error::not_found(username))?;
        Ok::<_, crate::Error>(crate::Actor::from_user(&user))
    };
    let recognise = Confirm { outcome: antt_store::decisions::RECOGNISED, note: None, acknowledged: false };
    let people = "Nguyễn Thị Hoa (minh họa) - Chủ tịch Ủy ban Mặt trận Tổ quốc\nLê Văn Tâm (minh họa) - Trưởng Công an\n\
                  Phạm Văn Út (minh họa) - Chỉ huy trưởng Quân sự";

    let commune = actor("xa").await?;
    for area in COMMUNE_DECIDED {
        app.confirm_verdict(&commune, &campaign.id, area, recognise).await?;
    }
    let minutes = MinutesForm {
        held_on: date(11, 5),
        chair: "Nguyễn Văn Minh (minh họa)".into(),
        secretary: "Trần Thị Lan (minh họa)".into(),
        attendees: "Thường trực Ban Chỉ đạo xã, Mặt trận, Công an xã và trưởng các ấp".into(),
        members: people.into(),
        conclusions: "Thống nhất đề nghị Chủ tịch Ủy ban nhân dân xã công nhận 3 ấp đạt tiêu chuẩn.".into(),
    };
    app.add_minutes(&commune, &campaign.id, COMMUNE, &minutes).await?;
    let form = DecisionForm {
        number: COMMUNE_DECISION.into(),
        decided_on: date(11, 14),
        signer: "Nguyễn Văn Minh (minh họa)".into(),
        signer_role: CHAIRMAN.into(),
        unit_ids: COMMUNE_DECIDED.map(String::from).to_vec(),
        request_number: "12/TTr-CAX".into(),
        request_date: Some(date(11, 8)),
    };
    app.issue_decision(&commune, &campaign.id, &form).await?;

    // The district: each commune the rules recognise with nothing against it.
    let district = actor("huyen").await?;
    let computed = app.results(&campaign.id).await?;
    let mut communes = Vec::new();
    for c in units::children(store, DISTRICT).await?.into_iter().filter(|c| c.unit_type == "commune") {
        let clean = computed.report(&c.id).is_some_and(|r| {
            let (failed, missing) = crate::review::against_recognition(r);
            r.outcome == antt_core::Outcome::Recognised && failed.is_empty() && missing.is_empty()
        });
        if clean {
            app.confirm_verdict(&district, &campaign.id, &c.id, recognise).await?;
            communes.push(c.id);
        }
    }
    if communes.is_empty() {
        return Ok(());
    }
    let minutes = MinutesForm {
        held_on: date(11, 20),
        chair: "Võ Văn Thành (minh họa)".into(),
        secretary: "Đặng Thị Mai (minh họa)".into(),
        attendees: "Thường trực Ban Chỉ đạo huyện, Mặt trận, Công an huyện và đại diện các xã".into(),
        members: people.replace("Trưởng Công an", "Trưởng Công an huyện"),
        conclusions: format!(
            "Thống nhất đề nghị Chủ tịch Ủy ban nhân dân huyện công nhận {} xã đạt tiêu chuẩn.",
            antt_core::vi::integer(communes.len() as u64)
        ),
    };
    app.add_minutes(&district, &campaign.id, DISTRICT, &minutes).await?;
    let form = DecisionForm {
        number: DISTRICT_DECISION.into(),
        decided_on: date(11, 28),
        signer: "Võ Văn Thành (minh họa)".into(),
        signer_role: CHAIRMAN.into(),
        unit_ids: communes,
        request_number: "25/TTr-CAH".into(),
        request_date: Some(date(11, 22)),
    };
    app.issue_decision(&district, &campaign.id, &form).await?;
    Ok(())
}

/// The demo accounts with the names of their units, when the demo is in the database.
async fn accounts(store: &Store) -> Result<Vec<Account>> {
    if !units::get(store, AREA).await?.is_some_and(|u| u.is_demo) {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(USERS.len());
    for (username, role, unit_id, _) in USERS {
        let unit_name = units::get(store, unit_id).await?.map(|u| u.name).unwrap_or_default();
        out.push(Account { username: username.into(), password: PASSWORD.into(), role, unit_name });
    }
    Ok(out)
}

/// The demo accounts that still sign in with the demo's published password ([`PASSWORD`]), by
/// user name. A deployment must not run with them: `antt serve` without `--demo` refuses to
/// start while there are any.
pub async fn open_accounts(store: &Store) -> Result<Vec<String>> {
    Ok(open(store).await?.into_iter().map(|a| a.username).collect())
}

async fn open(store: &Store) -> Result<Vec<users::Account>> {
    let mut open = Vec::new();
    for (username, ..) in USERS {
        if let Some(account) = users::account(store, username).await?.filter(|a| !a.disabled)
            && users::verify(PASSWORD, &account.password_hash).await?
        {
            open.push(account);
        }
    }
    Ok(open)
}

/// Disables the demo accounts that still have the demo password (`antt admin disable-demo`),
/// each audited, and returns their user names. The demo's data stays.
pub async fn disable_open_accounts(store: &Store) -> Result<Vec<String>> {
    let open = open(store).await?;
    let mut tx = store.begin().await?;
    for account in &open {
        users::disable(&mut tx, None, &account.id, None).await?;
    }
    tx.commit().await?;
    Ok(open.into_iter().map(|a| a.username).collect())
}

// ---------------------------------------------------------------------------------------------
// The plan: every unit and every fact, computed before anything is written.

/// What is wrong (or merely unusual) with a unit's facts. A unit without issues meets every
/// criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Issue {
    /// 249 of 250 households signed (1.1).
    HouseholdsShort,
    /// No party resolution (1.1).
    NoResolution,
    /// No self-management model (1.2, 2.2).
    MissingModel,
    /// The inspection team found the implementation wanting (1.2).
    JudgementNotMet,
    /// More crimes than the year before (1.4).
    CrimeUp,
    /// A serious crime in the area, by an outsider (1.4; the commune's 2.2 through its territory).
    SeriousCrime,
    /// A crime not reported at once (1.4; the commune's 2.2 through its territory).
    ReportedLate,
    /// A warning (cảnh cáo) to a công an viên (1.5).
    Warning,
    /// Only a reprimand (khiển trách): below the threshold, the unit still passes.
    Reprimand,
    /// The grassroots force only "hoàn thành nhiệm vụ" (1.5).
    TitleLow,
    /// Registered after the deadline: shown as late, the criterion only asks for the document.
    LateRegistration,
    /// Several failures and low scores: classified Kém.
    Weak,
    /// Not inspected yet (missing data).
    NoJudgementYet,
    /// Commitments not entered yet (missing data).
    NoCommitmentsYet,
    /// Nothing entered at all.
    NoData,
    /// A commune police officer warned (2.3).
    PoliceWarning,
    /// Commune police without the "Đơn vị tiên tiến" title (2.3).
    PoliceTitleLow,
    /// Fewer than 70% of sub-units with "Tập thể lao động tiên tiến" (3.5, 4.5).
    SubUnitsBelow,
    /// A protection-force member warned (3.4).
    ProtectionWarning,
    /// No internal rules (3.1, 4.1).
    NoInternalRules,
    /// Not every staff member signed (3.1).
    StaffShort,
    /// School violence (4.3).
    SchoolViolence,
    /// Fortune-telling at the place of worship (5.4).
    Superstition,
    /// No guide map for visitors (5.2).
    NoVisitorMap,
}

use Issue::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Area,
    Commune,
    Agency,
    School,
    Worship,
}

impl Type {
    fn code(self) -> &'static str {
        match self {
            Self::Area => "residential_area",
            Self::Commune => "commune",
            Self::Agency => "agency",
            Self::School => "school",
            Self::Worship => "worship_site",
        }
    }

    /// The criterion an issue fails, for scoring.
    fn fails(self, issue: Issue) -> &'static [&'static str] {
        match (self, issue) {
            (Self::Area, HouseholdsShort | NoResolution) => &["1.1"],
            (Self::Area, MissingModel | JudgementNotMet) => &["1.2"],
            (Self::Area, CrimeUp | SeriousCrime | ReportedLate) => &["1.4"],
            (Self::Area, Warning | TitleLow) => &["1.5"],
            (Self::Area, Weak) => &["1.1", "1.4", "1.5"],
            (Self::Commune, MissingModel | SeriousCrime | ReportedLate) => &["2.2"],
            (Self::Commune, PoliceWarning | PoliceTitleLow) => &["2.3"],
            (Self::Commune, Weak) => &["2.4"],
            (Self::Agency, NoInternalRules | StaffShort) => &["3.1"],
            (Self::Agency, ProtectionWarning) => &["3.4"],
            (Self::Agency, SubUnitsBelow) => &["3.5"],
            (Self::School, NoInternalRules) => &["4.1"],
            (Self::School, SchoolViolence) => &["4.3"],
            (Self::School, SubUnitsBelow) => &["4.5"],
            (Self::Worship, NoVisitorMap) => &["5.2"],
            (Self::Worship, Superstition) => &["5.4"],
            _ => &[],
        }
    }
}

/// One write of a unit's facts.
#[derive(Debug, Clone)]
enum Op {
    Register { on: NaiveDate },
    Fact(Fact),
    Complete(FactKind),
    Flag(&'static str, bool),
    Previous(&'static str, u32),
    Judge { criterion: &'static str, part: &'static str, met: bool, note: Option<String>, inspector: String, on: NaiveDate },
    Score { source: ScoreSource, item: String, points: Points, note: Option<&'static str> },
}

/// A unit and the facts to write for it.
#[derive(Debug, Clone)]
struct Subject {
    unit_id: String,
    name: String,
    ty: Type,
    ops: Vec<Op>,
}

#[derive(Debug, Clone, Default)]
struct Plan {
    /// The official units, old and new, with their successor links.
    tree: unit_import::Plan,
    /// The synthetic units.
    units: Vec<NewUnit>,
    subjects: Vec<Subject>,
    /// The units the district's inspection team is assigned to.
    inspected: Vec<String>,
}

/// SplitMix64 seeded from a key: the same key gives the same demo everywhere.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(key: &str) -> Self {
        // FNV-1a.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Self(h)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + u32::try_from(self.next() % u64::from(hi - lo + 1)).unwrap_or(0)
    }

    fn chance(&mut self, percent: u32) -> bool {
        self.range(0, 99) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, u32::try_from(items.len()).unwrap_or(1) - 1) as usize]
    }

    /// A day of 2013 from `from_month` to `to_month`.
    fn day(&mut self, from_month: u32, to_month: u32) -> NaiveDate {
        date(self.range(from_month, to_month), self.range(1, 28))
    }
}

/// A day of the campaign year.
fn date(month: u32, day: u32) -> NaiveDate {
    // Only called with months 1–12 and days 1–28, or fixed dates checked by the tests.
    NaiveDate::from_ymd_opt(YEAR, month, day).unwrap_or(NaiveDate::MIN)
}

fn demo(name: String) -> String {
    format!("{name} {LABEL}")
}

const AREA_NAMES: [&str; 60] = [
    "Phước Yên",
    "Phước Hòa",
    "Phú Thạnh",
    "Phú Hòa",
    "Phú Lợi",
    "Tân Thuận",
    "Tân Hưng",
    "Tân Thới",
    "An Thạnh",
    "An Hòa",
    "An Lợi",
    "Bình Lương",
    "Bình Thuận",
    "Bình Hòa",
    "Long Hòa",
    "Long Thạnh",
    "Long Thuận",
    "Thạnh Mỹ",
    "Thạnh Lợi",
    "Mỹ Hòa",
    "Mỹ Thuận",
    "Mỹ Phú",
    "Hòa Lợi",
    "Hòa Thuận",
    "Hòa Hiệp",
    "Đông Hậu",
    "Đông Thạnh",
    "Tây Hòa",
    "Vĩnh Thuận",
    "Vĩnh Phú",
    "Vĩnh Hòa",
    "Nhơn Hòa",
    "Thông Lưu",
    "Cây Điệp",
    "Cái Sơn",
    "Rạch Sậy",
    "Kinh Xáng",
    "Mương Khai",
    "Gò Ân",
    "Hiếu Hòa",
    "Trung Hòa",
    "Phước Thạnh",
    "Phước Lợi",
    "Tân Quới",
    "Tân Định",
    "Tân Lập",
    "Thuận Tiến",
    "Thuận Phú",
    "Hưng Thạnh",
    "Hưng Lợi",
    "Xuân Hòa",
    "Ngãi Lộ",
    "Mỹ Trung",
    "Phú Xuân",
    "Lộc Thạnh",
    "Thới Thuận",
    "Bờ Kinh",
    "Vàm Đình",
    "Cầu Đúc",
    "Sóc Tro",
];

const WORSHIP_NAMES: [&str; 12] = [
    "Phước Hưng",
    "Long Khánh",
    "Bửu Hòa",
    "Thiên Phước",
    "Minh Hòa",
    "Hưng Thới",
    "Phước Thiện",
    "Tân An",
    "Linh Sơn",
    "Hội Phước",
    "Kim Quang",
    "Vĩnh Phước",
];

/// The district-level unit's name as said inside a sentence: "huyện Long Hồ".
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// The commune's name without its level, unless that leaves only a number ("Phường 9").
fn short_name(name: &str) -> String {
    let rest = ["Thị trấn ", "Phường ", "Xã "].into_iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name);
    if rest.chars().all(|c| c.is_ascii_digit()) { name.to_owned() } else { rest.to_owned() }
}

/// Issues by residential-area number (1-based).
type FixedIssues = Vec<(u32, Vec<Issue>)>;

/// Fixed cases placed in the communes the district, commune and unit-head accounts see, so a
/// demo always shows them: commune code → (number of residential areas, issues by area number).
fn fixed_areas(commune: &str) -> Option<(u32, FixedIssues)> {
    Some(match commune {
        // The commune account's commune: 9 of 13 areas recognised, just below 70%, so the commune
        // is not recognised yet; a shortfall of one household, a reprimand that does not count, a
        // late registration, a missing model, an area not inspected yet and an area that has not
        // registered nor entered anything, for the commune account to register (the browser test
        // does; recognised, it brings the commune to 10 of 13).
        COMMUNE => (
            13,
            vec![
                (3, vec![HouseholdsShort]),
                (5, vec![Reprimand]),
                (6, vec![LateRegistration]),
                (7, vec![MissingModel]),
                (9, vec![NoJudgementYet]),
                (13, vec![NoData]),
            ],
        ),
        // A serious crime in one area fails the area and, through its territory, the commune.
        "29584" => (10, vec![(2, vec![SeriousCrime])]),
        // Exactly 70%: 7 of 10 areas recognised.
        "29587" => (10, vec![(2, vec![Warning]), (5, vec![TitleLow]), (8, vec![CrimeUp])]),
        // Below 70%: 6 of 10.
        "29590" => (10, vec![(1, vec![HouseholdsShort]), (3, vec![NoResolution]), (6, vec![JudgementNotMet]), (9, vec![Weak])]),
        // Its areas have entered everything, the commune nothing yet (see `fixed_commune`).
        "29599" => (9, Vec::new()),
        // A crime reported late.
        "29662" => (8, vec![(2, vec![ReportedLate])]),
        _ => return None,
    })
}

/// Issues of communes themselves, fixed.
fn fixed_commune(commune: &str) -> Option<Vec<Issue>> {
    Some(match commune {
        COMMUNE | "29584" | "29587" | "29590" => Vec::new(),
        "29593" => vec![LateRegistration],
        "29596" => vec![PoliceWarning],
        // The commune's own facts not entered yet; its areas' are.
        "29599" => vec![NoData],
        // Bình Tân: the first three communes have entered nothing.
        "29776" | "29779" | "29782" => vec![NoData],
        _ => return None,
    })
}

fn plan(ruleset: &Ruleset) -> Result<Plan> {
    let rows = gso::province(PROVINCE)?;
    let mut plan = Plan { tree: unit_import::plan(&Lists::shipped()?, &[PROVINCE.to_owned()])?, ..Plan::default() };
    if let Some(p) = plan.tree.units.iter_mut().find(|u| u.id == PROVINCE) {
        p.attributes.insert("ghi_chu".into(), NOTE.into());
    }
    let districts: BTreeMap<String, String> = rows.iter().map(|r| (r.district_code.clone(), r.district_name.clone())).collect();
    for row in rows.iter().filter(|r| !r.code.is_empty()) {
        let district = districts.get(&row.district_code).map(String::as_str).unwrap_or_default();
        commune(ruleset, &mut plan, row, district);
    }
    Ok(plan)
}

/// Everything in one commune: its areas, agencies, schools and places of worship, and the facts.
fn commune(ruleset: &Ruleset, plan: &mut Plan, row: &gso::CommuneRow, district: &str) {
    let code = row.code.as_str();
    let mut rng = Rng::new(code);
    let ctx = Ctx {
        inspector: demo(format!("Đoàn kiểm tra {}", lower_first(district))),
        scored_everywhere: row.district_code == DISTRICT,
        inspected: row.district_code == DISTRICT,
    };
    let commune_issues = fixed_commune(code).unwrap_or_else(|| {
        if rng.chance(85) { Vec::new() } else { vec![rng.pick(&[PoliceTitleLow, LateRegistration, MissingModel, NoJudgementYet])] }
    });
    let nothing = commune_issues.contains(&NoData) && code != "29599";

    // Residential areas.
    let (count, fixed) = fixed_areas(code).unwrap_or_else(|| (rng.range(6, 14), Vec::new()));
    let ward = row.level != "Xã";
    let mut names: Vec<String> = Vec::with_capacity(count as usize);
    let mut pool: Vec<&str> = AREA_NAMES.to_vec();
    while names.len() < count as usize {
        if ward {
            names.push(format!("Khóm {}", names.len() + 1));
            continue;
        }
        let i = rng.range(0, u32::try_from(pool.len()).unwrap_or(1) - 1) as usize;
        let base = pool.swap_remove(i);
        if names.len() + 2 <= count as usize && rng.chance(20) {
            names.push(format!("Ấp {base} A"));
            names.push(format!("Ấp {base} B"));
        } else {
            names.push(format!("Ấp {base}"));
        }
    }
    let mut tally = Tally::default();
    let mut recognised = 0u32;
    for (i, name) in names.into_iter().enumerate() {
        let n = u32::try_from(i).unwrap_or(0) + 1;
        let id = format!("{code}-ap{n:02}");
        let issues = if nothing {
            vec![NoData]
        } else if let Some((_, issues)) = fixed.iter().find(|(k, _)| *k == n) {
            issues.clone()
        } else if fixed_areas(code).is_some() {
            Vec::new()
        } else {
            match rng.range(0, 99) {
                0..80 => Vec::new(),
                80..92 => vec![rng.pick(&[
                    HouseholdsShort,
                    NoResolution,
                    MissingModel,
                    JudgementNotMet,
                    CrimeUp,
                    Warning,
                    TitleLow,
                    LateRegistration,
                    Reprimand,
                ])],
                _ => vec![rng.pick(&[NoJudgementYet, NoCommitmentsYet, NoData])],
            }
        };
        if issues.iter().all(|i| Type::Area.fails(*i).is_empty() && !matches!(i, NoJudgementYet | NoCommitmentsYet | NoData)) {
            recognised += 1;
        }
        let name = demo(name);
        plan.units.push(synthetic(&id, &name, Type::Area, code, BTreeMap::new()));
        let ops = area_ops(ruleset, &ctx, &id, &issues, &mut tally);
        plan.subjects.push(Subject { unit_id: id, name, ty: Type::Area, ops });
    }

    // The commune itself.
    let mut issues = commune_issues.clone();
    if tally.serious {
        issues.push(SeriousCrime);
    }
    if tally.late {
        issues.push(ReportedLate);
    }
    if recognised < antt_core::ruleset::needed_for(70, count) {
        issues.push(Weak);
    }
    if !commune_issues.contains(&NoData) {
        let ops = commune_ops(ruleset, &ctx, code, &issues, &tally);
        plan.subjects.push(Subject { unit_id: code.to_owned(), name: row.name.clone(), ty: Type::Commune, ops });
    }

    // Agencies and enterprises, schools, places of worship.
    let focus = code == COMMUNE;
    let place = short_name(&row.name);
    let agencies = if focus { 2 } else { rng.range(1, 2) };
    let schools = if focus { 2 } else { rng.range(1, 2) };
    let worship = if focus { 1 } else { rng.pick(&[0, 1, 1, 2]) };
    let mut templates: Vec<AgencyTemplate> = AGENCIES.to_vec();
    for n in 1..=agencies {
        let t = templates.swap_remove(if focus { 0 } else { rng.range(0, u32::try_from(templates.len()).unwrap_or(1) - 1) as usize });
        let id = format!("{code}-cq{n:02}");
        let name = demo(t.name.replace("{}", &if t.name.starts_with("Trạm") { lower_first(&row.name) } else { place.clone() }));
        let size = if t.sizes.len() == 1 { t.sizes[0] } else { rng.pick(t.sizes) };
        let attributes = BTreeMap::from([("armed_forces".to_owned(), "false".to_owned()), ("enterprise_size".to_owned(), size.to_owned())]);
        plan.units.push(synthetic(&id, &name, Type::Agency, code, attributes));
        let issues = if nothing {
            vec![NoData]
        } else if focus && n == 1 {
            vec![SubUnitsBelow]
        } else if focus || rng.chance(85) {
            Vec::new()
        } else {
            vec![rng.pick(&[SubUnitsBelow, ProtectionWarning, NoInternalRules, StaffShort, NoData])]
        };
        let ops = agency_ops(ruleset, &ctx, &id, &issues, t.sub_units);
        plan.subjects.push(Subject { unit_id: id, name, ty: Type::Agency, ops });
    }
    let mut levels: Vec<SchoolLevel> = SCHOOLS.to_vec();
    for n in 1..=schools {
        let i = if focus {
            // The commune account's commune: a primary and a lower-secondary school.
            levels.iter().position(|l| l.code == if n == 1 { "primary" } else { "lower_secondary" }).unwrap_or(0)
        } else {
            rng.range(0, u32::try_from(levels.len()).unwrap_or(1) - 1) as usize
        };
        let level = levels.swap_remove(i);
        let id = format!("{code}-tr{n:02}");
        let name = demo(format!("{} {place}", level.name));
        let attributes = BTreeMap::from([("education_level".to_owned(), level.code.to_owned())]);
        plan.units.push(synthetic(&id, &name, Type::School, code, attributes));
        let issues = if nothing {
            vec![NoData]
        } else if focus || rng.chance(85) {
            Vec::new()
        } else {
            vec![rng.pick(&[SubUnitsBelow, SchoolViolence, NoInternalRules, NoData])]
        };
        let ops = school_ops(ruleset, &ctx, &id, &issues, level);
        plan.subjects.push(Subject { unit_id: id, name, ty: Type::School, ops });
    }
    let mut worship_names: Vec<&str> = WORSHIP_NAMES.to_vec();
    for n in 1..=worship {
        let base = worship_names.swap_remove(rng.range(0, u32::try_from(worship_names.len()).unwrap_or(1) - 1) as usize);
        let kind = if focus {
            "Chùa"
        } else {
            rng.pick(&["Chùa", "Thánh thất Cao Đài", "Nhà thờ Giáo xứ", "Đình", "Tịnh xá Ngọc"])
        };
        let id = format!("{code}-tt{n:02}");
        let name = demo(format!("{kind} {base}"));
        plan.units.push(synthetic(&id, &name, Type::Worship, code, BTreeMap::new()));
        let issues = if nothing {
            vec![NoData]
        } else if focus {
            vec![Superstition]
        } else if rng.chance(85) {
            Vec::new()
        } else {
            vec![rng.pick(&[Superstition, NoVisitorMap, NoData])]
        };
        let ops = worship_ops(ruleset, &ctx, &id, &issues);
        plan.subjects.push(Subject { unit_id: id, name, ty: Type::Worship, ops });
    }
    if ctx.inspected {
        plan.inspected.push(code.to_owned());
        let prefix = format!("{code}-");
        plan.inspected.extend(plan.units.iter().filter(|u| u.id.starts_with(&prefix)).map(|u| u.id.clone()));
    }
}

fn synthetic(id: &str, name: &str, ty: Type, parent: &str, attributes: BTreeMap<String, String>) -> NewUnit {
    NewUnit {
        id: id.to_owned(),
        name: name.to_owned(),
        unit_type: ty.code().to_owned(),
        parent_id: Some(parent.to_owned()),
        attributes,
        is_demo: true,
        ..NewUnit::default()
    }
}

/// What the generators of one commune share.
#[derive(Debug)]
struct Ctx {
    inspector: String,
    /// Every unit of the district has a self-score (elsewhere one in five).
    scored_everywhere: bool,
    inspected: bool,
}

/// The incidents of a commune's areas, which its own previous-year counts must be compared to.
#[derive(Debug, Default)]
struct Tally {
    crime: u32,
    traffic: u32,
    serious: bool,
    late: bool,
}

#[derive(Debug, Clone, Copy)]
struct AgencyTemplate {
    name: &'static str,
    sizes: &'static [&'static str],
    sub_units: &'static [&'static str],
}

const AGENCIES: [AgencyTemplate; 6] = [
    AgencyTemplate {
        name: "Trạm Y tế {}",
        sizes: &["not_enterprise"],
        sub_units: &["Tổ Khám chữa bệnh", "Tổ Dược", "Tổ Y tế dự phòng", "Tổ Dân số – Kế hoạch hóa gia đình", "Tổ Hành chính"],
    },
    AgencyTemplate {
        name: "Quỹ Tín dụng nhân dân {}",
        sizes: &["small", "medium"],
        sub_units: &["Phòng Tín dụng", "Phòng Kế toán – Ngân quỹ", "Tổ Kiểm soát", "Tổ Hành chính", "Tổ Bảo vệ"],
    },
    AgencyTemplate {
        name: "Công ty TNHH Thủy sản {}",
        sizes: &["small", "medium", "large"],
        sub_units: &["Phòng Hành chính – Nhân sự", "Phòng Kế toán", "Phân xưởng chế biến", "Tổ Bảo vệ", "Tổ Kỹ thuật"],
    },
    AgencyTemplate {
        name: "Hợp tác xã Nông nghiệp {}",
        sizes: &["micro", "small"],
        sub_units: &["Tổ Sản xuất", "Tổ Dịch vụ", "Tổ Kế toán", "Tổ Bảo vệ"],
    },
    AgencyTemplate {
        name: "Công ty Cổ phần Lương thực {}",
        sizes: &["medium", "large"],
        sub_units: &["Phòng Kinh doanh", "Phòng Kế toán", "Nhà máy xay xát", "Tổ Bảo vệ", "Tổ Vận chuyển"],
    },
    AgencyTemplate {
        name: "Doanh nghiệp tư nhân Gạch ngói {}",
        sizes: &["micro", "small"],
        sub_units: &["Tổ Sản xuất", "Tổ Lò nung", "Tổ Hành chính"],
    },
];

#[derive(Debug, Clone, Copy)]
struct SchoolLevel {
    name: &'static str,
    code: &'static str,
    learners: Option<&'static str>,
    sub_units: &'static [&'static str],
}

const SCHOOLS: [SchoolLevel; 4] = [
    SchoolLevel {
        name: "Trường Mầm non", code: "preschool", learners: None, sub_units: &["Tổ Nhà trẻ", "Tổ Mẫu giáo", "Tổ Văn phòng"]
    },
    SchoolLevel {
        name: "Trường Tiểu học",
        code: "primary",
        learners: Some("learners_primary"),
        sub_units: &["Tổ Khối 1", "Tổ Khối 2", "Tổ Khối 3", "Tổ Khối 4 – 5", "Tổ Văn phòng"],
    },
    SchoolLevel {
        name: "Trường THCS",
        code: "lower_secondary",
        learners: Some("learners_lower_secondary"),
        sub_units: &["Tổ Toán – Tin", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Khoa học tự nhiên", "Tổ Văn phòng"],
    },
    SchoolLevel {
        name: "Trường THPT",
        code: "upper_secondary",
        learners: Some("learners_upper_secondary"),
        sub_units: &["Tổ Toán", "Tổ Vật lý – Công nghệ", "Tổ Ngữ văn", "Tổ Ngoại ngữ", "Tổ Sử – Địa – GDCD", "Tổ Văn phòng"],
    },
];

// --- Fact builders ---------------------------------------------------------------------------

fn document(kind: &str, number: Option<String>, on: NaiveDate) -> Op {
    Op::Fact(Fact::Document(Document { kind: kind.to_owned(), number, date: Some(on) }))
}

fn commitment(group: &str, signed: u32, total: u32) -> Op {
    Op::Fact(Fact::Commitment(Commitment::new(group, signed, total)))
}

#[derive(Debug, Clone, Copy)]
struct Event<'a> {
    kind: &'a str,
    on: NaiveDate,
    severity: Option<Severity>,
    by_own_people: bool,
    reported: Option<bool>,
    note: &'a str,
}

fn incident(e: Event<'_>) -> Op {
    Op::Fact(Fact::Incident(Incident {
        severity: e.severity,
        by_own_people: e.by_own_people,
        reported_promptly: e.reported,
        note: Some(demo(e.note.to_owned())),
        ..Incident::new(e.kind, e.on)
    }))
}

fn discipline(force: &str, level: DisciplineLevel, on: NaiveDate, person: &str) -> Op {
    Op::Fact(Fact::Discipline(Discipline { person: Some(demo(person.to_owned())), ..Discipline::new(force, level, on) }))
}

fn title(force: &str, scale: &str, level: &str) -> Op {
    Op::Fact(Fact::Title(Title { force: force.to_owned(), scale: scale.to_owned(), level: level.to_owned() }))
}

fn sub_unit(name: &str, level: Option<&str>) -> Op {
    let titles = level.map(|l| SubUnitTitle { scale: "collective_labour".to_owned(), level: l.to_owned() }).into_iter().collect();
    Op::Fact(Fact::SubUnit(SubUnit { name: demo(name.to_owned()), titles }))
}

fn judge(ctx: &Ctx, rng: &mut Rng, criterion: &'static str, part: &'static str, met: bool, note: Option<&str>) -> Op {
    Op::Judge {
        criterion,
        part,
        met,
        note: note.map(|n| demo(n.to_owned())),
        inspector: ctx.inspector.clone(),
        on: date(10, rng.range(11, 18)),
    }
}

const PERSONS: [&str; 8] =
    ["Lê Văn Năm", "Trần Văn Bảy", "Nguyễn Văn Út", "Phạm Văn Sáu", "Huỳnh Văn Tám", "Võ Văn Chín", "Đặng Văn Mười", "Bùi Văn Tư"];

/// Self-scores (and for some units reviewed scores) on the ruleset's frame: high on criteria the
/// unit meets, lower on those it fails, low everywhere for a weak unit.
fn scores(ruleset: &Ruleset, ctx: &Ctx, rng: &mut Rng, ty: Type, issues: &[Issue], ops: &mut Vec<Op>) {
    if issues.contains(&NoData) || !(ctx.scored_everywhere || rng.chance(20)) {
        return;
    }
    let Some(frame) = ruleset.scoring.frames.get(ty.code()) else { return };
    let failing: Vec<&str> = issues.iter().flat_map(|i| ty.fails(*i).iter().copied()).collect();
    let weak = issues.contains(&Weak) && ty == Type::Area;
    // Some units that fail a criterion are middling on the others too.
    let middling = !failing.is_empty() && rng.chance(35);
    let reviewed = rng.chance(55);
    for item in &frame.items {
        let fails = failing.contains(&item.id.as_str());
        let percent = match (weak, fails) {
            (true, true) => rng.range(20, 35),
            (true, false) => rng.range(50, 65),
            (false, true) => rng.range(40, 60),
            (false, false) if middling => rng.range(60, 80),
            (false, false) => rng.range(85, 100),
        };
        // Whole and half points.
        let self_tenths = item.max.tenths() * percent / 100 / 5 * 5;
        ops.push(Op::Score {
            source: ScoreSource::SelfAssessed,
            item: item.id.clone(),
            points: Points::from_tenths(self_tenths),
            note: None,
        });
        if reviewed {
            let cut = if rng.chance(35) { rng.range(1, 4) * 5 } else { 0 };
            let note = (cut > 0).then_some("Đoàn kiểm tra trừ điểm do hồ sơ, tài liệu chưa đầy đủ (minh họa)");
            ops.push(Op::Score {
                source: ScoreSource::Reviewed,
                item: item.id.clone(),
                points: Points::from_tenths(self_tenths.saturating_sub(cut)),
                note,
            });
        }
    }
}

fn area_ops(ruleset: &Ruleset, ctx: &Ctx, id: &str, issues: &[Issue], tally: &mut Tally) -> Vec<Op> {
    let mut ops = Vec::new();
    if issues.contains(&NoData) {
        return ops;
    }
    let mut rng = Rng::new(id);
    let has = |i: Issue| issues.contains(&i);
    let weak = has(Weak);
    ops.push(Op::Register { on: if has(LateRegistration) { date(6, 4) } else { date(5, rng.range(8, 22)) } });
    if !has(NoResolution) && !weak {
        ops.push(document("party_resolution", Some(format!("{:02}-NQ/CB", rng.range(1, 12))), date(5, rng.range(3, 15))));
    }
    if !has(MissingModel) {
        ops.push(document("self_management_model", None, date(rng.range(1, 4), rng.range(1, 28))));
    }
    if !has(NoCommitmentsYet) {
        let total = if has(HouseholdsShort) { 250 } else { rng.range(90, 420) };
        let signed = if has(HouseholdsShort) {
            249
        } else if weak {
            total * 85 / 100
        } else {
            total
        };
        ops.push(commitment("households", signed, total));
    }
    // Incidents and the previous year's counts.
    let (mut crime, mut traffic) = (0u32, 0u32);
    let mut events: Vec<Op> = Vec::new();
    if has(SeriousCrime) {
        events.push(incident(Event {
            kind: "crime",
            on: rng.day(6, 9),
            severity: Some(Severity::NghiemTrong),
            by_own_people: false,
            reported: Some(true),
            note: "Cướp giật tài sản trên tuyến đường liên ấp, do đối tượng ngoài địa phương thực hiện",
        }));
        crime += 1;
        tally.serious = true;
    }
    if has(ReportedLate) {
        events.push(incident(Event {
            kind: "crime",
            on: rng.day(3, 8),
            severity: Some(Severity::ItNghiemTrong),
            by_own_people: false,
            reported: Some(false),
            note: "Trộm cắp tài sản, phát hiện nhưng không báo cáo kịp thời",
        }));
        crime += 1;
        tally.late = true;
    }
    if has(CrimeUp) || weak {
        for _ in 0..3 {
            events.push(incident(Event {
                kind: "crime",
                on: rng.day(1, 10),
                severity: Some(Severity::ItNghiemTrong),
                by_own_people: false,
                reported: Some(true),
                note: "Trộm cắp vặt tài sản của người dân",
            }));
            crime += 1;
        }
    } else if issues.is_empty() && rng.chance(30) {
        if rng.chance(50) {
            events.push(incident(Event {
                kind: "crime",
                on: rng.day(1, 10),
                severity: Some(Severity::ItNghiemTrong),
                by_own_people: false,
                reported: Some(true),
                note: "Trộm cắp tài sản (xe đạp)",
            }));
            crime += 1;
        } else {
            events.push(incident(Event {
                kind: "traffic_accident",
                on: rng.day(1, 10),
                severity: Some(Severity::ItNghiemTrong),
                by_own_people: true,
                reported: None,
                note: "Va chạm giao thông, không có thương vong nghiêm trọng",
            }));
            traffic += 1;
        }
    }
    if events.is_empty() {
        ops.push(Op::Complete(FactKind::Incidents));
    } else {
        ops.extend(events);
    }
    let previous_crime = if has(CrimeUp) || weak { 1 } else { crime + rng.range(0, 3) };
    ops.push(Op::Previous("crime", previous_crime));
    if traffic > 0 || rng.chance(50) {
        ops.push(Op::Previous("traffic_accident", traffic + rng.range(0, 2)));
    }
    tally.crime += crime;
    tally.traffic += traffic;
    // The grassroots force.
    if has(Warning) {
        ops.push(discipline(
            "grassroots_security",
            DisciplineLevel::CanhCao,
            rng.day(4, 9),
            &format!("Công an viên {}", rng.pick(&PERSONS)),
        ));
    } else if has(Reprimand) {
        ops.push(discipline(
            "grassroots_security",
            DisciplineLevel::KhienTrach,
            rng.day(4, 9),
            &format!("Công an viên {}", rng.pick(&PERSONS)),
        ));
    } else {
        ops.push(Op::Complete(FactKind::Discipline));
    }
    let level = if has(TitleLow) || weak { "hoan_thanh" } else { rng.pick(&["hoan_thanh_tot", "hoan_thanh_tot", "hoan_thanh_xuat_sac"]) };
    ops.push(title("grassroots_security", "task_rating", level));
    if has(JudgementNotMet) {
        ops.push(judge(ctx, &mut rng, "1.2", "a", false, Some("Triển khai chủ trương, chính sách, pháp luật ở khu dân cư còn hình thức")));
    } else if !has(NoJudgementYet) {
        ops.push(judge(ctx, &mut rng, "1.2", "a", true, None));
    }
    scores(ruleset, ctx, &mut rng, Type::Area, issues, &mut ops);
    ops
}

fn commune_ops(ruleset: &Ruleset, ctx: &Ctx, code: &str, issues: &[Issue], tally: &Tally) -> Vec<Op> {
    let mut rng = Rng::new(&format!("{code}/commune"));
    let has = |i: Issue| issues.contains(&i);
    let mut ops = vec![
        Op::Register { on: if has(LateRegistration) { date(6, 3) } else { date(5, rng.range(10, 22)) } },
        document("party_resolution", Some(format!("{:02}-NQ/ĐU", rng.range(10, 40))), date(5, rng.range(3, 9))),
        document("security_plan", Some(format!("{:02}/KH-UBND", rng.range(20, 90))), date(5, rng.range(6, 12))),
    ];
    if !has(MissingModel) {
        ops.push(document("self_management_model", None, date(rng.range(1, 4), rng.range(1, 28))));
    }
    ops.push(Op::Complete(FactKind::Incidents));
    ops.push(Op::Previous("crime", tally.crime + rng.range(0, 4)));
    ops.push(Op::Previous("traffic_accident", tally.traffic + rng.range(0, 3)));
    if has(PoliceWarning) {
        ops.push(discipline("commune_police", DisciplineLevel::CanhCao, rng.day(5, 9), &format!("Công an xã {}", rng.pick(&PERSONS))));
    } else {
        ops.push(Op::Complete(FactKind::Discipline));
    }
    let level = if has(PoliceTitleLow) { "khong_dat" } else { rng.pick(&["don_vi_tien_tien", "don_vi_tien_tien", "don_vi_quyet_thang"]) };
    ops.push(title("commune_police", "police_unit", level));
    if !has(NoJudgementYet) {
        ops.push(judge(ctx, &mut rng, "2.2", "k2a", true, None));
    }
    scores(ruleset, ctx, &mut rng, Type::Commune, issues, &mut ops);
    ops
}

fn agency_ops(ruleset: &Ruleset, ctx: &Ctx, id: &str, issues: &[Issue], sub_units: &[&str]) -> Vec<Op> {
    let mut ops = Vec::new();
    if issues.contains(&NoData) {
        return ops;
    }
    let mut rng = Rng::new(id);
    let has = |i: Issue| issues.contains(&i);
    let party = rng.chance(70);
    ops.push(Op::Flag("party_organisation", party));
    ops.push(Op::Register { on: date(5, rng.range(8, 22)) });
    if party {
        ops.push(document("party_resolution", Some(format!("{:02}-NQ/CB", rng.range(1, 20))), date(5, rng.range(3, 10))));
    }
    ops.push(document("security_plan", Some(format!("{:02}/KH", rng.range(1, 30))), date(5, rng.range(5, 15))));
    if !has(NoInternalRules) {
        ops.push(document("internal_rules", Some(format!("{:02}/QĐ", rng.range(1, 30))), date(rng.range(1, 4), rng.range(1, 28))));
    }
    ops.push(document("coordination_plan", None, date(5, rng.range(10, 25))));
    ops.push(document("self_management_model", None, date(rng.range(1, 5), rng.range(1, 28))));
    let staff = rng.range(12, 180);
    ops.push(commitment("staff", if has(StaffShort) { staff - 3 } else { staff }, staff));
    ops.push(Op::Complete(FactKind::Incidents));
    if has(ProtectionWarning) {
        ops.push(discipline(
            "protection_force",
            DisciplineLevel::CanhCao,
            rng.day(3, 9),
            &format!("Nhân viên bảo vệ {}", rng.pick(&PERSONS)),
        ));
    } else {
        ops.push(Op::Complete(FactKind::Discipline));
    }
    ops.push(title("protection_force", "collective_labour", rng.pick(&["tien_tien", "tien_tien", "xuat_sac"])));
    ops.extend(sub_unit_ops(&mut rng, sub_units, has(SubUnitsBelow)));
    ops.push(judge(ctx, &mut rng, "3.2", "a", true, None));
    scores(ruleset, ctx, &mut rng, Type::Agency, issues, &mut ops);
    ops
}

/// Sub-units with their titles: at least 70% titled, or 3 of 5 when `below`.
fn sub_unit_ops(rng: &mut Rng, names: &[&str], below: bool) -> Vec<Op> {
    let total = if below { 5.min(names.len()) } else { (rng.range(3, 5) as usize).min(names.len()) };
    let total_u32 = u32::try_from(total).unwrap_or(0);
    let titled = if below { total_u32 * 3 / 5 } else { antt_core::ruleset::needed_for(70, total_u32).max(total_u32 - 1) };
    names
        .iter()
        .take(total)
        .enumerate()
        .map(|(i, name)| {
            let level = (u32::try_from(i).unwrap_or(0) < titled).then(|| rng.pick(&["tien_tien", "tien_tien", "xuat_sac"]));
            sub_unit(name, level)
        })
        .collect()
}

fn school_ops(ruleset: &Ruleset, ctx: &Ctx, id: &str, issues: &[Issue], level: SchoolLevel) -> Vec<Op> {
    let mut ops = Vec::new();
    if issues.contains(&NoData) {
        return ops;
    }
    let mut rng = Rng::new(id);
    let has = |i: Issue| issues.contains(&i);
    let party = rng.chance(85);
    let protection = rng.chance(50);
    let general = level.code != "preschool";
    ops.push(Op::Flag("party_organisation", party));
    ops.push(Op::Flag("protection_force", protection));
    ops.push(Op::Flag("general_education", general));
    // The school year starts on 01/06; registration within 20 days.
    ops.push(Op::Register { on: date(6, rng.range(5, 20)) });
    if party {
        ops.push(document("party_resolution", Some(format!("{:02}-NQ/CB", rng.range(1, 20))), date(6, rng.range(2, 12))));
    }
    ops.push(document("security_plan", Some(format!("{:02}/KH-NT", rng.range(1, 30))), date(6, rng.range(3, 15))));
    if !has(NoInternalRules) {
        ops.push(document("internal_rules", None, date(6, rng.range(1, 20))));
    }
    ops.push(document("coordination_plan", None, date(6, rng.range(5, 25))));
    if general {
        ops.push(document("parents_coordination", None, date(rng.range(8, 9), rng.range(1, 28))));
    }
    ops.push(document("self_management_model", None, date(rng.range(6, 9), rng.range(1, 28))));
    let staff = rng.range(4, 15);
    let teachers = rng.range(12, 60);
    ops.push(commitment("staff", staff, staff));
    ops.push(commitment("teachers", teachers, teachers));
    if let Some(group) = level.learners {
        let learners = rng.range(250, 900);
        // Primary pupils do not sign; the list shows them as not counted.
        ops.push(commitment(group, if group == "learners_primary" { 0 } else { learners }, learners));
    }
    if matches!(level.learners, None | Some("learners_primary")) {
        // No learner from lower secondary up: recorded as none (0/0), as the ruleset asks.
        ops.push(commitment("learners_lower_secondary", 0, 0));
    }
    if has(SchoolViolence) {
        ops.push(incident(Event {
            kind: "school_violence",
            on: date(11, rng.range(4, 20)),
            severity: None,
            by_own_people: true,
            reported: Some(true),
            note: "Nhóm học sinh đánh nhau ngoài cổng trường",
        }));
    } else {
        ops.push(Op::Complete(FactKind::Incidents));
    }
    if protection {
        ops.push(Op::Complete(FactKind::Discipline));
        ops.push(title("protection_force", "collective_labour", "tien_tien"));
    }
    ops.extend(sub_unit_ops(&mut rng, level.sub_units, has(SubUnitsBelow)));
    ops.push(judge(ctx, &mut rng, "4.2", "a", true, None));
    scores(ruleset, ctx, &mut rng, Type::School, issues, &mut ops);
    ops
}

fn worship_ops(ruleset: &Ruleset, ctx: &Ctx, id: &str, issues: &[Issue]) -> Vec<Op> {
    let mut ops = Vec::new();
    if issues.contains(&NoData) {
        return ops;
    }
    let mut rng = Rng::new(id);
    let has = |i: Issue| issues.contains(&i);
    ops.push(Op::Register { on: date(5, rng.range(8, 22)) });
    ops.push(document("worship_program", None, date(rng.range(1, 3), rng.range(1, 28))));
    ops.push(document("security_plan", None, date(5, rng.range(5, 15))));
    ops.push(document("internal_rules", None, date(rng.range(1, 4), rng.range(1, 28))));
    ops.push(document("coordination_plan", None, date(5, rng.range(10, 25))));
    if !has(NoVisitorMap) {
        ops.push(document("visitor_guide_map", None, date(rng.range(1, 5), rng.range(1, 28))));
    }
    ops.push(document("self_management_model", None, date(rng.range(1, 5), rng.range(1, 28))));
    let (d, o, f) = (rng.range(1, 4), rng.range(2, 12), rng.range(60, 800));
    ops.push(commitment("dignitaries", d, d));
    ops.push(commitment("officials", o, o));
    ops.push(commitment("followers", f, f));
    if has(Superstition) {
        ops.push(incident(Event {
            kind: "superstition",
            on: rng.day(7, 9),
            severity: None,
            by_own_people: false,
            reported: Some(true),
            note: "Người ngoài vào khuôn viên xem bói, bán bùa trong dịp lễ",
        }));
    } else {
        ops.push(Op::Complete(FactKind::Incidents));
    }
    ops.push(judge(ctx, &mut rng, "5.2", "a", true, None));
    scores(ruleset, ctx, &mut rng, Type::Worship, issues, &mut ops);
    ops
}

// ---------------------------------------------------------------------------------------------
// Writing the plan.

async fn write(tx: &mut Tx<'_>, ruleset: &Ruleset, plan: &Plan) -> Result<()> {
    unit_import::write(tx, None, &plan.tree).await?;
    units::insert_many(tx, None, &plan.units).await?;
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (username, role, unit_id, full_name) in USERS {
        let id = users::create(tx, None, username, full_name, PASSWORD).await?;
        users::grant(tx, None, &id, role, unit_id).await?;
        if NEW_PROVINCE_USERS.contains(&username) {
            users::grant(tx, None, &id, role, &unit_import::new_id(PROVINCE)).await?;
        }
        ids.insert(username, id);
    }
    let admin = ids.get("tinh").cloned().unwrap_or_default();
    let inspector = ids.get("kiemtra").cloned().unwrap_or_default();
    let plan_date = date(5, 2);
    let campaign = campaigns::create(
        tx,
        Some(&admin),
        &campaigns::NewCampaign {
            scope_unit_id: PROVINCE.into(),
            year: YEAR,
            plan_number: Some(PLAN_NUMBER.into()),
            plan_date,
            ruleset: RULESET.into(),
            ruleset_version: None,
            settings: BTreeMap::new(),
            title: TITLE.into(),
        },
    )
    .await?;
    let calendar = Calendar::new(&ruleset.timeline, ruleset.unit_types.iter().map(|t| &t.code), &campaign.to_core(), &ruleset.settings)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;

    // The district's inspection team, with the inspector account as its leader.
    let by = inspection::By { user_id: &admin, campaign_id: &campaign.id, scope_unit_id: PROVINCE };
    let team = inspection::create_team(
        tx,
        by,
        &inspection::TeamInput { name: "Đoàn kiểm tra huyện Long Hồ (minh họa)", starts_on: date(10, 11), ends_on: date(10, 20) },
    )
    .await?;
    inspection::add_member(tx, by, &team, &inspector, inspection::LEADER).await?;
    for unit_id in &plan.inspected {
        inspection::assign(tx, by, &team, unit_id).await?;
    }

    let inspected: std::collections::HashSet<&str> = plan.inspected.iter().map(String::as_str).collect();
    for s in &plan.subjects {
        let inspected = inspected.contains(s.unit_id.as_str());
        let w = Writer { user_id: &admin, campaign_id: &campaign.id, unit_id: &s.unit_id };
        for op in &s.ops {
            match op {
                Op::Register { on } => {
                    let criteria: BTreeMap<String, Pledge> =
                        ruleset.criteria_for(s.ty.code()).map(|c| (c.id.clone(), Pledge { pledged: true, note: None })).collect();
                    let deadline = calendar.by_type.get(s.ty.code()).map(|d| d.registration_deadline);
                    let copy = serde_json::json!({
                        "unit_id": s.unit_id,
                        "unit_name": s.name,
                        "unit_type": s.ty.code(),
                        "campaign": campaign.title,
                        "plan_number": PLAN_NUMBER,
                        "registered_on": on.format("%Y-%m-%d").to_string(),
                        "pledges": criteria,
                    });
                    let submission = Submission {
                        pledges: &criteria,
                        registered_on: *on,
                        on_time: deadline.is_none_or(|d| *on <= d),
                        copy,
                        receipt_prefix: "PV28-2013",
                        replaces_version: None,
                    };
                    registrations::submit(tx, w, &submission).await?;
                }
                Op::Fact(fact) => {
                    facts::insert(tx, w, fact).await?;
                }
                Op::Complete(kind) => facts::declare_complete(tx, w, *kind).await?,
                Op::Flag(flag, value) => facts::set_flag(tx, w, flag, *value).await?,
                Op::Previous(kind, count) => facts::set_previous_year(tx, w, kind, *count).await?,
                Op::Judge { criterion, part, met, note, inspector: name, on } => {
                    let j = JudgementInput { criterion, part, met: *met, note: note.as_deref(), inspector: name, on: *on };
                    let by_inspector = Writer { user_id: if inspected { &inspector } else { &admin }, ..w };
                    facts::set_judgement(tx, by_inspector, &j).await?;
                }
                Op::Score { source, item, points, note } => {
                    let by = if *source == ScoreSource::Reviewed && inspected { &inspector } else { &admin };
                    facts::set_score(tx, Writer { user_id: by, ..w }, *source, item, *points, *note).await?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn the_plan() -> Plan {
        let ruleset = antt_core::ruleset::built_in_named(RULESET).expect("rulesets load").expect("vinh-long-2013 is built in");
        plan(&ruleset).expect("the demo plans")
    }

    #[test]
    fn the_plan_is_the_same_every_time() {
        let (a, b) = (the_plan(), the_plan());
        let names = |p: &Plan| p.units.iter().map(|u| (u.id.clone(), u.name.clone())).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_eq!(a.subjects.iter().map(|s| s.ops.len()).sum::<usize>(), b.subjects.iter().map(|s| s.ops.len()).sum::<usize>());
    }

    #[test]
    fn names_are_unique_in_each_commune_and_synthetic_ones_are_labelled() {
        let p = the_plan();
        let mut seen = std::collections::BTreeSet::new();
        for u in &p.units {
            assert!(seen.insert((u.parent_id.clone(), u.name.clone())), "{} twice", u.name);
            assert_eq!(u.is_demo, u.name.ends_with(LABEL), "{}", u.name);
        }
        assert!(p.units.iter().any(|u| u.id == AREA));
    }

    #[test]
    fn fixed_dates_exist() {
        assert_eq!(date(5, 2), NaiveDate::from_ymd_opt(2013, 5, 2).expect("a date"));
        assert_eq!(date(6, 4).to_string(), "2013-06-04");
    }
}
