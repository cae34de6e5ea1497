//! Assigning every entering pupil of a city (就近入学).
//!
//! For each stage, independently (stages run in parallel):
//!
//! 1. **Private schools** (民办) admit first, by lottery among the pupils who list them
//!    (deferred acceptance over the pupils' private choices, all applicants tied); an
//!    admitted pupil leaves the public pool.
//! 2. **Catchment** (划片): each home is located in a zone of its stage. Single-school zones
//!    seat their pupils at the zone's school in priority order up to its seats;
//!    multi-school zones (多校划片) let families rank the zone's schools (their
//!    `preferences`, then the zone's other schools nearest first) and fill seats by deferred
//!    acceptance with a seeded lottery within priority tiers (电脑派位). One deferred
//!    acceptance over the whole stage does both.
//! 3. **Overflow** (统筹): pupils without a seat in their zone go to public schools of their
//!    stage with free seats, minimising total travel distance: first within their own
//!    school district (学区), then in adjacent districts (zones that touch), then anywhere.
//! 4. Whoever is left is **unplaced**, with the reason.
//!
//! Seats follow the class policy of the stage, its [`SeatRule`]: `standard` (entry classes ×
//! the standard class size, or the `seats` column), `cap:N` (entry classes × N, or the
//! `seats` column), or
//! `guarantee` (every catchment pupil is admitted to a zone school whatever the class size:
//! pupils the zone's seats cannot hold join the zone school where they raise the class size
//! least).

use geo::Point;
use petgraph::graph::UnGraph;
use rayon::prelude::*;

use super::rules::PriorityRules;
use super::City;
use crate::catchment::{Location, LocationKind, ZoneIndex};
use crate::class_size::{form_classes, ClassMeasures, ClassSizeStandard, GradeClasses, SeatRule};
use crate::conservation::{self, ConservationError};
use crate::distance::{great_circle_m, RoadDistances};
use crate::ids::StudentId;
use crate::instance::InstanceBuilder;
use crate::lottery::{derive_seed, Lottery, LotteryParams, TieBreak};
use crate::model::{PerStage, Sector, Stage};
use crate::overflow::{min_cost_placement, OverflowParams};
use crate::{deferred_acceptance, SchoolId};

/// Options of [`assign`], with documented defaults and by-value setters.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignParams {
    /// Master seed; each stage's draws derive from it (default 0).
    pub seed: u64,
    /// Priority rules (default: hukou and home, hukou or home, residence permit, others;
    /// sibling lift on).
    pub rules: PriorityRules,
    /// Tie-breaking of the catchment lottery (default single).
    pub tie_break: TieBreak,
    /// Class policy: the seat rule of each stage (default standard everywhere).
    pub class_policy: PerStage<SeatRule>,
    /// Class-size standards and thresholds.
    pub class_sizes: ClassSizeStandard,
    /// Options of the overflow solver.
    pub overflow: OverflowParams,
}

impl Default for AssignParams {
    fn default() -> Self {
        Self {
            seed: 0,
            rules: PriorityRules::default(),
            tie_break: TieBreak::Single,
            class_policy: PerStage::splat(SeatRule::Standard),
            class_sizes: ClassSizeStandard::default(),
            overflow: OverflowParams::default(),
        }
    }
}

impl AssignParams {
    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets the priority rules.
    #[must_use]
    pub fn rules(mut self, rules: PriorityRules) -> Self {
        self.rules = rules;
        self
    }
    /// Sets the tie-breaking rule.
    #[must_use]
    pub fn tie_break(mut self, tie_break: TieBreak) -> Self {
        self.tie_break = tie_break;
        self
    }
    /// Sets the seat rule of every stage.
    #[must_use]
    pub fn class_policy(mut self, rule: SeatRule) -> Self {
        self.class_policy = PerStage::splat(rule);
        self
    }
    /// Sets the seat rule of one stage.
    #[must_use]
    pub fn stage_class_policy(mut self, stage: Stage, rule: SeatRule) -> Self {
        self.class_policy[stage] = rule;
        self
    }
    /// The seat rule of a stage.
    #[must_use]
    pub fn policy_of(&self, stage: Stage) -> SeatRule {
        self.class_policy[stage]
    }

