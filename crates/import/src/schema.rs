//! What each kind of import file holds: its columns, with the header names people use for them,
//! whether they are required, an example and a note for the template.

use antt_core::Ruleset;
use serde::Serialize;

/// The kinds of files that can be imported: a list of units of one type of the campaign's
/// ruleset, or one kind of facts.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Units(UnitList),
    Households,
    Incidents,
    Discipline,
}

/// A list of units of one type, as the ruleset declares it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct UnitList {
    /// The ruleset's code of the type, e.g. `residential_area`; also the file kind's code.
    pub unit_type: String,
    /// Its Vietnamese name, e.g. `khu dân cư`.
    pub name: String,
    /// Units of the type are part of their commune's territory (residential areas): they have
    /// no sub-units and no titles.
    pub territorial: bool,
}

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Text,
    Date,
    YesNo,
    /// A code or name from the ruleset's incident kinds.
    IncidentKind,
    Severity,
    /// A code or name from the ruleset's forces.
    Force,
    /// Codes or names from the ruleset's forces, separated by ";".
    Forces,
    /// A code or name from the ruleset's fields of law.
    Domain,
    /// A code or name from the ruleset's groups of people.
    Group,
    /// A whole number, "1.500.000" allowed.
    Number,
    /// Whole numbers separated by ";".
    Numbers,
    DisciplineLevel,
    /// A level name from one of the ruleset's title scales.
    TitleLevel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    /// The header in the template.
    pub header: &'static str,
    /// Other headers people write for it (compared without diacritics, case or punctuation).
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub values: Values,
    pub example: &'static str,
    pub note: &'static str,
}

const fn column(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    values: Values,
    example: &'static str,
    note: &'static str,
) -> Column {
    Column { key, header, aliases, required, values, example, note }
}

const UNIT_REF_NOTE: &str = "Tên hoặc mã của đơn vị (khu dân cư, cơ quan, nhà trường, cơ sở thờ tự…) trong phạm vi đơn vị đang nhập. Để trống nếu là chính đơn vị đang nhập.";

const COMMUNE: Column = column(
    "commune",
    "Xã, phường, thị trấn",
    &["Xã", "Phường", "Xã/phường", "Xã phường", "Mã xã", "Tên xã", "Đơn vị hành chính"],
    false,
    Values::Text,
    "Xã Đồng Phú",
    "Tên hoặc mã của xã, phường, thị trấn quản lý đơn vị. Để trống nếu nhập từ trang của chính xã đó.",
);
const CODE: Column = column(
    "code",
    "Mã",
    &["Mã đơn vị", "Mã số", "Mã khu dân cư"],
    false,
    Values::Text,
    "",
    "Mã riêng của đơn vị nếu có (không được trùng). Để trống thì hệ thống tự cấp mã.",
);
const PARENT: Column = column(
    "parent",
    "Thuộc đơn vị",
    &["Đơn vị cấp trên", "Trực thuộc", "Bộ phận của"],
    false,
    Values::Text,
    "",
    "Để trống nếu dòng là một đơn vị. Nếu dòng là một bộ phận (phòng, ban, khoa, tổ, đội…), ghi tên hoặc mã của đơn vị mà bộ phận trực thuộc (ở dòng khác trong tệp hoặc đã có trong hệ thống).",
);
const TITLE: Column = column(
    "title",
    "Danh hiệu của bộ phận",
    &["Danh hiệu", "Xếp loại", "Danh hiệu thi đua"],
    false,
    Values::TitleLevel,
    "",
    "Chỉ ghi ở dòng bộ phận: danh hiệu thi đua hoặc mức xếp loại năm nay của bộ phận, ví dụ “Tập thể lao động tiên tiến”.",
);
/// The marker of a template's example rows: a row with “mẫu” here is skipped by the import, so
/// a template imports as downloaded.
pub const SAMPLE: Column = column(
    "sample",
    "Dòng mẫu",
    &["Mẫu", "Dòng ví dụ", "Ví dụ"],
    false,
    Values::Text,
    "mẫu",
    "Dòng ghi “mẫu” ở cột này là dòng ví dụ: được bỏ qua khi nhập, có thể để nguyên hoặc xóa. Để trống ở các dòng dữ liệu.",
);
const UNIT_NAME: Column = column(
    "name",
    "Tên đơn vị",
    &["Tên", "Tên cơ quan", "Tên doanh nghiệp", "Tên trường", "Tên cơ sở", "Tên bộ phận"],
    true,
    Values::Text,
    "",
    "Tên đầy đủ của đơn vị hoặc bộ phận.",
);

