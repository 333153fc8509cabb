//! A unit's facts in a campaign: records of six kinds (added, changed with their version,
//! removed), lists declared complete, yes/no conditions and previous-year counts.
//!
//! Input reaches a record in two steps, both here so every adapter gets the same verdict:
//! [`read`] takes the fields however they were sent (a form's text, a JSON body — anything
//! implementing [`FieldSource`]) and builds the typed [`Fact`]; [`check`] then holds it to the
//! campaign's ruleset and calendar (codes in the vocabulary, text limits, dates neither in the
//! future nor outside the evaluation period). The spreadsheet import, whose rows are typed by
//! `antt-import`, calls [`check`] on each.

use antt_core::access::Action;
use antt_core::calendar::Calendar;
use antt_core::fact::{Fact, FactKind};
use antt_core::input::{Lines, clean, limits};
use antt_core::model::{Commitment, Discipline, DisciplineLevel, Document, Harm, Incident, Severity, SubUnit, SubUnitTitle, Title};
use antt_core::ruleset::Ruleset;
use antt_core::vi;
use antt_store::facts::{self, Stored, Writer, code_of};
use antt_store::locks;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

use crate::{Actor, App, Error, FieldErrors, Result, Scoped, today};

/// The fields of a submitted record, however they were sent. Each getter answers `Ok(None)`
/// for a field absent or left blank, and the Vietnamese reason when the value cannot be read
/// as that type at all; what the value must be is [`read`]'s and [`check`]'s business.
pub trait FieldSource {
    fn text(&mut self, field: &str) -> Result<Option<String>, String>;
    fn date(&mut self, field: &str) -> Result<Option<NaiveDate>, String>;
    fn count(&mut self, field: &str) -> Result<Option<u32>, String>;
    fn yes_no(&mut self, field: &str) -> Result<Option<bool>, String>;
    /// A sum of money in đồng.
    fn amount(&mut self, field: &str) -> Result<Option<u64>, String>;
    /// Several codes (ticked boxes, a JSON array of strings); empty when none.
    fn codes(&mut self, field: &str) -> Result<Vec<String>, String>;
    /// Several whole numbers (one per person, say); empty when none.
    fn counts(&mut self, field: &str) -> Result<Vec<u32>, String>;
    /// How a date is written here, for the message of a missing one.
    fn date_format(&self) -> &'static str {
        "dd/mm/yyyy"
    }
    /// Called once every field was read: a source may refuse fields nobody asked for.
    fn finish(&mut self, _errors: &mut FieldErrors) {}
}

/// A stored record as the writer read it: its id and the version seen.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub id: &'a str,
    pub version: i64,
}

/// What the checks of one unit's facts hold them to.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub ruleset: &'a Ruleset,
    /// The evaluation period of the unit's type in the campaign: events outside it do not count.
    pub period: Option<(NaiveDate, NaiveDate)>,
    pub today: NaiveDate,
}

impl<'a> Context<'a> {
    pub fn new(ruleset: &'a Ruleset, calendar: &Calendar, unit_type: &str) -> Self {
        let period = calendar.by_type.get(unit_type).map(|t| (t.period_from, t.period_to));
        Self { ruleset, period, today: today() }
    }
}

const CHOOSE: &str = "Cần chọn một mục.";

