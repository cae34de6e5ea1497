//! The result of a mechanism: who goes where, plus run statistics.

use crate::ids::{GroupId, SchoolId, StudentId, NONE};
use crate::instance::Instance;
use crate::lottery::{Lottery, Rank};

/// Counters a mechanism reports about its run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Applications made (pupil proposals, or school offers for school-proposing DA).
    pub proposals: u64,
    /// Rounds: bands for Boston and Chen–Kesten, cycles cleared for TTC; `None`
    /// where the mechanism has no rounds (deferred acceptance processes proposals in any
    /// order and reaches the same result).
    pub rounds: Option<u32>,
    /// Stable improvement cycles carried out after deferred acceptance.
    pub improvement_cycles: u64,
    /// Pupils who moved to a better school along those cycles.
    pub students_improved: u64,
}

/// Who goes where: a school (or none) for every pupil, in a dense vector.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Assignment {
    pub(crate) school_of: Vec<u32>,
    pub(crate) stats: Stats,
}

impl Assignment {
    /// An assignment from a school (or none) per pupil, in pupil order.
    pub fn from_schools(schools: impl IntoIterator<Item = Option<SchoolId>>) -> Self {
        Self {
            school_of: schools
                .into_iter()
                .map(|s| s.map_or(NONE, |s| s.0))
                .collect(),
            stats: Stats::default(),
        }
    }

    pub(crate) fn from_raw(school_of: Vec<u32>, stats: Stats) -> Self {
        Self { school_of, stats }
    }

    /// The school a pupil is placed at, or `None` when unplaced.
    #[inline]
    #[must_use]
    pub fn school_of(&self, student: StudentId) -> Option<SchoolId> {
        let s = self.school_of[student.index()];
        (s != NONE).then_some(SchoolId(s))
    }

    /// Number of pupils covered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.school_of.len()
    }

    /// Whether the assignment covers no pupil.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.school_of.is_empty()
    }

    /// `(pupil, school)` for every pupil in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (StudentId, Option<SchoolId>)> + '_ {
        self.school_of
            .iter()
            .enumerate()
            .map(|(i, &s)| (StudentId::from_index(i), (s != NONE).then_some(SchoolId(s))))
    }

    /// Number of pupils placed.
    #[must_use]
    pub fn n_placed(&self) -> usize {
        self.school_of.iter().filter(|&&s| s != NONE).count()
    }

    /// Run statistics.
    #[must_use]
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Pupils placed at each school.
    #[must_use]
    pub fn filled(&self, n_schools: usize) -> Vec<u32> {
        let mut filled = vec![0u32; n_schools];
        for &s in &self.school_of {
            if s != NONE {
                filled[s as usize] += 1;
            }
        }
        filled
    }

    /// The pupils at every school, grouped (CSR).
    #[must_use]
    pub fn by_school(&self, n_schools: usize) -> BySchool {
        let filled = self.filled(n_schools);
        let mut offsets = Vec::with_capacity(n_schools + 1);
        offsets.push(0u32);
        for f in &filled {
            offsets.push(offsets[offsets.len() - 1] + f);
        }
        let mut fill = offsets.clone();
        let mut students = vec![StudentId(0); offsets[n_schools] as usize];
        for (st, &s) in self.school_of.iter().enumerate() {
            if s != NONE {
                students[fill[s as usize] as usize] = StudentId::from_index(st);
                fill[s as usize] += 1;
            }
        }
        BySchool { offsets, students }
    }

    /// The position of the pupil's school in their list (0 = first choice), `None` when
    /// unplaced.
    #[must_use]
    pub fn choice_rank(&self, instance: &Instance, student: StudentId) -> Option<usize> {
        self.school_of(student)
            .and_then(|s| instance.rank_of(student, s))
    }
}

/// Pupils grouped by school, in pupil order within each school.
#[derive(Clone, Debug)]
pub struct BySchool {
    offsets: Vec<u32>,
    students: Vec<StudentId>,
}

impl BySchool {
    /// The pupils placed at a school.
    #[must_use]
    pub fn students_at(&self, school: SchoolId) -> &[StudentId] {
        &self.students
            [self.offsets[school.index()] as usize..self.offsets[school.index() + 1] as usize]
    }
}

/// The cutoff of every school: the rank (tier, lottery number) of the lowest-ranked pupil it
/// admitted, `None` for a school that admitted nobody. A pupil ranked above the cutoff who
/// listed the school above their placement would have justified envy; under a stable
/// mechanism there is none, so the cutoff answers "why not me?".
#[must_use]
pub fn cutoffs(
    instance: &Instance,
    lottery: &Lottery,
    assignment: &Assignment,
) -> Vec<Option<Rank>> {
    let mut cut: Vec<Option<Rank>> = vec![None; instance.n_schools()];
    for (st, school) in assignment.iter() {
        if let Some(s) = school {
            let r = lottery.rank(instance.tier(st, s), st, s);
            let c = &mut cut[s.index()];
            if c.is_none_or(|c| r > c) {
                *c = Some(r);
            }
        }
    }
    cut
}

/// How one reserved block of a school (指标到校 quota places) was used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReserveUse {
    /// The group the seats are reserved for.
    pub group: GroupId,
    /// Seats reserved.
    pub seats: u32,
    /// Seats of the block taken: by members, or by others where unfilled seats revert.
    pub filled: u32,
}

/// How the pupils placed at a school fill its reserved blocks, in the school's precedence
/// order (empty for a school without reserves): the school's choice rule replayed on
/// `students`.
///
/// # Complexity
/// O(k log k + k·b) for k pupils and b blocks.
#[must_use]
pub fn reserve_use(
    instance: &Instance,
    lottery: &Lottery,
    school: SchoolId,
    students: &[StudentId],
) -> Vec<ReserveUse> {
    crate::mechanism::reserve_slots::block_fill(instance, lottery, school, students)
        .into_iter()
        .filter(|(b, _)| b.group != NONE)
        .map(|(b, filled)| ReserveUse {
            group: GroupId(b.group),
            seats: b.left,
            filled,
        })
        .collect()
}
