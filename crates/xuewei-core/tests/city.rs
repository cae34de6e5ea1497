//! The city layer end to end: a hand-checked small city, and properties of random cities.

mod common;

use std::path::Path;

use geo::{polygon, MultiPolygon, Point};
use proptest::prelude::*;
use xuewei_core::city::{
    assign, AssignParams, City, CityFiles, How, Pupil, School, UnplacedReason, Zone,
};
use xuewei_core::distance::great_circle_m;
use xuewei_core::overflow::greedy_nearest;
use xuewei_core::{SeatRule, Sector, Stage};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/city-small")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn small_city() -> City {
    let (z, s, p) = (
        fixture("zones.geojson"),
        fixture("schools.csv"),
        fixture("pupils.csv"),
    );
    City::load(&CityFiles {
        zones: ("zones.geojson", &z),
        schools: ("schools.csv", &s),
        pupils: ("pupils.csv", &p),
        roads: None,
    })
    .expect("the fixture city is valid")
}

/// `pupil:school:how` for every pupil.
fn placements(city: &City, params: &AssignParams) -> String {
    let result = assign(city, params).expect("every pupil accounted for");
    common::placement_summary(city, &result)
}

/// fixtures/city-small, worked by hand: ZA (seats 2) seats a1 (tier 0) and a2 (tier 1); a3
/// (residence permit, tier 2) overflows — district D1 has no free seat (ZB's three seats go
/// to b1, b2, b3), so the adjacent district D2's PC (3 seats, 2 taken by c1, c2) takes a3.
/// In the multi-school zone ZB, b1 (tier 0) beats b3 (others) for PB2, which both list first;
/// b3 falls to PB1 with b2. h1 lives outside every zone and finds no free seat. p1 wins the
/// only applicant's draw at the private school. In junior, JZ1's J1 seats j1 and j2 by
/// priority; j3 has no seat in D1 or the adjacent D2 (J2 holds j4).
#[test]
fn small_city_worked_by_hand() {
    let city = small_city();
    assert_eq!(
        placements(&city, &AssignParams::default()),
        "a1:PA:zone a2:PA:zone a3:PC:overflow b1:PB2:lottery b2:PB1:lottery b3:PB1:lottery \
         c1:PC:zone c2:PC:zone h1:-:unplaced p1:PP:private \
         j1:J1:zone j2:J1:zone j3:-:unplaced j4:J2:zone"
    );
    let result = assign(&city, &AssignParams::default()).expect("every pupil accounted for");
    let h1 = &result.placements[8];
    assert_eq!(h1.reason, Some(UnplacedReason::OutsideZones));
    assert_eq!(
        h1.reason_text(Stage::Primary),
        "no free seat at any public primary school (home outside every zone of the stage)"
    );
    let (stage, primary) = &result.stages[0];
    assert_eq!(*stage, Stage::Primary);
    assert_eq!(
        (primary.pupils, primary.placed, primary.unplaced),
        (10, 9, 1)
    );
    assert_eq!(
        (
            primary.zone,
            primary.lottery,
            primary.overflow,
            primary.private
        ),
        (4, 3, 1, 1)
    );
    assert_eq!(primary.homes_outside_zones, 1);
    // a3's overflow distance is the great-circle distance from its home to PC.
    let d = great_circle_m(Point::new(113.608, 34.742), Point::new(113.625, 34.745));
    assert!((result.placements[2].distance_m.expect("placed") - d).abs() < 1e-6);
}

/// Under `guarantee` the stated seats give way to the standard (45 a class) and every pupil
/// with a zone school is seated there; nobody with a zone school goes to overflow.
#[test]
fn guarantee_seats_every_catchment_pupil() {
    let city = small_city();
    let params = AssignParams::default().class_policy(SeatRule::Guarantee);
    let result = assign(&city, &params).expect("every pupil accounted for");
    for (p, pl) in city.pupils().iter().zip(&result.placements) {
        if pl.zone.is_some() && pl.how != How::Private {
            assert!(
                matches!(pl.how, How::Zone | How::Lottery),
                "{} went {:?}",
                p.id,
                pl.how
            );
        }
    }
    // h1 (outside every zone) now finds a free seat by overflow.
    assert_eq!(result.placements[8].how, How::Overflow);
}

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

/// A random city on a grid of `cols × rows` square zones (0.01°), one or two public primary
/// schools per zone, districts by column pair, pupils anywhere (some outside the grid).
#[derive(Clone, Debug)]
struct Spec {
    cols: usize,
    rows: usize,
    seats: Vec<u32>,
    second_school: Vec<bool>,
    pupils: Vec<(f64, f64, u8, bool)>,
    districts: bool,
}