/// A list of units that are part of their commune's territory (residential areas).
const AREAS: &[Column] = &[
    column(
        "name",
        "Tên khu dân cư",
        &["Khu dân cư", "Tên ấp", "Ấp, khóm", "Tên", "Tên ấp, khóm", "Tên đơn vị"],
        true,
        Values::Text,
        "Ấp Hòa Quới",
        "Tên khu dân cư (ấp, khóm, tổ dân phố…).",
    ),
    CODE,
    COMMUNE,
    SAMPLE,
];
/// A list of units of any other type, with their sub-units.
const UNITS: &[Column] = &[UNIT_NAME, CODE, COMMUNE, PARENT, TITLE, SAMPLE];

const UNIT: Column = column(
    "unit",
    "Đơn vị",
    &["Tên đơn vị", "Mã đơn vị", "Khu dân cư", "Ấp", "Cơ quan", "Nhà trường", "Cơ sở thờ tự"],
    false,
    Values::Text,
    "Ấp Hòa Quới",
    UNIT_REF_NOTE,
);

const HOUSEHOLDS: &[Column] = &[
    UNIT,
    column(
        "head",
        "Chủ hộ",
        &["Họ tên chủ hộ", "Tên chủ hộ", "Họ và tên chủ hộ", "Họ và tên"],
        true,
        Values::Text,
        "Nguyễn Văn An",
        "Họ và tên chủ hộ.",
    ),
    column("address", "Địa chỉ", &["Số nhà", "Nơi ở"], false, Values::Text, "Số 12, tổ 3", "Số nhà, tổ, đường…"),
    column(
        "signed",
        "Đã ký cam kết",
        &["Đã ký", "Ký cam kết", "Ký", "Có ký"],
        true,
        Values::YesNo,
        "có",
        "“có” nếu hộ đã ký bản cam kết, “không” nếu chưa.",
    ),
    column(
        "signed_on",
        "Ngày ký",
        &["Ngày ký cam kết"],
        false,
        Values::Date,
        "15/05/2013",
        "Ngày hộ ký, dạng ngày/tháng/năm. Để trống nếu chưa ký.",
    ),
    column("note", "Ghi chú", &[], false, Values::Text, "", "Ghi chú tùy ý."),
    SAMPLE,
];

