//! Shared generators and oracles for the property and city tests.
#![allow(dead_code)]

use proptest::prelude::*;
use xuewei_core::city::{City, CityAssignment};
use xuewei_core::{
    verify, Assignment, Instance, InstanceBuilder, Lottery, ReserveOrder, SchoolId, StudentId,
    UnfilledReserves,
};

/// A small instance described by plain data, so proptest can shrink it.
#[derive(Clone, Debug)]
pub struct Spec {
    pub capacities: Vec<u32>,
    /// Each pupil's list, as school indices (deduplicated when built).
    pub lists: Vec<Vec<usize>>,
    /// Tier of pupil `i` at school `s`: `tiers[s][i]` (the top tier index means unnamed).
    pub tiers: Vec<Vec<u32>>,
    pub scores: Vec<u32>,
    pub groups: Vec<Option<u8>>,
    /// At most one reserve per school: (group, seats, open_first, stay_empty).
    pub reserves: Vec<Option<(u8, u32, bool, bool)>>,
}

impl Spec {
    pub fn build(&self) -> Instance {
        let mut b = InstanceBuilder::new();
        let schools: Vec<SchoolId> = self
            .capacities
            .iter()
            .enumerate()
            .map(|(i, &c)| b.add_school(format!("s{i}"), c))
            .collect();
        let mut students = Vec::new();
        for (i, list) in self.lists.iter().enumerate() {
            let mut seen = Vec::new();
            for &s in list {
                let s = s % schools.len();
                if !seen.contains(&s) {
                    seen.push(s);
                }
            }
            let st = b.add_student(format!("p{i}"), seen.iter().map(|&s| schools[s]));
            b.set_score(st, f64::from(self.scores[i]));
            if let Some(g) = self.groups[i] {
                let g = b.group(&format!("g{g}"));
                b.set_group(st, g);
            }
            students.push(st);
        }
        for (s, tiers) in self.tiers.iter().enumerate() {
            let top = tiers.iter().copied().max().unwrap_or(0);
            for t in 0..top {
                let members: Vec<StudentId> = tiers
                    .iter()
                    .enumerate()
                    .filter(|&(_, &x)| x == t)
                    .map(|(i, _)| students[i])
                    .collect();
                b.push_tier(schools[s], members);
            }
        }
        for (s, r) in self.reserves.iter().enumerate() {
            if let Some((g, seats, open_first, stay_empty)) = *r {
                let g = b.group(&format!("g{g}"));
                b.add_reserve(schools[s], g, seats.min(self.capacities[s]));
                b.set_reserve_policy(
                    schools[s],
                    if open_first {
                        ReserveOrder::OpenFirst
                    } else {
                        ReserveOrder::ReservedFirst
                    },
                    if stay_empty {
                        UnfilledReserves::Empty
                    } else {
                        UnfilledReserves::Open
                    },
                );
            }
        }
        b.build().expect("generated specs are valid")
    }
}

/// Instances with up to `max_n` pupils and `max_m` schools; `reserves` allows reserved seats.
pub fn arb_spec(
    max_n: usize,
    max_m: usize,
    max_tiers: u32,
    reserves: bool,
) -> impl Strategy<Value = Spec> {
    (1..=max_n, 1..=max_m).prop_flat_map(move |(n, m)| {
        let capacities = prop::collection::vec(0u32..=3, m);
        let lists = prop::collection::vec(prop::collection::vec(0..m, 0..=m), n);
        let tiers = prop::collection::vec(prop::collection::vec(0..max_tiers.max(1), n), m);
        let scores = prop::collection::vec(0u32..4, n);
        let groups = prop::collection::vec(prop::option::of(0u8..2), n);
        let res = prop::collection::vec(
            prop::option::weighted(
                if reserves { 0.4 } else { 0.000_001 },
                (0u8..2, 0u32..=2, any::<bool>(), any::<bool>()),
            ),
            m,
        );
        (capacities, lists, tiers, scores, groups, res).prop_map(
            |(capacities, lists, tiers, scores, groups, reserves)| Spec {
                capacities,
                lists,
                tiers,
                scores,
                groups,
                reserves,
            },
        )
    })
}

/// Whether pupil `st` likes `a` at least as much as `b` (unplaced is worst).
pub fn weakly_prefers(
    instance: &Instance,
    st: StudentId,
    a: Option<SchoolId>,
    b: Option<SchoolId>,
) -> bool {
    let pos = |s: Option<SchoolId>| {
        s.and_then(|s| instance.rank_of(st, s))
            .unwrap_or(usize::MAX)
    };
    pos(a) <= pos(b)
}

/// Every assignment of pupils to listed schools (or none), for tiny instances.
pub fn all_assignments(instance: &Instance) -> Vec<Assignment> {
    let n = instance.n_students();
    let mut out = Vec::new();
    let mut cur: Vec<Option<SchoolId>> = vec![None; n];
    fn rec(
        instance: &Instance,
        i: usize,
        cur: &mut Vec<Option<SchoolId>>,
        out: &mut Vec<Assignment>,
    ) {
        if i == cur.len() {
            out.push(Assignment::from_schools(cur.iter().copied()));
            return;
        }
        cur[i] = None;
        rec(instance, i + 1, cur, out);
        for &s in instance.preferences(StudentId::from_index(i)) {
            cur[i] = Some(s);
            rec(instance, i + 1, cur, out);
        }
        cur[i] = None;
    }
    rec(instance, 0, &mut cur, &mut out);
    out
}

/// All stable assignments (feasible, individually rational, no blocking pair).
pub fn all_stable(instance: &Instance, lottery: &Lottery) -> Vec<Assignment> {
    all_assignments(instance)
        .into_iter()
        .filter(|a| {
            verify::unchosen(instance, lottery, a).is_empty()
                && verify::blocking_pairs(instance, lottery, a).is_empty()
        })
        .collect()
}

/// Schools of an assignment as a plain vector, for comparisons that ignore statistics.
pub fn schools_of(a: &Assignment) -> Vec<Option<SchoolId>> {
    a.iter().map(|(_, s)| s).collect()
}

/// `pupil:school:how` for every pupil of a city assignment.
pub fn placement_summary(city: &City, result: &CityAssignment) -> String {
    city.pupils()
        .iter()
        .zip(&result.placements)
        .map(|(p, pl)| {
            let school = pl
                .school
                .map_or("-", |s| city.schools()[s as usize].id.as_str());
            format!("{}:{}:{}", p.id, school, pl.how.name())
        })
        .collect::<Vec<_>>()
        .join(" ")
}
