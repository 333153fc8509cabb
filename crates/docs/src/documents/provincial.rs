//! The provincial summary report to the Chairman: rates by district, commune and unit type,
//! the classification spread, year on year, and in the annex the recognised and not
//! recognised units (with reasons) and the proposed commendations and criticisms.

use antt_core::eval::Outcome;
use antt_core::rollup::Counts;
use antt_core::text::sort_key;

use super::{Issuer, MOVEMENT};
use crate::model::{BarChart, Block, Cell, Column, Document, Paragraph, Signature, Table};

#[derive(Debug, Clone, PartialEq)]
pub struct ProvincialInput {
    pub issuer: Issuer,
    pub year: i32,
    /// "Chủ tịch Ủy ban nhân dân tỉnh Vĩnh Long".
    pub addressee: String,
    /// The province's name ("tỉnh Vĩnh Long").
    pub province: String,
    /// Counts of every unit type together, per district (or commune-level area after 2025).
    pub districts: Vec<AreaCounts>,
    /// Per commune; `within` names the district.
    pub communes: Vec<AreaCounts>,
    /// Per unit type, `name` being the type's Vietnamese name.
    pub unit_types: Vec<AreaCounts>,
    /// The classification bands, highest first ("Xuất sắc", "Khá"…).
    pub bands: Vec<String>,
    pub units: Vec<UnitLine>,
    /// Province totals of earlier campaigns, oldest first.
    pub earlier: Vec<YearCounts>,
    pub commended: Vec<Honour>,
    pub criticised: Vec<Honour>,
    pub signer: Signature,
    pub recipients: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaCounts {
    pub name: String,
    /// The area above (the district of a commune); empty for districts and unit types.
    pub within: String,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearCounts {
    pub year: i32,
    pub counts: Counts,
}

/// One evaluated unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitLine {
    pub name: String,
    pub unit_type_name: String,
    pub commune: String,
    pub district: String,
    /// What the rules found.
    pub outcome: Outcome,
    /// Whether an issued decision recognises it: what an authority decided, apart from what the
    /// rules found.
    pub decided: bool,
    pub registered: bool,
    /// The classification band's name, when scored.
    pub band: Option<String>,
    /// Why it is not recognised, in Vietnamese.
    pub reasons: Vec<String>,
}

/// A unit proposed for commendation or criticism, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Honour {
    pub name: String,
    pub place: String,
    pub reason: String,
}

/// The default proposals, for the office to edit in the DOCX: commend recognised units in the
/// highest band; criticise units that did not register and units in the lowest band.
pub fn honours(units: &[UnitLine], bands: &[String]) -> (Vec<Honour>, Vec<Honour>) {
    let place = |u: &UnitLine| format!("{}, {}", u.commune, u.district);
    let (top, bottom) = (bands.first(), bands.last().filter(|_| bands.len() > 1));
    let mut commended = Vec::new();
    let mut criticised = Vec::new();
    for u in units {
        if u.outcome == Outcome::OutOfScope {
            continue;
        }
        if u.outcome == Outcome::Recognised && u.band.is_some() && u.band.as_ref() == top {
            commended.push(Honour {
                name: u.name.clone(),
                place: place(u),
                reason: format!("Đạt chuẩn, xếp loại {}", u.band.clone().unwrap_or_default()),
            });
        } else if !u.registered {
            criticised.push(Honour { name: u.name.clone(), place: place(u), reason: "Không đăng ký phấn đấu".into() });
        } else if u.band.is_some() && u.band.as_ref() == bottom {
            criticised.push(Honour {
                name: u.name.clone(),
                place: place(u),
                reason: format!("Xếp loại {}", u.band.clone().unwrap_or_default()),
            });
        }
    }
    (commended, criticised)
}

/// Units the ruleset covers.
fn in_scope(c: &Counts) -> u32 {
    c.total - c.out_of_scope
}

fn total(rows: &[AreaCounts]) -> Counts {
    let mut t = Counts::default();
    for r in rows {
        let c = &r.counts;
        t.total += c.total;
        t.recognised += c.recognised;
        t.not_recognised += c.not_recognised;
        t.incomplete += c.incomplete;
        t.out_of_scope += c.out_of_scope;
        t.registered += c.registered;
        t.registered_on_time += c.registered_on_time;
    }
    t
}

const RATE_HEADERS: [(&str, u16); 8] = [
    ("Số đơn vị", 2),
    ("Đăng ký", 2),
    ("Tỷ lệ đăng ký", 2),
    ("Đạt chuẩn theo tiêu chí", 2),
    ("Tỷ lệ đạt", 2),
    ("Chưa đạt", 2),
    ("Chưa đủ dữ liệu", 2),
    ("Đã có quyết định công nhận", 2),
];

