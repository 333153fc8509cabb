//! Timelines: registration deadlines, evaluation periods, inspection windows, decision and
//! classification deadlines and recognising authorities, as ruleset data; and the dates they
//! give for one campaign.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::Campaign;
use crate::ruleset::Setting;

/// A day of the year relative to the campaign year: `11-01`, `previous 11-01`, `next 05-31`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnualDate {
    pub month: u32,
    pub day: u32,
    /// 0 for the campaign year, -1 for the year before, 1 for the year after.
    pub year_offset: i32,
}

impl AnnualDate {
    pub fn in_year(self, campaign_year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(campaign_year + self.year_offset, self.month, self.day)
    }
}

impl fmt::Display for AnnualDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year_offset {
            -1 => write!(f, "previous ")?,
            1 => write!(f, "next ")?,
            _ => {}
        }
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl std::str::FromStr for AnnualDate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (year_offset, md) = match s.trim().split_once(' ') {
            Some(("previous", md)) => (-1, md),
            Some(("next", md)) => (1, md),
            Some((word, _)) => return Err(format!("`{word}` không hợp lệ (dùng previous hoặc next)")),
            None => (0, s.trim()),
        };
        let bad = || format!("ngày `{s}` không đúng dạng MM-DD");
        let (m, d) = md.split_once('-').ok_or_else(bad)?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        // 2000 is a leap year, so 02-29 is accepted as a day of the year.
        NaiveDate::from_ymd_opt(2000, month, day).ok_or_else(bad)?;
        Ok(Self { month, day, year_offset })
    }
}

impl Serialize for AnnualDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AnnualDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub registration: Vec<ForTypes<RegistrationRule>>,
    pub evaluation_period: Vec<ForTypes<Period>>,
    #[serde(default)]
    pub inspection: Option<Window>,
    #[serde(default)]
    pub decision_deadline: Vec<ForTypes<Deadline>>,
    #[serde(default)]
    pub classification_deadline: Vec<ForTypes<Deadline>>,
    pub authority: Vec<ForTypes<AuthorityRule>>,
}

/// A rule that holds for some unit types.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ForTypes<T> {
    pub unit_types: Vec<String>,
    #[serde(flatten)]
    pub rule: T,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationRule {
    /// Within N days after the plan's issue date; the Nth day is the last day on time.
    DaysAfterPlan(u32),
    /// Within N days after the start of the unit's evaluation period (school years).
    DaysAfterPeriodStart(u32),
    /// By a fixed day of the campaign year (e.g. the end of Quarter I).
    By(AnnualDate),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: AnnualDate,
    pub to: AnnualDate,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub from: AnnualDate,
    pub to: AnnualDate,
    /// How the source says it, e.g. "trung tuần tháng 10".
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// The last day on time ("trước ngày 15/11" is written as the 14th).
    pub last_day: AnnualDate,
    pub text: String,
}

/// Who recognises units of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authority {
    CommuneCommittee,
    DistrictCommittee,
    ProvinceCommittee,
    Ministry,
    /// The committee of the level that manages the unit.
    ManagingLevel,
}

