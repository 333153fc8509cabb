//! Movement scoring and classification with the bands of the shipped rulesets.

use std::collections::BTreeMap;

use antt_core::model::Scores;
use antt_core::scoring::{Band, Points, ScoreSource, ScoringError, classify};

fn ruleset() -> antt_core::Ruleset {
    antt_core::ruleset::built_in_named("vinh-long-2013").expect("rulesets load").expect("vinh-long-2013 exists")
}

fn sheet(points: &[(&str, u32)]) -> BTreeMap<String, Points> {
    points.iter().map(|(item, tenths)| ((*item).to_owned(), Points::from_tenths(*tenths))).collect()
}

/// Residential-area scores: five items of 20 points, given in tenths.
fn area_scores(own: [u32; 5], reviewed: Option<[u32; 5]>) -> Scores {
    let items = ["1.1", "1.2", "1.3", "1.4", "1.5"];
    let to_sheet = |p: [u32; 5]| sheet(&items.iter().copied().zip(p).collect::<Vec<_>>());
    Scores { self_assessed: to_sheet(own), reviewed: reviewed.map(to_sheet) }
}

#[test]
fn the_reviewed_score_decides_and_differences_are_listed() {
    let rs = ruleset();
    let frame = &rs.scoring.frames["residential_area"];
    let c = classify(frame, &rs.scoring.bands, &area_scores([200, 190, 200, 180, 190], Some([190, 190, 200, 160, 190])), true)
        .expect("classified");
    assert_eq!(c.source, ScoreSource::Reviewed);
    assert_eq!((c.total.tenths(), c.self_total.tenths(), c.max.tenths()), (930, 960, 1000));
    assert_eq!(c.band, "xuat_sac");
    assert_eq!(
        c.differences,
        vec![
            ("1.1".to_owned(), Points::from_tenths(200), Points::from_tenths(190)),
            ("1.4".to_owned(), Points::from_tenths(180), Points::from_tenths(160))
        ]
    );
}

#[test]
fn xuat_sac_needs_recognition_and_says_why_not() {
    let rs = ruleset();
    let frame = &rs.scoring.frames["residential_area"];
    let c = classify(frame, &rs.scoring.bands, &area_scores([200; 5], None), false).expect("classified");
    assert_eq!(c.band, "kha");
    assert_eq!(c.source, ScoreSource::SelfAssessed);
    assert_eq!(c.reasons, ["Chưa đạt mức Xuất sắc: đơn vị chưa được công nhận đạt chuẩn"]);
}

#[test]
fn band_thresholds_are_inclusive_percentages_of_the_maximum() {
    let rs = ruleset();
    let frame = &rs.scoring.frames["residential_area"];
    let band = |tenths: [u32; 5]| classify(frame, &rs.scoring.bands, &area_scores(tenths, None), true).expect("classified").band;
    assert_eq!(band([180; 5]), "xuat_sac"); // 90 of 100
    assert_eq!(band([180, 180, 180, 180, 179]), "kha"); // 89,9
    assert_eq!(band([150; 5]), "kha"); // 75
    assert_eq!(band([100; 5]), "trung_binh"); // 50
    assert_eq!(band([99, 100, 100, 100, 100]), "kem"); // 49,9
}

#[test]
fn a_per_item_minimum_can_hold_a_unit_back() {
    let rs = ruleset();
    let frame = &rs.scoring.frames["residential_area"];
    let bands = vec![
        Band { code: "kha".into(), name: "Khá".into(), min_percent: 75, min_item_percent: Some(50), requires_recognised: false },
        Band { code: "kem".into(), name: "Kém".into(), min_percent: 0, min_item_percent: None, requires_recognised: false },
    ];
    let c = classify(frame, &bands, &area_scores([200, 200, 200, 200, 90], None), true).expect("classified");
    assert_eq!(c.band, "kem");
    assert_eq!(c.reasons, ["Chưa đạt mức Khá: mục 1.5 được 9/20 điểm, dưới 50%"]);
}

#[test]
fn scores_outside_the_frame_are_refused() {
    let rs = ruleset();
    let frame = &rs.scoring.frames["residential_area"];
    let over = classify(frame, &rs.scoring.bands, &area_scores([210, 0, 0, 0, 0], None), true);
    assert_eq!(
        over.map(|c| c.band),
        Err(ScoringError::OverMax { item: "1.1".into(), given: Points::from_tenths(210), max: Points::from_tenths(200) })
    );
    let unknown = Scores { self_assessed: sheet(&[("9.9", 10)]), reviewed: None };
    assert_eq!(classify(frame, &rs.scoring.bands, &unknown, true).map(|c| c.band), Err(ScoringError::UnknownItem("9.9".into())));
    assert_eq!(classify(frame, &rs.scoring.bands, &Scores::default(), true).map(|c| c.band), Err(ScoringError::NoScores));
    let err = ScoringError::OverMax { item: "1.1".into(), given: Points::from_tenths(215), max: Points::from_tenths(200) };
    assert_eq!(err.to_string(), "mục 1.1: 21,5 điểm vượt quá tối đa 20");
}

#[test]
fn every_shipped_frame_totals_100_points() {
    for rs in antt_core::ruleset::built_in().expect("rulesets load") {
        for (unit_type, frame) in &rs.scoring.frames {
            assert_eq!(frame.max_total().tenths(), 1000, "{} {unit_type}", rs.id);
        }
    }
}