fn rate_cells(c: &Counts, decided: u32) -> Vec<Cell> {
    let n = in_scope(c);
    vec![
        Cell::Integer(i64::from(n)),
        Cell::Integer(i64::from(c.registered)),
        Cell::share(c.registered, n),
        Cell::Integer(i64::from(c.recognised)),
        Cell::share(c.recognised, n),
        Cell::Integer(i64::from(c.not_recognised)),
        Cell::Integer(i64::from(c.incomplete)),
        Cell::Integer(i64::from(decided)),
    ]
}

/// Which units an area's row counts: those of a district, of a commune (within its district),
/// of a unit type.
#[derive(Clone, Copy)]
enum Area {
    District,
    Commune,
    UnitType,
}

impl Area {
    fn holds(self, a: &AreaCounts, u: &UnitLine) -> bool {
        match self {
            Self::District => u.district == a.name,
            Self::Commune => u.commune == a.name && u.district == a.within,
            Self::UnitType => u.unit_type_name == a.name,
        }
    }
}

/// Rates per area, with a total row adding up the rows; `within` adds a column for the area
/// above.
fn rates_table(title: &str, first: &str, rows: &[AreaCounts], within: Option<&str>, area: Area, units: &[UnitLine]) -> Table {
    let decided = |a: &AreaCounts| units.iter().filter(|u| u.decided && area.holds(a, u)).count() as u32;
    let mut columns = vec![Column::new("STT", 2)];
    columns.extend(within.map(|w| Column::new(w, 3)));
    columns.push(Column::new(first, 4));
    columns.extend(RATE_HEADERS.iter().map(|(h, w)| Column::new(*h, *w)));
    let body = rows
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let mut row = vec![Cell::Integer(n as i64 + 1)];
            if within.is_some() {
                row.push(Cell::text(&r.within));
            }
            row.push(Cell::text(&r.name));
            row.extend(rate_cells(&r.counts, decided(r)));
            row
        })
        .collect();
    let mut sum = vec![Cell::Empty];
    if within.is_some() {
        sum.push(Cell::Empty);
    }
    sum.push(Cell::text("Tổng cộng"));
    sum.extend(rate_cells(&total(rows), rows.iter().map(decided).sum()));
    Table { title: title.to_owned(), columns, rows: body, total: Some(sum) }
}

/// How many units of each type fell in each band: one row per unit type evaluated (the
/// summary's own unit among them), the total adding up the rows.
fn classification_table(i: &ProvincialInput) -> Table {
    let mut columns = vec![Column::new("STT", 2), Column::new("Loại đơn vị", 4)];
    columns.extend(i.bands.iter().map(|b| Column::new(b.clone(), 2)));
    columns.extend([Column::new("Chưa xếp loại", 2), Column::new("Tổng", 2)]);
    let scoped: Vec<&UnitLine> = i.units.iter().filter(|u| u.outcome != Outcome::OutOfScope).collect();
    let mut types: Vec<&str> = i.unit_types.iter().map(|t| t.name.as_str()).collect();
    for u in &scoped {
        if !types.contains(&u.unit_type_name.as_str()) {
            types.push(&u.unit_type_name);
        }
    }
    let spread = |unit_type: &str| -> Vec<i64> {
        let of_type: Vec<&&UnitLine> = scoped.iter().filter(|u| u.unit_type_name == unit_type).collect();
        let mut cells: Vec<i64> = i.bands.iter().map(|b| of_type.iter().filter(|u| u.band.as_ref() == Some(b)).count() as i64).collect();
        cells.push(of_type.iter().filter(|u| u.band.is_none()).count() as i64);
        cells.push(of_type.len() as i64);
        cells
    };
    let spreads: Vec<Vec<i64>> = types.iter().map(|t| spread(t)).collect();
    let rows = types
        .iter()
        .zip(&spreads)
        .enumerate()
        .map(|(n, (t, cells))| {
            let mut row = vec![Cell::Integer(n as i64 + 1), Cell::text(*t)];
            row.extend(cells.iter().map(|c| Cell::Integer(*c)));
            row
        })
        .collect();
    let mut sum = vec![Cell::Empty, Cell::text("Tổng cộng")];
    sum.extend((0..i.bands.len() + 2).map(|k| Cell::Integer(spreads.iter().map(|s| s[k]).sum())));
    Table { title: "Xếp loại phong trào".into(), columns, rows, total: Some(sum) }
}

