//! The city layer end to end: class policies, properties of random cities, and homes on
//! shared edges. (The hand-checked small city is read from its files in `xuewei-io`'s
//! tests.)

use geo::{polygon, MultiPolygon, Point};
use proptest::prelude::*;
use xuewei_core::city::{
    assign, AssignParams, City, How, Pupil, RecordError, RecordKind, School, UnplacedReason, Zone,
};
use xuewei_core::distance::great_circle_m;
use xuewei_core::overflow::greedy_nearest;
use xuewei_core::{SeatRule, Sector, Stage};
use xuewei_testkit::instance::{arb_city_spec, CitySpec};
use xuewei_testkit::oracle;

/// A cap below the stated seats is ignored (stated seats win under cap), but a cap applies to
/// schools without stated seats: seats = entry classes × N.
#[test]
fn cap_uses_entry_classes_when_seats_are_not_stated() {
    let sizes = xuewei_core::ClassSizeStandard::default();
    assert_eq!(
        SeatRule::Cap(40).seats(3, None, Stage::Primary, &sizes),
        120
    );
    assert_eq!(
        SeatRule::Cap(40).seats(3, Some(100), Stage::Primary, &sizes),
        100
    );
    assert_eq!(
        SeatRule::Standard.seats(3, None, Stage::Junior, &sizes),
        150
    );
    assert_eq!(
        SeatRule::Guarantee.seats(3, Some(10), Stage::Primary, &sizes),
        135
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every pupil is accounted for exactly once; no school holds more than its seats; and
    /// nobody was sent away from their zone while a seat there went to a pupil of lower
    /// priority.
    #[test]
    fn every_pupil_once_and_no_priority_inversion(spec in arb_city_spec(), seed in any::<u64>()) {
        let city = spec.build();
        oracle::city_valid(&city).map_err(TestCaseError::fail)?;
        let params = AssignParams::default().seed(seed);
        oracle::check_city_assignment(&city, &params).map_err(TestCaseError::fail)?;
        let result = assign(&city, &params).expect("every pupil accounted for");
        prop_assert_eq!(result.placements.len(), city.pupils().len());
        let placed: usize = result.placements.iter().filter(|p| p.school.is_some()).count();
        let by_school: u32 = result.placed.iter().sum();
        prop_assert_eq!(placed as u32, by_school);
        let summary: usize = result.stages.iter().map(|(_, s)| s.placed + s.unplaced).sum();
        prop_assert_eq!(summary, city.pupils().len());
        for (s, (&n, &cap)) in result.placed.iter().zip(&result.seats).enumerate() {
            prop_assert!(n <= cap, "school {} holds {} > {}", s, n, cap);
        }
        for (p, pl) in city.pupils().iter().zip(&result.placements) {
            prop_assert_eq!(pl.school.is_none(), pl.how == How::Unplaced);
            if pl.reason != Some(UnplacedReason::ZoneFull) {
                continue;
            }
            let zone = &city.zones()[pl.zone.expect("zone") as usize];
            for &s in &zone.schools {
                let mine = params.rules.tier(p, s);
                for (q, ql) in city.pupils().iter().zip(&result.placements) {
                    if ql.school == Some(s) && matches!(ql.how, How::Zone | How::Lottery) {
                        prop_assert!(params.rules.tier(q, s) <= mine,
                            "{} (tier {}) sent away while {} (tier {}) holds a seat at {}",
                            p.id, mine, q.id, params.rules.tier(q, s), s);
                    }
                }
            }
        }
    }

    /// Same seed, same result, at one thread or many.
    #[test]
    fn deterministic_for_a_seed_at_any_thread_count(spec in arb_city_spec(), seed in any::<u64>()) {
        let city = spec.build();
        let params = AssignParams::default().seed(seed);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
        let a = one.install(|| assign(&city, &params).expect("every pupil accounted for"));
        let b = assign(&city, &params).expect("every pupil accounted for");
        prop_assert_eq!(&a.placements, &b.placements);
        prop_assert_eq!(&a.draws, &b.draws);
    }

    /// Without districts, overflow is one minimum-cost placement: its total distance is no
    /// worse than giving each overflow pupil, in turn, the nearest free seat.
    #[test]
    fn overflow_no_worse_than_greedy(mut spec in arb_city_spec(), seed in any::<u64>()) {
        spec.districts = false;
        let city = spec.build();
        let result = assign(&city, &AssignParams::default().seed(seed)).expect("every pupil accounted for");
        let over: Vec<usize> = (0..city.pupils().len())
            .filter(|&i| result.placements[i].how == How::Overflow || (result.placements[i].how == How::Unplaced))
            .collect();
        let mut free: Vec<u32> = result.seats.clone();
        for pl in &result.placements {
            if let (Some(s), How::Zone | How::Lottery) = (pl.school, pl.how) {
                free[s as usize] -= 1;
            }
        }
        let cost = |i: usize, j: usize| great_circle_m(city.pupils()[over[i]].home, city.schools()[j].location);
        let greedy = greedy_nearest(over.len(), &free, cost);
        let ours: f64 = over.iter().filter_map(|&i| result.placements[i].distance_m).sum();
        let placed = over.iter().filter(|&&i| result.placements[i].school.is_some()).count();
        prop_assert_eq!(placed, greedy.n_placed());
        prop_assert!(ours <= greedy.total_cost + 1e-3 * over.len() as f64 + 1e-6,
            "overflow total {} > greedy {}", ours, greedy.total_cost);
    }
}

/// A home exactly on the edge shared by two zones lands in exactly one of them (the one
/// listed first) and is seated there.
#[test]
fn home_on_a_shared_edge_lands_in_one_zone() {
    let spec = CitySpec {
        cols: 2,
        rows: 1,
        seats: vec![5, 5, 5, 5],
        second_school: vec![false, false],
        pupils: vec![(0.5, 0.5, 3, false)],
        districts: false,
    };
    let city = spec.build();
    // fx = 0.5 of a two-zone-wide grid is exactly the shared edge x = 113.61.
    assert_eq!(city.pupils()[0].home.x(), 113.60 + 0.01 * 2.0 * 0.5);
    let result = assign(&city, &AssignParams::default()).expect("every pupil accounted for");
    assert_eq!(result.placements[0].zone, Some(0));
    assert_eq!(result.placements[0].how, How::Zone);
    assert_eq!(result.placements[0].school, Some(0));
}

/// `City::new` reports every problem of records built in code at once, each naming the
/// record (kind, position in input order, id) and the field.
#[test]
fn city_new_names_record_and_field() {
    let school = School {
        id: "S".into(),
        name: "S".into(),
        stage: Stage::Primary,
        sector: Sector::Public,
        location: Point::new(113.605, 34.745),
        entry_classes: 1,
        district: Some(3),
        seats: None,
    };
    let pupil = Pupil {
        id: "a".into(),
        stage: Stage::Primary,
        home: Point::new(113.604, 34.744),
        hukou_local: true,
        owns_home: false,
        residence_permit: false,
        sibling_school: Some(9),
        score: None,
        origin_school: None,
        preferences: vec![0, 5],
    };
    let square = polygon![(x: 113.60, y: 34.74), (x: 113.61, y: 34.74), (x: 113.61, y: 34.75), (x: 113.60, y: 34.75)];
    let zone = Zone {
        id: "Z".into(),
        stage: Stage::Primary,
        schools: vec![0],
        district: None,
        geometry: MultiPolygon(vec![square]),
    };
    let e = City::new(
        vec![school.clone(), school],
        vec![pupil],
        vec![zone.clone(), zone],
        vec!["D1".into()],
        None,
    )
    .expect_err("bad records");
    assert!(e.errors().contains(&RecordError::DuplicateId {
        kind: RecordKind::Zone,
        index: 1,
        first: 0,
        id: "Z".into()
    }));
    assert_eq!(
        e.to_string(),
        "6 problems in the city\n  \
         school \"S\" at position 0: field \"district\": index 3 is out of range (1 district(s))\n  \
         school \"S\" at position 1: field \"district\": index 3 is out of range (1 district(s))\n  \
         pupil \"a\" at position 0: field \"sibling_school\": index 9 is out of range (2 school(s))\n  \
         pupil \"a\" at position 0: field \"preferences\": index 5 is out of range (2 school(s))\n  \
         school \"S\" at position 1: field \"id\": already used at position 0\n  \
         zone \"Z\" at position 1: field \"id\": already used at position 0"
    );
}
