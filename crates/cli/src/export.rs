//! `antt export`: official documents as DOCX, PDF or XLSX, either from a facts file — evaluated
//! as `antt evaluate` does, the documents leaving number, date and signer's name blank for the
//! office to fill in before signing — or from a database, built as the web application's
//! downloads build them from what its pages stored.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use antt_app::{App, Error, documents as from_store};
use antt_core::calendar::Calendar;
use antt_core::eval::{self, Outcome};
use antt_core::report::UnitReport;
use antt_core::rollup::{RollUp, Tree, roll_up};
use antt_core::{Facts, Ruleset};
use antt_docs::documents::{
    self, AreaCounts, Committee, Issuer, Level, ListedUnit, Plan, ProvincialInput, UnitLine, UnitReportInput, in_sentence,
};
use antt_docs::model::Signature;
use antt_docs::{Document, Format};
use antt_store::{Store, campaigns, decisions, units};
use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Báo cáo tổng hợp gửi Chủ tịch UBND (của tỉnh; từ cơ sở dữ liệu: của --unit nếu có).
    Summary,
    /// Báo cáo kết quả của một đơn vị (--unit).
    Report,
    /// Quyết định công nhận các đơn vị trực thuộc một xã hoặc huyện (--unit) kèm danh sách; từ
    /// cơ sở dữ liệu: quyết định đã ban hành (--decision).
    Decision,
    /// Giấy công nhận một đơn vị đạt chuẩn (--unit).
    Certificate,
    /// Bản đăng ký phấn đấu của một đơn vị, hai bản (--unit; chỉ từ cơ sở dữ liệu).
    Registration,
    /// Bảng tự chấm điểm của một đơn vị (--unit; chỉ từ cơ sở dữ liệu).
    SelfScoring,
    /// Biên bản họp xét gần nhất tại một đơn vị (--unit; chỉ từ cơ sở dữ liệu).
    Minutes,
    /// Tờ trình đề nghị công nhận các đơn vị đã xác nhận đạt chuẩn dưới một đơn vị (--unit; chỉ
    /// từ cơ sở dữ liệu).
    Request,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Loại văn bản.
    kind: Kind,
    /// Tên bộ tiêu chí có sẵn hoặc đường dẫn tệp YAML (từ cơ sở dữ liệu: thêm vào các bộ có sẵn).
    #[arg(long, required_unless_present = "database")]
    pub ruleset: Option<String>,
    /// Tệp dữ liệu (xem docs/facts-format.md).
    #[arg(required_unless_present = "database", conflicts_with = "database")]
    facts: Option<PathBuf>,
    /// Xuất từ cơ sở dữ liệu (sqlite://TỆP hoặc postgres://…) thay vì tệp dữ liệu.
    #[arg(long, requires = "campaign")]
    database: Option<String>,
    /// Mã đợt phát động (khi xuất từ cơ sở dữ liệu).
    #[arg(long, requires = "database")]
    campaign: Option<String>,
    /// Mã quyết định đã ban hành (khi xuất quyết định từ cơ sở dữ liệu).
    #[arg(long, requires = "database")]
    decision: Option<String>,
    /// Mã đơn vị (báo cáo đơn vị, quyết định, giấy công nhận…).
    #[arg(long)]
    unit: Option<String>,
    /// docx, pdf hoặc xlsx (mặc định: theo đuôi tệp ra).
    #[arg(long)]
    format: Option<String>,
    /// Tệp sẽ ghi.
    #[arg(short, long)]
    output: PathBuf,
}

fn format_of(args: &ExportArgs) -> Result<Format> {
    match &args.format {
        Some(f) => Format::parse(f).with_context(|| format!("định dạng `{f}` không hỗ trợ (docx, pdf, xlsx)")),
        None => args
            .output
            .extension()
            .and_then(|e| e.to_str())
            .and_then(Format::parse)
            .context("cần --format docx|pdf|xlsx hoặc tệp ra có đuôi .docx/.pdf/.xlsx"),
    }
}

/// Exports from the facts file, or from the database when `--database` is given; `rs` is the
/// ruleset `--ruleset` names, if any.
pub fn run(rs: Option<Ruleset>, args: &ExportArgs) -> Result<ExitCode> {
    let format = format_of(args)?;
    let doc = match (&args.database, &args.facts, rs) {
        (Some(url), _, rs) => crate::runtime()?.block_on(from_database(url, rs, args))?,
        (None, Some(facts), Some(rs)) => from_facts(&rs, facts, args)?,
        _ => bail!("cần --ruleset và tệp dữ liệu, hoặc --database và --campaign"),
    };
    write(&doc, format, &args.output)?;
    println!("Đã ghi {} ({}).", args.output.display(), format.extension().to_uppercase());
    Ok(ExitCode::SUCCESS)
}