fn honours_table(title: &str, list: &[Honour]) -> Table {
    Table {
        title: title.to_owned(),
        columns: vec![Column::new("STT", 2), Column::new("Tên đơn vị", 5), Column::new("Thuộc", 5), Column::new("Lý do", 5)],
        rows: list
            .iter()
            .enumerate()
            .map(|(n, h)| vec![Cell::Integer(n as i64 + 1), Cell::text(&h.name), Cell::text(&h.place), Cell::text(&h.reason)])
            .collect(),
        total: None,
    }
}

fn units_table(title: &str, units: &[&UnitLine], last: &str, value: &dyn Fn(&UnitLine) -> String) -> Table {
    Table {
        title: title.to_owned(),
        columns: vec![
            Column::new("STT", 2),
            Column::new("Tên đơn vị", 4),
            Column::new("Loại đơn vị", 3),
            Column::new("Xã", 3),
            Column::new("Huyện", 3),
            Column::new(last, 5),
        ],
        rows: units
            .iter()
            .enumerate()
            .map(|(n, u)| {
                vec![
                    Cell::Integer(n as i64 + 1),
                    Cell::text(&u.name),
                    Cell::text(&u.unit_type_name),
                    Cell::text(&u.commune),
                    Cell::text(&u.district),
                    Cell::text(value(u)),
                ]
            })
            .collect(),
        total: None,
    }
}

fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 { 0.0 } else { f64::from(part) * 100.0 / f64::from(whole) }
}