const INCIDENTS: &[Column] = &[
    UNIT,
    column(
        "kind",
        "Loại vụ việc",
        &["Loại", "Loại vụ", "Vụ việc"],
        true,
        Values::IncidentKind,
        "tội phạm",
        "Loại vụ việc theo danh mục của bộ tiêu chí (xem danh sách bên dưới).",
    ),
    column(
        "occurred_on",
        "Ngày xảy ra",
        &["Ngày", "Ngày xảy ra vụ việc"],
        true,
        Values::Date,
        "20/07/2013",
        "Ngày xảy ra, dạng ngày/tháng/năm.",
    ),
    column(
        "severity",
        "Mức độ",
        &["Mức độ nghiêm trọng", "Tính chất"],
        false,
        Values::Severity,
        "nghiêm trọng",
        "ít nghiêm trọng, nghiêm trọng, rất nghiêm trọng hoặc đặc biệt nghiêm trọng (theo Bộ luật Hình sự). Để trống nếu không xác định.",
    ),
    column(
        "in_territory",
        "Xảy ra trên địa bàn",
        &["Trên địa bàn", "Tại địa bàn", "Xảy ra tại đơn vị"],
        false,
        Values::YesNo,
        "có",
        "“có” nếu xảy ra trên địa bàn hoặc trong khuôn viên đơn vị. Để trống là “có”.",
    ),
    column(
        "by_own_people",
        "Do người của đơn vị gây ra",
        &["Do người của đơn vị", "Người của đơn vị gây ra", "Do người địa phương gây ra"],
        false,
        Values::YesNo,
        "không",
        "“có” nếu người gây ra là người của đơn vị (cư dân, cán bộ, người học…). Để trống là “không”.",
    ),
    column(
        "force_majeure",
        "Bất khả kháng",
        &["Do bất khả kháng"],
        false,
        Values::YesNo,
        "không",
        "“có” nếu do thiên tai hoặc nguyên nhân bất khả kháng. Để trống là “không”.",
    ),
    column(
        "reported_promptly",
        "Phát hiện, báo cáo kịp thời",
        &["Báo cáo kịp thời", "Phát hiện báo cáo kịp thời"],
        false,
        Values::YesNo,
        "có",
        "“có” hoặc “không”. Để trống nếu chưa xác định.",
    ),
    column(
        "deaths",
        "Số người chết",
        &["Người chết", "Số người tử vong", "Chết"],
        false,
        Values::Number,
        "",
        "Số người chết do vụ việc (tai nạn, cháy, nổ…). Để trống nếu không có.",
    ),
    column(
        "injuries",
        "Tỷ lệ tổn thương cơ thể (%)",
        &["Tỷ lệ tổn thương", "Tỷ lệ thương tích", "Người bị thương"],
        false,
        Values::Numbers,
        "",
        "Tỷ lệ tổn thương cơ thể của từng người bị thương, cách nhau bằng dấu chấm phẩy, ví dụ “31; 12” là hai người. Để trống nếu không có.",
    ),
    column(
        "damage",
        "Thiệt hại tài sản (đồng)",
        &["Thiệt hại tài sản", "Thiệt hại", "Giá trị thiệt hại"],
        false,
        Values::Number,
        "",
        "Giá trị tài sản bị thiệt hại, tính bằng đồng, ví dụ 120.000.000. Để trống nếu không có.",
    ),
    column(
        "domain",
        "Lĩnh vực",
        &["Lĩnh vực vi phạm", "Lĩnh vực xử phạt"],
        false,
        Values::Domain,
        "",
        "Với vụ xử phạt vi phạm hành chính: lĩnh vực theo danh mục của bộ tiêu chí (xem danh sách bên dưới).",
    ),
    column(
        "group",
        "Nhóm người gây ra",
        &["Nhóm người", "Đối tượng gây ra"],
        false,
        Values::Group,
        "",
        "Nếu do người của đơn vị gây ra: thuộc nhóm nào (người học, cán bộ…), theo danh mục của bộ tiêu chí.",
    ),
    column("note", "Ghi chú", &["Nội dung", "Tóm tắt"], false, Values::Text, "Trộm cắp tài sản", "Tóm tắt vụ việc."),
    SAMPLE,
];

const DISCIPLINE: &[Column] = &[
    UNIT,
    column(
        "force",
        "Lực lượng",
        &["Lực lượng bị kỷ luật", "Thuộc lực lượng"],
        true,
        Values::Force,
        "công an viên, bảo vệ dân phố",
        "Lực lượng của người bị kỷ luật, theo danh mục của bộ tiêu chí (xem danh sách bên dưới).",
    ),
    column(
        "also_forces",
        "Đồng thời thuộc lực lượng",
        &["Đồng thời là", "Lực lượng khác"],
        false,
        Values::Forces,
        "",
        "Nếu người bị kỷ luật đồng thời thuộc lực lượng khác: các lực lượng đó, cách nhau bằng dấu chấm phẩy.",
    ),
    column(
        "level",
        "Hình thức kỷ luật",
        &["Hình thức", "Mức kỷ luật", "Kỷ luật"],
        true,
        Values::DisciplineLevel,
        "khiển trách",
        "Hình thức kỷ luật (xem danh sách bên dưới).",
    ),
    column(
        "decided_on",
        "Ngày quyết định",
        &["Ngày kỷ luật", "Ngày ra quyết định", "Ngày"],
        true,
        Values::Date,
        "10/09/2013",
        "Ngày của quyết định kỷ luật, dạng ngày/tháng/năm.",
    ),
    column(
        "person",
        "Người bị kỷ luật",
        &["Họ tên", "Họ và tên", "Người vi phạm"],
        false,
        Values::Text,
        "Trần Văn Bình",
        "Họ và tên (không bắt buộc).",
    ),
    SAMPLE,
];