    /// The class size schools of a stage aim for when forming classes
    /// ([`SeatRule::class_target`]).
    #[must_use]
    pub fn class_target(&self, stage: Stage) -> u32 {
        self.policy_of(stage).class_target(stage, &self.class_sizes)
    }
}

/// How a pupil got their place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    /// At the school of their single-school zone.
    Zone,
    /// At a school of their multi-school zone, by lottery within priority.
    Lottery,
    /// Placed by the district elsewhere (统筹).
    Overflow,
    /// Admitted by a private school's lottery.
    Private,
    /// Not placed.
    Unplaced,
}

impl How {
    /// The lowercase name used in files.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            How::Zone => "zone",
            How::Lottery => "lottery",
            How::Overflow => "overflow",
            How::Private => "private",
            How::Unplaced => "unplaced",
        }
    }
}

/// Why a pupil was not seated in their own zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnplacedReason {
    /// The home lies in no zone of the pupil's stage.
    OutsideZones,
    /// The zone lists no school.
    ZoneWithoutSchool,
    /// The zone's schools were filled by pupils of higher priority (or luckier draws).
    ZoneFull,
}

impl UnplacedReason {
    /// A sentence for reports.
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            UnplacedReason::OutsideZones => "home outside every zone of the stage",
            UnplacedReason::ZoneWithoutSchool => "the home's zone lists no school",
            UnplacedReason::ZoneFull => "zone schools full",
        }
    }
}

/// Where one pupil ended up.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The school (index into [`City::schools`]), `None` when unplaced.
    pub school: Option<u32>,
    /// How the place was given.
    pub how: How,
    /// Travel distance from home to the school, metres (`None` when unplaced).
    pub distance_m: Option<f64>,
    /// The home's zone (index into [`City::zones`]).
    pub zone: Option<u32>,
    /// Why the pupil was not seated in their zone (overflow and unplaced pupils).
    pub reason: Option<UnplacedReason>,
}

impl Placement {
    /// The text of the `reason` column: empty for pupils seated in their zone or privately.
    #[must_use]
    pub fn reason_text(&self, stage: Stage) -> String {
        match (self.how, self.reason) {
            (How::Unplaced, Some(r)) => {
                format!(
                    "no free seat at any public {stage} school ({})",
                    r.describe()
                )
            }
            (How::Unplaced, None) => format!("no free seat at any public {stage} school"),
            (_, Some(r)) => r.describe().to_owned(),
            (_, None) => String::new(),
        }
    }
}

/// A published draw: the order of the pupils of one stage in one lottery.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draw {
    /// The stage.
    pub stage: Stage,
    /// `private` or `catchment`.
    pub lottery: &'static str,
    /// The seed the draw came from.
    pub seed: u64,
    /// Pupils (indices into [`City::pupils`]), best first.
    pub order: Vec<u32>,
}

impl Draw {
    /// The published form of a lottery drawn over some pupils: `pupil(k)` maps the draw's
    /// k-th instance pupil to its index in the city.
    fn of(
        stage: Stage,
        lottery_name: &'static str,
        seed: u64,
        lottery: &Lottery,
        pupil: impl Fn(usize) -> u32,
    ) -> Self {
        Draw {
            stage,
            lottery: lottery_name,
            seed,
            order: lottery.order().iter().map(|st| pupil(st.index())).collect(),
        }
    }
}

/// Figures of one stage.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct StageSummary {
    /// Entering pupils.
    pub pupils: usize,
    /// Pupils placed.
    pub placed: usize,
    /// Pupils unplaced.
    pub unplaced: usize,
    /// Placed at their single-school zone's school.
    pub zone: usize,
    /// Placed in their multi-school zone by lottery.
    pub lottery: usize,
    /// Placed elsewhere by the district.
    pub overflow: usize,
    /// Admitted by a private school.
    pub private: usize,
    /// Mean home–school distance of placed pupils, metres.
    pub mean_distance_m: f64,
    /// Largest home–school distance, metres.
    pub max_distance_m: f64,
    /// Seats offered (public and private) under the class policy.
    pub seats: u64,
    /// Homes in no zone of the stage.
    pub homes_outside_zones: usize,
    /// Homes inside two or more overlapping zones (the lowest-index zone was used).
    pub homes_in_overlapping_zones: usize,
    /// Pupils admitted beyond their school's standard seats (guarantee policy).
    pub admitted_beyond_standard: usize,
    /// Classes of the entering grade and their sizes (大班额 / 超大班额).
    #[serde(flatten)]
    pub classes: ClassMeasures,
    /// Share of classes with 56+ pupils.
    pub large_share: f64,
    /// Share of classes with 66+ pupils.
    pub super_large_share: f64,
    /// Mean class size.
    pub mean_class_size: f64,
}