fn arb_spec() -> impl Strategy<Value = Spec> {
    (1usize..4, 1usize..3, any::<bool>()).prop_flat_map(|(cols, rows, districts)| {
        let z = cols * rows;
        (
            prop::collection::vec(0u32..4, 2 * z),
            prop::collection::vec(any::<bool>(), z),
            prop::collection::vec((-0.2f64..1.2, -0.2f64..1.2, 0u8..4, any::<bool>()), 0..30),
        )
            .prop_map(move |(seats, second_school, pupils)| Spec {
                cols,
                rows,
                seats,
                second_school,
                pupils,
                districts,
            })
    })
}

fn build(spec: &Spec) -> City {
    let (x0, y0, w) = (113.60, 34.74, 0.01);
    let mut schools = Vec::new();
    let mut zones = Vec::new();
    for r in 0..spec.rows {
        for c in 0..spec.cols {
            let z = r * spec.cols + c;
            let (zx, zy) = (x0 + w * c as f64, y0 + w * r as f64);
            let mut ids = Vec::new();
            for k in 0..1 + usize::from(spec.second_school[z]) {
                ids.push(schools.len() as u32);
                schools.push(School {
                    id: format!("S{z}_{k}"),
                    name: format!("S{z}_{k}"),
                    stage: Stage::Primary,
                    sector: Sector::Public,
                    location: Point::new(zx + w * (0.3 + 0.4 * k as f64), zy + w * 0.5),
                    entry_classes: 1,
                    district: spec.districts.then_some((c / 2) as u32),
                    seats: Some(spec.seats[2 * z + k]),
                });
            }
            let poly = polygon![(x: zx, y: zy), (x: zx + w, y: zy), (x: zx + w, y: zy + w), (x: zx, y: zy + w), (x: zx, y: zy)];
            zones.push(Zone {
                id: format!("Z{z}"),
                stage: Stage::Primary,
                schools: ids,
                district: spec.districts.then_some((c / 2) as u32),
                geometry: MultiPolygon(vec![poly]),
            });
        }
    }
    let pupils = spec
        .pupils
        .iter()
        .enumerate()
        .map(|(i, &(fx, fy, kind, pref))| Pupil {
            id: format!("p{i}"),
            stage: Stage::Primary,
            home: Point::new(
                x0 + w * spec.cols as f64 * fx,
                y0 + w * spec.rows as f64 * fy,
            ),
            hukou_local: kind & 1 == 1,
            owns_home: kind & 2 == 2,
            residence_permit: kind == 0,
            sibling_school: None,
            score: None,
            origin_school: None,
            preferences: if pref && schools.len() > 1 {
                vec![1]
            } else {
                Vec::new()
            },
        })
        .collect();
    let n_districts = if spec.districts {
        spec.cols.div_ceil(2)
    } else {
        0
    };
    City::new(
        schools,
        pupils,
        zones,
        (0..n_districts).map(|d| format!("D{d}")).collect(),
        None,
    )
    .expect("generated cities are valid")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every pupil is accounted for exactly once; no school holds more than its seats; and
    /// nobody was sent away from their zone while a seat there went to a pupil of lower
    /// priority.
    #[test]
    fn every_pupil_once_and_no_priority_inversion(spec in arb_spec(), seed in any::<u64>()) {
        let city = build(&spec);
        let params = AssignParams::default().seed(seed);
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
    fn deterministic_for_a_seed_at_any_thread_count(spec in arb_spec(), seed in any::<u64>()) {
        let city = build(&spec);
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
    fn overflow_no_worse_than_greedy(mut spec in arb_spec(), seed in any::<u64>()) {
        spec.districts = false;
        let city = build(&spec);
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
    let spec = Spec {
        cols: 2,
        rows: 1,
        seats: vec![5, 5, 5, 5],
        second_school: vec![false, false],
        pupils: vec![(0.5, 0.5, 3, false)],
        districts: false,
    };
    let city = build(&spec);
    // fx = 0.5 of a two-zone-wide grid is exactly the shared edge x = 113.61.
    assert_eq!(city.pupils()[0].home.x(), 113.60 + 0.01 * 2.0 * 0.5);
    let result = assign(&city, &AssignParams::default()).expect("every pupil accounted for");
    assert_eq!(result.placements[0].zone, Some(0));
    assert_eq!(result.placements[0].how, How::Zone);
    assert_eq!(result.placements[0].school, Some(0));
}

/// With the road network, distances are measured along roads: never shorter than the
/// straight line, and the assignment itself (who goes where) is unchanged on this city
/// except where distance orders a multi-school zone.
#[test]
fn road_distances_are_at_least_great_circle() {
    let (z, s, p, r) = (
        fixture("zones.geojson"),
        fixture("schools.csv"),
        fixture("pupils.csv"),
        fixture("roads.geojson"),
    );
    let city = City::load(&CityFiles {
        zones: ("zones.geojson", &z),
        schools: ("schools.csv", &s),
        pupils: ("pupils.csv", &p),
        roads: Some(("roads.geojson", &r)),
    })
    .expect("valid city with roads");
    assert!(city.roads().is_some());
    let result = assign(&city, &AssignParams::default()).expect("every pupil accounted for");
    let straight =
        assign(&small_city(), &AssignParams::default()).expect("every pupil accounted for");
    let mut longer = 0;
    for ((pupil, pl), st) in city
        .pupils()
        .iter()
        .zip(&result.placements)
        .zip(&straight.placements)
    {
        if let (Some(s), Some(d)) = (pl.school, pl.distance_m) {
            let gc = great_circle_m(pupil.home, city.schools()[s as usize].location);
            assert!(d + 1e-6 >= gc, "{}: road {d} < straight {gc}", pupil.id);
            longer += usize::from(d > gc + 1.0);
        }
        assert_eq!(pl.how, st.how, "{}", pupil.id);
    }
    assert!(longer > 0, "roads should lengthen some trips");
}

/// Bad rows are all reported, each naming file, line and field; swapped coordinates are
/// called out as such.
#[test]
fn bad_city_files_name_file_line_and_field() {
    let (z, s) = (fixture("zones.geojson"), fixture("schools.csv"));
    let pupils = "id,stage,lon,lat\n\
                  a1,primary,113.604,34.744\n\
                  a2,primary,34.744,113.604\n\
                  a3,primary,213.6,34.7\n\
                  a4,nursery,113.6,34.7\n\
                  a1,primary,113.6,34.7\n";
    let e = City::load(&CityFiles {
        zones: ("zones.geojson", &z),
        schools: ("schools.csv", &s),
        pupils: ("pupils.csv", pupils),
        roads: None,
    })
    .expect_err("bad pupils");
    let text = e.to_string();
    for needle in [
        "pupils.csv line 3: lat 113.604 out of range [-90, 90] (lon 34.744 and lat 113.604 swapped?)",
        "pupils.csv line 4: lon 213.6 out of range [-180, 180]",
        "pupils.csv line 5: stage \"nursery\" is not kindergarten, primary, junior or senior",
        "pupils.csv line 6: id \"a1\" already used at line 2",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    assert_eq!(e.0.len(), 4);
}

/// The run-time conservation check accepts what `assign` returns and rejects each way a
/// result could lose or invent pupils.
#[test]
fn conservation_check_rejects_broken_results() {
    use xuewei_core::city::conservation::check_city;
    use xuewei_core::ConservationError;
    let city = small_city();
    let params = AssignParams::default().class_policy(SeatRule::Standard);
    let good = assign(&city, &params).expect("every pupil accounted for");
    assert_eq!(check_city(&city, &params, &good), Ok(()));
    assert!(good.placements.iter().any(|p| p.how == How::Unplaced));

    // An unplaced pupil without a reason.
    let mut bad = good.clone();
    let i = bad
        .placements
        .iter()
        .position(|p| p.how == How::Unplaced)
        .expect("the standard policy leaves someone unplaced");
    bad.placements[i].reason = None;
    let err = check_city(&city, &params, &bad).expect_err("no reason");
    assert_eq!(
        err,
        ConservationError::NoReason {
            pupil: city.pupils()[i].id.clone()
        }
    );

    // A pupil dropped from the result.
    let mut bad = good.clone();
    bad.placements.pop();
    assert!(matches!(
        check_city(&city, &params, &bad),
        Err(ConservationError::Count { .. })
    ));

    // An unplaced pupil quietly seated at a full school: the per-school count disagrees,
    // and once it is "fixed" the school is over its seats.
    let mut bad = good.clone();
    let full = (0..city.schools().len())
        .find(|&s| {
            good.placed[s] == good.seats[s] && city.schools()[s].stage == city.pupils()[i].stage
        })
        .expect("a full school of the stage");
    bad.placements[i].school = Some(full as u32);
    bad.placements[i].how = How::Overflow;
    assert!(matches!(
        check_city(&city, &params, &bad),
        Err(ConservationError::Count { .. })
    ));
    bad.placed[full] += 1;
    for (_, s) in &mut bad.stages {
        if s.unplaced > 0 {
            s.unplaced -= 1;
            s.placed += 1;
            s.overflow += 1;
            break;
        }
    }
    let err = check_city(&city, &params, &bad).expect_err("over capacity");
    assert!(
        matches!(err, ConservationError::OverCapacity { .. }),
        "{err}"
    );
}
