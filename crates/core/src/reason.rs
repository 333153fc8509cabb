//! Vietnamese reasons: each finding rendered as a sentence that names the facts it rests on.

use crate::eval::{Doubt, Excuse, Finding, Grade, Located, PlacedDiscipline, ScopeNote, Uncounted};
use crate::model::{Commitment, Harm};
use crate::ruleset::{ChildCondition, Ruleset, Scope};
use crate::vi;

/// Renders a finding in Vietnamese, with names from the ruleset's vocabulary.
pub fn describe(finding: &Finding<'_>, ruleset: &Ruleset) -> String {
    let v = &ruleset.vocabulary;
    let name = |map: &std::collections::BTreeMap<String, String>, code: &str| map.get(code).cloned().unwrap_or_else(|| code.to_owned());
    let names = |map: &std::collections::BTreeMap<String, String>, codes: &[String]| {
        codes.iter().map(|c| name(map, c)).collect::<Vec<_>>().join(", ")
    };
    let event = |l: &Located<'_>| {
        let i = l.incident;
        let mut s = name(&v.incident_kinds, &i.kind);
        match Grade::of(i, v) {
            Grade::Recorded(sev) => s.push_str(&format!(" ({})", sev.name())),
            Grade::ByHarm(Some(sev)) => s.push_str(&format!(" ({} theo thiệt hại)", sev.name())),
            Grade::ByHarm(None) | Grade::Unknown => {}
        }
        s.push_str(&format!(" ngày {}", vi::date(i.date)));
        if let Some(place) = l.place {
            s.push_str(&format!(" tại {}", place.name));
        }
        if !i.in_territory {
            s.push_str(" ngoài địa bàn");
        }
        if i.by_own_people {
            let who = i.group.as_ref().map_or_else(|| "người".to_owned(), |g| name(&v.groups, g));
            s.push_str(&format!(" do {who} của đơn vị gây ra"));
        }
        if let Some(domain) = &i.domain {
            s.push_str(&format!(", lĩnh vực {}", name(&v.domains, domain)));
        }
        if let Some(harm) = &i.harm {
            s.push_str(&format!(", thiệt hại: {}", harm_text(harm)));
        }
        if let Some(note) = &i.note {
            s.push_str(&format!(": {note}"));
        }
        s
    };
    let events = |list: &[Located<'_>]| list.iter().map(event).collect::<Vec<_>>().join("; ");
    match finding {
        Finding::ConditionFalse { condition } => {
            format!("Không áp dụng: đơn vị không thuộc trường hợp “{}”", name(&v.conditions, condition))
        }
        Finding::ConditionUnknown { condition } => {
            format!("Chưa rõ đơn vị có thuộc trường hợp “{}” hay không", name(&v.conditions, condition))
        }
        Finding::NotRecorded { what } => format!("Chưa nhập {what}"),
        Finding::Document { kind, found, deadline } => {
            let doc = name(&v.documents, kind);
            match (found, deadline) {
                (None, _) => format!("Không có {doc}"),
                (Some(d), deadline) => {
                    let mut s = format!("Có {doc}");
                    if let Some(n) = &d.number {
                        s.push_str(&format!(" số {n}"));
                    }
                    match (d.date, deadline) {
                        (Some(date), Some(deadline)) if date > *deadline => {
                            s.push_str(&format!(" ngày {}, sau hạn {}", vi::date(date), vi::date(*deadline)));
                        }
                        (Some(date), Some(deadline)) => s.push_str(&format!(" ngày {}, trong hạn {}", vi::date(date), vi::date(*deadline))),
                        (None, Some(deadline)) => s.push_str(&format!(" nhưng chưa rõ ngày, cần để đối chiếu hạn {}", vi::date(*deadline))),
                        (Some(date), None) => s.push_str(&format!(" ngày {}", vi::date(date))),
                        (None, None) => {}
                    }
                    s
                }
            }
        }
        Finding::Commitments { counted, absent, left_out, at_least_percent } => {
            let group = |c: &Commitment| {
                let groups: Vec<String> = c.groups().map(|g| name(&v.groups, g)).collect();
                format!("{}/{} {}", vi::integer(c.signed.into()), vi::integer(c.total.into()), groups.join(", "))
            };
            let signed: u64 = counted.iter().map(|c| u64::from(c.signed)).sum();
            let total: u64 = counted.iter().map(|c| u64::from(c.total)).sum();
            let mut s = match counted.as_slice() {
                [] => "Chưa có số liệu ký cam kết".to_owned(),
                [one] => format!("{} ký cam kết ({}; cần {at_least_percent}%)", group(one), vi::percent(signed, total)),
                many => format!(
                    "Ký cam kết: {} — tổng {}/{} ({}; cần {at_least_percent}%)",
                    many.iter().map(|c| group(c)).collect::<Vec<_>>().join("; "),
                    vi::integer(signed),
                    vi::integer(total),
                    vi::percent(signed, total)
                ),
            };
            if !absent.is_empty() {
                let wanted = |alternatives: &&[String]| alternatives.iter().map(|g| name(&v.groups, g)).collect::<Vec<_>>().join(" hoặc ");
                s.push_str(&format!("; chưa có số liệu: {}", absent.iter().map(wanted).collect::<Vec<_>>().join("; ")));
            }
            if !left_out.is_empty() {
                s.push_str(&format!(" (không tính {})", left_out.iter().map(|c| group(c)).collect::<Vec<_>>().join("; ")));
            }
            s
        }
        Finding::Events { check, counted, uncounted, unrecorded } => {
            let those = |why: Uncounted| uncounted.iter().filter(|(w, _)| *w == why).map(|(_, l)| *l).collect::<Vec<Located<'_>>>();
            let level = check.at_least.map(|s| format!(" từ mức {} trở lên", s.name())).unwrap_or_default();
            let scope = match (check.groups.as_slice(), check.scope) {
                ([], scope) => scope_text(scope).to_owned(),
                (groups, Scope::TerritoryAndPeople) => format!("do {} của đơn vị gây ra trên địa bàn", names(&v.groups, groups)),
                (groups, _) => format!("do {} của đơn vị gây ra", names(&v.groups, groups)),
            };
            let domains =
                if check.domains.is_empty() { String::new() } else { format!(" trong lĩnh vực {}", names(&v.domains, &check.domains)) };
            let mut s = if counted.is_empty() {
                format!("Không xảy ra {}{level}{domains} {scope}", names(&v.incident_kinds, &check.kinds))
            } else {
                format!("Xảy ra {} vụ {scope}{level}{domains}: {}", counted.len(), events(counted))
            };
            for (doubt, what) in [
                (Doubt::Harm, "thiệt hại"),
                (Doubt::Group, "người gây ra thuộc nhóm nào"),
                (Doubt::Domain, "lĩnh vực xử phạt"),
                (Doubt::Severity, "mức độ"),
                (Doubt::Reporting, "đã phát hiện, báo cáo ngay chưa"),
            ] {
                let these = those(Uncounted::Doubtful(doubt));
                if !these.is_empty() {
                    s.push_str(&format!("; chưa rõ {what}: {}", events(&these)));
                }
            }
            for (excuse, what) in
                [(Excuse::ForceMajeure, "vụ bất khả kháng"), (Excuse::ReportedPromptly, "vụ đã được phát hiện, báo cáo ngay")]
            {
                let these = those(Uncounted::Excused(excuse));
                if !these.is_empty() {
                    s.push_str(&format!("; không tính {what}: {}", events(&these)));
                }
            }
            let other = those(Uncounted::Other);
            if !other.is_empty() {
                s.push_str(&format!("; không tính vụ thuộc lĩnh vực hoặc nhóm người khác: {}", events(&other)));
            }
            s.push_str(&unrecorded_text("danh sách vụ việc", unrecorded));
            s
        }
        Finding::Reporting { check, late, unknown, reported, unrecorded } => {
            let kinds = &check.kinds;
            let mut parts = Vec::new();
            if !late.is_empty() {
                parts.push(format!("Không phát hiện, báo cáo ngay: {}", events(late)));
            }
            if !unknown.is_empty() {
                parts.push(format!("Chưa rõ đã báo cáo ngay chưa: {}", events(unknown)));
            }
            let text = if parts.is_empty() {
                if *reported == 0 {
                    format!("Không có vụ {} nào phải báo cáo", names(&v.incident_kinds, kinds))
                } else {
                    format!("Cả {reported} vụ {} đều được phát hiện, báo cáo ngay", names(&v.incident_kinds, kinds))
                }
            } else {
                parts.join("; ")
            };
            text + &unrecorded_text("danh sách vụ việc", unrecorded)
        }
        Finding::YearOnYear { rows, unrecorded } => {
            let mut parts: Vec<String> = rows
                .iter()
                .filter(|(_, now, before)| now + before > 0)
                .map(|(kind, now, before)| {
                    let trend = if now > before {
                        "tăng"
                    } else if now < before {
                        "giảm"
                    } else {
                        "bằng"
                    };
                    format!("{}: {now} vụ, năm trước {before} ({trend})", name(&v.incident_kinds, kind))
                })
                .collect();
            let none: Vec<String> =
                rows.iter().filter(|(_, now, before)| now + before == 0).map(|(kind, _, _)| name(&v.incident_kinds, kind)).collect();
            if !none.is_empty() {
                parts.push(format!("cả hai năm không có vụ {}", none.join(", ")));
            }
            capitalise(&parts.join("; ")) + &unrecorded_text("danh sách vụ việc", unrecorded)
        }
        Finding::Title { check, held } => {
            let (force, required) = (&check.force, &check.level);
            let s = v.scales.get(&check.scale);
            let level = |code: &str| s.map_or(code.to_owned(), |s| s.level_name(code).to_owned());
            match held {
                Some(h) => format!("{}: “{}” (cần “{}” trở lên)", capitalise(&name(&v.forces, force)), level(h), level(required)),
                None => format!("{} chưa có danh hiệu (cần “{}” trở lên)", capitalise(&name(&v.forces, force)), level(required)),
            }
        }
        Finding::Discipline { check, counted, below, unrecorded } => {
            let (forces, at_least) = (&check.forces, check.at_least);
            let record = |p: &PlacedDiscipline<'_>| {
                let d = p.discipline;
                let who: Vec<String> = d.forces().map(|f| name(&v.forces, f)).collect();
                let person = d.person.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
                let place = p.place.map(|u| format!(" ({})", u.name)).unwrap_or_default();
                format!("{}{person}{place} bị kỷ luật {} ngày {}", who.join(", "), d.level.name(), vi::date(d.date))
            };
            let mut s = if counted.is_empty() {
                format!("Không có {} bị kỷ luật từ {} trở lên", names(&v.forces, forces), at_least.name())
            } else {
                capitalise(&counted.iter().map(record).collect::<Vec<_>>().join("; "))
            };
            if !below.is_empty() {
                s.push_str(&format!(
                    " (dưới mức {}, không tính: {})",
                    at_least.name(),
                    below.iter().map(record).collect::<Vec<_>>().join("; ")
                ));
            }
            s.push_str(&unrecorded_text("danh sách kỷ luật", unrecorded));
            s
        }
        Finding::Children { check, yes, no, unknown, needed } => {
            let what = match &check.unit_types[..] {
                [one] => ruleset.unit_type_name(one).to_owned(),
                many => format!("đơn vị ({})", many.iter().map(|t| ruleset.unit_type_name(t)).collect::<Vec<_>>().join(", ")),
            };
            let total = yes.len() + no.len() + unknown.len();
            if total == 0 {
                return format!("Chưa có {what} nào trong dữ liệu");
            }
            let (done, not_done) = match check.condition {
                ChildCondition::Registered => ("đã đăng ký", "chưa đăng ký"),
                ChildCondition::Recognised => ("đạt chuẩn", "chưa đạt"),
            };
            let list = |units: &[&crate::model::Unit]| units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", ");
            let mut s = format!("{}/{} {what} {done} (cần {needed})", yes.len(), total);
            if !no.is_empty() {
                s.push_str(&format!("; {not_done}: {}", list(no)));
            }
            if !unknown.is_empty() {
                s.push_str(&format!("; chưa đủ dữ liệu: {}", list(unknown)));
            }
            s
        }
        Finding::SubUnits { check, with, without, total, needed } => {
            if *total == 0 {
                return "Không có đầu mối trực thuộc".to_owned();
            }
            let level = &check.level;
            let title = v.scales.get(&check.scale).map_or(level.clone(), |s| s.level_name(level).to_owned());
            let mut s = format!("{with}/{total} đầu mối trực thuộc đạt “{title}” trở lên (cần {needed})");
            if !without.is_empty() {
                s.push_str(&format!("; chưa đạt: {}", without.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", ")));
            }
            s
        }
        Finding::Judgement { found } => match found {
            None => "Chưa có đánh giá của đoàn kiểm tra".to_owned(),
            Some(j) => {
                let mut s = format!("Đoàn kiểm tra đánh giá: {}", if j.met { "đạt" } else { "không đạt" });
                if let Some(note) = &j.note {
                    s.push_str(&format!(" — {note}"));
                }
                let by: Vec<String> = j.inspector.iter().cloned().chain(j.date.map(vi::date)).collect();
                if !by.is_empty() {
                    s.push_str(&format!(" ({})", by.join(", ")));
                }
                s
            }
        },
    }
}