/// The result of [`assign`].
#[derive(Clone, Debug)]
#[must_use]
pub struct CityAssignment {
    /// One placement per pupil, in input order.
    pub placements: Vec<Placement>,
    /// Seats of each school under the class policy (standard seats under guarantee).
    pub seats: Vec<u32>,
    /// Pupils placed at each school.
    pub placed: Vec<u32>,
    /// The entering grade's classes at each school.
    pub classes: Vec<GradeClasses>,
    /// Per stage, in [`Stage::ALL`] order, for the stages that have pupils or schools.
    pub stages: Vec<(Stage, StageSummary)>,
    /// Every lottery drawn, for publication.
    pub draws: Vec<Draw>,
    /// The master seed.
    pub seed: u64,
}

/// Distances from homes to schools: great-circle, or along the roads when the city has them.
struct Metric<'a> {
    city: &'a City,
    roads: Option<RoadDistances>,
}

impl Metric<'_> {
    /// Where each home meets the road network (nearest node and the straight offset), found
    /// once per pupil; `None` everywhere without roads.
    fn snap_all(&self, homes: &[Point<f64>]) -> Vec<Option<(u32, f64)>> {
        match self.city.roads.as_ref().filter(|_| self.roads.is_some()) {
            Some(net) => homes.par_iter().map(|&h| net.snap(h)).collect(),
            None => vec![None; homes.len()],
        }
    }

    /// Metres from a home (snapped by [`snap_all`](Self::snap_all)) to a school.
    fn metres(&self, home: Point<f64>, snap: Option<(u32, f64)>, school: u32) -> f64 {
        match (&self.roads, snap) {
            (Some(r), Some((node, offset))) => r.metres_from_node(school as usize, node, offset),
            (Some(r), None) => r.metres(school as usize, home),
            (None, _) => great_circle_m(home, self.city.schools[school as usize].location),
        }
    }
}

/// Assigns every pupil of the city (see the module docs). Deterministic for a given city,
/// parameters and seed, whatever the number of threads.
///
/// Complexity per stage: O(n log z) to locate n homes among z zones, the deferred acceptance
/// over the zone lists, and the overflow solver on the pupils left over.
///
/// # Errors
///
/// [`ConservationError`] if the result does not account for every pupil exactly once (see
/// [`conservation::check_city`]): a defect, never an input problem.
pub fn assign(city: &City, params: &AssignParams) -> Result<CityAssignment, ConservationError> {
    let metric = Metric {
        city,
        roads: city.roads.as_ref().map(|net| {
            let sources: Vec<Point<f64>> = city.schools.iter().map(|s| s.location).collect();
            RoadDistances::new(net, &sources)
        }),
    };
    let seats: Vec<u32> = city
        .schools
        .iter()
        .map(|s| {
            let policy = match (params.policy_of(s.stage), s.sector) {
                (SeatRule::Guarantee, Sector::Private) => SeatRule::Standard,
                (p, _) => p,
            };
            policy.seats(s.entry_classes, s.seats, s.stage, &params.class_sizes)
        })
        .collect();
    let results: Vec<StageResult> = Stage::ALL
        .par_iter()
        .map(|&stage| assign_stage(city, params, &metric, &seats, stage))
        .collect();
    let mut placements = vec![
        Placement {
            school: None,
            how: How::Unplaced,
            distance_m: None,
            zone: None,
            reason: None,
        };
        city.pupils.len()
    ];
    let mut placed = vec![0u32; city.schools.len()];
    let mut stages = Vec::new();
    let mut draws = Vec::new();
    let mut times = vec![0u8; city.pupils.len()];
    for r in results {
        for (p, placement) in r.placements {
            if let Some(s) = placement.school {
                placed[s as usize] += 1;
            }
            times[p as usize] = times[p as usize].saturating_add(1);
            placements[p as usize] = placement;
        }
        if r.summary.pupils > 0 || r.summary.seats > 0 {
            stages.push((r.stage, r.summary));
        }
        draws.extend(r.draws);
    }
    let classes: Vec<GradeClasses> = city
        .schools
        .iter()
        .zip(&placed)
        .map(|(s, &p)| form_classes(p, s.entry_classes, params.class_target(s.stage)))
        .collect();
    for (stage, summary) in &mut stages {
        for (i, s) in city.schools.iter().enumerate() {
            if s.stage == *stage {
                let standard = params.class_sizes.standard(s.stage);
                summary.classes.add(&ClassMeasures::of_grade(
                    &classes[i],
                    s.entry_classes,
                    standard,
                    &params.class_sizes,
                ));
            }
        }
        summary.large_share = summary.classes.large_share();
        summary.super_large_share = summary.classes.super_large_share();
        summary.mean_class_size = summary.classes.mean_class_size();
    }
    if let Some(p) = times.iter().position(|&t| t != 1) {
        return Err(ConservationError::Repeated {
            pupil: city.pupils[p].id.clone(),
            times: usize::from(times[p]),
        });
    }
    let result = CityAssignment {
        placements,
        seats,
        placed,
        classes,
        stages,
        draws,
        seed: params.seed,
    };
    conservation::check_city(city, params, &result)?;
    Ok(result)
}

