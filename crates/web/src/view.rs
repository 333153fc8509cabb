//! What every page shows around its content, and Vietnamese formatting for templates.

use antt_core::access::Action;

use crate::auth::CurrentUser;

/// The length limits of the app's checks (`antt_core::input::limits`), for the pages'
/// `maxlength` and their counters.
pub const NOTE_MAX: usize = antt_core::input::limits::NOTE;
pub const NAME_MAX: usize = antt_core::input::limits::NAME;
pub const CODE_MAX: usize = antt_core::input::limits::CODE;

/// The frame of every signed-in page: who is signed in, the navigation and the CSRF token.
#[derive(Debug, Clone)]
pub struct Frame {
    pub user_name: String,
    pub csrf: String,
    pub title: String,
    /// Which navigation entry is current.
    pub section: &'static str,
    pub can_audit: bool,
    pub can_manage: bool,
    pub can_manage_users: bool,
    /// The last save's confirmation, shown once.
    pub flash: Option<String>,
}

impl Frame {
    pub fn new(user: &CurrentUser, title: impl Into<String>, section: &'static str) -> Self {
        let any = |a: Action| user.actor.grants.iter().any(|g| g.role.allows(a));
        Self {
            user_name: user.actor.full_name.clone(),
            csrf: user.csrf.clone(),
            title: title.into(),
            section,
            can_audit: any(Action::ViewAudit),
            can_manage: any(Action::ManageCampaign),
            can_manage_users: any(Action::ManageUsers),
            flash: user.flash.clone(),
        }
    }
}

/// `2026-11-26T17:41:13.000Z` → `26/11/2026 17:41` (UTC+7, Vietnam time).
pub fn instant(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(7)).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// `2013-05-02` → `02/05/2013`.
pub fn date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(antt_core::vi::date).unwrap_or_else(|_| iso.to_owned())
}

/// A CSS class for an outcome or status code, so colours mean the same everywhere.
pub fn tone(code: &str) -> &'static str {
    match code {
        "recognised" | "met" => "ok",
        "not_recognised" | "not_met" => "bad",
        "incomplete" | "missing_data" => "warn",
        _ => "muted",
    }
}

/// Bytes as the pages show them: "340 KB", "12,4 MB".
pub fn file_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB {
        format!("{} MB", antt_core::vi::decimal(bytes as f64 / MB, 1))
    } else if bytes >= 1024 {
        format!("{} KB", antt_core::vi::decimal(bytes as f64 / 1024.0, 1))
    } else {
        format!("{bytes} byte")
    }
}

/// Paging links for a list.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub page: u32,
    pub pages: u32,
    /// How many items the list has, as Vietnamese shows numbers.
    pub total: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `href(page)` gives the address of a page.
    pub fn new(page: u32, total: u64, per_page: u32, href: impl Fn(u32) -> String) -> Self {
        let pages = u32::try_from(total.div_ceil(u64::from(per_page.max(1)))).unwrap_or(u32::MAX).max(1);
        let page = page.clamp(1, pages);
        Self {
            page,
            pages,
            total: antt_core::vi::integer(total),
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
        }
    }

    /// Pages of `path` whose other parameters are `query` (empty ones left out); `page` is added.
    pub fn for_query(path: &str, query: &[(&str, &str)], total: u64, page: u32, per_page: u32) -> Self {
        Self::new(page, total, per_page, |p| {
            let mut pairs: Vec<(&str, String)> = query.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (*k, (*v).to_owned())).collect();
            pairs.push(("page", p.to_string()));
            format!("{path}?{}", serde_urlencoded::to_string(&pairs).unwrap_or_default())
        })
    }

    /// The slice of `items` on this page.
    pub fn slice<T: Clone>(&self, items: &[T], per_page: u32) -> Vec<T> {
        let start = (self.page as usize - 1) * per_page as usize;
        items.iter().skip(start).take(per_page as usize).cloned().collect()
    }
}
