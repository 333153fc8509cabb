//! Vietnamese reasons: each finding rendered as a sentence that names the facts it rests on.

use crate::eval::{Finding, Located, ScopeNote};
use crate::model::Commitment;
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
        if let Some(sev) = i.severity {
            s.push_str(&format!(" ({})", sev.name()));
        }
        s.push_str(&format!(" ngày {}", vi::date(i.date)));
        if let Some(place) = l.place {
            s.push_str(&format!(" tại {}", place.name));
        }
        if !i.in_territory {
            s.push_str(" ngoài địa bàn");
        }
        if i.by_own_people {
            s.push_str(" do người của đơn vị gây ra");
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
            let group =
                |c: &Commitment| format!("{}/{} {}", vi::integer(c.signed.into()), vi::integer(c.total.into()), name(&v.groups, &c.group));
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
                s.push_str(&format!("; chưa có số liệu: {}", absent.iter().map(|g| name(&v.groups, g)).collect::<Vec<_>>().join(", ")));
            }
            if !left_out.is_empty() {
                s.push_str(&format!(" (không tính {})", left_out.iter().map(|c| group(c)).collect::<Vec<_>>().join("; ")));
            }
            s
        }
        Finding::Events { kinds, at_least, scope, counted, severity_unknown, force_majeure, unrecorded } => {
            let level = at_least.map(|s| format!(" từ mức {} trở lên", s.name())).unwrap_or_default();
            let mut s = if counted.is_empty() {
                format!("Không xảy ra {}{level} {}", names(&v.incident_kinds, kinds), scope_text(*scope))
            } else {
                format!("Xảy ra {} vụ {}{level}: {}", counted.len(), scope_text(*scope), events(counted))
            };
            if !severity_unknown.is_empty() {
                s.push_str(&format!("; chưa rõ mức độ: {}", events(severity_unknown)));
            }
            if !force_majeure.is_empty() {
                s.push_str(&format!("; không tính vụ bất khả kháng: {}", events(force_majeure)));
            }
            s.push_str(&unrecorded_text(unrecorded));
            s
        }
        Finding::Reporting { kinds, late, unknown, reported, unrecorded } => {
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
            text + &unrecorded_text(unrecorded)
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
            capitalise(&parts.join("; ")) + &unrecorded_text(unrecorded)
        }
        Finding::Title { force, scale, required, held } => {
            let s = v.scales.get(*scale);
            let level = |code: &str| s.map_or(code.to_owned(), |s| s.level_name(code).to_owned());
            match held {
                Some(h) => format!("{}: “{}” (cần “{}” trở lên)", capitalise(&name(&v.forces, force)), level(h), level(required)),
                None => format!("{} chưa có danh hiệu (cần “{}” trở lên)", capitalise(&name(&v.forces, force)), level(required)),
            }
        }
        Finding::Discipline { forces, at_least, counted, below } => {
            let record = |d: &&crate::model::Discipline| {
                let who = d.person.as_ref().map(|p| format!(" {p}")).unwrap_or_default();
                format!("{}{who} bị kỷ luật {} ngày {}", name(&v.forces, &d.force), d.level.name(), vi::date(d.date))
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
            s
        }
        Finding::Children { unit_types, condition, yes, no, unknown, needed } => {
            let what = match &unit_types[..] {
                [one] => ruleset.unit_type_name(one).to_owned(),
                many => format!("đơn vị ({})", many.iter().map(|t| ruleset.unit_type_name(t)).collect::<Vec<_>>().join(", ")),
            };
            let total = yes.len() + no.len() + unknown.len();
            if total == 0 {
                return format!("Chưa có {what} nào trong dữ liệu");
            }
            let (done, not_done) = match condition {
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
        Finding::SubUnits { scale, level, with, without, total, needed } => {
            if *total == 0 {
                return "Không có đầu mối trực thuộc".to_owned();
            }
            let title = v.scales.get(*scale).map_or((*level).to_owned(), |s| s.level_name(level).to_owned());
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
fn unrecorded_text(units: &[&crate::model::Unit]) -> String {
    if units.is_empty() {
        String::new()
    } else {
        format!("; chưa nhập danh sách vụ việc của: {}", units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>().join(", "))
    }
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