/// Reads the fields of `source` as a record of `kind`, then [`check`]s it. Every problem is
/// reported at once: a field that cannot be read stands in the record as a neutral value while
/// the others are checked, and its own message is the one kept.
pub fn read(kind: FactKind, source: &mut (dyn FieldSource + Send), ctx: &Context<'_>) -> Result<Fact, FieldErrors> {
    let mut r = Reader { source, errors: FieldErrors::default() };
    let fact = match kind {
        FactKind::Documents => {
            let kind = r.required("kind", CHOOSE).unwrap_or_default();
            let number = r.text("number");
            let date = r.date("issued_on");
            Fact::Document(Document { kind, number, date })
        }
        FactKind::Commitments => {
            let group = r.required("group_code", CHOOSE).unwrap_or_default();
            let signed = r.count("signed").unwrap_or(0);
            // A total that cannot be read must not make the number signed look too large.
            let total = r.count("total").unwrap_or(u32::MAX);
            let also_groups = r.codes("also_groups");
            Fact::Commitment(Commitment { group, also_groups, signed, total })
        }
        FactKind::Incidents => {
            let kind = r.required("kind", CHOOSE).unwrap_or_default();
            let date = r.required_date("occurred_on").unwrap_or(ctx.today);
            let severity = r.code("severity", &Severity::ALL, "mức độ nghiêm trọng (ít nghiêm trọng … đặc biệt nghiêm trọng)");
            let harm = Harm {
                deaths: r.optional_count("harm_deaths").unwrap_or(0),
                injuries: r.counts("harm_injuries"),
                damage_vnd: r.amount("harm_damage_vnd").unwrap_or(0),
            };
            let domain = r.text("domain");
            let group = r.text("group_code");
            let in_territory = r.yes_no("in_territory");
            let by_own_people = r.yes_no("by_own_people");
            let force_majeure = r.yes_no("force_majeure");
            let reported_promptly = r.yes_no("reported_promptly");
            let note = r.text("note");
            Fact::Incident(Incident {
                kind,
                date,
                severity,
                harm: harm.recorded(),
                domain,
                group,
                in_territory: in_territory.unwrap_or(true),
                by_own_people: by_own_people.unwrap_or(false),
                force_majeure: force_majeure.unwrap_or(false),
                reported_promptly,
                note,
            })
        }
        FactKind::Discipline => {
            let force = r.required("force_code", CHOOSE).unwrap_or_default();
            let level = r.code("level", &DisciplineLevel::ALL, "hình thức kỷ luật của bộ tiêu chí");
            if level.is_none() && r.errors.get("level").is_none() {
                r.errors.add("level", CHOOSE);
            }
            let date = r.required_date("decided_on").unwrap_or(ctx.today);
            let also_forces = r.codes("also_forces");
            let person = r.text("person");
            Fact::Discipline(Discipline { force, also_forces, level: level.unwrap_or(DisciplineLevel::KhienTrach), date, person })
        }
        FactKind::Titles => {
            let force = r.required("force_code", CHOOSE).unwrap_or_default();
            let scale = r.required("scale", "Cần chọn thang danh hiệu.").unwrap_or_default();
            let level = r.required("level", "Cần chọn danh hiệu, mức.").unwrap_or_default();
            Fact::Title(Title { force, scale, level })
        }
        FactKind::SubUnits => {
            let name = r.required("name", "Không được để trống.").unwrap_or_default();
            let titles = match (r.text("scale"), r.text("level")) {
                (Some(scale), Some(level)) => vec![SubUnitTitle { scale, level }],
                (Some(_), None) => {
                    r.errors.add("level", "Cần chọn danh hiệu, mức.");
                    Vec::new()
                }
                (None, Some(_)) => {
                    r.errors.add("scale", "Cần chọn thang danh hiệu cho mức đã chọn.");
                    Vec::new()
                }
                (None, None) => Vec::new(),
            };
            Fact::SubUnit(SubUnit { name, titles })
        }
    };
    r.source.finish(&mut r.errors);
    let mut errors = r.errors;
    match check(fact, ctx) {
        Ok(fact) if errors.is_empty() => Ok(fact),
        Ok(_) => Err(errors),
        Err(more) => {
            // FieldErrors keeps the first message of a field: the field's own problem stays.
            for (field, message) in more.0 {
                errors.add(&field, message);
            }
            Err(errors)
        }
    }
}

/// Reads fields from a source, keeping the first problem of each.
struct Reader<'s> {
    source: &'s mut (dyn FieldSource + Send),
    errors: FieldErrors,
}