/// The unit type whose units come from the official list of administrative units, not from a
/// file (`antt import units`).
const FROM_OFFICIAL_LIST: &str = "commune";

impl Kind {
    /// The files a campaign under `ruleset` takes: a list of the units of each of its types
    /// (but communes, which come from the official list), then the facts.
    pub fn for_ruleset(ruleset: &Ruleset) -> Vec<Self> {
        let units = ruleset
            .unit_types
            .iter()
            .filter(|t| t.code != FROM_OFFICIAL_LIST)
            .map(|t| Self::Units(UnitList { unit_type: t.code.clone(), name: t.name.clone(), territorial: t.territorial }));
        units.chain([Self::Households, Self::Incidents, Self::Discipline]).collect()
    }

    /// The kind of file `code` names under `ruleset` (a unit type's code, or `households`,
    /// `incidents`, `discipline`).
    pub fn parse(code: &str, ruleset: &Ruleset) -> Option<Self> {
        Self::for_ruleset(ruleset).into_iter().find(|k| k.code() == code)
    }

    pub fn code(&self) -> &str {
        match self {
            Self::Units(u) => &u.unit_type,
            Self::Households => "households",
            Self::Incidents => "incidents",
            Self::Discipline => "discipline",
        }
    }

    /// What the file lists, in Vietnamese.
    pub fn title(&self) -> String {
        match self {
            Self::Units(u) if u.territorial => format!("Danh sách {}", u.name),
            Self::Units(u) => format!("Danh sách {} và bộ phận", u.name),
            Self::Households => "Danh sách hộ gia đình ký cam kết".into(),
            Self::Incidents => "Danh sách vụ việc về an ninh, trật tự".into(),
            Self::Discipline => "Danh sách kỷ luật".into(),
        }
    }

    /// The unit type a row creates, for the kinds that list units.
    pub fn unit_type(&self) -> Option<&str> {
        match self {
            Self::Units(u) => Some(&u.unit_type),
            Self::Households | Self::Incidents | Self::Discipline => None,
        }
    }

    pub fn columns(&self) -> &'static [Column] {
        match self {
            Self::Units(u) if u.territorial => AREAS,
            Self::Units(_) => UNITS,
            Self::Households => HOUSEHOLDS,
            Self::Incidents => INCIDENTS,
            Self::Discipline => DISCIPLINE,
        }
    }

    /// The example the template shows in a column: for a list of units, a name made of the
    /// type's (“Chợ Đồng Phú”, in the commune of the example).
    pub fn example(&self, column: &Column) -> String {
        match self {
            Self::Units(u) if column.key == "name" && column.example.is_empty() => {
                let mut chars = u.name.chars();
                let capital: String = chars.next().into_iter().flat_map(char::to_uppercase).chain(chars).collect();
                format!("{capital} Đồng Phú")
            }
            _ => column.example.to_owned(),
        }
    }

    /// The column holding a record's field as the page and the API name it (`force_code` is
    /// the column “Lực lượng”), `None` when a file of this kind has no such column.
    pub fn column_of_field(&self, field: &str) -> Option<(usize, &'static Column)> {
        let key = match field {
            "force_code" => "force",
            "group_code" => "group",
            "harm_deaths" => "deaths",
            "harm_injuries" => "injuries",
            "harm_damage_vnd" => "damage",
            other => other,
        };
        self.columns().iter().enumerate().find(|(_, c)| c.key == key)
    }

    /// The file name of the template, without extension.
    pub fn template_name(&self) -> String {
        format!("mau-nhap-{}", self.code().replace('_', "-"))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}