async fn unit_of(store: &Store, id: &str) -> Result<units::UnitRow> {
    units::get(store, id).await?.with_context(|| format!("không có đơn vị mã `{id}`"))
}

fn unit_arg(args: &ExportArgs) -> Result<&str> {
    args.unit.as_deref().context("cần --unit MÃ_ĐƠN_VỊ cho văn bản này")
}

/// The document built from the stored data as the web application's download of it.
async fn from_database(url: &str, rs: Option<Ruleset>, args: &ExportArgs) -> Result<Document> {
    let store = Store::connect(url).await?;
    let mut rulesets = antt_core::ruleset::built_in()?;
    rulesets.extend(rs);
    let app = App::new(store, rulesets);
    let cid = args.campaign.as_deref().context("cần --campaign MÃ_ĐỢT")?;
    let c = campaigns::get(app.store(), cid).await?.with_context(|| format!("không có đợt phát động mã `{cid}`"))?;
    let built = match args.kind {
        Kind::Summary => {
            let root = unit_of(app.store(), args.unit.as_deref().unwrap_or(&c.scope_unit_id)).await?;
            from_store::summary(&app, &c, &root).await
        }
        Kind::Decision => {
            let id = args.decision.as_deref().context("cần --decision MÃ_QUYẾT_ĐỊNH (quyết định đã ban hành)")?;
            let d =
                decisions::get(app.store(), &c.id, id).await?.with_context(|| format!("không có quyết định mã `{id}` trong đợt này"))?;
            from_store::decision(&app, &c, &d).await
        }
        kind => {
            let u = unit_of(app.store(), unit_arg(args)?).await?;
            match kind {
                Kind::Report => from_store::unit_report(&app, &c, &u).await,
                Kind::Certificate => from_store::certificate(&app, &c, &u).await,
                Kind::Registration => from_store::registration(&app, &c, &u).await,
                Kind::SelfScoring => from_store::self_scoring(&app, &c, &u).await,
                Kind::Minutes => from_store::review_minutes(&app, &c, &u, None).await,
                _ => from_store::request(&app, &c, &u).await,
            }
        }
    };
    built.map_err(|e| match e {
        Error::NotFound(_) => {
            anyhow::anyhow!("không có dữ liệu cho văn bản này (đơn vị chưa đăng ký, chưa có biên bản, chưa được công nhận…)")
        }
        e => anyhow::anyhow!("{e}"),
    })
}