struct StageResult {
    stage: Stage,
    placements: Vec<(u32, Placement)>,
    summary: StageSummary,
    draws: Vec<Draw>,
}

fn assign_stage(
    city: &City,
    params: &AssignParams,
    metric: &Metric<'_>,
    seats: &[u32],
    stage: Stage,
) -> StageResult {
    let si = stage.index() as u64;
    let pupils: Vec<u32> = (0..city.pupils.len() as u32)
        .filter(|&p| city.pupils[p as usize].stage == stage)
        .collect();
    let schools: Vec<u32> = (0..city.schools.len() as u32)
        .filter(|&s| city.schools[s as usize].stage == stage)
        .collect();
    let zones: Vec<u32> = (0..city.zones.len() as u32)
        .filter(|&z| city.zones[z as usize].stage == stage)
        .collect();
    let mut summary = StageSummary {
        pupils: pupils.len(),
        seats: schools.iter().map(|&s| u64::from(seats[s as usize])).sum(),
        ..StageSummary::default()
    };
    let mut draws = Vec::new();
    // Per pupil of the stage (local index): school, how, zone, reason.
    let mut school_of: Vec<Option<u32>> = vec![None; pupils.len()];
    let mut how: Vec<How> = vec![How::Unplaced; pupils.len()];
    let mut reason: Vec<Option<UnplacedReason>> = vec![None; pupils.len()];
    let mut placed = vec![0u32; city.schools.len()];

    // 1. Private schools.
    let private: Vec<u32> = schools
        .iter()
        .copied()
        .filter(|&s| city.schools[s as usize].sector == Sector::Private)
        .collect();
    if !private.is_empty() {
        let mut local = vec![u32::MAX; city.schools.len()];
        let mut b = InstanceBuilder::new();
        for (i, &s) in private.iter().enumerate() {
            local[s as usize] = i as u32;
            b.add_school(city.schools[s as usize].id.clone(), seats[s as usize]);
        }
        let mut applicants = Vec::new();
        for (lp, &p) in pupils.iter().enumerate() {
            let list: Vec<SchoolId> = city.pupils[p as usize]
                .preferences
                .iter()
                .filter(|&&s| local[s as usize] != u32::MAX)
                .map(|&s| SchoolId(local[s as usize]))
                .collect();
            if !list.is_empty() {
                b.add_student(city.pupils[p as usize].id.clone(), list);
                applicants.push(lp);
            }
        }
        if !applicants.is_empty() {
            {
                let instance = b.build().expect("a validated city has unique pupil ids");
                let seed = derive_seed(params.seed, si * 8 + 1);
                let lottery = Lottery::draw(&instance, &LotteryParams::default().seed(seed));
                let a = deferred_acceptance(&instance, &lottery);
                for (k, &lp) in applicants.iter().enumerate() {
                    if let Some(s) = a.school_of(StudentId::from_index(k)) {
                        let s = private[s.index()];
                        school_of[lp] = Some(s);
                        how[lp] = How::Private;
                        placed[s as usize] += 1;
                    }
                }
                draws.push(Draw::of(stage, "private", seed, &lottery, |k| {
                    pupils[applicants[k]]
                }));
            }
        }
    }

    // 2. Catchment.
    let index = ZoneIndex::new(
        zones
            .iter()
            .map(|&z| city.zones[z as usize].geometry.clone())
            .collect(),
    )
    .expect("a validated city has finite zone coordinates");
    let homes: Vec<Point<f64>> = pupils
        .iter()
        .map(|&p| city.pupils[p as usize].home)
        .collect();
    let located: Vec<Location> = index.locate_all(&homes);
    let snaps = metric.snap_all(&homes);
    let zone_of: Vec<Option<u32>> = located
        .iter()
        .map(|l| l.zone.map(|z| zones[z as usize]))
        .collect();
    for l in &located {
        match l.kind {
            LocationKind::Outside => summary.homes_outside_zones += 1,
            LocationKind::Overlap { .. } => summary.homes_in_overlapping_zones += 1,
            _ => {}
        }
    }
    let public: Vec<u32> = schools
        .iter()
        .copied()
        .filter(|&s| city.schools[s as usize].sector == Sector::Public)
        .collect();
    let mut local = vec![u32::MAX; city.schools.len()];
    let mut b = InstanceBuilder::new();
    for (i, &s) in public.iter().enumerate() {
        local[s as usize] = i as u32;
        b.add_school(city.schools[s as usize].id.clone(), seats[s as usize]);
    }
    let n_tiers = params.rules.n_tiers() as usize;
    let mut tiers: Vec<Vec<Vec<StudentId>>> = vec![vec![Vec::new(); n_tiers - 1]; public.len()];
    let mut applicants = Vec::new();
    let mut list: Vec<u32> = Vec::new();
    for (lp, &p) in pupils.iter().enumerate() {
        if how[lp] == How::Private {
            continue;
        }
        let Some(z) = zone_of[lp] else {
            reason[lp] = Some(UnplacedReason::OutsideZones);
            continue;
        };
        let zone = &city.zones[z as usize];
        if zone.schools.is_empty() {
            reason[lp] = Some(UnplacedReason::ZoneWithoutSchool);
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
            .map(|&s| (metric.metres(pupil.home, snaps[lp], s), s))
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
    {
        let instance = b.build().expect("a validated city has unique ids");
        let seed = derive_seed(params.seed, si * 8 + 2);
        let lottery = Lottery::draw(
            &instance,
            &LotteryParams::default()
                .seed(seed)
                .tie_break(params.tie_break),
        );
        let a = deferred_acceptance(&instance, &lottery);
        let mut left_out = Vec::new();
        for (k, &lp) in applicants.iter().enumerate() {
            let zone = &city.zones[zone_of[lp].unwrap_or(0) as usize];
            match a.school_of(StudentId::from_index(k)) {
                Some(s) => {
                    let s = public[s.index()];
                    school_of[lp] = Some(s);
                    how[lp] = if zone.schools.len() > 1 {
                        How::Lottery
                    } else {
                        How::Zone
                    };
                    placed[s as usize] += 1;
                }
                None => {
                    reason[lp] = Some(UnplacedReason::ZoneFull);
                    left_out.push(lp);
                }
            }
        }
        if params.policy_of(stage) == SeatRule::Guarantee {
            for lp in left_out {
                let zone = &city.zones[zone_of[lp].unwrap_or(0) as usize];
                let pupil = &city.pupils[pupils[lp] as usize];
                // The zone school where one more pupil raises the class size least.
                let classes = |s: u32| u64::from(city.schools[s as usize].entry_classes.max(1));
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
                    school_of[lp] = Some(s);
                    how[lp] = if zone.schools.len() > 1 {
                        How::Lottery
                    } else {
                        How::Zone
                    };
                    reason[lp] = None;
                    placed[s as usize] += 1;
                    summary.admitted_beyond_standard += 1;
                }
            }
        }
        draws.push(Draw::of(stage, "catchment", seed, &lottery, |k| {
            pupils[applicants[k]]
        }));
    }

    // 3. Overflow: own district, adjacent districts, anywhere.
    let district_of = |lp: usize| zone_of[lp].and_then(|z| city.zones[z as usize].district);
    let n_districts = city.districts.len();
    let mut graph: UnGraph<(), ()> = UnGraph::with_capacity(n_districts, 0);
    for _ in 0..n_districts {
        graph.add_node(());
    }
    for (a, b) in index.touching_pairs() {
        let da = city.zones[zones[a as usize] as usize].district;
        let db = city.zones[zones[b as usize] as usize].district;
        if let (Some(x), Some(y)) = (da, db) {
            if x != y && graph.find_edge(x.into(), y.into()).is_none() {
                graph.add_edge(x.into(), y.into(), ());
            }
        }
    }
    let mut free: Vec<u32> = vec![0; city.schools.len()];
    for &s in &public {
        free[s as usize] = seats[s as usize].saturating_sub(placed[s as usize]);
    }
    let waiting = |school_of: &[Option<u32>], how: &[How]| -> Vec<usize> {
        (0..pupils.len())
            .filter(|&lp| school_of[lp].is_none() && how[lp] != How::Private)
            .collect()
    };
    let place = |who: &[usize],
                 targets: &[u32],
                 free: &mut Vec<u32>,
                 school_of: &mut Vec<Option<u32>>,
                 how: &mut Vec<How>| {
        let targets: Vec<u32> = targets
            .iter()
            .copied()
            .filter(|&s| free[s as usize] > 0)
            .collect();
        if who.is_empty() || targets.is_empty() {
            return;
        }
        let capacity: Vec<u32> = targets.iter().map(|&s| free[s as usize]).collect();
        let result = min_cost_placement(
            who.len(),
            &capacity,
            |i, j| metric.metres(homes[who[i]], snaps[who[i]], targets[j]),
            &params.overflow,
        );
        for (i, s) in result.school_of.iter().enumerate() {
            if let Some(j) = s {
                let s = targets[*j as usize];
                free[s as usize] -= 1;
                school_of[who[i]] = Some(s);
                how[who[i]] = How::Overflow;
            }
        }
    };
    let schools_in = |d: u32| -> Vec<u32> {
        public
            .iter()
            .copied()
            .filter(|&s| city.schools[s as usize].district == Some(d))
            .collect()
    };
    for phase in 0..2 {
        for d in 0..n_districts as u32 {
            let who: Vec<usize> = waiting(&school_of, &how)
                .into_iter()
                .filter(|&lp| district_of(lp) == Some(d))
                .collect();
            if who.is_empty() {
                continue;
            }
            let targets = if phase == 0 {
                schools_in(d)
            } else {
                let mut near: Vec<u32> = graph
                    .neighbors(d.into())
                    .map(|n| n.index() as u32)
                    .collect();
                near.sort_unstable();
                near.iter().flat_map(|&n| schools_in(n)).collect()
            };
            place(&who, &targets, &mut free, &mut school_of, &mut how);
        }
    }
    let who = waiting(&school_of, &how);
    place(&who, &public, &mut free, &mut school_of, &mut how);

    // 4. Distances and the summary.
    let mut placements = Vec::with_capacity(pupils.len());
    let mut total = 0.0;
    for (lp, &p) in pupils.iter().enumerate() {
        let distance_m = school_of[lp].map(|s| metric.metres(homes[lp], snaps[lp], s));
        if let Some(d) = distance_m {
            total += d;
            summary.max_distance_m = summary.max_distance_m.max(d);
        }
        match how[lp] {
            How::Zone => summary.zone += 1,
            How::Lottery => summary.lottery += 1,
            How::Overflow => summary.overflow += 1,
            How::Private => summary.private += 1,
            How::Unplaced => summary.unplaced += 1,
        }
        placements.push((
            p,
            Placement {
                school: school_of[lp],
                how: how[lp],
                distance_m,
                zone: zone_of[lp],
                reason: if matches!(how[lp], How::Overflow | How::Unplaced) {
                    reason[lp]
                } else {
                    None
                },
            },
        ));
    }
    summary.placed = summary.pupils - summary.unplaced;
    summary.mean_distance_m = if summary.placed > 0 {
        total / summary.placed as f64
    } else {
        0.0
    };
    StageResult {
        stage,
        placements,
        summary,
        draws,
    }
}