pub fn provincial_summary(i: &ProvincialInput) -> Document {
    let all = total(&i.unit_types);
    let n = in_scope(&all);
    let decided = i.units.iter().filter(|u| u.decided).count() as u32;
    let vi = |x: u32| antt_core::vi::integer(u64::from(x));
    let mut body: Vec<Block> = vec![
        Block::Heading("I. TÌNH HÌNH CHUNG".into()),
        Paragraph::new(format!(
            "Năm {}, toàn {} có {} đơn vị thuộc diện đánh giá; {} đơn vị đăng ký phấn đấu ({}), trong đó {} đơn vị đăng ký đúng hạn.",
            i.year,
            i.province,
            vi(n),
            vi(all.registered),
            antt_core::vi::percent(u64::from(all.registered), u64::from(n)),
            vi(all.registered_on_time)
        ))
        .into(),
        Paragraph::new(format!(
            "Kết quả đánh giá theo tiêu chí: {} đơn vị đạt tiêu chuẩn {MOVEMENT} ({}), {} đơn vị chưa đạt, {} đơn vị chưa đủ dữ liệu để đánh giá.",
            vi(all.recognised),
            antt_core::vi::percent(u64::from(all.recognised), u64::from(n)),
            vi(all.not_recognised),
            vi(all.incomplete)
        ))
        .into(),
        Paragraph::new(format!(
            "Đơn vị đã được cấp có thẩm quyền công nhận bằng quyết định: {} đơn vị; số còn lại đạt theo tiêu chí nhưng chưa có quyết định công nhận.",
            vi(decided)
        ))
        .into(),
        Block::Heading("II. KẾT QUẢ CỤ THỂ".into()),
    ];
    let mut section = 0;
    let mut heading = |title: &str| {
        section += 1;
        Block::Heading(format!("{section}. {title}"))
    };
    if !i.districts.is_empty() {
        body.push(heading("Theo đơn vị cấp huyện"));
        body.push(Block::Table(rates_table("Kết quả theo huyện", "Đơn vị cấp huyện", &i.districts, None, Area::District, &i.units)));
        body.push(Block::Chart(BarChart {
            title: "Tỷ lệ đạt chuẩn theo đơn vị cấp huyện".into(),
            bars: i.districts.iter().map(|d| (d.name.clone(), percent(d.counts.recognised, in_scope(&d.counts)))).collect(),
            percent: true,
        }));
    }
    body.push(heading("Theo loại đơn vị"));
    body.push(Block::Table(rates_table("Kết quả theo loại đơn vị", "Loại đơn vị", &i.unit_types, None, Area::UnitType, &i.units)));
    body.push(heading("Xếp loại phong trào"));
    body.push(Block::Table(classification_table(i)));
    let scored: Vec<&UnitLine> = i.units.iter().filter(|u| u.outcome != Outcome::OutOfScope).collect();
    body.push(Block::Chart(BarChart {
        title: "Số đơn vị theo mức xếp loại".into(),
        bars: i.bands.iter().map(|b| (b.clone(), scored.iter().filter(|u| u.band.as_ref() == Some(b)).count() as f64)).collect(),
        percent: false,
    }));
    if !i.earlier.is_empty() {
        body.push(heading("So sánh với các năm trước"));
        let mut years = i.earlier.clone();
        years.push(YearCounts { year: i.year, counts: all });
        let mut headers: Vec<(&str, u16)> = vec![("Năm", 2)];
        headers.extend(&RATE_HEADERS[..RATE_HEADERS.len() - 1]);
        body.push(Block::Table(Table {
            title: "So sánh qua các năm".into(),
            columns: headers.into_iter().map(|(h, w)| Column::new(h, w)).collect(),
            rows: years
                .iter()
                .map(|y| {
                    let mut row = vec![Cell::text(y.year.to_string())];
                    let mut cells = rate_cells(&y.counts, 0);
                    cells.pop();
                    row.extend(cells);
                    row
                })
                .collect(),
            total: None,
        }));
        body.push(Block::Chart(BarChart {
            title: "Tỷ lệ đạt chuẩn qua các năm".into(),
            bars: years.iter().map(|y| (y.year.to_string(), percent(y.counts.recognised, in_scope(&y.counts)))).collect(),
            percent: true,
        }));
    }
    body.push(Block::Heading("III. ĐỀ NGHỊ KHEN THƯỞNG, PHÊ BÌNH".into()));
    body.push(
        Paragraph::new(format!(
            "Đề nghị khen thưởng {} đơn vị và phê bình {} đơn vị (danh sách tại phụ lục kèm theo).",
            vi(i.commended.len() as u32),
            vi(i.criticised.len() as u32)
        ))
        .into(),
    );
    body.push(Paragraph::new(format!("Kính báo cáo {} xem xét, chỉ đạo./.", i.addressee)).into());

    let mut units: Vec<&UnitLine> = i.units.iter().collect();
    units.sort_by_cached_key(|u| (sort_key(&u.district), sort_key(&u.commune), sort_key(&u.name)));
    let recognised: Vec<&UnitLine> = units.iter().copied().filter(|u| u.outcome == Outcome::Recognised).collect();
    let not_recognised: Vec<&UnitLine> = units.iter().copied().filter(|u| u.outcome == Outcome::NotRecognised).collect();
    let mut annex: Vec<Block> = vec![
        Paragraph::new("PHỤ LỤC").bold().centered().into(),
        Paragraph::new(format!("(Kèm theo Báo cáo kết quả thực hiện tiêu chuẩn {MOVEMENT} năm {})", i.year)).italic().centered().into(),
    ];
    let mut part = 0;
    let mut heading = |title: &str| {
        part += 1;
        Block::Heading(format!("{part}. {title}"))
    };
    if !i.communes.is_empty() {
        annex.push(heading("Kết quả theo xã"));
        annex.push(Block::Table(rates_table("Kết quả theo xã", "Xã", &i.communes, Some("Huyện"), Area::Commune, &i.units)));
    }
    annex.extend([
        heading("Danh sách đơn vị đạt chuẩn theo tiêu chí"),
        Block::Table(units_table("Đơn vị đạt chuẩn", &recognised, "Xếp loại; quyết định", &|u| {
            let band = u.band.clone().unwrap_or_default();
            let decision = if u.decided { "đã công nhận" } else { "chưa có quyết định" };
            if band.is_empty() { decision.to_owned() } else { format!("{band}; {decision}") }
        })),
        heading("Danh sách đơn vị chưa đạt chuẩn"),
        Block::Table(units_table("Đơn vị chưa đạt chuẩn", &not_recognised, "Lý do", &|u| u.reasons.join("; "))),
        heading("Đề nghị khen thưởng"),
        Block::Table(honours_table("Đề nghị khen thưởng", &i.commended)),
        heading("Đề nghị phê bình"),
        Block::Table(honours_table("Đề nghị phê bình", &i.criticised)),
    ]);
    Document {
        file_title: format!("Báo cáo tổng hợp kết quả năm {}", i.year),
        header: i.issuer.header(),
        title: "BÁO CÁO".into(),
        subject: Some(format!("Kết quả thực hiện tiêu chuẩn {MOVEMENT} năm {}", i.year)),
        addressee: Some(i.addressee.clone()),
        body,
        signatures: vec![i.signer.clone()],
        recipients: i.recipients.clone(),
        annex,
        copies: Vec::new(),
        landscape: false,
    }
}