/// Renders why a unit is outside the ruleset, or what is needed to know.
pub fn describe_scope(note: &ScopeNote<'_>, ruleset: &Ruleset, unit_type: &str) -> String {
    match note {
        ScopeNote::TypeNotCovered => {
            format!("Bộ tiêu chí {} không áp dụng cho loại đơn vị “{}”", ruleset.id, ruleset.unit_type_name(unit_type))
        }
        ScopeNote::Excluded(x) => x.reason.clone(),
        ScopeNote::AttributeUnknown(x) => format!("Chưa nhập thuộc tính `{}` để xác định phạm vi ({})", x.attribute, x.reason),
    }
}

/// "; chưa nhập danh sách vụ việc của: Ấp A, Ấp B" — or nothing when every list is recorded.
fn unrecorded_text(list: &str, units: &[&crate::model::Unit]) -> String {
    if units.is_empty() {
        String::new()
    } else {
        format!("; chưa nhập {list} của: {}", units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", "))
    }
}

/// "1 người chết, 2 người bị thương (tổng tỷ lệ tổn thương cơ thể 70%), tài sản 120.000.000 đồng".
fn harm_text(h: &Harm) -> String {
    let mut parts = Vec::new();
    if h.deaths > 0 {
        parts.push(format!("{} người chết", h.deaths));
    }
    if !h.injuries.is_empty() {
        parts.push(format!("{} người bị thương (tổng tỷ lệ tổn thương cơ thể {}%)", h.injuries.len(), h.injury_percent()));
    }
    if h.damage_vnd > 0 {
        parts.push(format!("tài sản {} đồng", vi::integer(h.damage_vnd)));
    }
    if parts.is_empty() { "không có thiệt hại về người và tài sản".to_owned() } else { parts.join(", ") }
}

fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::Territory => "trên địa bàn",
        Scope::People => "do người của đơn vị gây ra",
        Scope::TerritoryOrPeople => "trên địa bàn hoặc do người của đơn vị gây ra",
        Scope::TerritoryAndPeople => "do người của đơn vị gây ra trên địa bàn",
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
