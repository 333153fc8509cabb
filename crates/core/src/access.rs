//! Who may do what, where: a user holds (role, unit) grants, and a grant covers the unit's
//! whole subtree. Every read and write of the application asks this module.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Provincial standing office of the steering committee (Phòng PV28/PV05).
    Admin,
    /// District steering committee (until 2025).
    District,
    /// Commune steering committee and People's Committee.
    Commune,
    /// Head of a residential area, agency, school or place of worship.
    UnitHead,
    /// Member of an inspection team.
    Inspector,
    /// Leadership that only reads.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Admin, Role::District, Role::Commune, Role::UnitHead, Role::Inspector, Role::Viewer];

    pub fn name(self) -> &'static str {
        match self {
            Self::Admin => "Thường trực Ban Chỉ đạo tỉnh",
            Self::District => "Ban Chỉ đạo cấp huyện",
            Self::Commune => "Ban Chỉ đạo cấp xã",
            Self::UnitHead => "Người đứng đầu đơn vị",
            Self::Inspector => "Thành viên đoàn kiểm tra",
            Self::Viewer => "Lãnh đạo (chỉ xem)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::District => "district",
            Self::Commune => "commune",
            Self::UnitHead => "unit_head",
            Self::Inspector => "inspector",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether the role allows the action at all (the subtree is checked separately).
    pub fn allows(self, action: Action) -> bool {
        use Action::*;
        match self {
            Self::Admin => true,
            Self::District => !matches!(action, ManageUsers | Inspect),
            // A commune issues decisions where the ruleset makes its People's Committee the
            // recognising authority (its residential areas); which decisions is the
            // application's check of that authority.
            Self::Commune => matches!(action, Read | EditFacts | Register | SelfScore | Review | IssueDecision | ViewAudit),
            Self::UnitHead => matches!(action, Read | EditFacts | Register | SelfScore),
            Self::Inspector => matches!(action, Read | Inspect),
            Self::Viewer => matches!(action, Read),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    /// Record commitments, incidents, discipline, titles, sub-units, documents, evidence.
    EditFacts,
    Register,
    SelfScore,
    /// Score as an inspector and record judgements.
    Inspect,
    /// Launch and configure campaigns, form inspection teams.
    ManageCampaign,
    /// Confirm verdicts, propose commendation or criticism.
    Review,
    /// Issue recognition decisions, and unlock facts for a correction (where the ruleset makes
    /// the grant's unit the recognising authority).
    IssueDecision,
    ManageUsers,
    ViewAudit,
}

impl Action {
    pub fn name(self) -> &'static str {
        match self {
            Self::Read => "xem",
            Self::EditFacts => "nhập dữ liệu",
            Self::Register => "đăng ký",
            Self::SelfScore => "tự chấm điểm",
            Self::Inspect => "chấm điểm kiểm tra",
            Self::ManageCampaign => "quản lý đợt phát động",
            Self::Review => "xét duyệt",
            Self::IssueDecision => "ban hành quyết định",
            Self::ManageUsers => "quản lý người dùng",
            Self::ViewAudit => "xem nhật ký",
        }
    }
}

/// One grant: a role over the subtree rooted at a unit, identified by its materialised path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub unit_id: String,
    /// `/86/857/29578/`: every unit whose path starts with it is covered.
    pub unit_path: String,
}

/// Whether any grant allows `action` on the unit at `unit_path`.
pub fn permits(grants: &[Grant], action: Action, unit_path: &str) -> bool {
    grants.iter().any(|g| g.role.allows(action) && unit_path.starts_with(&g.unit_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str) -> Grant {
        Grant { role, unit_id: path.trim_matches('/').rsplit('/').next().unwrap_or_default().to_owned(), unit_path: path.to_owned() }
    }

    #[test]
    fn a_grant_covers_its_subtree_and_nothing_else() {
        let commune = [grant(Role::Commune, "/86/857/29578/")];
        assert!(permits(&commune, Action::EditFacts, "/86/857/29578/"));
        assert!(permits(&commune, Action::EditFacts, "/86/857/29578/29578-ap01/"));
        assert!(!permits(&commune, Action::EditFacts, "/86/857/29584/29584-ap01/"));
        assert!(!permits(&commune, Action::Read, "/86/857/"));
        // A sibling whose id starts with the same digits is not inside the subtree.
        assert!(!permits(&commune, Action::Read, "/86/857/295781/"));
    }

    #[test]
    fn roles_do_exactly_their_part() {
        assert!(Role::Inspector.allows(Action::Inspect));
        assert!(!Role::Inspector.allows(Action::EditFacts));
        assert!(Role::Commune.allows(Action::IssueDecision));
        assert!(!Role::Commune.allows(Action::ManageCampaign));
        assert!(!Role::Commune.allows(Action::Inspect));
        assert!(Role::UnitHead.allows(Action::SelfScore));
        assert!(!Role::UnitHead.allows(Action::Review));
        assert!(Role::Viewer.allows(Action::Read));
        assert!(!Role::Viewer.allows(Action::EditFacts));
        assert!(Role::Admin.allows(Action::ManageUsers));
        assert!(!Role::District.allows(Action::ManageUsers));
    }
}
