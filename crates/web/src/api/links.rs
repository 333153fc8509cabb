//! OpenAPI links: which answer gives the ids another operation takes (a decision's id from its
//! issue, a record's id from its creation, a unit's id from the search). Clients and API
//! fuzzers (schemathesis's stateful phase) follow them to reach real records instead of 404s.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::RefOr;
use utoipa::openapi::link::{Link, LinkBuilder};
use utoipa::openapi::path::Operation;

/// One link: from an operation's answer with a status to another operation, with its
/// parameters as runtime expressions.
struct Follow {
    from: &'static str,
    status: &'static str,
    to: &'static str,
    parameters: &'static [(&'static str, &'static str)],
}

/// The same campaign, unit and kind as the request that gave the answer.
const SAME_UNIT: [(&str, &str); 2] = [("cid", "$request.path.cid"), ("uid", "$request.path.uid")];

const FIRST_UNIT: &str = "$response.body#/items/0/id";

const FOLLOWS: &[Follow] = &[
    Follow { from: "list_campaigns", status: "200", to: "get_campaign", parameters: &[("cid", "$response.body#/0/id")] },
    Follow { from: "list_campaigns", status: "200", to: "list_decisions", parameters: &[("cid", "$response.body#/0/id")] },
    Follow { from: "search_units", status: "200", to: "get_unit", parameters: &[("id", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "unit_children", parameters: &[("id", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "verdict", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "summary", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "get_review", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "list_facts", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "create_fact", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "get_registration", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "set_flag", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "set_previous_year", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "search_units", status: "200", to: "judgement", parameters: &[("uid", FIRST_UNIT)] },
    Follow { from: "unit_children", status: "200", to: "get_unit", parameters: &[("id", "$response.body#/0/id")] },
    Follow { from: "issue", status: "201", to: "get_decision", parameters: &[("cid", "$request.path.cid"), ("id", "$response.body#/id")] },
    Follow { from: "issue", status: "201", to: "unlock", parameters: &[("cid", "$request.path.cid"), ("id", "$response.body#/id")] },
    Follow { from: "issue", status: "201", to: "relock", parameters: &[("cid", "$request.path.cid"), ("id", "$response.body#/id")] },
    Follow {
        from: "list_decisions",
        status: "200",
        to: "get_decision",
        parameters: &[("cid", "$request.path.cid"), ("id", "$response.body#/0/id")],
    },
    Follow {
        from: "list_decisions",
        status: "200",
        to: "unlock",
        parameters: &[("cid", "$request.path.cid"), ("id", "$response.body#/0/id")],
    },
    Follow {
        from: "list_decisions",
        status: "200",
        to: "relock",
        parameters: &[("cid", "$request.path.cid"), ("id", "$response.body#/0/id")],
    },
    Follow {
        from: "create_fact",
        status: "201",
        to: "update_fact",
        parameters: &[SAME_UNIT[0], SAME_UNIT[1], ("kind", "$request.path.kind"), ("id", "$response.body#/id")],
    },
    Follow {
        from: "create_fact",
        status: "201",
        to: "delete_fact",
        parameters: &[SAME_UNIT[0], SAME_UNIT[1], ("kind", "$request.path.kind"), ("id", "$response.body#/id")],
    },
    Follow {
        from: "list_facts",
        status: "200",
        to: "update_fact",
        parameters: &[SAME_UNIT[0], SAME_UNIT[1], ("kind", "$request.path.kind"), ("id", "$response.body#/items/0/id")],
    },
    Follow {
        from: "list_facts",
        status: "200",
        to: "delete_fact",
        parameters: &[SAME_UNIT[0], SAME_UNIT[1], ("kind", "$request.path.kind"), ("id", "$response.body#/items/0/id")],
    },
    Follow { from: "submit_registration", status: "201", to: "get_registration", parameters: &SAME_UNIT },
    Follow { from: "submit_registration", status: "201", to: "return_registration", parameters: &SAME_UNIT },
    Follow { from: "propose", status: "201", to: "list_proposals", parameters: &SAME_UNIT },
    Follow { from: "confirm", status: "200", to: "get_review", parameters: &SAME_UNIT },
];

/// Links with a body: the first unit a search found confirmed as recognised, then a decision
/// for the unit just confirmed — how a client reaches the issue of a decision with a real unit.
fn with_bodies() -> [(Follow, Value); 2] {
    [
        (
            Follow { from: "search_units", status: "200", to: "confirm", parameters: &[("uid", FIRST_UNIT)] },
            json!({"confirmed": "recognised", "note": "Đã xem xét hồ sơ kiểm tra."}),
        ),
        (
            Follow { from: "confirm", status: "200", to: "issue", parameters: &[("cid", "$request.path.cid")] },
            json!({"number": "1/QĐ-UBND", "decided_on": "2013-11-14", "signer": "Nguyễn Văn A", "unit_ids": ["$request.path.uid"]}),
        ),
    ]
}

/// Adds the links to the document's operations.
pub fn add(document: &mut Document) {
    let plain = FOLLOWS.iter().map(|follow| (follow, None));
    let bodies = with_bodies();
    for (follow, body) in plain.chain(bodies.iter().map(|(follow, body)| (follow, Some(body.clone())))) {
        let link = follow
            .parameters
            .iter()
            .fold(LinkBuilder::new().operation_id(follow.to), |link, (name, expression)| link.parameter(*name, *expression))
            .request_body(body)
            .build();
        add_link(document, follow.from, follow.status, follow.to, link);
    }
}
/// The table above names operations of this document: a wrong name is a programming error that
/// the OpenAPI snapshot test meets first.
fn add_link(document: &mut Document, from: &str, status: &str, name: &str, link: Link) {
    let Some(operation) = operation_mut(document, from) else {
        panic!("OpenAPI link from an unknown operation {from}");
    };
    match operation.responses.responses.get_mut(status) {
        Some(RefOr::T(response)) => {
            response.links.insert(name.to_string(), RefOr::T(link));
        }
        _ => panic!("OpenAPI link from {from}: no {status} answer"),
    }
}

fn operation_mut<'a>(document: &'a mut Document, id: &str) -> Option<&'a mut Operation> {
    document.paths.paths.values_mut().find_map(|item| {
        [&mut item.get, &mut item.put, &mut item.post, &mut item.delete]
            .into_iter()
            .filter_map(Option::as_mut)
            .find(|operation| operation.operation_id.as_deref() == Some(id))
    })
}