impl Reader<'_> {
    fn keep<T>(&mut self, field: &str, read: Result<Option<T>, String>) -> Option<T> {
        read.unwrap_or_else(|message| {
            self.errors.add(field, message);
            None
        })
    }

    fn text(&mut self, field: &str) -> Option<String> {
        let read = self.source.text(field);
        self.keep(field, read).filter(|t| !t.trim().is_empty())
    }

    fn required(&mut self, field: &str, missing: &str) -> Option<String> {
        let value = self.text(field);
        if value.is_none() && self.errors.get(field).is_none() {
            self.errors.add(field, missing);
        }
        value
    }

    fn date(&mut self, field: &str) -> Option<NaiveDate> {
        let read = self.source.date(field);
        self.keep(field, read)
    }

    fn required_date(&mut self, field: &str) -> Option<NaiveDate> {
        let value = self.date(field);
        if value.is_none() && self.errors.get(field).is_none() {
            let format = self.source.date_format();
            self.errors.add(field, format!("Cần nhập ngày ({format})."));
        }
        value
    }

    /// A required count.
    fn count(&mut self, field: &str) -> Option<u32> {
        let read = self.source.count(field);
        let value = self.keep(field, read);
        if value.is_none() && self.errors.get(field).is_none() {
            self.errors.add(field, "Cần nhập số.");
        }
        value
    }

    fn optional_count(&mut self, field: &str) -> Option<u32> {
        let read = self.source.count(field);
        self.keep(field, read)
    }

    fn yes_no(&mut self, field: &str) -> Option<bool> {
        let read = self.source.yes_no(field);
        self.keep(field, read)
    }

    fn amount(&mut self, field: &str) -> Option<u64> {
        let read = self.source.amount(field);
        self.keep(field, read)
    }

    fn codes(&mut self, field: &str) -> Vec<String> {
        let read = self.source.codes(field).map(Some);
        self.keep(field, read).unwrap_or_default()
    }

    fn counts(&mut self, field: &str) -> Vec<u32> {
        let read = self.source.counts(field).map(Some);
        self.keep(field, read).unwrap_or_default()
    }

    /// An optional code of a core enum, `None` (with the message) when not one of `all`, the
    /// list named `what`.
    fn code<T: serde::Serialize + Copy>(&mut self, field: &str, all: &[T], what: &str) -> Option<T> {
        let code = self.text(field)?;
        let found = all.iter().find(|v| code_of(*v) == code).copied();
        if found.is_none() {
            self.errors.add(field, format!("Mã “{code}” không có trong danh mục {what}."));
        }
        found
    }
}

/// Holds a record to the campaign's ruleset and calendar; returns it with its text cleaned
/// (NFC, trimmed), or the refused fields.
pub fn check(fact: Fact, ctx: &Context<'_>) -> Result<Fact, FieldErrors> {
    let mut e = FieldErrors::default();
    let v = &ctx.ruleset.vocabulary;
    let mut line = |field: &str, value: &str, max: usize| -> String {
        clean(value, max, Lines::One).unwrap_or_else(|m| {
            e.add(field, m);
            value.to_owned()
        })
    };
    let fact = match fact {
        Fact::Document(mut d) => {
            d.number = d.number.map(|n| line("number", &n, limits::NUMBER)).filter(|n| !n.is_empty());
            if d.kind == antt_core::eval::REGISTRATION {
                e.add("kind", "Bản đăng ký phấn đấu được nộp theo quy trình đăng ký, không nhập như một văn bản.");
            } else if !v.documents.contains_key(&d.kind) {
                e.add("kind", unknown(&d.kind, "loại văn bản"));
            }
            if let Some(date) = d.date {
                not_after_today(&mut e, "issued_on", date, ctx, "Ngày ban hành");
            }
            Fact::Document(d)
        }
        Fact::Commitment(c) => {
            if !v.groups.contains_key(&c.group) {
                e.add("group_code", unknown(&c.group, "nhóm người cam kết"));
            }
            others(&mut e, "also_groups", &c.group, &c.also_groups, &v.groups, "nhóm người cam kết");
            // 0/0 records a group the unit does not have (a primary school's lower-secondary
            // learners): the rulesets want every group they name recorded, if only as none.
            if c.signed > c.total {
                e.add(
                    "signed",
                    format!(
                        "Số đã ký ({}) không được lớn hơn tổng số ({}).",
                        vi::integer(u64::from(c.signed)),
                        vi::integer(u64::from(c.total))
                    ),
                );
            }
            Fact::Commitment(c)
        }
        Fact::Incident(mut i) => {
            if !v.incident_kinds.contains_key(&i.kind) {
                e.add("kind", unknown(&i.kind, "loại vụ việc"));
            }
            i.note = i.note.map(|n| {
                clean(&n, limits::NOTE, Lines::Many).unwrap_or_else(|m| {
                    e.add("note", m);
                    n
                })
            });
            i.note = i.note.filter(|n| !n.is_empty());
            if let Some(domain) = i.domain.as_deref().filter(|d| !v.domains.contains_key(*d)) {
                e.add("domain", unknown(domain, "lĩnh vực"));
            }
            if let Some(group) = i.group.as_deref().filter(|g| !v.groups.contains_key(*g)) {
                e.add("group_code", unknown(group, "nhóm người"));
            }
            if let Some(h) = &i.harm {
                harm(&mut e, h);
            }
            in_period(&mut e, "occurred_on", i.date, ctx, "Ngày xảy ra", "vụ việc");
            Fact::Incident(i)
        }
        Fact::Discipline(mut d) => {
            d.person = d.person.map(|p| line("person", &p, limits::NAME)).filter(|p| !p.is_empty());
            if !v.forces.contains_key(&d.force) {
                e.add("force_code", unknown(&d.force, "lực lượng"));
            }
            others(&mut e, "also_forces", &d.force, &d.also_forces, &v.forces, "lực lượng");
            in_period(&mut e, "decided_on", d.date, ctx, "Ngày quyết định", "kỷ luật");
            Fact::Discipline(d)
        }
        Fact::Title(t) => {
            if !v.forces.contains_key(&t.force) {
                e.add("force_code", unknown(&t.force, "lực lượng"));
            }
            scale_level(&mut e, ctx.ruleset, &t.scale, &t.level);
            Fact::Title(t)
        }
        Fact::SubUnit(mut s) => {
            s.name = line("name", &s.name, limits::NAME);
            if s.name.is_empty() {
                e.add("name", "Không được để trống.");
            }
            for t in &s.titles {
                scale_level(&mut e, ctx.ruleset, &t.scale, &t.level);
            }
            Fact::SubUnit(s)
        }
    };
    if e.is_empty() { Ok(fact) } else { Err(e) }
}