fn from_facts(rs: &Ruleset, path: &Path, args: &ExportArgs) -> Result<Document> {
    let text = std::fs::read_to_string(path).with_context(|| format!("không đọc được tệp {}", path.display()))?;
    let facts = Facts::parse(&path.display().to_string(), &text)?;
    let problems = antt_core::validate::validate(rs, &facts);
    if !problems.is_empty() {
        bail!("tệp dữ liệu có {} lỗi: {}", problems.len(), problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "));
    }
    let calendar = Calendar::new(&rs.timeline, rs.unit_types.iter().map(|t| &t.code), &facts.campaign, &rs.settings)?;
    let tree =
        Tree::new(&facts.units).map_err(|e| anyhow::anyhow!("{}", e.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")))?;
    let result = roll_up(rs, Some(&calendar), tree);
    let data = Data { rs, calendar: &calendar, facts: &facts, result: &result };
    Ok(match args.kind {
        Kind::Summary => data.summary()?,
        Kind::Registration | Kind::SelfScoring | Kind::Minutes | Kind::Request => {
            bail!("văn bản này chỉ xuất được từ cơ sở dữ liệu (--database, --campaign)")
        }
        kind => {
            let id = unit_arg(args)?;
            let node = result.tree.find(id).with_context(|| format!("không có đơn vị mã `{id}` trong tệp dữ liệu"))?;
            match kind {
                Kind::Report => data.unit_report(node)?,
                Kind::Decision => data.decision(node)?,
                _ => data.certificate(node)?,
            }
        }
    })
}

fn write(doc: &Document, format: Format, path: &Path) -> Result<()> {
    let bytes = antt_docs::render(doc, format)?;
    std::fs::write(path, bytes).with_context(|| format!("không ghi được tệp {}", path.display()))
}

struct Data<'a> {
    rs: &'a Ruleset,
    calendar: &'a Calendar,
    facts: &'a Facts,
    result: &'a RollUp<'a>,
}

/// A signature for the office to complete.
fn blank_signature(position: &str) -> Signature {
    Signature { position: position.to_owned(), ..Signature::default() }
}

impl Data<'_> {
    fn year(&self) -> i32 {
        self.facts.campaign.year
    }

    fn report(&self, node: usize) -> Option<UnitReport> {
        self.result.verdicts[node].as_ref().map(|v| UnitReport::new(self.rs, Some(self.calendar), v))
    }

    /// The nearest ancestor (or the unit itself) of `unit_type`.
    fn ancestor(&self, node: usize, unit_type: &str) -> Option<usize> {
        let mut at = Some(node);
        while let Some(i) = at {
            if self.facts.units[i].unit_type == unit_type {
                return Some(i);
            }
            at = self.facts.units[i].parent.as_ref().and_then(|p| self.result.tree.find(&p.0));
        }
        None
    }

    fn name_of(&self, node: Option<usize>) -> String {
        node.map(|i| self.facts.units[i].name.clone()).unwrap_or_default()
    }

    fn issuer(&self, node: usize) -> Issuer {
        let unit = &self.facts.units[node];
        let parent = unit.parent.as_ref().and_then(|p| self.result.tree.find(&p.0)).map(|p| &self.facts.units[p]);
        Issuer::unit(&unit.name, &unit.unit_type, parent.map(|p| (p.name.as_str(), p.unit_type.as_str())))
    }

    fn summary(&self) -> Result<Document> {
        let root = *self.result.tree.roots().first().context("tệp dữ liệu không có đơn vị nào")?;
        let province = &self.facts.units[root];
        let merged = |node: usize| self.result.summaries[node].as_ref().map(documents::all_types).unwrap_or_default();
        let children_of_type = |node: usize, t: &str| -> Vec<usize> {
            self.result.tree.children(node).iter().copied().filter(|&k| self.facts.units[k].unit_type == t).collect()
        };
        let districts = children_of_type(root, "district");
        let area = |i: usize, within: String| AreaCounts { name: self.facts.units[i].name.clone(), within, counts: merged(i) };
        let communes: Vec<AreaCounts> = districts
            .iter()
            .flat_map(|&d| children_of_type(d, "commune").into_iter().map(move |c| (d, c)))
            .map(|(d, c)| area(c, self.facts.units[d].name.clone()))
            .collect();
        let unit_types = self
            .result
            .total()
            .iter()
            .filter(|(t, _)| self.rs.unit_type(t).is_some())
            .map(|(t, c)| AreaCounts { name: self.rs.unit_type_name(t).to_owned(), within: String::new(), counts: *c })
            .collect();
        let units: Vec<UnitLine> = (0..self.facts.units.len())
            .filter_map(|i| {
                let r = self.report(i)?;
                let unit = &self.facts.units[i];
                Some(UnitLine {
                    name: r.name.clone(),
                    unit_type_name: r.unit_type_name.to_string(),
                    commune: self.name_of(self.ancestor(i, "commune")),
                    district: self.name_of(self.ancestor(i, "district")),
                    outcome: r.outcome,
                    // A facts file records no decision: what the rules found is all it tells.
                    decided: false,
                    registered: eval::registered(unit) == Some(true),
                    band: r.classification.as_ref().map(|c| c.band_name.clone()),
                    reasons: documents::failing_reasons(&r),
                })
            })
            .collect();
        let bands: Vec<String> = self.rs.scoring.bands.iter().map(|b| b.name.clone()).collect();
        let (commended, criticised) = documents::honours(&units, &bands);
        Ok(documents::provincial_summary(&ProvincialInput {
            issuer: Issuer::steering_committee(&province.name),
            year: self.year(),
            addressee: format!("Chủ tịch Ủy ban nhân dân {}", in_sentence(&province.name)),
            province: in_sentence(&province.name),
            districts: districts.iter().map(|&d| area(d, String::new())).collect(),
            communes,
            unit_types,
            bands,
            units,
            earlier: Vec::new(),
            commended,
            criticised,
            signer: Signature { for_head: Some("KT. TRƯỞNG BAN".into()), ..blank_signature("PHÓ TRƯỞNG BAN THƯỜNG TRỰC") },
            recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        }))
    }

    fn unit_report(&self, node: usize) -> Result<Document> {
        let report = self.report(node).context("đơn vị này không thuộc diện đánh giá")?;
        let parent = self.facts.units[node].parent.as_ref().and_then(|p| self.result.tree.find(&p.0));
        Ok(documents::unit_report(&UnitReportInput {
            issuer: self.issuer(node),
            year: self.year(),
            addressee: format!("Ủy ban nhân dân {}", in_sentence(&self.name_of(parent))),
            report,
            signer: blank_signature("THỦ TRƯỞNG ĐƠN VỊ"),
            recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        }))
    }

    /// The units above `node`, from the root down.
    fn ancestors(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.facts.units[node].parent.as_ref().and_then(|p| self.result.tree.find(&p.0));
        while let Some(i) = at {
            out.push(i);
            at = self.facts.units[i].parent.as_ref().and_then(|p| self.result.tree.find(&p.0));
        }
        out.reverse();
        out
    }

    /// The committee (a unit) the ruleset gives the recognition of `node` to.
    fn recognising_committee(&self, node: usize) -> Option<usize> {
        let authority = self.calendar.by_type.get(&self.facts.units[node].unit_type)?.authority;
        let ancestors = self.ancestors(node);
        let types: Vec<&str> = ancestors.iter().map(|&i| self.facts.units[i].unit_type.as_str()).collect();
        authority.committee_among(&types).map(|k| ancestors[k])
    }

    /// The People's Committee of `node`, its chairman to sign by hand.
    fn committee(&self, node: usize) -> Result<Committee> {
        let unit = &self.facts.units[node];
        let level = Level::of_type(&unit.unit_type).with_context(|| format!("{} không phải xã, huyện hoặc tỉnh", unit.name))?;
        Ok(Committee { level, unit_name: unit.name.clone(), deputy_signs: false, signer: String::new() })
    }

    fn plan(&self) -> Plan {
        let c = &self.facts.campaign;
        let roots = self.result.tree.roots();
        let province = roots.iter().find(|&&r| self.facts.units[r].unit_type == "province").or(roots.first());
        Plan {
            number: c.plan_number.clone(),
            date: c.plan_date,
            province: self.name_of(province.copied()),
            year: c.year,
            quoted: self.rs.legal_basis.clone(),
        }
    }

    /// The decision of the Chairman of `node`'s People's Committee recognising the units of its
    /// subtree that meet the standard and that the ruleset gives to that committee; number,
    /// date and signer left blank.
    fn decision(&self, node: usize) -> Result<Document> {
        let committee = self.committee(node)?;
        let units = (0..self.facts.units.len())
            .filter(|&i| self.recognising_committee(i) == Some(node))
            .filter_map(|i| self.report(i).map(|r| (i, r)))
            .filter(|(_, r)| r.outcome == Outcome::Recognised)
            .map(|(i, r)| ListedUnit {
                name: r.name,
                unit_type_name: r.unit_type_name.to_string(),
                parent_name: self.name_of(self.facts.units[i].parent.as_ref().and_then(|p| self.result.tree.find(&p.0))),
                band_name: r.classification.map(|c| c.band_name),
            })
            .collect::<Vec<_>>();
        if units.is_empty() {
            bail!("chưa có đơn vị nào đạt chuẩn thuộc thẩm quyền công nhận của {}, không lập quyết định", committee.author_name());
        }
        let on = self.facts.campaign.plan_date;
        Ok(documents::decision(&documents::DecisionInput {
            committee,
            number: Some(String::new()),
            date: None,
            year: self.year(),
            grounds: documents::decision_grounds(on, &self.rs.decision_grounds, &self.plan()),
            request: None,
            units,
            recipients: vec!["Như Điều 3;".into(), "Lưu: VT.".into()],
        }))
    }

    fn certificate(&self, node: usize) -> Result<Document> {
        let report = self.report(node).context("đơn vị này không thuộc diện đánh giá")?;
        if report.outcome != Outcome::Recognised {
            bail!("{} chưa đạt chuẩn ({}), không cấp giấy chứng nhận", report.name, report.outcome_name);
        }
        let by = self.recognising_committee(node).context("không có cấp công nhận đơn vị này trong tệp dữ liệu")?;
        let within = self
            .ancestors(node)
            .into_iter()
            .rev()
            .filter(|&i| Level::of_type(&self.facts.units[i].unit_type).is_some())
            .map(|i| self.facts.units[i].name.clone())
            .collect();
        Ok(documents::certificate(&documents::CertificateInput {
            committee: self.committee(by)?,
            number: Some(String::new()),
            year: self.year(),
            unit_name: report.name,
            within,
            decision: None,
        }))
    }
}
