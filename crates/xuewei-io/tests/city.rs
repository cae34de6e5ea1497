//! The city layer end to end on the files of `fixtures/city-small`: a hand-checked
//! assignment, the guarantee policy, road distances, file problems, and the conservation
//! check of every run; and the synthetic fixture city.

use std::collections::HashMap;

use geo::Point;
use xuewei_core::city::roll::measure_roll;
use xuewei_core::city::{assign, AssignParams, City, How, UnplacedReason};
use xuewei_core::distance::great_circle_m;
use xuewei_core::{ClassSizeStandard, SeatRule, Stage};
use xuewei_io::city::{load, parse, roll, CityFiles, CityPaths};
use xuewei_io::Reader;
use xuewei_testkit::fixtures::{small_city, small_city_file as fixture, synthetic_city_dir};
use xuewei_testkit::oracle::placement_summary;

/// `pupil:school:how` for every pupil.
fn placements(city: &City, params: &AssignParams) -> String {
    let result = assign(city, params).expect("every pupil accounted for");
    placement_summary(city, &result)
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
    let city = parse(&CityFiles {
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
    let e = parse(&CityFiles {
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

/// The synthetic fixture city (`fixtures/zhengzhou-s001`, byte for byte what the generator
/// writes: `xuewei-scenario`'s synth tests) loads with its roads and its roll; the
/// guarantee assignment seats every pupil, homes all lie in zones, and zones do not overlap.
#[test]
fn the_synthetic_fixture_city_loads_and_assigns() {
    let dir = synthetic_city_dir();
    let (zones, schools, pupils, roads) = (
        dir.join("zones.geojson"),
        dir.join("schools.csv"),
        dir.join("pupils.csv"),
        dir.join("roads.geojson"),
    );
    let paths = CityPaths {
        zones: &zones,
        schools: &schools,
        pupils: &pupils,
        roads: Some(&roads),
    };
    let city = load(&paths, &Reader::default()).expect("the generated city loads");
    assert!(city.roads().is_some());
    let result = assign(
        &city,
        &AssignParams::default()
            .seed(1)
            .class_policy(SeatRule::Guarantee),
    )
    .expect("every pupil accounted for");
    for (stage, s) in &result.stages {
        assert_eq!(
            s.unplaced, 0,
            "{stage}: every pupil is placed under guarantee"
        );
        assert_eq!(
            s.homes_outside_zones, 0,
            "{stage}: zones tile the territory"
        );
        assert_eq!(
            s.homes_in_overlapping_zones, 0,
            "{stage}: zones do not overlap"
        );
    }
    let roll = roll::load(&dir.join("roll.csv"), &HashMap::new(), &Reader::default())
        .expect("the roll loads");
    let report = measure_roll(&roll, &ClassSizeStandard::default());
    assert!(report.city.classes > 0);
    assert_eq!(report.city.pupils_without_classroom, 0);
}
