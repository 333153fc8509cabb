//! The home page: what the signed-in user has to do, per campaign whose scope meets theirs —
//! units due to register (with the days left or overdue), late registrations, registrations
//! returned for correction, units that have not scored themselves, units assigned to the user
//! for inspection and not yet scored, and verdicts awaiting review.

use std::collections::HashSet;

use antt_core::access::{Action, permits};
use antt_core::calendar::Timeliness;
use antt_core::eval::Outcome;
use antt_core::vi;
use antt_store::{decisions, inspection};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

use crate::auth::CurrentUser;
use antt_app::today;

use crate::pages::dashboard::campaigns_for;
use crate::view::Frame;
use crate::{AppError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// How many entries of one kind are listed before "and N more".
const SHOWN: usize = 20;

#[derive(Debug, Clone)]
struct Entry {
    unit_name: String,
    unit_type: String,
    href: String,
    detail: String,
    tone: &'static str,
    /// Sorts entries: the most urgent first.
    order: (i64, (Vec<u32>, Vec<u8>, String)),
}

#[derive(Debug, Clone)]
struct Group {
    id: &'static str,
    title: &'static str,
    total: String,
    more: Option<String>,
    more_href: Option<String>,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Work {
    id: String,
    title: String,
    year: i32,
    plan: Option<String>,
    dashboard: String,
    /// The units of the user's grants in the campaign, by name, each with its page.
    own: Vec<(String, String)>,
    groups: Vec<Group>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    frame: Frame,
    works: Vec<Work>,
    today: String,
}

struct Collect {
    id: &'static str,
    title: &'static str,
    more_href: Option<String>,
    entries: Vec<Entry>,
}

impl Collect {
    fn new(id: &'static str, title: &'static str) -> Self {
        Self { id, title, more_href: None, entries: Vec::new() }
    }

    fn finish(mut self) -> Option<Group> {
        if self.entries.is_empty() {
            return None;
        }
        self.entries.sort_by(|a, b| a.order.cmp(&b.order));
        let total = self.entries.len();
        self.entries.truncate(SHOWN);
        Some(Group {
            id: self.id,
            title: self.title,
            total: vi::integer(total as u64),
            more: (total > SHOWN).then(|| format!("và {} đơn vị khác", vi::integer((total - SHOWN) as u64))),
            more_href: self.more_href,
            entries: self.entries,
        })
    }
}

async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let today = today();
    let grants = &user.actor.grants;
    let mut works = Vec::new();
    for (c, _scope, roots) in campaigns_for(&state, &user).await? {
        let computed = state.app.results(&c.id).await?;
        let ruleset = state.app.ruleset(&c).await?;
        let ruleset = &*ruleset;
        let assigned = inspection::assigned_to(state.app.store(), &c.id, &user.actor.user_id).await?;
        let mut due = Collect::new("due", "Đơn vị cần đăng ký");
        let mut late = Collect::new("late", "Đăng ký trễ hạn");
        let mut returned = Collect::new("returned", "Bản đăng ký bị trả lại để sửa");
        let mut self_score = Collect::new("self", "Chưa tự chấm điểm");
        let mut inspect = Collect::new("inspect", "Được phân công kiểm tra, chưa chấm điểm");
        let mut review = Collect::new("review", "Chờ xét duyệt kết quả");
        let mut own = Vec::new();
        for root in &roots {
            let units = inspection::units_under(state.app.store(), root).await?;
            let registrations = inspection::registrations_under(state.app.store(), &c.id, root).await?;
            let scored: Vec<_> = computed.scored_under(root).collect();
            let self_scored: HashSet<&str> = scored.iter().filter(|s| s.self_assessed).map(|s| s.unit_id.as_str()).collect();
            let reviewed: HashSet<&str> = scored.iter().filter(|s| s.reviewed).map(|s| s.unit_id.as_str()).collect();
            let verdicts = decisions::verdicts_under(state.app.store(), &c.id, root).await?;
            let names: std::collections::HashMap<&str, &str> = units.iter().map(|u| (u.id.as_str(), u.name.as_str())).collect();
            let root_id = crate::pages::dashboard::path_id(root);
            if let Some(name) = names.get(root_id) {
                own.push(((*name).to_owned(), format!("/c/{}/units/{root_id}", c.id)));
            }
            review.more_href.get_or_insert_with(|| format!("/c/{}/review?unit={root_id}", c.id));
            due.more_href.get_or_insert_with(|| format!("/c/{}/dashboard?unit={root_id}", c.id));
            for u in &units {
                let Some(report) = computed.report(&u.id) else { continue };
                if report.outcome == Outcome::OutOfScope {
                    continue;
                }
                let base = format!("/c/{}/units/{}", c.id, u.id);
                let entry = |href: String, detail: String, tone: &'static str, urgency: i64| Entry {
                    unit_name: u.name.clone(),
                    unit_type: match u.parent_id.as_deref().and_then(|p| names.get(p)) {
                        Some(parent) => format!("{}, {parent}", report.unit_type_name),
                        None => report.unit_type_name.to_string(),
                    },
                    href,
                    detail,
                    tone,
                    order: (urgency, antt_core::text::sort_key(&u.name)),
                };
                let registration = registrations.get(&u.id);
                let was_returned = registration.is_some_and(|r| r.status == "returned");
                let registered = report.registration.is_some() || registration.is_some_and(|r| r.submitted && !was_returned);
                if permits(grants, Action::Register, &u.path) {
                    if was_returned {
                        let reason = registration.and_then(|r| r.returned_reason.clone()).unwrap_or_default();
                        let detail = if reason.is_empty() { "Cần sửa và gửi lại".to_owned() } else { format!("Lý do: {reason}") };
                        returned.entries.push(entry(format!("{base}/register"), detail, "bad", 0));
                    } else if !registered && let Some(dates) = computed.calendar.by_type.get(&u.unit_type) {
                        let days = (dates.registration_deadline - today).num_days();
                        let deadline = vi::date(dates.registration_deadline);
                        let (detail, tone) = if days >= 0 {
                            (format!("Hạn {deadline} — còn {days} ngày"), if days <= 5 { "warn" } else { "muted" })
                        } else {
                            (format!("Hạn {deadline} — quá hạn {} ngày", -days), "bad")
                        };
                        due.entries.push(entry(format!("{base}/register"), detail, tone, days));
                    }
                    if let Some(r) = &report.registration
                        && let Timeliness::Late { deadline, days_late } = r.timeliness
                    {
                        let detail = format!("Đăng ký ngày {}, trễ {days_late} ngày (hạn {})", vi::date(r.date), vi::date(deadline));
                        late.entries.push(entry(base.clone(), detail, "warn", -i64::from(days_late)));
                    }
                }
                if registered
                    && permits(grants, Action::SelfScore, &u.path)
                    && ruleset.scoring.frames.contains_key(&u.unit_type)
                    && !self_scored.contains(u.id.as_str())
                {
                    self_score.entries.push(entry(format!("{base}/self-score"), "Chưa có điểm tự chấm".into(), "muted", 0));
                }
                if assigned.contains(&u.id) && permits(grants, Action::Inspect, &u.path) && !reviewed.contains(u.id.as_str()) {
                    inspect.entries.push(entry(format!("{base}/inspect"), "Chưa có điểm kiểm tra".into(), "warn", 0));
                }
                if permits(grants, Action::Review, &u.path)
                    && matches!(report.outcome, Outcome::Recognised | Outcome::NotRecognised)
                    && !verdicts.contains_key(&u.id)
                {
                    let detail = format!("Đề xuất theo tiêu chí: {}", report.outcome_name);
                    let tone = crate::view::tone(crate::pages::dashboard::outcome_code(report.outcome));
                    review.entries.push(entry(base.clone(), detail, tone, 0));
                }
            }
        }
        let groups: Vec<Group> = [returned, due, late, inspect, self_score, review].into_iter().filter_map(Collect::finish).collect();
        let root_id = roots.first().map(|r| crate::pages::dashboard::path_id(r)).unwrap_or_default();
        works.push(Work {
            dashboard: format!("/c/{}/dashboard?unit={root_id}", c.id),
            id: c.id,
            title: c.title,
            year: c.year,
            plan: c.plan_number,
            own,
            groups,
        });
    }
    let frame = Frame::new(&user, "Việc cần làm", "home");
    Ok(Html(HomePage { frame, works, today: vi::date(today) }.render()?))
}
