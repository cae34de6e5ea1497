//! Step 2: catchment (划片). Each home is located in a zone of its stage; one deferred
//! acceptance over the whole stage seats single-school zones in priority order and lets
//! multi-school zones (多校划片) fill by lottery within priority tiers (电脑派位), each
//! family ranking its zone's schools (their `preferences`, then the zone's other schools
//! nearest first). Under the `guarantee` seat rule, catchment pupils the zone's seats cannot
//! hold join the zone school where they raise the class size least.

use geo::Point;

use super::placement::{Draw, How, StageSummary, UnplacedReason};
use super::stage::{Seating, StageInput};
use crate::catchment::{Location, LocationKind, ZoneIndex};
use crate::class_size::SeatRule;
use crate::deferred_acceptance;
use crate::ids::{SchoolId, StudentId};
use crate::instance::{Instance, InstanceBuilder};
use crate::lottery::{Lottery, LotteryParams};

/// The homes of a stage's pupils (by local index) and where they lie.
pub(super) struct Homes {
    /// Home locations.
    pub(super) points: Vec<Point<f64>>,
    /// Where each home meets the road network ([`Metric::snap_all`](super::stage::Metric::snap_all)).
    pub(super) snaps: Vec<Option<(u32, f64)>>,
    /// The home's zone (index into [`City::zones`](crate::city::City)).
    pub(super) zone_of: Vec<Option<u32>>,
    /// The stage's zones, indexed like [`StageInput::zones`].
    pub(super) index: ZoneIndex,
}

/// Locates every home among the stage's zones, counting homes outside every zone and homes
/// in overlapping zones into `summary`.
pub(super) fn locate(input: &StageInput<'_>, summary: &mut StageSummary) -> Homes {
    let city = input.city;
    let index = ZoneIndex::new(
        input
            .zones
            .iter()
            .map(|&z| city.zones[z as usize].geometry.clone())
            .collect(),
    )
    .expect("a validated city has finite zone coordinates");
    let points: Vec<Point<f64>> = input
        .pupils
        .iter()
        .map(|&p| city.pupils[p as usize].home)
        .collect();
    let located: Vec<Location> = index.locate_all(&points);
    let snaps = input.metric.snap_all(&points);
    let zone_of = located
        .iter()
        .map(|l| l.zone.map(|z| input.zones[z as usize]))
        .collect();
    for l in &located {
        match l.kind {
            LocationKind::Outside => summary.homes_outside_zones += 1,
            LocationKind::Overlap { .. } => summary.homes_in_overlapping_zones += 1,
            _ => {}
        }
    }
    Homes {
        points,
        snaps,
        zone_of,
        index,
    }
}

/// Runs the catchment lottery over the public pool (pupils not admitted privately), seats
/// its winners (and, under `guarantee`, everyone else with a zone school), gives the others
/// their reason, and returns the draw.
pub(super) fn admit(
    input: &StageInput<'_>,
    homes: &Homes,
    seating: &mut Seating,
    summary: &mut StageSummary,
) -> Draw {
    let (instance, applicants) = zone_instance(input, homes, seating);
    let seed = input.seed(2);
    let lottery = Lottery::draw(
        &instance,
        &LotteryParams::default()
            .seed(seed)
            .tie_break(input.params.tie_break),
    );
    let a = deferred_acceptance(&instance, &lottery);
    let mut left_out = Vec::new();
    for (k, &lp) in applicants.iter().enumerate() {
        match a.school_of(StudentId::from_index(k)) {
            Some(s) => seating.seat(lp, input.public[s.index()], zone_how(input, homes, lp)),
            None => {
                seating.reason[lp] = Some(UnplacedReason::ZoneFull);
                left_out.push(lp);
            }
        }
    }
    if input.params.policy_of(input.stage) == SeatRule::Guarantee {
        summary.admitted_beyond_standard += guarantee(input, homes, seating, &left_out);
    }
    input.draw("catchment", seed, &lottery, |k| applicants[k])
}