fn unknown(code: &str, what: &str) -> String {
    format!("Mã “{code}” không có trong danh mục {what} của bộ tiêu chí.")
}

/// The other codes a record also names (groups one figure also counts, forces a person also
/// belongs to): each in the list, none twice, none the record's own.
fn others(e: &mut FieldErrors, field: &str, own: &str, codes: &[String], known: &BTreeMap<String, String>, what: &str) {
    for (i, code) in codes.iter().enumerate() {
        if !known.contains_key(code) {
            e.add(field, unknown(code, what));
        } else if code == own {
            let name = known.get(code).unwrap_or(code);
            e.add(field, format!("“{name}” đã là mục chính của bản ghi; chỉ chọn thêm các mục khác."));
        } else if codes[..i].contains(code) {
            e.add(field, format!("Mã “{code}” được chọn hai lần."));
        }
    }
}

/// The most injured people one event records: more is a typing error, not an event.
const MAX_INJURED: usize = 10_000;

/// Harm as the law measures it: a body injury rate is a percentage of one body.
fn harm(e: &mut FieldErrors, h: &Harm) {
    if let Some(rate) = h.injuries.iter().find(|&&r| r == 0 || r > 100) {
        e.add("harm_injuries", format!("Tỷ lệ tổn thương cơ thể của một người phải từ 1 đến 100 (%), không phải {rate}."));
    } else if h.injuries.len() > MAX_INJURED {
        e.add("harm_injuries", format!("Nhiều nhất {} người bị thương trong một vụ việc.", vi::integer(MAX_INJURED as u64)));
    }
}

fn scale_level(e: &mut FieldErrors, ruleset: &Ruleset, scale: &str, level: &str) {
    match ruleset.vocabulary.scales.get(scale) {
        None => e.add("scale", unknown(scale, "thang danh hiệu")),
        Some(s) if s.rank(level).is_none() => {
            let levels: Vec<&str> = s.levels.iter().map(|l| l.name.as_str()).collect();
            e.add("level", format!("Mức “{level}” không có trong thang “{}” (các mức: {}).", s.name, levels.join("; ")));
        }
        Some(_) => {}
    }
}

fn not_after_today(e: &mut FieldErrors, field: &str, date: NaiveDate, ctx: &Context<'_>, what: &str) {
    if date > ctx.today {
        e.add(field, format!("{what} ({}) không được sau ngày hôm nay ({}).", vi::date(date), vi::date(ctx.today)));
    }
}