impl Authority {
    pub fn name(self) -> &'static str {
        match self {
            Self::CommuneCommittee => "Chủ tịch UBND cấp xã",
            Self::DistrictCommittee => "Chủ tịch UBND cấp huyện",
            Self::ProvinceCommittee => "Chủ tịch UBND cấp tỉnh",
            Self::Ministry => "Bộ trưởng Bộ Công an",
            Self::ManagingLevel => "Chủ tịch UBND cấp quản lý trực tiếp",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(code)).ok()
    }

    /// The committee that recognises a unit: given the unit types of its ancestors from the root
    /// down, the position of the nearest one at the level this authority names (`None` for the
    /// Ministry, or when the tree has no such level above the unit).
    pub fn committee_among(self, ancestor_types: &[&str]) -> Option<usize> {
        let nearest = |wanted: &dyn Fn(&str) -> bool| ancestor_types.iter().rposition(|t| wanted(t));
        match self {
            Self::CommuneCommittee => nearest(&|t| t == "commune"),
            Self::DistrictCommittee => nearest(&|t| t == "district"),
            Self::ProvinceCommittee => nearest(&|t| t == "province"),
            Self::ManagingLevel => nearest(&|t| matches!(t, "commune" | "district" | "province")),
            Self::Ministry => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityRule {
    Fixed(Authority),
    /// Chosen per campaign through a ruleset setting.
    Setting(String),
}

impl Timeline {
    /// Problems as (place, message): unknown unit types, a type without a rule or with two,
    /// an authority setting that is undeclared or allows a value that is not an authority.
    pub(crate) fn problems(&self, known_type: &dyn Fn(&str) -> bool, settings: &BTreeMap<String, Setting>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        check_rules(&mut out, "registration", &self.registration, known_type, true);
        check_rules(&mut out, "evaluation_period", &self.evaluation_period, known_type, true);
        check_rules(&mut out, "decision_deadline", &self.decision_deadline, known_type, false);
        check_rules(&mut out, "classification_deadline", &self.classification_deadline, known_type, false);
        check_rules(&mut out, "authority", &self.authority, known_type, true);
        for (i, r) in self.authority.iter().enumerate() {
            if let AuthorityRule::Setting(name) = &r.rule {
                match settings.get(name) {
                    None => out.push((format!("authority[{i}]"), format!("thiết lập `{name}` chưa được khai báo trong settings"))),
                    Some(s) => {
                        for value in &s.allowed {
                            if Authority::parse(value).is_none() {
                                out.push((
                                    format!("authority[{i}]"),
                                    format!("`{value}` trong thiết lập `{name}` không phải cấp có thẩm quyền"),
                                ));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    pub fn registration_rule(&self, unit_type: &str) -> Option<&RegistrationRule> {
        find(&self.registration, unit_type)
    }
}

fn find<'a, T>(rules: &'a [ForTypes<T>], unit_type: &str) -> Option<&'a T> {
    rules.iter().find(|r| r.unit_types.iter().any(|t| t == unit_type)).map(|r| &r.rule)
}

fn check_rules<T>(out: &mut Vec<(String, String)>, name: &str, rules: &[ForTypes<T>], known_type: &dyn Fn(&str) -> bool, every_type: bool) {
    let mut seen = BTreeMap::new();
    for (i, r) in rules.iter().enumerate() {
        for t in &r.unit_types {
            if !known_type(t) {
                out.push((format!("{name}[{i}].unit_types"), format!("loại đơn vị `{t}` không được khai báo trong unit_types")));
            } else if seen.insert(t.clone(), i).is_some() {
                out.push((format!("{name}[{i}].unit_types"), format!("loại đơn vị `{t}` có hai quy định")));
            }
        }
    }
    if every_type && rules.is_empty() {
        out.push((name.to_owned(), "chưa có quy định nào".to_owned()));
    }
}

/// The dates of one campaign for one unit type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeCalendar {
    pub registration_deadline: NaiveDate,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub decision_deadline: Option<NaiveDate>,
    pub classification_deadline: Option<NaiveDate>,
    pub authority: Authority,
}

impl TypeCalendar {
    pub fn in_period(&self, d: NaiveDate) -> bool {
        self.period_from <= d && d <= self.period_to
    }
}

/// The dates of one campaign under one ruleset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Calendar {
    pub plan_date: NaiveDate,
    pub inspection: Option<(NaiveDate, NaiveDate)>,
    pub by_type: BTreeMap<String, TypeCalendar>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("loại đơn vị `{0}` thiếu quy định về {1}")]
    MissingRule(String, &'static str),
    #[error("ngày {0} không có trong năm {1}")]
    NoSuchDay(String, i32),
    #[error("thiết lập `{name}` có giá trị `{value}` không hợp lệ")]
    BadSetting { name: String, value: String },
}

impl Calendar {
    pub fn new(
        timeline: &Timeline,
        unit_types: impl IntoIterator<Item = impl AsRef<str>>,
        campaign: &Campaign,
        settings: &BTreeMap<String, Setting>,
    ) -> Result<Self, CalendarError> {
        let year = campaign.year;
        let day = |a: AnnualDate| a.in_year(year).ok_or(CalendarError::NoSuchDay(a.to_string(), year));
        let mut by_type = BTreeMap::new();
        for t in unit_types {
            let t = t.as_ref();
            let missing = |what| CalendarError::MissingRule(t.to_owned(), what);
            let period = find(&timeline.evaluation_period, t).ok_or_else(|| missing("kỳ đánh giá"))?;
            let (period_from, period_to) = (day(period.from)?, day(period.to)?);
            let registration_deadline = match find(&timeline.registration, t).ok_or_else(|| missing("thời hạn đăng ký"))? {
                RegistrationRule::DaysAfterPlan(n) => add_days(campaign.plan_date, *n),
                RegistrationRule::DaysAfterPeriodStart(n) => add_days(period_from, *n),
                RegistrationRule::By(a) => day(*a)?,
            };
            let authority = match find(&timeline.authority, t).ok_or_else(|| missing("cấp công nhận"))? {
                AuthorityRule::Fixed(a) => *a,
                AuthorityRule::Setting(name) => {
                    let setting = settings.get(name);
                    let value = campaign.settings.get(name).or(setting.map(|s| &s.default)).cloned().unwrap_or_default();
                    let allowed = setting.is_some_and(|s| s.allowed.contains(&value));
                    match Authority::parse(&value) {
                        Some(a) if allowed => a,
                        _ => return Err(CalendarError::BadSetting { name: name.clone(), value }),
                    }
                }
            };
            let deadline = |rules: &[ForTypes<Deadline>]| find(rules, t).map(|d| day(d.last_day)).transpose();
            by_type.insert(
                t.to_owned(),
                TypeCalendar {
                    registration_deadline,
                    period_from,
                    period_to,
                    decision_deadline: deadline(&timeline.decision_deadline)?,
                    classification_deadline: deadline(&timeline.classification_deadline)?,
                    authority,
                },
            );
        }
        let inspection = timeline.inspection.as_ref().map(|w| Ok::<_, CalendarError>((day(w.from)?, day(w.to)?))).transpose()?;
        Ok(Self { plan_date: campaign.plan_date, inspection, by_type })
    }
}

fn add_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX)
}

/// Whether something was submitted by its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Timeliness {
    OnTime { deadline: NaiveDate },
    Late { deadline: NaiveDate, days_late: u32 },
}

impl Timeliness {
    pub fn of(submitted: NaiveDate, deadline: NaiveDate) -> Self {
        if submitted <= deadline {
            Self::OnTime { deadline }
        } else {
            let days_late = u32::try_from((submitted - deadline).num_days()).unwrap_or(u32::MAX);
            Self::Late { deadline, days_late }
        }
    }

    pub fn is_on_time(self) -> bool {
        matches!(self, Self::OnTime { .. })
    }
}

impl fmt::Display for Timeliness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OnTime { deadline } => write!(f, "đúng hạn (hạn {})", crate::vi::date(*deadline)),
            Self::Late { deadline, days_late } => write!(f, "trễ {days_late} ngày (hạn {})", crate::vi::date(*deadline)),
        }
    }
}
