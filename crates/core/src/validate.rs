//! Checks a facts file against a ruleset before evaluation: codes the ruleset does not know,
//! impossible counts, judgements of parts that do not exist, and the shape of the tree. Every
//! problem is reported with the unit and the place, so nothing is silently ignored.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Facts, Unit};
use crate::rollup::Tree;
use crate::ruleset::{Check, Ruleset};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactProblem {
    /// The unit's id, empty for problems of the whole file.
    pub unit: String,
    /// Where in the unit, e.g. `commitments[households]`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for FactProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.unit.is_empty(), self.place.is_empty()) {
            (true, _) => write!(f, "{}", self.message),
            (false, true) => write!(f, "đơn vị {}: {}", self.unit, self.message),
            (false, false) => write!(f, "đơn vị {}, {}: {}", self.unit, self.place, self.message),
        }
    }
}

/// Every problem of `facts` under `ruleset`; empty when the facts can be evaluated.
pub fn validate(ruleset: &Ruleset, facts: &Facts) -> Vec<FactProblem> {
    let mut out = Vec::new();
    if let Err(errors) = Tree::new(&facts.units) {
        out.extend(errors.into_iter().map(|e| FactProblem { unit: String::new(), place: String::new(), message: e.to_string() }));
    }
    for (name, value) in &facts.campaign.settings {
        match ruleset.settings.get(name) {
            None => out.push(problem("", "campaign.settings", format!("bộ tiêu chí {} không có thiết lập `{name}`", ruleset.id))),
            Some(s) if !s.allowed.contains(value) => out.push(problem(
                "",
                "campaign.settings",
                format!("`{value}` không phải giá trị cho phép của `{name}` ({})", s.allowed.join(", ")),
            )),
            Some(_) => {}
        }
    }
    for unit in &facts.units {
        unit_problems(ruleset, unit, &mut out);
    }
    out
}

fn problem(unit: &str, place: impl Into<String>, message: String) -> FactProblem {
    FactProblem { unit: unit.to_owned(), place: place.into(), message }
}