/// Events and discipline count only inside the unit type's evaluation period, so one dated
/// outside it is refused (rather than kept and silently not counted).
fn in_period(e: &mut FieldErrors, field: &str, date: NaiveDate, ctx: &Context<'_>, what: &str, thing: &str) {
    not_after_today(e, field, date, ctx, what);
    if let Some((from, to)) = ctx.period
        && !(from <= date && date <= to)
    {
        e.add(
            field,
            format!(
                "{what} {} nằm ngoài kỳ đánh giá của đợt ({} – {}); {thing} ngoài kỳ không được tính nên không nhập.",
                vi::date(date),
                vi::date(from),
                vi::date(to)
            ),
        );
    }
}

/// The Vietnamese name of a stored severity or discipline level code.
pub fn severity_name(code: &str) -> Option<&'static str> {
    Severity::ALL.into_iter().find(|s| code_of(s) == code).map(Severity::name)
}

pub fn level_name(code: &str) -> Option<&'static str> {
    DisciplineLevel::ALL.into_iter().find(|l| code_of(l) == code).map(DisciplineLevel::name)
}

impl App {
    /// What the facts of the scoped unit are checked against.
    pub fn fact_context<'a>(&self, s: &'a Scoped) -> Result<Context<'a>> {
        let calendar = crate::verdicts::calendar_of(&s.ruleset, &s.campaign)?;
        Ok(Context::new(&s.ruleset, &calendar, &s.unit.unit_type))
    }

    /// The records of one kind of a unit the actor may read.
    pub async fn facts(&self, actor: &Actor, campaign_id: &str, unit_id: &str, kind: FactKind) -> Result<(Scoped, Vec<Stored>)> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::Read).await?;
        let list = facts::list(self.store(), &s.campaign.id, &s.unit.id, kind).await?;
        Ok((s, list))
    }

    /// Adds a record read from `input`; returns its id.
    pub async fn record_fact(
        &self,
        actor: &Actor,
        campaign_id: &str,
        unit_id: &str,
        kind: FactKind,
        input: &mut (dyn FieldSource + Send),
    ) -> Result<Stored> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
        let fact = read(kind, input, &self.fact_context(&s)?).map_err(Error::fields)?;
        let mut tx = self.store().begin().await?;
        locks::ensure_unlocked(&mut tx, &s.campaign.id, &s.unit.id).await?;
        one_per_group(&mut tx, &s, &s.ruleset, &fact, None).await?;
        let w = writer(actor, &s);
        let id = facts::insert(&mut tx, w, &fact).await?;
        let stored = facts::get_in(&mut tx, w, kind, &id).await?.ok_or_else(|| Error::not_found("bản ghi"))?;
        antt_store::commit(tx).await?;
        Ok(stored)
    }

    /// Changes a record read from `input`, if nobody changed it since it was `seen`.
    pub async fn change_fact(
        &self,
        actor: &Actor,
        campaign_id: &str,
        unit_id: &str,
        kind: FactKind,
        seen: Seen<'_>,
        input: &mut (dyn FieldSource + Send),
    ) -> Result<Stored> {
        let Seen { id, version } = seen;
        let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
        let fact = read(kind, input, &self.fact_context(&s)?).map_err(Error::fields)?;
        let mut tx = self.store().begin().await?;
        locks::ensure_unlocked(&mut tx, &s.campaign.id, &s.unit.id).await?;
        let w = writer(actor, &s);
        facts::get_in(&mut tx, w, kind, id).await?.ok_or_else(|| Error::not_found("bản ghi"))?;
        one_per_group(&mut tx, &s, &s.ruleset, &fact, Some(id)).await?;
        facts::update(&mut tx, w, id, version, &fact).await?;
        let stored = facts::get_in(&mut tx, w, kind, id).await?.ok_or_else(|| Error::not_found("bản ghi"))?;
        antt_store::commit(tx).await?;
        Ok(stored)
    }

    /// Removes a record, if nobody changed it since it was `seen`.
    pub async fn delete_fact(&self, actor: &Actor, campaign_id: &str, unit_id: &str, kind: FactKind, seen: Seen<'_>) -> Result<()> {
        let Seen { id, version } = seen;
        let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
        let mut tx = self.store().begin().await?;
        facts::delete(&mut tx, writer(actor, &s), kind, id, version).await?;
        Ok(antt_store::commit(tx).await?)
    }

    /// Declares a list complete although it has no records ("không có vụ việc nào").
    pub async fn declare_complete(&self, actor: &Actor, campaign_id: &str, unit_id: &str, kind: FactKind) -> Result<()> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
        let mut tx = self.store().begin().await?;
        facts::declare_complete(&mut tx, writer(actor, &s), kind).await?;
        Ok(antt_store::commit(tx).await?)
    }

    /// Sets yes/no conditions (codes of the ruleset's `vocabulary.conditions`), all or none.
    pub async fn set_conditions(&self, actor: &Actor, campaign_id: &str, unit_id: &str, values: &[(String, bool)]) -> Result<()> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
        let known = &s.ruleset.vocabulary.conditions;
        let mut errors = FieldErrors::default();
        for (code, _) in values.iter().filter(|(c, _)| !known.contains_key(c)) {
            errors.add(code, format!("Không có điều kiện “{code}” trong bộ tiêu chí của đợt."));
        }
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        for (code, value) in values {
            facts::set_flag(&mut tx, writer(actor, &s), code, *value).await?;
        }
        Ok(antt_store::commit(tx).await?)
    }

    /// Sets the previous year's counts of incident kinds (codes of `vocabulary.incident_kinds`).
    pub async fn set_previous_year(&self, actor: &Actor, campaign_id: &str, unit_id: &str, counts: &[(String, u32)]) -> Result<()> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
        let known = &s.ruleset.vocabulary.incident_kinds;
        let mut errors = FieldErrors::default();
        for (code, _) in counts.iter().filter(|(c, _)| !known.contains_key(c)) {
            errors.add(code, format!("Không có loại vụ việc “{code}” trong bộ tiêu chí của đợt."));
        }
        errors.into_result()?;
        let mut tx = self.store().begin().await?;
        for (code, count) in counts {
            facts::set_previous_year(&mut tx, writer(actor, &s), code, *count).await?;
        }
        Ok(antt_store::commit(tx).await?)
    }
}