/// The matching instance of the catchment: the stage's public schools with their seats and
/// priority tiers, and each pupil of the public pool with a zone school, listing the zone's
/// schools. Returns it with the applicants' local indices (instance pupil k is
/// `applicants[k]`); pupils outside every zone or in a zone without schools get their
/// reason instead.
fn zone_instance(
    input: &StageInput<'_>,
    homes: &Homes,
    seating: &mut Seating,
) -> (Instance, Vec<usize>) {
    let (city, params) = (input.city, input.params);
    let mut local = vec![u32::MAX; city.schools.len()];
    let mut b = InstanceBuilder::new();
    for (i, &s) in input.public.iter().enumerate() {
        local[s as usize] = i as u32;
        b.add_school(city.schools[s as usize].id.clone(), input.seats[s as usize]);
    }
    let n_tiers = params.rules.n_tiers() as usize;
    let mut tiers: Vec<Vec<Vec<StudentId>>> =
        vec![vec![Vec::new(); n_tiers - 1]; input.public.len()];
    let mut applicants = Vec::new();
    let mut list: Vec<u32> = Vec::new();
    for (lp, &p) in input.pupils.iter().enumerate() {
        if seating.how[lp] == How::Private {
            continue;
        }
        let Some(z) = homes.zone_of[lp] else {
            seating.reason[lp] = Some(UnplacedReason::OutsideZones);
            continue;
        };
        let zone = &city.zones[z as usize];
        if zone.schools.is_empty() {
            seating.reason[lp] = Some(UnplacedReason::ZoneWithoutSchool);
            continue;
        }
        let pupil = &city.pupils[p as usize];
        list.clear();
        list.extend(
            pupil
                .preferences
                .iter()
                .filter(|s| zone.schools.contains(s)),
        );
        let mut rest: Vec<(f64, u32)> = zone
            .schools
            .iter()
            .filter(|s| !list.contains(s))
            .map(|&s| (input.metric.metres(pupil.home, homes.snaps[lp], s), s))
            .collect();
        rest.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        list.extend(rest.iter().map(|x| x.1));
        let st = b.add_student(
            pupil.id.clone(),
            list.iter().map(|&s| SchoolId(local[s as usize])),
        );
        for &s in &list {
            let t = params.rules.tier(pupil, s) as usize;
            if t + 1 < n_tiers {
                tiers[local[s as usize] as usize][t].push(st);
            }
        }
        applicants.push(lp);
    }
    for (i, school_tiers) in tiers.into_iter().enumerate() {
        for tier in school_tiers {
            b.push_tier(SchoolId(i as u32), tier);
        }
    }
    let instance = b.build().expect("a validated city has unique ids");
    (instance, applicants)
}

/// How a pupil seated in their zone got the place: by lottery in a multi-school zone, else
/// at the zone's school.
fn zone_how(input: &StageInput<'_>, homes: &Homes, lp: usize) -> How {
    let zone = &input.city.zones[homes.zone_of[lp].unwrap_or(0) as usize];
    if zone.schools.len() > 1 {
        How::Lottery
    } else {
        How::Zone
    }
}

/// Seats each pupil the catchment lottery left out (in `left_out`'s order) at the zone
/// school where one more pupil raises the class size least (ties: the pupil's preference,
/// then the zone's order). Returns how many were seated beyond the seats.
fn guarantee(
    input: &StageInput<'_>,
    homes: &Homes,
    seating: &mut Seating,
    left_out: &[usize],
) -> usize {
    let city = input.city;
    let classes = |s: u32| u64::from(city.schools[s as usize].entry_classes.max(1));
    let mut admitted = 0;
    for &lp in left_out {
        let zone = &city.zones[homes.zone_of[lp].unwrap_or(0) as usize];
        let pupil = &city.pupils[input.pupils[lp] as usize];
        let placed = &seating.placed;
        let best = zone.schools.iter().copied().min_by(|&x, &y| {
            let lx = u64::from(placed[x as usize] + 1) * classes(y);
            let ly = u64::from(placed[y as usize] + 1) * classes(x);
            lx.cmp(&ly).then_with(|| {
                let rank = |s: u32| pupil.preferences.iter().position(|&q| q == s);
                rank(x)
                    .unwrap_or(usize::MAX)
                    .cmp(&rank(y).unwrap_or(usize::MAX))
            })
        });
        if let Some(s) = best {
            seating.seat(lp, s, zone_how(input, homes, lp));
            seating.reason[lp] = None;
            admitted += 1;
        }
    }
    admitted
}