fn unit_problems(rs: &Ruleset, unit: &Unit, out: &mut Vec<FactProblem>) {
    let v = &rs.vocabulary;
    let id = unit.id.0.as_str();
    if unit.id.0.trim().is_empty() {
        out.push(problem("", "units", format!("đơn vị “{}” thiếu mã", unit.name)));
    }
    if unit.name.trim().is_empty() {
        out.push(problem(id, "name", "thiếu tên đơn vị".into()));
    }
    let mut unknown = |place: String, what: &str, code: &str, known: &BTreeMap<String, String>| {
        if !known.contains_key(code) {
            out.push(problem(id, place, format!("{what} `{code}` không có trong bộ tiêu chí {}", rs.id)));
        }
    };
    for flag in unit.flags.keys() {
        unknown(format!("flags.{flag}"), "điều kiện", flag, &v.conditions);
    }
    for (i, d) in unit.documents.iter().flatten().enumerate() {
        unknown(format!("documents[{i}]"), "loại tài liệu", &d.kind, &v.documents);
    }
    for c in unit.commitments.iter().flatten() {
        for g in c.groups() {
            unknown(format!("commitments[{}]", c.group), "nhóm người ký cam kết", g, &v.groups);
        }
    }
    for (i, x) in unit.incidents.iter().flatten().enumerate() {
        unknown(format!("incidents[{i}]"), "loại vụ việc", &x.kind, &v.incident_kinds);
        if let Some(domain) = &x.domain {
            unknown(format!("incidents[{i}].domain"), "lĩnh vực", domain, &v.domains);
        }
        if let Some(group) = &x.group {
            unknown(format!("incidents[{i}].group"), "nhóm người", group, &v.groups);
        }
    }
    for kind in unit.previous_year.iter().flat_map(|p| p.keys()) {
        unknown(format!("previous_year.{kind}"), "loại vụ việc", kind, &v.incident_kinds);
    }
    for (i, d) in unit.discipline.iter().flatten().enumerate() {
        for force in d.forces() {
            unknown(format!("discipline[{i}]"), "lực lượng", force, &v.forces);
        }
    }
    for (i, t) in unit.titles.iter().flatten().enumerate() {
        unknown(format!("titles[{i}]"), "lực lượng", &t.force, &v.forces);
    }
    for (i, d) in unit.discipline.iter().flatten().enumerate() {
        if d.also_forces.iter().enumerate().any(|(j, f)| *f == d.force || d.also_forces[..j].contains(f)) {
            out.push(problem(id, format!("discipline[{i}]"), "một lực lượng được ghi hai lần cho cùng một người".into()));
        }
    }
    for (i, x) in unit.incidents.iter().flatten().enumerate() {
        if let Some(p) = x.harm.iter().flat_map(|h| &h.injuries).find(|&&p| p > 100) {
            out.push(problem(id, format!("incidents[{i}].harm"), format!("tỷ lệ tổn thương cơ thể {p}% lớn hơn 100%")));
        }
    }
    let mut seen_groups = BTreeMap::new();
    for c in unit.commitments.iter().flatten() {
        let place = format!("commitments[{}]", c.group);
        if c.signed > c.total {
            out.push(problem(id, place.clone(), format!("số đã ký ({}) lớn hơn tổng số ({})", c.signed, c.total)));
        }
        for g in c.groups() {
            if seen_groups.insert(g, ()).is_some() {
                out.push(problem(id, place.clone(), format!("nhóm `{g}` được nhập hai lần")));
            }
        }
        // One figure cannot be split: it may not mix people a criterion counts with people it
        // leaves out on purpose.
        for check in rs.criteria_for(&unit.unit_type).flat_map(|c| &c.parts).filter_map(|p| match &p.check {
            Check::CommitmentRatio(r) => Some(r),
            _ => None,
        }) {
            let counted = c.groups().find(|g| check.groups.iter().any(|x| x == g));
            let left_out = c.groups().find(|g| check.not_counted.iter().any(|x| x == g));
            if let (Some(a), Some(b)) = (counted, left_out) {
                out.push(problem(id, place.clone(), format!("số liệu gộp nhóm được tính `{a}` với nhóm không tính `{b}`; hãy nhập riêng")));
            }
        }
    }
    let levels = unit.titles.iter().flatten().map(|t| (format!("titles[{}]", t.force), &t.scale, &t.level)).chain(
        unit.sub_units.iter().flatten().flat_map(|s| s.titles.iter().map(move |t| (format!("sub_units[{}]", s.name), &t.scale, &t.level))),
    );
    for (place, scale, level) in levels {
        match v.scales.get(scale) {
            None => out.push(problem(id, place, format!("thang danh hiệu `{scale}` không có trong bộ tiêu chí {}", rs.id))),
            Some(s) if s.rank(level).is_none() => out.push(problem(id, place, format!("mức `{level}` không có trên thang `{scale}`"))),
            Some(_) => {}
        }
    }
    for (i, j) in unit.judgements.iter().enumerate() {
        let part = rs
            .criteria
            .iter()
            .find(|c| c.id == j.criterion && c.unit_type == unit.unit_type)
            .and_then(|c| c.parts.iter().find(|p| p.id == j.part));
        match part {
            None => out.push(problem(
                id,
                format!("judgements[{i}]"),
                format!("không có nội dung {}.{} cho loại đơn vị này", j.criterion, j.part),
            )),
            Some(p) if !matches!(p.check, Check::Judgement) => out.push(problem(
                id,
                format!("judgements[{i}]"),
                format!("nội dung {}.{} được tính từ dữ liệu, không do đoàn kiểm tra đánh giá", j.criterion, j.part),
            )),
            Some(_) => {}
        }
    }
}