impl App {
    /// Keeps an evidence file for the unit: its type read from its name and checked against its
    /// content; returns its id.
    pub async fn attach_evidence(
        &self,
        actor: &Actor,
        campaign_id: &str,
        unit_id: &str,
        file_name: &str,
        content: &[u8],
    ) -> Result<String> {
        let s = self.scoped(actor, campaign_id, unit_id, Action::EditFacts).await?;
        let name = clean(file_name, limits::NAME, Lines::One).map_err(|m| Error::invalid(format!("Tên tệp: {m}")))?;
        let file_type = antt_store::evidence::check(&name, content).map_err(|e| Error::invalid(e.to_string()))?;
        let mut tx = self.store().begin().await?;
        let id = antt_store::evidence::insert(&mut tx, writer(actor, &s), &name, file_type, content).await?;
        antt_store::commit(tx).await?;
        Ok(id)
    }
}

pub(crate) fn writer<'a>(actor: &'a Actor, s: &'a Scoped) -> Writer<'a> {
    Writer { user_id: &actor.user_id, campaign_id: &s.campaign.id, unit_id: &s.unit.id }
}

/// One commitment figure per group: a figure counting a group another figure already counts
/// (as its group or as one of its `also_groups`) is refused, naming the group. Read inside the
/// write's transaction, after the unit is held, so two at once cannot both pass.
async fn one_per_group(tx: &mut antt_store::Tx<'_>, s: &Scoped, ruleset: &Ruleset, fact: &Fact, except: Option<&str>) -> Result<()> {
    let Fact::Commitment(c) = fact else { return Ok(()) };
    let existing = facts::list_in(tx, &s.campaign.id, &s.unit.id, FactKind::Commitments).await?;
    let counted: BTreeSet<&str> = existing
        .iter()
        .filter(|r| Some(r.id.as_str()) != except)
        .filter_map(|r| match &r.fact {
            Fact::Commitment(o) => Some(o.groups()),
            _ => None,
        })
        .flatten()
        .collect();
    if let Some(taken) = c.groups().find(|g| counted.contains(g)) {
        let name = ruleset.vocabulary.groups.get(taken).map_or(taken, String::as_str);
        let field = if taken == c.group { "group_code" } else { "also_groups" };
        return Err(Error::field(field, format!("Nhóm “{name}” đã có số liệu cam kết; hãy sửa dòng đã có thay vì thêm mới.")));
    }
    Ok(())
}
